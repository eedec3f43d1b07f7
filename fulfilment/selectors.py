"""Read-side queries of fulfilment. A pesantren's queries are always keyed on its own seller."""

from django.db.models import Prefetch, QuerySet
from oscar.core.loading import get_model

from fulfilment.models import SellerOrder, SellerOrderEvent
from sellers.models import Seller

Line = get_model("order", "Line")


def seller_orders_for_seller(*, seller: Seller, status: str = "") -> QuerySet[SellerOrder]:
    seller_orders = SellerOrder.objects.filter(seller=seller).select_related("order", "order__shipping_address")
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
        order.seller_orders.select_related("seller__partner").prefetch_related(
            Prefetch("events", queryset=SellerOrderEvent.objects.order_by("created_at", "pk"))
        )
    )
    lines_by_partner = {}
    for line in order.lines.all():
        lines_by_partner.setdefault(line.partner_id, []).append(line)
    for seller_order in seller_orders:
        seller_order.order_lines = lines_by_partner.get(seller_order.seller.partner_id, [])
    return seller_orders
