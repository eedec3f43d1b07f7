from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicesConfig(AppConfig):
    name = "invoices"
    verbose_name = _("Invoices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from invoices.services import invoice_sync_payment_intent, is_invoice_payment_intent
        from payments.webhooks import register_payment_intent_owner

        # An off-taker paying an invoice's balance by card: the invoice books it, not an order.
        register_payment_intent_owner(owns=is_invoice_payment_intent, sync=invoice_sync_payment_intent)
