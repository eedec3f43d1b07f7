from payments.models import CardPayment


def latest_card_payment(*, order) -> CardPayment | None:
    return order.card_payments.order_by("-attempt").first()
