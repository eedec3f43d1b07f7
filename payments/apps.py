from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _card_payment_page(*, order, request) -> str:
    # The card is entered on checkout's payment page (Stripe.js); the PaymentIntent is made from there.
    return reverse("checkout:pay", kwargs={"order_number": order.number})


def _invoice_card_payment_page(*, invoice, request) -> str:
    return reverse("invoices:pay", kwargs={"pk": invoice.pk})


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("payments")

    def ready(self):
        from core import payment_methods
        from fulfilment.refunds import register_refund_provider
        from payments.refunds import REFUND_PROVIDER
        from payments.stripe_api import card_payments_enabled

        register_refund_provider(REFUND_PROVIDER)
        payment_methods.register(
            payment_methods.PaymentMethod(
                code="card",
                label=_("Credit or debit card"),
                provider="stripe",
                group="card",
                help_text=_("Visa, Mastercard or JCB. Paid at once, with 3-D Secure when your bank asks for it."),
                enabled=card_payments_enabled,
                start_order_payment=_card_payment_page,
                start_invoice_payment=_invoice_card_payment_page,
            )
        )
