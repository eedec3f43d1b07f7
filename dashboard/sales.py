"""Sales figures of one pesantren for its dashboard overview, from its own SellerOrders only."""

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import timezone

from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.selectors import sold_lines, sold_seller_orders
from sellers.models import Seller

_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sold(seller: Seller):
    return sold_seller_orders().filter(seller=seller)


def _revenue_by(seller: Seller, trunc, since: datetime.datetime) -> dict:
    rows = (
        _sold(seller)
        .filter(paid_at__gte=since)
        .annotate(period=trunc("paid_at"))
        .values("period")
        .annotate(
            revenue=Sum(ExpressionWrapper(F("subtotal") - F("refunded_amount"), output_field=_MONEY)),
            orders=Count("pk"),
        )
    )
    return {timezone.localtime(row["period"]).date(): (row["revenue"], row["orders"]) for row in rows}


def revenue_by_week(*, seller: Seller, weeks: int = 12, today: datetime.date | None = None) -> list[dict]:
    """Revenue (subtotal less refunds) per ISO week, oldest first, including empty weeks."""
    today = today or timezone.localdate()
    first_monday = today - datetime.timedelta(days=today.weekday()) - datetime.timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.datetime.combine(first_monday, datetime.time.min))
    totals = _revenue_by(seller, TruncWeek, since)
    rows = []
    for index in range(weeks):
        start = first_monday + datetime.timedelta(weeks=index)
        revenue, orders = totals.get(start, (Decimal(0), 0))
        rows.append({"start": start, "label": start.strftime("%d/%m"), "revenue": revenue, "orders": orders})
    return rows


def revenue_by_month(*, seller: Seller, months: int = 12, today: datetime.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    starts = []
    year, month = today.year, today.month
    for _index in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    starts.reverse()
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time.min))
    totals = _revenue_by(seller, TruncMonth, since)
    return [
        {
            "start": start,
            "label": start.strftime("%m/%Y"),
            "revenue": totals.get(start, (Decimal(0), 0))[0],
            "orders": totals.get(start, (Decimal(0), 0))[1],
        }
        for start in starts
    ]


def top_products(*, seller: Seller, limit: int = 5) -> list[dict]:
    """Best sellers by quantity in the pesantren's sold orders; only its own lines."""
    return list(
        sold_lines()
        .filter(partner_id=seller.partner_id)
        .values("product_id", "title")
        .annotate(quantity=Sum("quantity"), revenue=Coalesce(Sum("line_price_incl_tax"), Decimal(0)))
        .order_by("-quantity", "title")[:limit]
    )


def orders_by_status(*, seller: Seller) -> list[dict]:
    counts = dict(
        SellerOrder.objects.filter(seller=seller)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)} for value, label in SellerOrderStatus.choices
    ]
