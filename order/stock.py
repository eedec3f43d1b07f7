"""The stock reservation of every way to place an order, and what a change of stock levels sets off.

`reserve_stock` is the one place stock is allocated when an order is placed: `order.utils.OrderCreator`
calls it for the consumer checkout (bank transfer and card alike) and, through it,
`CompanyOrderCreator` for every company order (business checkout, bulk CSV, quick order, re-order,
accepted quotes, the API).

Oscar's `StockRecord.allocate()` sends `post_save` after its UPDATE, and two receivers listen: Oscar's
low-stock alerts (`partner.receivers.update_stock_alerts`) and our search index
(`search.signals.stockrecord_changed`). Reservations that replace `allocate()` with their own UPDATE
must still do both.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from core.locks import lock_stock_records
from core.signals import products_changed

StockRecord = get_model("partner", "StockRecord")
StockAlert = get_model("partner", "StockAlert")


def reserve_stock(lines) -> None:
    """Reserve the stock of every line that tracks stock, or refuse the whole order.

    `lines` are the basket lines being ordered (their stock record, product and quantity). The stock
    records are locked in primary-key order (`core.locks`, level 5: after the order and seller locks
    the caller holds), then checked and written while locked, so no two orders can both take the last
    units: if any line wants more than is left (or its record has no stock count), UnableToPlaceOrder
    is raised before anything is written, and the caller's transaction rolls the order back. As
    `num_allocated + wanted <= num_in_stock` is checked first, num_allocated stays within its column.
    One UPDATE writes every record, then `stock_records_changed` does what `post_save` would (alerts,
    search) in a fixed number of queries: a 500-line order costs what a 1-line order does.
    """
    wanted: dict[int, int] = defaultdict(int)
    titles: dict[int, str] = {}
    for line in lines:
        if line.stockrecord_id and line.product.get_product_class().track_stock:
            wanted[line.stockrecord_id] += line.quantity
            titles.setdefault(line.stockrecord_id, line.product.get_title())
    if not wanted:
        return
    levels = {record.pk: record for record in lock_stock_records(wanted)}
    for pk in sorted(wanted):
        record = levels.get(pk)
        if record is None or (record.num_in_stock or 0) < (record.num_allocated or 0) + wanted[pk]:
            raise UnableToPlaceOrder(
                _("Sorry, “%(product)s” is no longer in stock in the quantity you asked for.") % {"product": titles[pk]}
            )
    ids, quantities = zip(*sorted(wanted.items()), strict=True)
    if connection.vendor == "postgresql":
        # One statement for every row (bulk_update's CASE of 500 branches costs more to build than to run).
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {StockRecord._meta.db_table} AS record"
                " SET num_allocated = COALESCE(record.num_allocated, 0) + wanted.quantity"
                " FROM unnest(%s::bigint[], %s::integer[]) AS wanted(id, quantity)"
                " WHERE record.id = wanted.id",
                [list(ids), list(quantities)],
            )
    else:
        # The SQLite demo has no arrays; its orders are small, and the rows are checked above.
        for pk, quantity in zip(ids, quantities, strict=True):
            StockRecord.objects.filter(pk=pk).update(num_allocated=Coalesce("num_allocated", 0) + quantity)
    # The lines' own stock records show the levels just written, as after Oscar's allocate().
    for line in lines:
        if line.stockrecord_id in wanted:
            locked = levels[line.stockrecord_id]
            line.stockrecord.num_in_stock = locked.num_in_stock
            line.stockrecord.num_allocated = (locked.num_allocated or 0) + wanted[line.stockrecord_id]
    stock_records_changed(record_ids=wanted)


def stock_records_changed(*, record_ids: Iterable[int]) -> None:
    """The batch equivalent of `post_save` on each of these records: alerts opened or closed, search re-indexed.

    For orders of hundreds of lines, in three queries whatever their number (Oscar's receiver takes one
    or two per record). Same rule as Oscar's receiver: an alert opens when the net stock falls below
    the threshold and none is open; the open one closes once it is back at or above it.
    """
    records = list(
        StockRecord.objects.filter(pk__in=set(record_ids)).only(
            "pk", "product_id", "num_in_stock", "num_allocated", "low_stock_threshold"
        )
    )
    if not records:
        return
    open_alerts = dict(
        StockAlert.objects.filter(stockrecord__in=records, status=StockAlert.OPEN).values_list("stockrecord_id", "pk")
    )
    StockAlert.objects.bulk_create(
        StockAlert(stockrecord=record, threshold=record.low_stock_threshold)
        for record in records
        if record.is_below_threshold and record.pk not in open_alerts
    )
    closing = [
        open_alerts[record.pk] for record in records if not record.is_below_threshold and record.pk in open_alerts
    ]
    if closing:
        StockAlert.objects.filter(pk__in=closing).update(status=StockAlert.CLOSED, date_closed=timezone.now())
    products_changed.send(sender=StockRecord, product_ids=[record.product_id for record in records])
