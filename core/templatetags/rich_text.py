from django import template
from django.utils.safestring import mark_safe

from core.html import sanitise_rich_text

register = template.Library()


@register.filter(is_safe=True)
def sanitised(value) -> str:
    """Tenant rich text for a page: sanitised again at render, in case a row skipped the save-time pass."""
    return mark_safe(sanitise_rich_text(value))  # noqa: S308 - the allow-list sanitiser just ran
