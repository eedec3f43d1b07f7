from django import template

from programme.access import scope_for

register = template.Library()


@register.simple_tag(takes_context=True)
def programme_scope(context):
    """The signed-in user's programme scope (programme/access.py), for menus and tabs."""
    request = context.get("request")
    return scope_for(getattr(request, "user", None))
