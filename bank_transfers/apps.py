from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _start_bank_transfer(*, order, request) -> str:
    from bank_transfers.services import start_bank_transfer

    transfer = start_bank_transfer(order=order)
    return reverse("bank_transfers:detail", kwargs={"order_number": transfer.order.number})


class BankTransfersConfig(AppConfig):
    name = "bank_transfers"
    verbose_name = _("bank transfers")

    def ready(self):
        from core import payment_methods

        payment_methods.register(
            payment_methods.PaymentMethod(
                code="bank_transfer",
                label=_("Bank transfer"),
                provider="manual",
                group="bank_transfer",
                help_text=_(
                    "Transfer the exact amount shown to our bank account and upload the proof. "
                    "Your order ships once finance confirms it."
                ),
                start_order_payment=_start_bank_transfer,
            )
        )
