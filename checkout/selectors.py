from django.urls import reverse
from oscar.core.loading import get_model

Order = get_model("order", "Order")


def order_for_payment(*, request, order_number: str):
    """The order if this visitor placed it: its signed-in owner, or the guest whose session placed it."""
    order = Order.objects.select_related("user").filter(number=order_number).first()
    if order is None:
        return None
    if order.user_id is not None:
        return order if request.user.is_authenticated and request.user.pk == order.user_id else None
    return order if request.session.get("checkout_order_id") == order.pk else None


def order_status_url(order, request) -> str:
    if order.user_id is not None:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse("checkout:thank-you")
