import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[.\-\s]")


def normalise_npwp(value: str) -> str:
    """NPWP is often written 01.234.567.8-901.000; we store digits only so uniqueness holds across spellings."""
    return _SEPARATORS.sub("", value or "")


def validate_npwp(value: str) -> None:
    digits = normalise_npwp(value)
    if not digits.isdigit() or len(digits) not in (15, 16):
        raise ValidationError(
            _("Enter a valid NPWP: 15 digits (old format) or 16 digits (NIK-based format)."), code="invalid_npwp"
        )


def format_npwp(value: str) -> str:
    """Print a stored NPWP the way tax documents do: 01.234.567.8-901.000 (16-digit numbers stay plain)."""
    digits = normalise_npwp(value)
    if len(digits) != 15:
        return digits
    return f"{digits[:2]}.{digits[2:5]}.{digits[5:8]}.{digits[8]}-{digits[9:12]}.{digits[12:]}"
