"""What a change of stock levels sets off, for stock records written by conditional or bulk UPDATEs.

Oscar's `StockRecord.allocate()` sends `post_save` after its UPDATE, and two receivers listen: Oscar's
low-stock alerts (`partner.receivers.update_stock_alerts`) and our search index
(`search.signals.stockrecord_changed`). Reservations that replace `allocate()` with their own UPDATE
must still do both.
"""

from collections.abc import Iterable

from django.utils import timezone
from oscar.core.loading import get_model

from core.signals import products_changed

StockRecord = get_model("partner", "StockRecord")
StockAlert = get_model("partner", "StockAlert")


def stock_record_saved(record) -> None:
    """Re-read the record's levels and send the post_save Oscar's allocate() sends, for one record."""
    record.refresh_from_db(fields=["num_in_stock", "num_allocated"])
    record.post_save_signal()


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
