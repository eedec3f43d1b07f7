"""Read-side queries of fulfilment. A pesantren's queries are always keyed on its own seller."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from fulfilment.holidays import is_working_day
from fulfilment.models import SellerOrder, SellerOrderEvent, SellerOrderStatus
from sellers.models import Seller

Line = get_model("order", "Line")

# The one definition of "sold", for dashboards, the programme office and the search ranking: the
# customer has paid, and the part was not cancelled or refunded since.
SOLD_STATUSES = (
    SellerOrderStatus.PAID,
    SellerOrderStatus.ACCEPTED,
    SellerOrderStatus.PACKED,
    SellerOrderStatus.SHIPPED,
    SellerOrderStatus.DELIVERED,
    SellerOrderStatus.COMPLETED,
)


def sold_seller_orders() -> QuerySet[SellerOrder]:
    """Every pesantren's parts of orders that count as sales."""
    return SellerOrder.objects.filter(status__in=SOLD_STATUSES, paid_at__isnull=False)


def sold_lines() -> QuerySet:
    """Order lines that count as sold: those of a sold part of their order (same order, same pesantren)."""
    return Line.objects.filter(
        Exists(sold_seller_orders().filter(order_id=OuterRef("order_id"), seller__partner_id=OuterRef("partner_id")))
    )


def seller_orders_for_seller(*, seller: Seller, status: str = "") -> QuerySet[SellerOrder]:
    # order__user: the buyer's email, shown when the address has no name (Order.email reads the user)
    seller_orders = SellerOrder.objects.filter(seller=seller).select_related(
        "order", "order__shipping_address", "order__user"
    )
    if status:
        seller_orders = seller_orders.filter(status=status)
    return seller_orders.order_by("-created_at", "-pk")


def seller_order_for_seller(*, seller: Seller, pk: int) -> SellerOrder | None:
    return (
        SellerOrder.objects.filter(seller=seller, pk=pk)
        .select_related(
            "seller__partner",
            "order__shipping_address__kabupaten",
            "order__shipping_address__kecamatan",
            "order__shipping_address__desa",
        )
        .prefetch_related(Prefetch("events", queryset=SellerOrderEvent.objects.select_related("actor")))
        .first()
    )


def lines_of(seller_order: SellerOrder) -> QuerySet:
    """Only this pesantren's lines of the customer's order, never the other pesantren's."""
    return Line.objects.filter(
        order_id=seller_order.order_id, partner_id=seller_order.seller.partner_id
    ).select_related("product")


def seller_orders_with_timeline(*, order) -> list[SellerOrder]:
    """Each pesantren's part of a customer's order, with its lines and events, for the customer's pages."""
    seller_orders = list(
        order.seller_orders.select_related("seller__partner")
        .prefetch_related(Prefetch("events", queryset=SellerOrderEvent.objects.order_by("created_at", "pk")))
        .order_by("pk")
    )
    lines_by_partner = {}
    for line in order.lines.all():
        lines_by_partner.setdefault(line.partner_id, []).append(line)
    for seller_order in seller_orders:
        seller_order.order_lines = lines_by_partner.get(seller_order.seller.partner_id, [])
    return seller_orders


def orders_with_parts(*, orders) -> list:
    """A page of a customer's orders with each one's pesantren parts (and their pesantren) loaded.

    Two queries for the whole page, for order lists that show every part's status."""
    orders = list(orders)
    prefetch_related_objects(
        orders, Prefetch("seller_orders", queryset=SellerOrder.objects.select_related("seller").order_by("pk"))
    )
    return orders


# The pesantren's seller centre: status tabs, ship-by deadlines, packing slips, readable history.

S = SellerOrderStatus
# Tab slug → the statuses it shows, in the order the tabs appear. "" is every part.
ORDER_TABS = {
    "baru": (S.PAID,),
    "perlu-dikirim": (S.ACCEPTED, S.PACKED),
    "dikirim": (S.SHIPPED,),
    "selesai": (S.DELIVERED, S.COMPLETED),
    "dibatalkan": (S.CANCELLED, S.REFUNDED),
}
# Parts the pesantren still has to send: they have a ship-by deadline.
TO_SHIP_STATUSES = (S.PAID, S.ACCEPTED, S.PACKED)


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """`days` working days after `day`: weekends, national holidays and cuti bersama do not count."""
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def ship_by(paid_at: datetime.datetime | None) -> datetime.date | None:
    """The day a paid part must be handed to the courier: the same working day when paid before the
    cut-off (MARKETPLACE_SHIP_SAME_DAY_BEFORE, 12:00), else the next working day."""
    if paid_at is None:
        return None
    paid = timezone.localtime(paid_at)
    if _is_working_day(paid.date()) and paid.time() < _same_day_before():
        return paid.date()
    return add_working_days(paid.date(), 1)


def _same_day_before() -> datetime.time:
    from django.conf import settings

    return datetime.time.fromisoformat(getattr(settings, "MARKETPLACE_SHIP_SAME_DAY_BEFORE", "12:00"))


def _is_working_day(day: datetime.date) -> bool:
    # Whatever add_working_days counts as a working day (weekends and holidays are not).
    return add_working_days(day - datetime.timedelta(days=1), 1) == day


def late_paid_before(today: datetime.date) -> datetime.datetime:
    """Parts paid before this moment are past their ship-by day on `today` (ship_by is monotonic):
    the cut-off time of the last working day before `today`."""
    day = today - datetime.timedelta(days=1)
    while not _is_working_day(day):
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, _same_day_before()))


def late_shipment_rate(*, seller: Seller, today: datetime.date | None = None, days: int = 30) -> dict:
    """Of the parts paid in the last `days` days that were shipped or are due, how many went (or are) late.

    Late: handed to the courier after its ship-by day, or not yet shipped with that day past. One query.
    Returns {"late", "total", "percent"} (percent rounded, 0 when there is nothing to count).
    """
    today = today or timezone.localdate()
    since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min))
    rows = SellerOrder.objects.filter(seller=seller, paid_at__gte=since).values_list("status", "paid_at", "shipped_at")
    late = total = 0
    for status, paid_at, shipped_at in rows:
        due = ship_by(paid_at)
        if shipped_at is not None:
            total += 1
            late += timezone.localtime(shipped_at).date() > due
        elif status in TO_SHIP_STATUSES and due < today:
            total += 1
            late += 1
    return {"late": late, "total": total, "percent": round(100 * late / total) if total else 0}


def with_deadlines(seller_orders, *, today: datetime.date | None = None) -> list[SellerOrder]:
    """Sets `ship_by` and `is_late` on each part that still has to be sent."""
    today = today or timezone.localdate()
    seller_orders = list(seller_orders)
    for seller_order in seller_orders:
        seller_order.ship_by = ship_by(seller_order.paid_at) if seller_order.status in TO_SHIP_STATUSES else None
        seller_order.is_late = seller_order.ship_by is not None and seller_order.ship_by < today
    return seller_orders


def tab_counts(*, seller: Seller) -> dict[str, int]:
    """How many parts each tab holds, "" being all of them: one query."""
    aggregates = {"": Count("pk")}
    for slug, statuses in ORDER_TABS.items():
        aggregates[slug.replace("-", "_")] = Count("pk", filter=Q(status__in=statuses))
    counts = SellerOrder.objects.filter(seller=seller).aggregate(**aggregates)
    return {slug: counts[slug.replace("-", "_")] for slug in ("", *ORDER_TABS)}


def seller_orders_in_tab(*, seller: Seller, tab: str = "", query: str = "") -> QuerySet[SellerOrder]:
    """A tab of the pesantren's parts, searched by order number or the buyer's name."""
    seller_orders = seller_orders_for_seller(seller=seller)
    if tab in ORDER_TABS:
        seller_orders = seller_orders.filter(status__in=ORDER_TABS[tab])
    query = query.strip()
    if query:
        name = Q()
        for word in query.split()[:4]:
            name &= Q(order__shipping_address__first_name__icontains=word) | Q(
                order__shipping_address__last_name__icontains=word
            )
        seller_orders = seller_orders.filter(Q(number__icontains=query) | Q(order__number__icontains=query) | name)
    if tab == "perlu-dikirim" or tab == "baru":
        # The oldest payment first: it is the first to be late.
        seller_orders = seller_orders.order_by("paid_at", "pk")
    return seller_orders


def seller_orders_by_ids(*, seller: Seller, ids) -> QuerySet[SellerOrder]:
    """The pesantren's own parts among `ids` (anything else, another pesantren's included, is not found)."""
    ids = [int(value) for value in ids if str(value).isdigit()]
    return seller_orders_for_seller(seller=seller).filter(pk__in=ids[:100])


def packing_slips(*, seller: Seller, ids) -> list[SellerOrder]:
    """The pesantren's parts among `ids`, each with `slip_lines` (its own lines only) and its address: three queries."""
    seller_orders = list(
        seller_orders_by_ids(seller=seller, ids=ids)
        .select_related(
            "order__shipping_address__kabupaten",
            "order__shipping_address__kecamatan",
            "order__shipping_address__desa",
        )
        .order_by("pk")
    )
    lines_by_order: dict[int, list] = {}
    lines = Line.objects.filter(
        order_id__in=[so.order_id for so in seller_orders], partner_id=seller.partner_id
    ).order_by("pk")
    for line in lines:
        lines_by_order.setdefault(line.order_id, []).append(line)
    for seller_order in seller_orders:
        seller_order.slip_lines = lines_by_order.get(seller_order.order_id, [])
        seller_order.slip_quantity = sum(line.quantity for line in seller_order.slip_lines)
    return seller_orders


# Notes worth showing the pesantren in its history; the others hold payment or refund references.
_NOTE_SHOWN = {S.SHIPPED, S.CANCELLED}


def readable_history(seller_order: SellerOrder) -> list[dict]:
    """The part's events, oldest first, as the pesantren reads them: status, when, who, and why.

    Payment and refund references (Stripe ids, transfer codes) are left out; the actor is a person's
    name, or the buyer or the system when no one of the pesantren acted."""
    rows = []
    for event in sorted(seller_order.events.all(), key=lambda event: (event.created_at, event.pk)):
        actor = event.actor
        if actor is not None:
            who = actor.get_full_name() or actor.email
        elif event.to_status == S.PAID:
            who = _("Buyer")
        else:
            who = _("System")
        rows.append(
            {
                "status": event.to_status,
                "label": S(event.to_status).label,
                "at": event.created_at,
                "who": who,
                "note": event.note if event.to_status in _NOTE_SHOWN else "",
            }
        )
    return rows
