import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct

from catalogue.validators import (
    PIRT_VALIDITY_YEARS,
    normalise_licence_number,
    validate_bpom_number,
    validate_halal_number,
    validate_pirt_number,
)


class SalesUnit(models.TextChoices):
    PIECE = "pcs", _("pcs")
    PACK = "pak", _("pak")
    BOTTLE = "botol", _("botol")
    BOX = "kotak", _("kotak")
    KILOGRAM = "kg", _("kg")
    SACK = "karung", _("karung")
    DOZEN = "lusin", _("lusin")


class Product(AbstractProduct):
    """A pesantren product, with the licences Indonesian food and goods must carry.

    Which pesantren makes a product is told by its stock record's partner, as Oscar intends.
    """

    weight_grams = models.PositiveIntegerField(
        _("berat (gram)"),
        null=True,
        blank=True,
        help_text=_("Berat kirim satu unit, dipakai untuk menghitung ongkos kirim."),
    )
    unit = models.CharField(_("satuan"), max_length=16, choices=SalesUnit.choices, default=SalesUnit.PIECE)

    halal_number = models.CharField(
        _("nomor sertifikat halal"),
        max_length=40,
        blank=True,
        validators=[validate_halal_number],
        help_text=_("Sertifikat halal BPJPH, diawali 'ID'."),
    )
    halal_expiry = models.DateField(_("halal berlaku sampai"), null=True, blank=True)
    pirt_number = models.CharField(
        _("nomor P-IRT"),
        max_length=30,
        blank=True,
        validators=[validate_pirt_number],
        help_text=_("Izin produksi pangan industri rumah tangga, 15 angka atau lebih, berlaku 5 tahun."),
    )
    pirt_expiry = models.DateField(_("P-IRT berlaku sampai"), null=True, blank=True)
    bpom_number = models.CharField(
        _("nomor BPOM"),
        max_length=30,
        blank=True,
        validators=[validate_bpom_number],
        help_text=_("Izin edar BPOM produk dalam negeri, diawali 'MD'."),
    )
    bpom_expiry = models.DateField(_("BPOM berlaku sampai"), null=True, blank=True)

    class Meta(AbstractProduct.Meta):
        pass

    def clean(self):
        super().clean()
        errors = {}
        for field in ("halal", "pirt", "bpom"):
            number_field, expiry_field = f"{field}_number", f"{field}_expiry"
            number = normalise_licence_number(getattr(self, number_field))
            setattr(self, number_field, number)
            if number and not getattr(self, expiry_field):
                errors[expiry_field] = _("Isi tanggal berlaku untuk nomor izin ini.")
        if self.pirt_expiry:
            latest = timezone.localdate() + datetime.timedelta(days=365 * PIRT_VALIDITY_YEARS + 2)
            if self.pirt_expiry > latest:
                errors["pirt_expiry"] = _("P-IRT berlaku paling lama 5 tahun.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_halal_certified(self) -> bool:
        return bool(self.halal_number) and not _expired(self.halal_expiry)

    def licences(self):
        """The product's licences for display: (label, number, expiry, expired)."""
        rows = [
            (_("Halal BPJPH"), self.halal_number, self.halal_expiry),
            (_("P-IRT"), self.pirt_number, self.pirt_expiry),
            (_("BPOM"), self.bpom_number, self.bpom_expiry),
        ]
        return [(label, number, expiry, _expired(expiry)) for label, number, expiry in rows if number]


def _expired(expiry) -> bool:
    return expiry is not None and expiry < timezone.localdate()


from oscar.apps.catalogue.models import *  # noqa: E402,F403
