"""Read-side queries for pesantren. Views use these, never ad hoc querysets."""

from django.db.models import Count, Q, QuerySet

from sellers.models import Seller, SellerStatus


def live_sellers() -> QuerySet[Seller]:
    return Seller.objects.verified().select_related("kabupaten", "kecamatan")


def sellers_directory(*, query: str = "", kabupaten_code: str = "", sector: str = "") -> QuerySet[Seller]:
    sellers = live_sellers().annotate(
        product_count=Count("partner__stockrecords", filter=Q(partner__stockrecords__product__is_public=True))
    )
    if query:
        sellers = sellers.filter(Q(name__icontains=query) | Q(tagline__icontains=query))
    if kabupaten_code:
        sellers = sellers.filter(kabupaten_id=kabupaten_code)
    if sector:
        sellers = sellers.filter(sector=sector)
    return sellers.order_by("name")


def seller_for_storefront(*, slug: str) -> Seller | None:
    return live_sellers().select_related("desa", "province").filter(slug=slug).first()


def seller_for_product(product) -> Seller | None:
    """The pesantren that makes a product: the seller behind its (prefetched) stock records."""
    records = list(product.stockrecords.all())
    if not records and product.is_parent:
        records = [record for child in product.children.all() for record in child.stockrecords.all()]
    for record in records:
        seller = getattr(record.partner, "seller", None)
        if seller is not None:
            return seller
    return None


def applications_for_user(*, user) -> QuerySet[Seller]:
    return (
        Seller.objects.filter(owner=user).select_related("kabupaten").prefetch_related("events").order_by("-created_at")
    )


def open_application_for_user(*, user) -> Seller | None:
    """The user's application that is still in progress or live; a rejected one lets them apply again."""
    return Seller.objects.filter(owner=user).exclude(status=SellerStatus.REJECTED).first()


def sellers_for_review(*, statuses: list[str] | None = None, query: str = "") -> QuerySet[Seller]:
    sellers = Seller.objects.select_related("kabupaten", "kecamatan", "owner").annotate(
        document_count=Count("documents", distinct=True)
    )
    if statuses:
        sellers = sellers.filter(status__in=statuses)
    if query:
        sellers = sellers.filter(Q(name__icontains=query) | Q(nspp__icontains=query))
    return sellers.order_by("created_at", "pk")


def seller_for_review(*, pk: int) -> Seller | None:
    return (
        Seller.objects.select_related("kabupaten", "kecamatan", "desa", "province", "owner", "partner")
        .prefetch_related("documents", "events__actor")
        .filter(pk=pk)
        .first()
    )
