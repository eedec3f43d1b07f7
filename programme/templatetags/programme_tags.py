from django import template
from django.urls import reverse

from programme.access import home_url_name, scope_for

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_scope(context):
    """The signed-in user's programme scope (programme/access.py), for menus and tabs."""
    request = context.get("request")
    return scope_for(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def programme_home_url(context):
    """The address of the signed-in user's first programme page (programme/access.py picks it by role)."""
    request = context.get("request")
    return reverse(home_url_name(scope_for(getattr(request, "user", None))))
