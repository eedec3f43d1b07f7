from oscar.core.loading import get_model

from payments.models import CardPayment

Order = get_model("order", "Order")


def order_for_payment_status(*, number: str, user, session_order_id: int | None):
    """The order a visitor may watch: their own, or the one this browser session just placed."""
    order = Order.objects.filter(number=number).first()
    if order is None:
        return None
    if user.is_authenticated and order.user_id == user.pk:
        return order
    if session_order_id is not None and str(order.pk) == str(session_order_id):
        return order
    return None


def latest_card_payment(*, order) -> CardPayment | None:
    return order.card_payments.order_by("-attempt").first()
