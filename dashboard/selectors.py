"""The one place where the dashboard scopes Oscar's catalogue to the signed-in pesantren.

Staff with model permissions see everything. A pesantren user sees only objects carried by its own
partner's stock records; anything else does not exist for it (the views turn None into 404).
"""

from django.db.models import F, Q, QuerySet
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
