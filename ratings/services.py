"""Write side of reviews: writing one, the pesantren's reply, and moderation."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.transitions import transition
from ratings.models import MAX_RATING, MIN_RATING, LineReview, ReviewReply, ReviewStatus
from ratings.selectors import REVIEWABLE_STATUSES, seller_order_for_line
from sellers.models import Seller


class ReviewError(Exception):
    """A review action that is not allowed; the message is shown to the user."""


def review_check_allowed(*, line, author) -> None:
    """Raise ReviewError unless `author` may review `line` now."""
    if not author.is_authenticated or line.order.user_id != author.pk:
        raise ReviewError(_("Only the customer who placed the order can review it."))
    if line.product_id is None:
        raise ReviewError(_("This product is no longer sold, so it cannot be reviewed."))
    seller_order = seller_order_for_line(line)
    if seller_order is None or seller_order.status not in REVIEWABLE_STATUSES:
        raise ReviewError(_("You can review this product once it has been delivered."))
    if LineReview.objects.filter(line=line).exists():
        raise ReviewError(_("You have already reviewed this item."))


def _check_rating(value, label: str) -> int:
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = None
    if rating is None or not MIN_RATING <= rating <= MAX_RATING:
        raise ReviewError(
            _("The %(label)s must be a whole number from %(min)d to %(max)d stars.")
            % {"label": label, "min": MIN_RATING, "max": MAX_RATING}
        )
    return rating


def review_create(
    *, line, author, product_rating: int, seller_rating: int, title: str = "", body: str = ""
) -> LineReview:
    """The customer's one review of a delivered order line, covering the product and the pesantren."""
    product_rating = _check_rating(product_rating, _("product rating"))
    seller_rating = _check_rating(seller_rating, _("pesantren rating"))
    review_check_allowed(line=line, author=author)
    seller = Seller.objects.get(partner_id=line.partner_id)
    review = LineReview(
        line=line,
        product_id=line.product_id,
        seller=seller,
        author=author,
        product_rating=product_rating,
        seller_rating=seller_rating,
        title=title.strip(),
        body=body.strip(),
    )
    try:
        review.full_clean()
    except ValidationError as error:
        if "line" in error.message_dict:
            raise ReviewError(_("You have already reviewed this item.")) from error
        raise
    try:
        # The unique line is the real guard: two tabs submitting at once both pass the check above.
        with transaction.atomic():
            review.save()
    except IntegrityError as error:
        raise ReviewError(_("You have already reviewed this item.")) from error
    return review


def review_reply(*, review: LineReview, seller: Seller, author, body: str) -> ReviewReply:
    """The pesantren's one public reply to a review of its own product.

    Callers fetch the review through `selectors.review_for_seller`, so another pesantren's review is
    never reached; the check here keeps the rule true for any caller.
    """
    if review.seller_id != seller.pk:
        raise ReviewError(_("You can only reply to reviews of your own products."))
    body = body.strip()
    if not body:
        raise ReviewError(_("Write a reply first."))
    if ReviewReply.objects.filter(review=review).exists():
        raise ReviewError(_("This review already has a reply."))
    reply = ReviewReply(review=review, author=author, body=body)
    reply.full_clean(exclude=["review"])
    try:
        with transaction.atomic():
            reply.save()
    except IntegrityError as error:
        raise ReviewError(_("This review already has a reply.")) from error
    return reply


def _moderate(*, review: LineReview, actor, reason: str, to_status: str) -> LineReview:
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("Give a reason."))
    with transaction.atomic():
        review = LineReview.objects.select_for_update().get(pk=review.pk)
        if review.status == to_status:
            raise ReviewError(_("This review is already “%(status)s”.") % {"status": ReviewStatus(to_status).label})
        if to_status == ReviewStatus.HIDDEN:
            hidden = {"hidden_by": actor, "hidden_at": timezone.now(), "hidden_reason": reason}
        else:
            hidden = {"hidden_by": None, "hidden_at": None, "hidden_reason": ""}
        transition(review, to_status, actor=actor, note=reason, **hidden)
    return review


def review_hide(*, review: LineReview, actor, reason: str) -> LineReview:
    """Take a review off every public page and out of every average, with the reason recorded."""
    return _moderate(review=review, actor=actor, reason=reason, to_status=ReviewStatus.HIDDEN)


def review_unhide(*, review: LineReview, actor, reason: str) -> LineReview:
    return _moderate(review=review, actor=actor, reason=reason, to_status=ReviewStatus.PUBLISHED)
