import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Migrations name this path (sellers 0001); the NSPP rules live in core.identifiers.
from core.identifiers import validate_nspp  # noqa: F401


def normalise_whatsapp(value: str) -> str:
    """Indonesian mobile numbers in the international form WhatsApp links need: 628…"""
    digits = re.sub(r"[^\d+]", "", value or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits


def validate_whatsapp(value: str) -> None:
    if not re.match(r"^628\d{7,11}$", normalise_whatsapp(value)):
        raise ValidationError(
            _("Enter a valid Indonesian WhatsApp number, for example 0812 3456 7890."), code="invalid_whatsapp"
        )


# Browsers report whatever content type the file name suggests, so the type is read from the
# file's first bytes instead.
_DOCUMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def detect_document_type(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    for signature, content_type in _DOCUMENT_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def validate_document(uploaded) -> str:
    """Check an uploaded document's size and real type; returns the detected content type."""
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    limit = settings.MARKETPLACE_APPLICATION_DOCUMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The maximum is %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    content_type = detect_document_type(uploaded)
    if content_type not in settings.MARKETPLACE_APPLICATION_DOCUMENT_TYPES:
        raise ValidationError(_("Upload a PDF, JPEG or PNG file."), code="file_type")
    return content_type
