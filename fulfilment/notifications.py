"""Emails of the fulfilment pipeline, rendered in Indonesian."""

from urllib.parse import quote

from django.conf import settings
from oscar.core.loading import get_model

from core.notifications import send_templated_email

Order = get_model("order", "Order")


def _send(template: str, context: dict, recipients: list[str]) -> None:
    send_templated_email(f"fulfilment/emails/{template}", context, recipients)


def seller_whatsapp_message_url(seller_order) -> str:
    """A wa.me link the dashboard shows, so staff can message the pesantren about a new order."""
    text = f"Pesanan baru {seller_order.number} di Pasar Pesantren: {settings.MARKETPLACE_SITE_URL}/dashboard/"
    return f"https://wa.me/{seller_order.seller.whatsapp}?text={quote(text)}"


def seller_order_paid_to_seller(seller_order) -> None:
    seller = seller_order.seller
    lines = list(seller_order.lines().select_related("product"))
    _send(
        "seller_order_paid",
        {"seller_order": seller_order, "seller": seller, "lines": lines},
        [seller.email or seller.owner.email],
    )


def acceptance_reminder_to_seller(seller_order) -> None:
    seller = seller_order.seller
    _send("acceptance_reminder", {"seller_order": seller_order, "seller": seller}, [seller.email or seller.owner.email])


def ship_by_reminder_to_seller(seller_order) -> None:
    seller = seller_order.seller
    _send("ship_by_reminder", {"seller_order": seller_order, "seller": seller}, [seller.email or seller.owner.email])


def order_paid_to_customer(order_id: int) -> None:
    order = Order.objects.select_related("user").get(pk=order_id)
    seller_orders = list(order.seller_orders.select_related("seller"))
    _send("order_paid", {"order": order, "seller_orders": seller_orders}, [order.email])
