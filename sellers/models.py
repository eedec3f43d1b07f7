from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sellers.storage import private_storage
from sellers.validators import validate_nspp, validate_whatsapp


class SellerStatus(models.TextChoices):
    APPLIED = "applied", _("Mendaftar")
    CHANGES_REQUESTED = "changes_requested", _("Perlu perbaikan")
    REJECTED = "rejected", _("Ditolak")
    VERIFIED = "verified", _("Terverifikasi")
    SUSPENDED = "suspended", _("Dibekukan")


class Sector(models.TextChoices):
    """OPOP business sectors."""

    FOOD = "food", _("Makanan olahan")
    DRINKS = "drinks", _("Minuman")
    FASHION = "fashion", _("Busana muslim")
    CRAFTS = "crafts", _("Kerajinan")
    AGRICULTURE = "agriculture", _("Pertanian")
    FISHERIES = "fisheries", _("Perikanan")
    LIVESTOCK = "livestock", _("Peternakan")
    HERBAL = "herbal", _("Herbal dan kosmetik")
    SERVICES = "services", _("Jasa")
    OTHER = "other", _("Lainnya")


class SellerQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=SellerStatus.VERIFIED)

    def for_user(self, user):
        return self.filter(partner__users=user)


class Seller(models.Model):
    """A pesantren that sells on the marketplace.

    It is created by an application (status `applied`) and becomes a shop when programme staff
    verify it: that creates its Oscar Partner, whose stock records carry its products.
    Status changes only through `sellers.services`, which records each one as a SellerEvent.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemilik akun"), on_delete=models.PROTECT, related_name="sellers"
    )
    partner = models.OneToOneField(
        "partner.Partner",
        verbose_name=_("mitra Oscar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seller",
    )
    name = models.CharField(_("nama pesantren"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    nspp = models.CharField(
        _("NSPP"),
        max_length=12,
        unique=True,
        validators=[validate_nspp],
        help_text=_("Nomor Statistik Pondok Pesantren dari Kementerian Agama, 12 angka."),
    )
    tagline = models.CharField(_("slogan"), max_length=160, blank=True)
    story = models.TextField(_("kisah pesantren"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="sellers/logos/", blank=True)
    banner = models.ImageField(_("banner"), upload_to="sellers/banners/", blank=True)
    sector = models.CharField(_("sektor OPOP"), max_length=20, choices=Sector.choices, db_index=True)

    address_line = models.CharField(_("alamat"), max_length=255)
    province = models.ForeignKey(
        "regions.Region", verbose_name=_("provinsi"), on_delete=models.PROTECT, related_name="+"
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
    postal_code = models.CharField(_("kode pos"), max_length=5)

    contact_name = models.CharField(_("nama narahubung"), max_length=128)
    whatsapp = models.CharField(_("nomor WhatsApp"), max_length=16, validators=[validate_whatsapp])
    email = models.EmailField(_("email"), blank=True)

    bank_name = models.CharField(_("nama bank"), max_length=64, blank=True)
    bank_account_number = models.CharField(_("nomor rekening"), max_length=32, blank=True)
    bank_account_holder = models.CharField(_("nama pemilik rekening"), max_length=128, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=SellerStatus.choices, default=SellerStatus.APPLIED, db_index=True
    )
    status_reason = models.TextField(_("alasan status"), blank=True)
    status_changed_at = models.DateTimeField(_("status diubah pada"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = SellerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("pesantren")
        verbose_name_plural = _("pesantren")
        permissions = [("review_seller", _("Dapat meninjau dan memverifikasi pesantren"))]
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
    NSPP_CERTIFICATE = "nspp_certificate", _("Piagam/sertifikat NSPP")
    OPERATING_PERMIT = "operating_permit", _("Izin operasional Kemenag")
    BUSINESS_PERMIT = "business_permit", _("NIB / izin usaha")
    OTHER = "other", _("Dokumen lain")


class SellerDocument(models.Model):
    seller = models.ForeignKey(Seller, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("jenis dokumen"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("berkas"), upload_to="sellers/documents/%Y/%m/", storage=private_storage)
    content_type = models.CharField(_("tipe berkas"), max_length=64)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("dokumen pesantren")
        verbose_name_plural = _("dokumen pesantren")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.seller}"


class SellerEvent(models.Model):
    """Audit row for every status change of a Seller: who acted, when and why."""

    seller = models.ForeignKey(Seller, verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("dari status"), max_length=20, choices=SellerStatus.choices, blank=True)
    to_status = models.CharField(_("ke status"), max_length=20, choices=SellerStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelaku"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    notified_at = models.DateTimeField(
        _("email terkirim"), null=True, blank=True, help_text=_("Diisi setelah pemohon diberi tahu lewat email.")
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("riwayat status pesantren")
        verbose_name_plural = _("riwayat status pesantren")

    def __str__(self):
        return f"{self.seller}: {self.from_status or '-'} → {self.to_status}"
