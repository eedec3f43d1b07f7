"""The `currency` filter of every template: `{% load money %}`, and Oscar's `currency_filters` too
(marketplace/apps.py puts this filter into Oscar's library)."""

from django import template
from oscar.templatetags import currency_filters as oscar_currency_filters

from core.money import format_rupiah

register = template.Library()


@register.filter(name="currency")
def currency(value, currency=None):
    if currency not in (None, "", "IDR"):
        # Only rupiah is sold here; a foreign amount (none today) keeps Oscar's formatting.
        return oscar_currency_filters.currency(value, currency)
    return format_rupiah(value)
