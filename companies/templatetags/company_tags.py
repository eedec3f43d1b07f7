"""Template helpers of the off-taker account pages and the site header."""

from django import template

from companies.access import is_member_of_any_company
from companies.models import MembershipRole
from core.identifiers import format_npwp

register = template.Library()


register.filter("npwp", format_npwp)


@register.filter
def role_label(value: str) -> str:
    """The translated name of a membership role stored in an event's data."""
    try:
        return MembershipRole(value).label
    except ValueError:
        return value


@register.simple_tag(takes_context=True)
def is_company_member(context) -> bool:
    """Whether the signed-in user belongs to an off-taker company; asked once per request by the header."""
    request = context.get("request")
    if request is None:
        return False
    if not hasattr(request, "_is_company_member"):
        # Normally known already: the pricing strategy (partner/strategy.py) reads it with the company.
        request._is_company_member = is_member_of_any_company(getattr(request, "user", None))
    return request._is_company_member
