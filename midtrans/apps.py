import functools

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _start_order_payment(*, order, request, method_code: str) -> str:
    """Right after an order paid through Midtrans is placed: open its charge, then show it."""
    from django.contrib import messages

    from midtrans.client import MidtransError
    from midtrans.services import pay_page_url, start_order_charge

    try:
        start_order_charge(
            order=order, method_code=method_code, callback_url=request.build_absolute_uri(pay_page_url(order))
        )
    except MidtransError as error:
        # The order stands (its stock is reserved); the page offers to try again.
        messages.error(request, str(error))
    return pay_page_url(order)


def _start_invoice_payment(*, invoice, request, method_code: str) -> str:
    """An off-taker pays an invoice's balance by virtual account: open the charge, then show it.

    Invoices (above this app) registers what paying an invoice books (`register_purpose`)."""
    from django.contrib import messages
    from django.urls import reverse

    from midtrans.client import MidtransError
    from midtrans.services import start_charge

    try:
        start_charge(purpose="invoice", payable_id=invoice.pk, method_code=method_code)
    except MidtransError as error:
        messages.error(request, str(error))
    return reverse("invoices:virtual-account", kwargs={"pk": invoice.pk})


class MidtransConfig(AppConfig):
    name = "midtrans"
    verbose_name = _("Midtrans payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import payment_methods
        from fulfilment.tasks import register_unpaid_order_keeper
        from midtrans.methods import HELP_TEXTS, METHODS
        from midtrans.services import midtrans_enabled, orders_kept_unpaid_by_midtrans, refund_through_midtrans
        from payments.refunds import register_refund_method

        for sort, method in enumerate(METHODS.values()):
            payment_methods.register(
                payment_methods.PaymentMethod(
                    code=method.code,
                    label=method.label,
                    provider="midtrans",
                    group=method.group,
                    sort=sort,
                    help_text=HELP_TEXTS[method.kind],
                    enabled=midtrans_enabled,
                    start_order_payment=functools.partial(_start_order_payment, method_code=method.code),
                    start_invoice_payment=(
                        functools.partial(_start_invoice_payment, method_code=method.code)
                        if method.pays_invoices
                        else None
                    ),
                )
            )
        register_refund_method(refund_through_midtrans)
        register_unpaid_order_keeper(orders_kept_unpaid_by_midtrans)
