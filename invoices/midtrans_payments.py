"""An off-taker pays an invoice's balance by virtual account through Midtrans.

Registered with `midtrans.services.register_purpose` in InvoicesConfig.ready: a charge for an
invoice is `INV-2026-11-00042-<attempt>` at Midtrans, and its verified settlement books an
InvoicePayment (method virtual account, the charge's Midtrans order id as its unique reference)
exactly as finance recording a transfer does, which settles the invoice when nothing is owed.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import lock_invoice
from invoices.models import Invoice, InvoicePayment, InvoicePaymentMethod, InvoiceStatus
from invoices.services import _apply_payment
from midtrans.services import ChargeNotPossible, Purpose, register_purpose, start_charge

PURPOSE = "invoice"


def _amount_due(invoice: Invoice) -> Decimal:
    if invoice.status != InvoiceStatus.OPEN or invoice.balance <= 0:
        raise ChargeNotPossible(_("Invoice %(number)s is not awaiting payment.") % {"number": invoice.number})
    return invoice.balance


def _customer(invoice: Invoice) -> dict:
    return {"first_name": invoice.company.legal_name[:50], "email": invoice.company.contact_email or ""}


def _settled(invoice: Invoice, charge) -> None:
    """Book the money of a settled charge on the locked invoice, once."""
    if InvoicePayment.objects.filter(
        method=InvoicePaymentMethod.VIRTUAL_ACCOUNT, reference=charge.midtrans_order_id
    ).exists():
        return
    # Midtrans took the money: book it even beyond the balance, so finance sees what to give back.
    _apply_payment(
        invoice,
        amount=charge.amount,
        method=InvoicePaymentMethod.VIRTUAL_ACCOUNT,
        reference=charge.midtrans_order_id,
        paid_on=timezone.localdate(),
    )


def register() -> None:
    register_purpose(
        PURPOSE,
        Purpose(
            lock=lock_invoice,
            amount_due=_amount_due,
            order_id_prefix=lambda invoice: invoice.number.replace("/", "-"),
            customer=_customer,
            on_settled=_settled,
            on_expired=lambda invoice, charge: None,  # the invoice stays open; pay again or by transfer
        ),
    )


def start_invoice_virtual_account(*, invoice, method_code: str):
    return start_charge(purpose=PURPOSE, payable_id=invoice.pk, method_code=method_code)


def virtual_account_page(invoice) -> str:
    return reverse("invoices:virtual-account", kwargs={"pk": invoice.pk})
