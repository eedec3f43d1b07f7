from django.urls import reverse


def order_status_url(order, request) -> str:
    if order.user_id is not None:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse("checkout:thank-you")
