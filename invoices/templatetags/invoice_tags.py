from django import template

from invoices.pdf import rate_label
from offtakers.validators import format_npwp

register = template.Library()


@register.filter
def npwp(value) -> str:
    return format_npwp(value or "")


@register.filter
def percent(rate) -> str:
    """0.1100 → 11%."""
    return rate_label(rate) if rate is not None else ""
