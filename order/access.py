"""May this visitor see this order? The one rule for every page of a placed order outside the account.

The card payment page, its status poll and the bank-transfer page show an order to its signed-in
owner only; a guest's order (no owner) to the browser session that placed it (checkout stores the
order's id in the session as `checkout_order_id`). Anyone else gets None, so views answer 404.
"""

from django.db.models import QuerySet
from oscar.core.loading import get_model

Order = get_model("order", "Order")
SESSION_KEY = "checkout_order_id"


def may_see_order(*, order, request) -> bool:
    user = getattr(request, "user", None)
    if order.user_id is not None:
        return bool(user is not None and user.is_authenticated and user.pk == order.user_id)
    placed_here = request.session.get(SESSION_KEY)
    return placed_here is not None and str(placed_here) == str(order.pk)


def order_for_visitor(*, request, number: str, queryset: QuerySet | None = None):
    """The order `number` if this visitor may see it (see may_see_order), else None."""
    queryset = Order.objects.all() if queryset is None else queryset
    order = queryset.filter(number=number).first()
    if order is None or not may_see_order(order=order, request=request):
        return None
    return order
