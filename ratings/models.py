from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed

MIN_RATING = 1
MAX_RATING = 5
RATING_VALIDATORS = [MinValueValidator(MIN_RATING), MaxValueValidator(MAX_RATING)]


class ReviewStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by moderation")


class LineReview(models.Model):
    """A customer's review of one delivered order line: the product and the pesantren that sent it.

    One review per order line, so a customer who bought a product twice may review it twice, each
    time for what they actually received. Ratings are 1–5 stars. Programme staff may hide a review;
    a hidden review leaves every public page and every average. Written only through
    `ratings.services`.
    """

    line = models.OneToOneField(
        "order.Line", verbose_name=_("order line"), on_delete=models.CASCADE, related_name="review"
    )
    # The product may be deleted later (Oscar sets the line's product to null); the pesantren's
    # rating stands.
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="line_reviews",
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="line_reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="line_reviews"
    )
    product_rating = models.PositiveSmallIntegerField(
        _("product rating"), validators=RATING_VALIDATORS, help_text=_("From 1 to 5 stars.")
    )
    seller_rating = models.PositiveSmallIntegerField(
        _("pesantren rating"),
        validators=RATING_VALIDATORS,
        help_text=_("From 1 to 5 stars: packing, speed and service of the pesantren."),
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    body = models.TextField(_("review"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PUBLISHED, db_index=True
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        permissions = [("moderate_review", _("Can hide and unhide reviews"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(product_rating__gte=MIN_RATING, product_rating__lte=MAX_RATING),
                name="review_product_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(seller_rating__gte=MIN_RATING, seller_rating__lte=MAX_RATING),
                name="review_seller_rating_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "status"]),
            models.Index(fields=["seller", "status"]),
        ]

    def __str__(self):
        return f"{self.line_id}: {self.product_rating}★ / {self.seller_rating}★"

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED


class ReviewReply(models.Model):
    """The pesantren's one public answer to a review of its product."""

    review = models.OneToOneField(LineReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="reply")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("reply"), max_length=4000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply to a review")
        verbose_name_plural = _("replies to reviews")

    def __str__(self):
        return f"reply to {self.review_id}"


class ReviewModerationEvent(StatusEvent):
    """Audit row for every hide or unhide of a review."""

    review = models.ForeignKey(
        LineReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="moderation_events"
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=ReviewStatus.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=ReviewStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.TextField(_("reason"))
    note = None  # the reason is the note
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review moderation event")
        verbose_name_plural = _("review moderation events")

    def __str__(self):
        return f"{self.review_id}: {self.from_status} → {self.to_status}"


class ReviewTransitionNotAllowed(TransitionNotAllowed):
    """A moderation step that the review's current status does not allow."""


REVIEW_MACHINE = StateMachine(
    model=LineReview,
    transitions={
        ReviewStatus.PUBLISHED: {ReviewStatus.HIDDEN},
        ReviewStatus.HIDDEN: {ReviewStatus.PUBLISHED},
    },
    event_model=ReviewModerationEvent,
    event_fk="review",
    note_field="reason",
    error=ReviewTransitionNotAllowed,
)
