from django import template

from core.identifiers import format_npwp
from invoices.pdf import rate_label

register = template.Library()


register.filter("npwp", format_npwp)


@register.filter
def percent(rate) -> str:
    """0.1100 → 11%."""
    return rate_label(rate) if rate is not None else ""
