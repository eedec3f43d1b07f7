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
