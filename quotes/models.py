"""Requests for quotation: an off-taker asks pesantren for a price, pesantren answer with quotes.

Written only through `quotes.services`; read through `quotes.selectors`, which scope every query to
the company of the user or to the pesantren invited.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from catalogue.models import SalesUnit
from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed


class RfqKind(models.TextChoices):
    CATALOGUE = "catalogue", _("Catalogue product")
    CONTRACT = "contract", _("Contract production")
    PRIVATE_LABEL = "private_label", _("Private label")


class RfqAudience(models.TextChoices):
    SELLER = "seller", _("One pesantren")
    CATEGORY = "category", _("Every verified pesantren selling in a category")
    REGION = "region", _("Every verified pesantren of a kabupaten/kota")


class RfqStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AWARDED = "awarded", _("Awarded")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class RequestForQuotation(models.Model):
    """What a company wants: quantity, specification, target price and delivery date.

    The pesantren asked are resolved once, when it is created (`RfqInvitation`), so "every pesantren
    of a region" means the ones verified then, and each pesantren sees only what it was invited to.
    Pesantren quote until `quotes_due`; the company may accept a quote while that quote is valid.
    """

    company = models.ForeignKey(
        "companies.Company", verbose_name=_("company"), on_delete=models.PROTECT, related_name="rfqs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=160, help_text=_("What you need, in a few words."))
    kind = models.CharField(_("kind of request"), max_length=20, choices=RfqKind.choices, default=RfqKind.CATALOGUE)
    product = models.ForeignKey(
        "catalogue.Product",
        verbose_name=_("catalogue product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The product you are asking about, if it is in the catalogue."),
    )
    category = models.ForeignKey(
        "catalogue.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=16, choices=SalesUnit.choices, default=SalesUnit.PIECE)
    specification = models.TextField(
        _("specification"),
        max_length=5000,
        help_text=_("Size, packaging, ingredients, labelling, certificates (halal, P-IRT, BPOM) and so on."),
    )
    target_unit_price = models.PositiveIntegerField(
        _("target unit price (Rp)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    delivery_date = models.DateField(_("delivery date"), help_text=_("When the goods must arrive."))
    delivery_kabupaten = models.ForeignKey(
        "regions.Region",
        verbose_name=_("delivery kabupaten/kota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.CharField(_("ask"), max_length=20, choices=RfqAudience.choices, default=RfqAudience.SELLER)
    seller = models.ForeignKey(
        "sellers.Seller",
        verbose_name=_("pesantren"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("When one pesantren is asked."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kabupaten/kota of the pesantren"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("When every pesantren of a kabupaten/kota is asked."),
    )
    quotes_due = models.DateField(_("quotes due by"), help_text=_("Pesantren can quote until the end of this day."))
    status = models.CharField(
        _("status"), max_length=20, choices=RfqStatus.choices, default=RfqStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"RFQ-{self.pk} {self.title}"

    @property
    def reference(self) -> str:
        return f"RFQ-{self.pk}"

    @property
    def is_accepting_quotes(self) -> bool:
        return self.status == RfqStatus.OPEN and timezone.localdate() <= self.quotes_due

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.delivery_date and self.delivery_date <= today:
            errors["delivery_date"] = _("The delivery date must be in the future.")
        if self.quotes_due:
            if self.quotes_due < today:
                errors["quotes_due"] = _("The date for quotes must be today or later.")
            elif self.delivery_date and self.quotes_due > self.delivery_date:
                errors["quotes_due"] = _("Quotes must be due before the delivery date.")
        if self.audience == RfqAudience.SELLER and not self.seller_id:
            errors["seller"] = _("Choose the pesantren to ask.")
        if self.audience == RfqAudience.CATEGORY and not self.category_id:
            errors["category"] = _("Choose the category whose pesantren you want to ask.")
        if self.audience == RfqAudience.REGION and not self.region_id:
            errors["region"] = _("Choose the kabupaten/kota whose pesantren you want to ask.")
        if errors:
            raise ValidationError(errors)


class RfqInvitation(models.Model):
    """A pesantren asked to quote. Only invited pesantren may see the request, quote or write."""

    rfq = models.ForeignKey(
        RequestForQuotation, verbose_name=_("request"), on_delete=models.CASCADE, related_name="invitations"
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="rfq_invitations"
    )
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation to quote")
        verbose_name_plural = _("invitations to quote")
        ordering = ["rfq", "seller"]
        constraints = [models.UniqueConstraint(fields=["rfq", "seller"], name="quotes_unique_invitation")]

    def __str__(self) -> str:
        return f"{self.rfq.reference} → {self.seller}"


class QuoteStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SUPERSEDED = "superseded", _("Revised")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # Not the seller order's "Accepted" (being processed): a chosen quote is accepted by the buyer.
    ACCEPTED = "accepted", pgettext_lazy("quote status", "Accepted")
    CLOSED = "closed", _("Not chosen")
    EXPIRED = "expired", _("Expired")


LIVE_QUOTE_STATUSES = (QuoteStatus.SUBMITTED, QuoteStatus.ACCEPTED)


class Quote(models.Model):
    """One version of a pesantren's answer. A revision supersedes the previous version.

    The company accepts a specific version, so a price revised while the company decides is never
    accepted unseen. At most one live (submitted or accepted) version per pesantren per request,
    and at most one accepted quote per request, both enforced by the database.
    """

    rfq = models.ForeignKey(
        RequestForQuotation, verbose_name=_("request"), on_delete=models.CASCADE, related_name="quotes"
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    unit_price = models.PositiveIntegerField(_("unit price (Rp)"), validators=[MinValueValidator(1)])
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"), help_text=_("Days from the order until the goods are sent.")
    )
    valid_until = models.DateField(_("valid until"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    stockrecord = models.ForeignKey(
        "partner.StockRecord",
        verbose_name=_("product from the catalogue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Sell one of your catalogue products from stock, or leave empty to make the goods to order."),
    )
    unit_weight_grams = models.PositiveIntegerField(
        _("shipping weight of one unit (grams)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For goods made to order: used to calculate shipping."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.SUBMITTED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Filled when the company accepts: the order it became, or the purchase request waiting for an approver.
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    order = models.OneToOneField(
        "order.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quote",
    )
    purchase_request = models.ForeignKey(
        "purchasing.PurchaseRequest",
        verbose_name=_("purchase request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ordered_stockrecord = models.ForeignKey(
        "partner.StockRecord",
        verbose_name=_("stock record ordered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["unit_price", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rfq", "seller"],
                condition=Q(status__in=["submitted", "accepted"]),
                name="quotes_one_live_quote_per_seller",
            ),
            models.UniqueConstraint(fields=["rfq"], condition=Q(status="accepted"), name="quotes_one_accepted_quote"),
            models.UniqueConstraint(fields=["rfq", "seller", "version"], name="quotes_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.rfq.reference} {self.seller} v{self.version}"

    @property
    def total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def is_expired_by_date(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def resulting_order(self):
        """The order the accepted quote became, directly or once an approver approved it."""
        if self.order_id:
            return self.order
        if self.purchase_request_id:
            return self.purchase_request.order
        return None


class MessageSide(models.TextChoices):
    COMPANY = "company", _("Company")
    PESANTREN = "pesantren", _("Pesantren")


class Message(models.Model):
    """A message in the thread between the company and one invited pesantren about a request."""

    rfq = models.ForeignKey(
        RequestForQuotation, verbose_name=_("request"), on_delete=models.CASCADE, related_name="messages"
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(_("written by"), max_length=20, choices=MessageSide.choices)
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["rfq", "seller", "created_at"])]

    def __str__(self) -> str:
        return f"{self.rfq.reference} / {self.seller}: {self.body[:40]}"


class RfqEventKind(models.TextChoices):
    CREATED = "created", _("Request sent")
    QUOTE_SUBMITTED = "quote_submitted", _("Quote submitted")
    QUOTE_REVISED = "quote_revised", _("Quote revised")
    QUOTE_WITHDRAWN = "quote_withdrawn", _("Quote withdrawn")
    QUOTE_EXPIRED = "quote_expired", _("Quote expired")
    QUOTE_ACCEPTED = "quote_accepted", _("Quote accepted")
    QUOTE_SUPERSEDED = "quote_superseded", _("Quote replaced by a revision")
    QUOTE_CLOSED = "quote_closed", _("Quote not chosen")
    AWARDED = "awarded", _("Awarded")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class RfqEvent(StatusEvent):
    """History of a request and its quotes, written by the service that changed them.

    A status change of the request has no quote (except the award, tied to the winning quote); a
    status change of a quote has its quote. Both carry from and to."""

    rfq = models.ForeignKey(
        RequestForQuotation, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=30, choices=RfqEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.rfq.reference} {self.kind}"


class RfqTransitionNotAllowed(TransitionNotAllowed):
    """A status change that the request's or the quote's current status does not allow."""


RFQ_MACHINE = StateMachine(
    model=RequestForQuotation,
    transitions={
        RfqStatus.OPEN: {RfqStatus.AWARDED, RfqStatus.CLOSED, RfqStatus.CANCELLED},
        RfqStatus.AWARDED: set(),
        RfqStatus.CLOSED: set(),
        RfqStatus.CANCELLED: set(),
    },
    event_model=RfqEvent,
    event_fk="rfq",
    kinds={
        RfqStatus.AWARDED: RfqEventKind.AWARDED,
        RfqStatus.CLOSED: RfqEventKind.CLOSED,
        RfqStatus.CANCELLED: RfqEventKind.CANCELLED,
    },
    default_kind=RfqEventKind.CREATED,
    error=RfqTransitionNotAllowed,
)

QUOTE_MACHINE = StateMachine(
    model=Quote,
    transitions={
        QuoteStatus.SUBMITTED: {
            QuoteStatus.SUPERSEDED,
            QuoteStatus.WITHDRAWN,
            QuoteStatus.ACCEPTED,
            QuoteStatus.CLOSED,
            QuoteStatus.EXPIRED,
        },
        # Accepting again: the award lapsed (its purchase request was turned down, or its order
        # cancelled unpaid) and the company accepts the same quote once more.
        QuoteStatus.ACCEPTED: {QuoteStatus.ACCEPTED, QuoteStatus.SUPERSEDED},
        QuoteStatus.SUPERSEDED: set(),
        QuoteStatus.WITHDRAWN: set(),
        QuoteStatus.CLOSED: set(),
        QuoteStatus.EXPIRED: set(),
    },
    event_model=RfqEvent,
    event_fk="quote",
    event_fields=lambda quote: {"rfq_id": quote.rfq_id},
    kinds={
        QuoteStatus.SUPERSEDED: RfqEventKind.QUOTE_SUPERSEDED,
        QuoteStatus.WITHDRAWN: RfqEventKind.QUOTE_WITHDRAWN,
        QuoteStatus.ACCEPTED: RfqEventKind.QUOTE_ACCEPTED,
        QuoteStatus.CLOSED: RfqEventKind.QUOTE_CLOSED,
        QuoteStatus.EXPIRED: RfqEventKind.QUOTE_EXPIRED,
    },
    default_kind=RfqEventKind.QUOTE_SUBMITTED,
    error=RfqTransitionNotAllowed,
)
