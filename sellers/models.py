from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.identifiers import validate_npwp, validate_nspp
from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed
from sellers.storage import private_storage
from sellers.validators import validate_whatsapp


class SellerStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")
    VERIFIED = "verified", _("Verified")
    SUSPENDED = "suspended", _("Suspended")


class Sector(models.TextChoices):
    """OPOP business sectors."""

    FOOD = "food", _("Processed food")
    DRINKS = "drinks", _("Drinks")
    FASHION = "fashion", _("Muslim fashion")
    CRAFTS = "crafts", _("Crafts")
    AGRICULTURE = "agriculture", _("Agriculture")
    FISHERIES = "fisheries", _("Fisheries")
    LIVESTOCK = "livestock", _("Livestock")
    HERBAL = "herbal", _("Herbal and cosmetics")
    SERVICES = "services", _("Services")
    OTHER = "other", _("Other")


class SellerQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=SellerStatus.VERIFIED)


class Seller(models.Model):
    """A pesantren that sells on the marketplace.

    It is created by an application (status `applied`) and becomes a shop when programme staff
    verify it: that creates its Oscar Partner, whose stock records carry its products.
    Status changes only through `sellers.services`, which records each one as a SellerEvent.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account owner"), on_delete=models.PROTECT, related_name="sellers"
    )
    partner = models.OneToOneField(
        "partner.Partner",
        verbose_name=_("Oscar partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seller",
    )
    name = models.CharField(_("pesantren name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    nspp = models.CharField(
        _("NSPP"),
        max_length=12,
        unique=True,
        validators=[validate_nspp],
        help_text=_(
            "Pesantren statistics number (Nomor Statistik Pondok Pesantren) from the Ministry of Religious "
            "Affairs, 12 digits."
        ),
    )
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    story = models.TextField(_("pesantren story"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="sellers/logos/", blank=True)
    banner = models.ImageField(_("banner"), upload_to="sellers/banners/", blank=True)
    sector = models.CharField(_("OPOP sector"), max_length=20, choices=Sector.choices, db_index=True)

    address_line = models.CharField(_("address"), max_length=255)
    province = models.ForeignKey(
        "regions.Region", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    kabupaten = models.ForeignKey(
        "regions.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+"
    )
    kecamatan = models.ForeignKey(
        "regions.Region", verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    desa = models.ForeignKey(
        "regions.Region",
        verbose_name=_("desa/kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    postal_code = models.CharField(_("postal code"), max_length=5)

    contact_name = models.CharField(_("contact name"), max_length=128)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=16, validators=[validate_whatsapp])
    email = models.EmailField(_("email"), blank=True)

    bank_name = models.CharField(_("bank name"), max_length=64, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=32, blank=True)
    bank_account_holder = models.CharField(_("account holder name"), max_length=128, blank=True)

    npwp = models.CharField(
        _("NPWP"),
        max_length=16,
        blank=True,
        validators=[validate_npwp],
        help_text=_("The pesantren's (or its business unit's) tax number; printed on off-taker invoices."),
    )
    is_vat_registered = models.BooleanField(
        _("VAT-registered (PKP)"),
        default=False,
        help_text=_("A PKP pesantren's invoices show PPN; its prices already include it."),
    )

    commission_rate = models.DecimalField(
        _("commission rate"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Overrides the platform's default commission, as a fraction of the subtotal (0.0500 = 5%)."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=SellerStatus.choices, default=SellerStatus.APPLIED, db_index=True
    )
    status_reason = models.TextField(_("status reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    competition_badges = models.JSONField(
        _("competition badges"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Finalist and winner badges of its products, written by competitions.services."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SellerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("pesantren")
        verbose_name_plural = _("pesantren")
        permissions = [("review_seller", _("Can review and verify pesantren"))]
        indexes = [models.Index(fields=["status", "kabupaten"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sellers:storefront", kwargs={"slug": self.slug})

    @property
    def is_live(self) -> bool:
        return self.status == SellerStatus.VERIFIED

    @property
    def whatsapp_url(self) -> str:
        return f"https://wa.me/{self.whatsapp}"


class DocumentKind(models.TextChoices):
    NSPP_CERTIFICATE = "nspp_certificate", _("NSPP charter or certificate")
    OPERATING_PERMIT = "operating_permit", _("Kemenag operating permit")
    BUSINESS_PERMIT = "business_permit", _("NIB / business licence")
    OTHER = "other", _("Other document")


class SellerDocument(models.Model):
    seller = models.ForeignKey(Seller, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to="sellers/documents/%Y/%m/", storage=private_storage)
    content_type = models.CharField(_("file type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("pesantren document")
        verbose_name_plural = _("pesantren documents")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.seller}"


class SellerEventKind(models.TextChoices):
    STATUS = "status", _("Status change")
    BANK_ACCOUNT = "bank_account", _("Payout bank account changed")


class SellerEvent(StatusEvent):
    """Audit row for every status change of a Seller, and every change of its payout bank account: who
    acted, when and why. A bank account event keeps the status as it was and its note the old and new
    account, masked but for the last four digits."""

    seller = models.ForeignKey(Seller, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(
        _("kind"), max_length=20, choices=SellerEventKind.choices, default=SellerEventKind.STATUS, db_index=True
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=SellerStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=SellerStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    notified_at = models.DateTimeField(
        _("email sent"), null=True, blank=True, help_text=_("Set once the applicant has been told by email.")
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pesantren status event")
        verbose_name_plural = _("pesantren status history")

    def __str__(self):
        return f"{self.seller}: {self.from_status or '-'} → {self.to_status}"

    @property
    def label(self) -> str:
        """What happened, for the history lists: the new status, or the kind of change."""
        if self.kind == SellerEventKind.STATUS:
            return self.get_to_status_display()
        return self.get_kind_display()


class SellerTransitionError(TransitionNotAllowed):
    """Raised when a status change is not allowed from the seller's current status."""


SELLER_MACHINE = StateMachine(
    model=Seller,
    transitions={
        SellerStatus.APPLIED: {SellerStatus.VERIFIED, SellerStatus.REJECTED, SellerStatus.CHANGES_REQUESTED},
        SellerStatus.CHANGES_REQUESTED: {SellerStatus.APPLIED, SellerStatus.REJECTED},
        SellerStatus.REJECTED: set(),
        SellerStatus.VERIFIED: {SellerStatus.SUSPENDED},
        SellerStatus.SUSPENDED: {SellerStatus.VERIFIED},
    },
    event_model=SellerEvent,
    event_fk="seller",
    default_kind=SellerEventKind.STATUS,
    error=SellerTransitionError,
    message=lambda seller, from_status, to_status: (
        gettext("The pesantren's status cannot change from %(from)s to %(to)s.")
        % {"from": SellerStatus(from_status).label, "to": SellerStatus(to_status).label}
    ),
)


from sellers.team_models import TeamInvitation, TeamMembership, TeamRole  # noqa: E402,F401
