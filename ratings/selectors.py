"""Read side of reviews.

Averages and counts are computed by aggregation queries over the published reviews rather than
kept in cached columns: reviews are rare next to page views, the (product, status) and
(seller, status) indexes make each aggregate one cheap query, and a computed value can never drift
when a review is hidden or unhidden. If product cards ever need it for whole listing pages, call
`average_rating_by_product` once per page (it takes many ids) or put it in the search document.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet, Sum
from oscar.core.loading import get_model

from fulfilment.models import SellerOrder, SellerOrderStatus
from ratings.models import LineReview, ReviewStatus
from sellers.models import Seller

Line = get_model("order", "Line")

# The pesantren's part of the order must have reached the customer before its lines can be reviewed.
REVIEWABLE_STATUSES = (SellerOrderStatus.DELIVERED, SellerOrderStatus.COMPLETED)


@dataclass(frozen=True)
class RatingSummary:
    average: Decimal | None
    count: int


def _rounded(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _with_reply(reviews: QuerySet[LineReview]) -> QuerySet[LineReview]:
    return reviews.select_related("author", "reply", "product__parent")


def _product_filter(product) -> Q:
    # A parent product's page speaks for its variants, which are what customers actually buy.
    return Q(product=product) | Q(product__parent=product)


def published_reviews() -> QuerySet[LineReview]:
    return LineReview.objects.filter(status=ReviewStatus.PUBLISHED)


def product_rating_summary(*, product) -> RatingSummary:
    result = published_reviews().filter(_product_filter(product)).aggregate(avg=Avg("product_rating"), n=Count("pk"))
    return RatingSummary(average=_rounded(result["avg"]), count=result["n"])


def seller_rating_summary(*, seller: Seller) -> RatingSummary:
    result = published_reviews().filter(seller=seller).aggregate(avg=Avg("seller_rating"), n=Count("pk"))
    return RatingSummary(average=_rounded(result["avg"]), count=result["n"])


def published_reviews_for_product(*, product) -> QuerySet[LineReview]:
    return _with_reply(published_reviews().filter(_product_filter(product))).order_by("-created_at", "-pk")


def published_reviews_for_seller(*, seller: Seller) -> QuerySet[LineReview]:
    return _with_reply(published_reviews().filter(seller=seller)).order_by("-created_at", "-pk")


def rating_summary_by_product(product_ids) -> dict[int, RatingSummary]:
    """Published product rating summary of each product that has reviews, keyed by id. Two queries.

    A variant's reviews count for its parent too, so pass the ids of the products you list (parents
    or standalone products); products without reviews are absent from the result.
    """
    product_ids = list(product_ids)
    if not product_ids:
        return {}
    own = (
        published_reviews()
        .filter(product_id__in=product_ids)
        .values("product_id")
        .annotate(total=Count("pk"), stars=Sum("product_rating"))
        .values_list("product_id", "total", "stars")
    )
    via_parent = (
        published_reviews()
        .filter(product__parent_id__in=product_ids)
        .values("product__parent_id")
        .annotate(total=Count("pk"), stars=Sum("product_rating"))
        .values_list("product__parent_id", "total", "stars")
    )
    sums: dict[int, tuple[int, int]] = {}
    for product_id, total, stars in [*own, *via_parent]:
        count, star_sum = sums.get(product_id, (0, 0))
        sums[product_id] = (count + total, star_sum + stars)
    return {
        pk: RatingSummary(average=_rounded(Decimal(star_sum) / count), count=count)
        for pk, (count, star_sum) in sums.items()
    }


def average_rating_by_product(product_ids) -> dict[int, Decimal]:
    """Average published product rating (one decimal) of each product that has reviews, keyed by id.

    For search documents and listing pages; see `rating_summary_by_product` for counts as well.
    """
    return {pk: summary.average for pk, summary in rating_summary_by_product(product_ids).items()}


def review_states_for_order(*, order, user) -> dict[int, str]:
    """For the customer's order page: each line id → "reviewed" or "reviewable".

    Lines of parts not yet delivered (or of someone else's order) are absent.
    """
    if not user.is_authenticated or order.user_id != user.pk:
        return {}
    partner_ids = set(
        SellerOrder.objects.filter(order=order, status__in=REVIEWABLE_STATUSES).values_list(
            "seller__partner_id", flat=True
        )
    )
    lines = Line.objects.filter(order=order).values_list("pk", "partner_id", "product_id")
    reviewed = set(LineReview.objects.filter(line__order=order).values_list("line_id", flat=True))
    states = {}
    for line_id, partner_id, product_id in lines:
        if line_id in reviewed:
            states[line_id] = "reviewed"
        elif partner_id in partner_ids and product_id is not None:
            states[line_id] = "reviewable"
    return states


def line_for_author(*, user, line_id: int):
    """A line of one of the user's own orders, with what the review form shows; None for anyone else's."""
    if not user.is_authenticated:
        return None
    return (
        Line.objects.filter(pk=line_id, order__user=user).select_related("order", "product", "partner__seller").first()
    )


def seller_order_for_line(line) -> SellerOrder | None:
    return SellerOrder.objects.filter(order_id=line.order_id, seller__partner_id=line.partner_id).first()


def reviews_for_seller(*, seller: Seller, unanswered_only: bool = False) -> QuerySet[LineReview]:
    """Every review of a pesantren's products, hidden ones included (it sees why they were hidden)."""
    reviews = _with_reply(LineReview.objects.filter(seller=seller)).select_related("line__order")
    if unanswered_only:
        reviews = reviews.filter(reply__isnull=True)
    return reviews.order_by("-created_at", "-pk")


def review_for_seller(*, seller: Seller, pk: int) -> LineReview | None:
    return _with_reply(LineReview.objects.filter(seller=seller, pk=pk)).first()


def reviews_for_moderation(*, status: str = "", query: str = "") -> QuerySet[LineReview]:
    reviews = _with_reply(LineReview.objects.all()).select_related("seller", "hidden_by")
    if status in ReviewStatus.values:
        reviews = reviews.filter(status=status)
    if query:
        reviews = reviews.filter(
            Q(title__icontains=query)
            | Q(body__icontains=query)
            | Q(seller__name__icontains=query)
            | Q(product__title__icontains=query)
            | Q(author__email__icontains=query)
        )
    return reviews.order_by("-created_at", "-pk")


def review_for_moderation(*, pk: int) -> LineReview | None:
    return (
        _with_reply(LineReview.objects.filter(pk=pk))
        .select_related("seller", "hidden_by", "line__order")
        .prefetch_related("moderation_events__actor")
        .first()
    )
