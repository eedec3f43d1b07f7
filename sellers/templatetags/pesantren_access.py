"""What the dashboard shows a pesantren's staff, decided by sellers.access."""

from django import template

from sellers.access import is_read_only, seller_for_user, suspended_message

register = template.Library()


def _request_user(context):
    request = context.get("request")
    return getattr(request, "user", None)


@register.inclusion_tag("sellers/dashboard/includes/suspended_banner.html", takes_context=True)
def pesantren_suspended_banner(context) -> dict:
    """The banner of every dashboard page of a suspended pesantren (nothing for anyone else)."""
    seller = seller_for_user(user=_request_user(context))
    if not is_read_only(seller):
        return {"seller": None}
    return {"seller": seller, "message": suspended_message()}
