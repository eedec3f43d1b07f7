"""Validators for the licence numbers printed on pesantren products."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HALAL_PATTERN = re.compile(r"^ID\d{10,30}$")
PIRT_PATTERN = re.compile(r"^\d{15,20}$")
BPOM_PATTERN = re.compile(r"^MD\d{9,15}$")
PIRT_VALIDITY_YEARS = 5


def normalise_licence_number(value: str) -> str:
    """Upper-case and drop the spaces, dots and dashes people type between the digits."""
    return re.sub(r"[\s.\-/]", "", value or "").upper()


def validate_halal_number(value: str) -> None:
    number = normalise_licence_number(value)
    if number.startswith("KH"):
        raise ValidationError(
            _("KH numbers are old MUI certificates. Enter a BPJPH halal certificate number starting with 'ID'."),
            code="legacy_halal",
        )
    if not HALAL_PATTERN.match(number):
        raise ValidationError(
            _("A BPJPH halal certificate number starts with 'ID' followed by digits, for example ID32110000123450124."),
            code="invalid_halal",
        )


def validate_pirt_number(value: str) -> None:
    if not PIRT_PATTERN.match(normalise_licence_number(value)):
        raise ValidationError(_("A P-IRT number has 15 or more digits."), code="invalid_pirt")


def validate_bpom_number(value: str) -> None:
    if not BPOM_PATTERN.match(normalise_licence_number(value)):
        raise ValidationError(
            _(
                "A domestic BPOM distribution permit number starts with 'MD' followed by digits, "
                "for example MD 224510001234."
            ),
            code="invalid_bpom",
        )
