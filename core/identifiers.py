"""Indonesian identifiers: the one place that reads, checks and prints NPWP, NSPP and NIB.

Every identifier is stored compact (ASCII digits only) so that uniqueness holds however people
type it ("01.234.567.4-901.000", "012345674901000", "0123 4567 4901 000" are one NPWP). Each
has a `compact_*` function (what is stored), a Django validator (`validate_*`, usable on model
and form fields) and, for NPWP, `format_npwp` for pages and PDFs. Product licence numbers
(halal, P-IRT, BPOM) belong to the catalogue and stay in catalogue/validators.py.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.id import npwp as stdnum_npwp

# Dots, dashes and any whitespace people (and copy-paste from PDFs: no-break spaces) put between digits.
_SEPARATORS = re.compile(r"[.\-\s]")
# str.isdigit() also accepts Arabic-Indic and other Unicode digits, which no tax office issues.
_ASCII_DIGITS = re.compile(r"[0-9]+")

NSPP_PATTERN = re.compile(r"51[0-9]{10}")
NIB_LENGTH = 13


def _compact(value) -> str:
    return _SEPARATORS.sub("", value or "")


def _is_ascii_digits(value: str) -> bool:
    return _ASCII_DIGITS.fullmatch(value) is not None


# --- NPWP (Nomor Pokok Wajib Pajak) ------------------------------------------------------------------


def compact_npwp(value) -> str:
    """The NPWP as stored: digits only, 15 (old format) or 16 (since 2024: a NIK, or 0 + the old 15)."""
    return _compact(value)


def validate_npwp(value) -> None:
    """Django validator: a 15- or 16-digit NPWP whose check digit (or, for a NIK, date and region) holds."""
    number = compact_npwp(value)
    if not _is_ascii_digits(number) or len(number) not in (15, 16):
        raise ValidationError(
            _("Enter a valid NPWP: 15 digits (old format) or 16 digits (NIK-based format)."), code="invalid_npwp"
        )
    try:
        stdnum_npwp.validate(number)
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("This NPWP is not valid: its check digit does not match. Check the number for a typing error."),
            code="invalid_npwp_checksum",
        ) from None


def is_valid_npwp(value) -> bool:
    try:
        validate_npwp(value)
    except ValidationError:
        return False
    return True


def format_npwp(value) -> str:
    """Print a stored NPWP the way tax documents do: 01.234.567.4-901.000; 16-digit numbers stay plain."""
    number = compact_npwp(value)
    if len(number) != 15 or not _is_ascii_digits(number):
        return number
    return stdnum_npwp.format(number)


# --- NSPP (Nomor Statistik Pondok Pesantren, Ministry of Religious Affairs) ----------------------------


def compact_nspp(value) -> str:
    return _compact(value)


def validate_nspp(value) -> None:
    """Django validator: 12 digits, starting with 51 for pondok pesantren (the NSPP has no check digit)."""
    if NSPP_PATTERN.fullmatch(compact_nspp(value)) is None:
        raise ValidationError(
            _("An NSPP has 12 digits and starts with 51, for example 510032040001."), code="invalid_nspp"
        )


# --- NIB (Nomor Induk Berusaha, issued by OSS) -------------------------------------------------------


def compact_nib(value) -> str:
    return _compact(value)


def validate_nib(value) -> None:
    """Django validator: the 13 digits OSS prints on a business identification number (no check digit)."""
    number = compact_nib(value)
    if not _is_ascii_digits(number) or len(number) != NIB_LENGTH:
        raise ValidationError(_("A NIB has 13 digits, for example 9120001234567."), code="invalid_nib")
