"""The seller centre's home (pusat penjual): today's work of one pesantren, in a fixed number of queries.

Apps on higher layers than the dashboard (quotes) add their own count to the home through
`register_work_count` in their AppConfig.ready, so that the dashboard never imports them.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.money import round_rupiah
from dashboard.selectors import low_stock_records_for_seller
from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.selectors import (
    SOLD_STATUSES,
    TO_SHIP_STATUSES,
    late_paid_before,
    late_shipment_rate,
    seller_orders_for_seller,
    with_deadlines,
)
from ratings.models import ReviewStatus
from ratings.selectors import reviews_for_seller
from sellers.models import Seller

S = SellerOrderStatus
_MONEY = DecimalField(max_digits=14, decimal_places=2)
SHOWN = 5  # rows shown in each card; the card's link leads to the rest


# Counts of work waiting in apps above the dashboard: name → callable(seller=…, today=…) -> int, one query each.
WORK_COUNTS: dict = {}


def register_work_count(name: str, count) -> None:
    WORK_COUNTS[name] = count


def week_start(today: datetime.date) -> datetime.datetime:
    monday = today - datetime.timedelta(days=today.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))


def order_counts(*, seller: Seller, today: datetime.date) -> dict:
    """New parts to accept, parts to send and how many of those are late, and this week's sales: one query."""
    sold_this_week = Q(status__in=SOLD_STATUSES, paid_at__gte=week_start(today))
    counts = SellerOrder.objects.filter(seller=seller).aggregate(
        new=Count("pk", filter=Q(status=S.PAID)),
        to_ship=Count("pk", filter=Q(status__in=(S.ACCEPTED, S.PACKED))),
        late=Count("pk", filter=Q(status__in=TO_SHIP_STATUSES, paid_at__lt=late_paid_before(today))),
        week_orders=Count("pk", filter=sold_this_week),
        week_sales=Coalesce(
            Sum(ExpressionWrapper(F("subtotal") - F("refunded_amount"), output_field=_MONEY), filter=sold_this_week),
            Decimal(0),
            output_field=_MONEY,
        ),
    )
    counts["week_sales"] = round_rupiah(counts["week_sales"])
    return counts


def seller_centre_home(*, seller: Seller, today: datetime.date | None = None) -> dict:
    """Everything the home shows, in seven queries and one per registered work count, whatever the pesantren's size."""
    today = today or timezone.localdate()
    to_ship = with_deadlines(
        seller_orders_for_seller(seller=seller).filter(status__in=TO_SHIP_STATUSES).order_by("paid_at", "pk")[:SHOWN],
        today=today,
    )
    low_stock = low_stock_records_for_seller(seller=seller)
    return {
        "counts": order_counts(seller=seller, today=today),
        "to_ship": to_ship,
        "low_stock": list(low_stock[:SHOWN]),
        "low_stock_count": low_stock.count(),
        "unanswered_reviews": reviews_for_seller(seller=seller, unanswered_only=True)
        .filter(status=ReviewStatus.PUBLISHED)
        .count(),
        "today": today,
        "late_shipments": late_shipment_rate(seller=seller, today=today),
        **{name: count(seller=seller, today=today) for name, count in WORK_COUNTS.items()},
    }
