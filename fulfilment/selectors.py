"""Read-side queries of fulfilment. A pesantren's queries are always keyed on its own seller."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from oscar.core.loading import get_model

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
