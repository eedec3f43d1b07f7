"""The one place where the dashboard scopes Oscar's catalogue to the signed-in pesantren.

Staff with model permissions see everything. A pesantren user sees only objects carried by its own
partner's stock records; anything else does not exist for it (the views turn None into 404).
"""

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from sellers.access import seller_for_user
from sellers.models import Seller

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
StockAlert = get_model("partner", "StockAlert")


def is_platform_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def product_visibility_q(*, user) -> Q:
    """Products the user may manage: standalone or child products stocked by its pesantren,
    and parents of such children."""
    if is_platform_staff(user):
        return Q()
    seller = seller_for_user(user=user)
    if seller is None or seller.partner_id is None:
        return Q(pk__in=[])
    return Q(stockrecords__partner_id=seller.partner_id) | Q(children__stockrecords__partner_id=seller.partner_id)


def products_for_user(*, user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Product.objects.all() if queryset is None else queryset
    if is_platform_staff(user):
        return queryset
    return queryset.filter(pk__in=Product.objects.filter(product_visibility_q(user=user)).values("pk"))


def product_for_user(*, user, pk) -> "Product | None":
    return products_for_user(user=user).filter(pk=pk).first()


def stockrecords_for_user(*, user) -> QuerySet:
    records = StockRecord.objects.select_related("product", "partner")
    if is_platform_staff(user):
        return records
    seller = seller_for_user(user=user)
    if seller is None:
        return records.none()
    return records.filter(partner_id=seller.partner_id)


def images_for_user(*, user) -> QuerySet:
    return ProductImage.objects.filter(product__in=products_for_user(user=user))


def stock_alerts_for_user(*, user, status: str = "") -> QuerySet:
    alerts = StockAlert.objects.select_related("stockrecord__product", "stockrecord__partner").order_by("-date_created")
    if status:
        alerts = alerts.filter(status=status)
    if is_platform_staff(user):
        return alerts
    seller = seller_for_user(user=user)
    if seller is None:
        return alerts.none()
    return alerts.filter(stockrecord__partner_id=seller.partner_id)


def low_stock_records_for_seller(*, seller: Seller) -> QuerySet:
    """The pesantren's stock records at or below their low-stock threshold."""
    return (
        StockRecord.objects.filter(partner_id=seller.partner_id, low_stock_threshold__isnull=False)
        .filter(num_in_stock__lte=F("low_stock_threshold") + Coalesce(F("num_allocated"), 0))
        .select_related("product")
        .order_by("num_in_stock")
    )


# The seller centre's product list: every product the pesantren sells, with its own price and stock.
PRODUCT_FILTERS = ("", "habis", "menipis", "tersembunyi")


def seller_products(*, seller: Seller, query: str = "", status: str = "") -> QuerySet:
    """The pesantren's standalone products and parents of its variants (not the variants themselves),
    newest first, each with `own_price`, `own_stock`, `own_low_stock` and `variant_count`, and its
    images prefetched: three queries for a page, whatever its size.

    `status` is one of PRODUCT_FILTERS: out of stock, low on stock, hidden from the shop.
    """
    own = StockRecord.objects.filter(partner_id=seller.partner_id, product_id=OuterRef("pk")).order_by("pk")
    free = F("num_in_stock") - Coalesce(F("num_allocated"), 0)
    products = (
        Product.objects.filter(parent__isnull=True)
        .filter(
            pk__in=Product.objects.filter(
                Q(stockrecords__partner_id=seller.partner_id) | Q(children__stockrecords__partner_id=seller.partner_id)
            ).values("pk")
        )
        .annotate(
            own_price=Subquery(own.values("price")[:1]),
            own_stock=Subquery(own.annotate(free=free).values("free")[:1]),
            own_low_stock=Subquery(own.values("low_stock_threshold")[:1]),
            variant_count=Count("children", distinct=True),
        )
        .prefetch_related("images")
        .order_by("-date_created", "-pk")
    )
    query = query.strip()
    if query:
        products = products.filter(Q(title__icontains=query) | Q(children__title__icontains=query)).distinct()
    if status == "habis":
        products = products.filter(own_stock__lte=0)
    elif status == "menipis":
        products = products.filter(own_low_stock__isnull=False, own_stock__gt=0, own_stock__lte=F("own_low_stock"))
    elif status == "tersembunyi":
        products = products.filter(is_public=False)
    return products


def seller_product_counts(*, seller: Seller) -> dict[str, int]:
    """How many products each filter of the list holds: one query."""
    low = Q(own_low_stock__isnull=False, own_stock__gt=0, own_stock__lte=F("own_low_stock"))
    counts = (
        seller_products(seller=seller)
        .prefetch_related(None)
        .order_by()
        .aggregate(
            all=Count("pk"),
            habis=Count("pk", filter=Q(own_stock__lte=0)),
            menipis=Count("pk", filter=low),
            tersembunyi=Count("pk", filter=Q(is_public=False)),
        )
    )
    return {"": counts["all"], **{name: counts[name] for name in PRODUCT_FILTERS if name}}
