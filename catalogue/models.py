import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractCategory, AbstractProduct, AbstractProductAttributeValue

from catalogue.validators import (
    PIRT_VALIDITY_YEARS,
    normalise_licence_number,
    validate_bpom_number,
    validate_halal_number,
    validate_pirt_number,
)
from core.html import sanitise_rich_text


class SalesUnit(models.TextChoices):
    PIECE = "pcs", _("pcs")
    PACK = "pak", _("pack")
    BOTTLE = "botol", _("bottle")
    BOX = "kotak", _("box")
    KILOGRAM = "kg", _("kg")
    SACK = "karung", _("sack")
    DOZEN = "lusin", _("dozen")


class Product(AbstractProduct):
    """A pesantren product, with the licences Indonesian food and goods must carry.

    Which pesantren makes a product is told by its stock record's partner, as Oscar intends.
    """

    weight_grams = models.PositiveIntegerField(
        _("weight (grams)"),
        null=True,
        blank=True,
        help_text=_("Shipping weight of one unit, used to calculate the shipping cost."),
    )
    unit = models.CharField(_("unit"), max_length=16, choices=SalesUnit.choices, default=SalesUnit.PIECE)

    halal_number = models.CharField(
        _("halal certificate number"),
        max_length=40,
        blank=True,
        validators=[validate_halal_number],
        help_text=_("BPJPH halal certificate, starting with 'ID'."),
    )
    halal_expiry = models.DateField(_("halal valid until"), null=True, blank=True)
    pirt_number = models.CharField(
        _("P-IRT number"),
        max_length=30,
        blank=True,
        validators=[validate_pirt_number],
        help_text=_("Home-industry food production permit, 15 or more digits, valid for 5 years."),
    )
    pirt_expiry = models.DateField(_("P-IRT valid until"), null=True, blank=True)
    bpom_number = models.CharField(
        _("BPOM number"),
        max_length=30,
        blank=True,
        validators=[validate_bpom_number],
        help_text=_("BPOM distribution permit for a domestic product, starting with 'MD'."),
    )
    bpom_expiry = models.DateField(_("BPOM valid until"), null=True, blank=True)

    # Denormalised from the product's latest finalised curation (curation.services writes them, nothing
    # else does), so listing cards show the stars without a query of their own.
    curation_stars = models.PositiveSmallIntegerField(
        _("curation stars"), default=0, help_text=_("Stars of the latest curation, 0 when never curated.")
    )
    curation_stars_until = models.DateField(_("curation stars valid until"), null=True, blank=True)

    class Meta(AbstractProduct.Meta):
        pass

    def save(self, *args, **kwargs):
        # Every writer (dashboard form, CSV import, admin, shell) goes through here: the description
        # is a pesantren's rich text, shown to consumers.
        self.description = sanitise_rich_text(self.description)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        for field in ("halal", "pirt", "bpom"):
            number_field, expiry_field = f"{field}_number", f"{field}_expiry"
            number = normalise_licence_number(getattr(self, number_field))
            setattr(self, number_field, number)
            if number and not getattr(self, expiry_field):
                errors[expiry_field] = _("Enter the expiry date of this licence number.")
        if self.pirt_expiry:
            latest = timezone.localdate() + datetime.timedelta(days=365 * PIRT_VALIDITY_YEARS + 2)
            if self.pirt_expiry > latest:
                errors["pirt_expiry"] = _("A P-IRT is valid for at most 5 years.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_halal_certified(self) -> bool:
        return bool(self.halal_number) and not _expired(self.halal_expiry)

    @property
    def current_curation_stars(self) -> int:
        """The curation stars still valid today; 0 once they have expired (they stop showing)."""
        if not self.curation_stars or self.curation_stars_until is None:
            return 0
        return self.curation_stars if self.curation_stars_until >= timezone.localdate() else 0

    def licences(self):
        """The product's licences for display: (label, number, expiry, expired)."""
        rows = [
            (_("Halal BPJPH"), self.halal_number, self.halal_expiry),
            (_("P-IRT"), self.pirt_number, self.pirt_expiry),
            (_("BPOM"), self.bpom_number, self.bpom_expiry),
        ]
        return [(label, number, expiry, _expired(expiry)) for label, number, expiry in rows if number]


class Category(AbstractCategory):
    """Oscar's category, whose rich-text descriptions are sanitised on every save."""

    def save(self, *args, **kwargs):
        self.description = sanitise_rich_text(self.description)
        self.long_description = sanitise_rich_text(self.long_description)
        super().save(*args, **kwargs)


class ProductAttributeValue(AbstractProductAttributeValue):
    """Oscar's attribute value; a rich-text value is a pesantren's markup, so it is sanitised when set and shown."""

    def _set_value(self, new_value):
        if self.attribute.type == self.attribute.RICHTEXT and isinstance(new_value, str):
            new_value = sanitise_rich_text(new_value)
        super()._set_value(new_value)

    value = property(AbstractProductAttributeValue._get_value, _set_value)

    @property
    def _richtext_as_html(self):
        # Oscar marks the stored value safe as it is; sanitise again in case a row skipped _set_value.
        return mark_safe(sanitise_rich_text(self.value_richtext))  # noqa: S308 - sanitised just now


def _expired(expiry) -> bool:
    return expiry is not None and expiry < timezone.localdate()


from oscar.apps.catalogue.models import *  # noqa: E402,F403
