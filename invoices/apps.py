from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicesConfig(AppConfig):
    name = "invoices"
    verbose_name = _("Invoices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from invoices.refunds import refund_by_credit_note
        from invoices.services import invoice_sync_payment_intent, is_invoice_payment_intent
        from payments.refunds import register_refund_method
        from payments.webhooks import register_payment_intent_owner

        # An off-taker paying an invoice's balance by card: the invoice books it, not an order.
        register_payment_intent_owner(owns=is_invoice_payment_intent, sync=invoice_sync_payment_intent)
        # Nobody paid an invoiced order up front, so a refund of one of its parts is a credit note.
        register_refund_method(refund_by_credit_note)
        # Paying the balance by virtual account through Midtrans.
        from invoices.midtrans_payments import register as register_midtrans

        register_midtrans()
