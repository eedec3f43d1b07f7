"""Write-side operations on invoices: issue, record payments (finance or Stripe), card payments.

Lock order: the company row (held by `purchasing.ordering.place_company_order` while issuing), then
the month's InvoiceCounter; for payments the Invoice row, then its card attempts; for credit notes
the SellerOrder (held by the refund's caller), then the Invoice row. Every change of money writes an
InvoiceEvent.
"""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company
from core.locks import lock_invoice
from core.money import format_rupiah, round_rupiah
from core.transitions import record_initial, transition
from fulfilment.models import SellerOrder
from fulfilment.services import split_order
from invoices.models import (
    Invoice,
    InvoiceCardPayment,
    InvoiceCounter,
    InvoiceCredit,
    InvoiceEvent,
    InvoiceEventKind,
    InvoicePayment,
    InvoicePaymentMethod,
    InvoiceSection,
    InvoiceStatus,
)
from invoices.tax import split_ppn
from payments import stripe_api
from payments.intents import (
    check_minimum_charge,
    clean_payment_method_id,
    mirror_intent,
    pay_by_card,
    refuse_wrong_amount,
)
from payments.models import PaymentIntentStatus
from payments.services import UnknownOrderYet
from payments.stripe_api import PaymentError

logger = logging.getLogger(__name__)


class InvoiceNotPayable(PaymentError):
    """The invoice is not open, owes nothing, or is already being paid by card."""


class UnknownInvoiceYet(UnknownOrderYet):
    """A PaymentIntent names an invoice this database does not show (yet): the webhook asks for a retry."""


def ppn_rate() -> Decimal:
    return Decimal(str(settings.MARKETPLACE_PPN_RATE))


def _next_number(issue_date: date) -> str:
    """The next number of the month, INV/2026/11/00042. Call inside a transaction: the counter stays locked
    until it commits, so two invoices never share a number and a rolled-back order leaves no gap."""
    period = f"{issue_date:%Y/%m}"
    InvoiceCounter.objects.bulk_create([InvoiceCounter(period=period)], ignore_conflicts=True)
    counter = InvoiceCounter.objects.select_for_update().get(period=period)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return f"INV/{period}/{counter.last_number:05d}"


@transaction.atomic
def invoice_issue(*, order, company: Company, po_number: str = "") -> Invoice:
    """Issue the invoice of an order placed on invoice. Idempotent: the order's invoice if it has one.

    Called by `place_company_order` in its transaction, with the company row locked. Each pesantren's
    part becomes a section; a VAT-registered pesantren's gross amount is split into DPP and PPN at
    `settings.MARKETPLACE_PPN_RATE`, and that split is kept as issued. `po_number` is the buyer's
    purchase order number, printed on the invoice.
    """
    existing = Invoice.objects.filter(order_id=order.pk).first()
    if existing is not None:
        return existing
    seller_orders = list(SellerOrder.objects.filter(order_id=order.pk).select_related("seller").order_by("pk"))
    if not seller_orders:
        seller_orders = sorted(split_order(order=order), key=lambda so: so.pk)
    issue_date = timezone.localdate()
    terms = company.payment_terms_days
    invoice = Invoice(
        number=_next_number(issue_date),
        company=company,
        order=order,
        issue_date=issue_date,
        due_date=issue_date + timedelta(days=terms),
        payment_terms_days=terms,
        total=round_rupiah(order.total_incl_tax),
        buyer_legal_name=company.legal_name,
        buyer_npwp=company.npwp,
        buyer_address=company.address,
        po_number=po_number,
    )
    invoice.full_clean()
    invoice.save()
    rate = ppn_rate()
    sections = []
    for seller_order in seller_orders:
        seller = seller_order.seller
        section = InvoiceSection(
            invoice=invoice,
            seller_order=seller_order,
            seller_name=seller.name,
            seller_npwp=seller.npwp,
            is_vat_registered=seller.is_vat_registered,
            subtotal=seller_order.subtotal,
            shipping_charge=seller_order.shipping_charge,
        )
        if seller.is_vat_registered:
            split = split_ppn(seller_order.total, rate=rate)
            section.ppn_rate, section.dpp, section.ppn = rate, split.dpp, split.ppn
        sections.append(section)
    InvoiceSection.objects.bulk_create(sections)
    gross = sum((section.gross for section in sections), Decimal(0))
    if gross != invoice.total:
        logger.error("Invoice %s: parts add up to %s, the order total is %s", invoice.number, gross, invoice.total)
    record_initial([invoice], kind=InvoiceEventKind.ISSUED, event_values={"amount": invoice.total})
    return invoice


def _lock(invoice: Invoice) -> Invoice:
    return lock_invoice(invoice.pk)


def _apply_payment(
    invoice: Invoice, *, amount: Decimal, method: str, reference: str, paid_on: date, actor=None
) -> InvoicePayment:
    """Book money against a locked invoice; settle it when nothing is owed any more."""
    payment = InvoicePayment(
        invoice=invoice, amount=amount, method=method, reference=reference, paid_on=paid_on, recorded_by=actor
    )
    # The unique reference is checked below, with a message finance understands.
    payment.full_clean(exclude=["invoice", "recorded_by"], validate_unique=False, validate_constraints=False)
    if InvoicePayment.objects.filter(method=method, reference=reference).exists():
        raise ValidationError(
            _("A payment with reference %(reference)s has already been recorded.") % {"reference": reference}
        )
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError as error:
        raise ValidationError(
            _("A payment with reference %(reference)s has already been recorded.") % {"reference": reference}
        ) from error
    _book_amount(
        invoice,
        field="amount_paid",
        amount=amount,
        kind=InvoiceEventKind.PAYMENT,
        actor=actor,
        note=f"{InvoicePaymentMethod(method).label} {reference}",
    )
    return payment


def _book_amount(invoice: Invoice, *, field: str, amount: Decimal, kind: str, actor, note: str) -> None:
    """Add `amount` to the locked invoice's `field` (paid or credited), record it, and settle the invoice."""
    to_refund_before = invoice.to_refund
    Invoice.objects.filter(pk=invoice.pk).update(**{field: F(field) + amount})
    invoice.refresh_from_db(fields=[field])
    InvoiceEvent.objects.create(invoice=invoice, kind=kind, amount=amount, actor=actor, note=note)
    _settle(invoice, actor=actor, to_refund_before=to_refund_before)


def _settle(invoice: Invoice, *, actor=None, to_refund_before: Decimal = Decimal(0)) -> None:
    """Close a locked open invoice once nothing is owed, and flag money finance must pay back.

    Paid when the company paid what the credited invoice asks for; void when credit notes took off
    everything and nothing was paid. An overpayment (a card payment racing a recorded transfer, or a
    credit note after payment) is recorded as an event with what finance must refund.
    """
    if invoice.status == InvoiceStatus.OPEN and invoice.balance <= 0:
        if invoice.net_total == 0 and invoice.amount_paid == 0:
            transition(invoice, InvoiceStatus.VOID, actor=actor, event_values={"amount": invoice.total})
        else:
            transition(
                invoice,
                InvoiceStatus.PAID,
                actor=actor,
                event_values={"amount": invoice.net_total},
                paid_at=timezone.now(),
            )
    if invoice.to_refund > to_refund_before:
        logger.error("Invoice %s is overpaid by %s", invoice.number, invoice.to_refund)
        InvoiceEvent.objects.create(
            invoice=invoice,
            kind=InvoiceEventKind.OVERPAID,
            amount=invoice.to_refund,
            actor=actor,
            note=_("Finance must pay the company back."),
        )


def invoice_record_payment(
    *,
    invoice: Invoice,
    amount,
    reference: str,
    paid_on: date,
    recorded_by,
    method: str = InvoicePaymentMethod.BANK_TRANSFER,
) -> InvoicePayment:
    """Finance records money received for an invoice (a bank transfer). At most the balance; nothing
    is saved when the amount, reference or date is wrong or the invoice is not open."""
    if isinstance(amount, float):
        raise TypeError("Money must be a Decimal or an int, never a float.")
    amount = Decimal(amount)
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(_("A payment must be more than Rp 0."))
    if amount != amount.to_integral_value():
        raise ValidationError(_("Payments are recorded in whole rupiah."))
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(_("Enter the bank's reference for this transfer."))
    if paid_on is None or paid_on > timezone.localdate():
        raise ValidationError(_("The payment date cannot be in the future."))
    with transaction.atomic():
        invoice = _lock(invoice)
        if invoice.status != InvoiceStatus.OPEN:
            raise ValidationError(
                _("Invoice %(number)s is not open: %(status)s.")
                % {"number": invoice.number, "status": invoice.get_status_display()}
            )
        if amount > invoice.balance:
            raise ValidationError(
                _("At most %(balance)s is still owed on invoice %(number)s.")
                % {"balance": format_rupiah(invoice.balance), "number": invoice.number}
            )
        return _apply_payment(
            invoice, amount=amount, method=method, reference=reference, paid_on=paid_on, actor=recorded_by
        )


# Credit notes: a pesantren's part cancelled or refunded after the invoice was issued.


def _credit_number(invoice: Invoice) -> str:
    """CN/2026/11/00042-1: the invoice's number and the credit note's place on it. Call with the invoice
    locked, so two credit notes of one invoice never take the same number."""
    base = invoice.number.removeprefix("INV/")
    return f"CN/{base}-{invoice.credits.count() + 1}"


def invoice_credit(*, invoice: Invoice, amount, seller_order: SellerOrder, reason: str, actor) -> InvoiceCredit:
    """Take `amount` rupiah of one pesantren's section off the invoice with a credit note.

    The company then owes `total - credits - payments`. At most what is left of the section (its
    gross minus earlier credit notes) can be credited; nothing is saved otherwise. An invoice credited
    in full with nothing paid becomes void; one whose payments now exceed what it asks for is paid and
    shows finance what to refund. Runs in the caller's transaction when there is one (refunding a
    part books the SellerOrder's refund in the same transaction); locks the invoice row.
    """
    if isinstance(amount, float):
        raise TypeError("Money must be a Decimal or an int, never a float.")
    amount = Decimal(amount)
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(_("A credit note must be more than Rp 0."))
    if amount != amount.to_integral_value():
        raise ValidationError(_("Credit notes are in whole rupiah."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for the credit note."))
    with transaction.atomic():
        invoice = _lock(invoice)
        if invoice.status == InvoiceStatus.VOID:
            raise ValidationError(_("Invoice %(number)s is void.") % {"number": invoice.number})
        section = InvoiceSection.objects.filter(invoice=invoice, seller_order_id=seller_order.pk).first()
        if section is None:
            raise ValidationError(
                _("Order %(part)s is not part of invoice %(number)s.")
                % {"part": seller_order.number, "number": invoice.number}
            )
        earlier = InvoiceCredit.objects.filter(invoice=invoice, seller_order_id=seller_order.pk).aggregate(
            amount=Sum("amount"), dpp=Sum("dpp"), ppn=Sum("ppn")
        )
        creditable = section.gross - (earlier["amount"] or 0)
        if amount > creditable:
            raise ValidationError(
                _("At most %(amount)s of %(part)s can still be credited on invoice %(number)s.")
                % {"amount": format_rupiah(creditable), "part": seller_order.number, "number": invoice.number}
            )
        credit = InvoiceCredit(
            number=_credit_number(invoice),
            invoice=invoice,
            seller_order_id=seller_order.pk,
            amount=amount,
            reason=reason,
            created_by=actor,
        )
        if section.is_vat_registered:
            if amount == creditable:
                # The last credit note of a section takes what is left of its DPP and PPN, so the
                # section's credit notes add up exactly to the section as issued.
                credit.dpp = section.dpp - (earlier["dpp"] or 0)
                credit.ppn = section.ppn - (earlier["ppn"] or 0)
            else:
                split = split_ppn(amount, rate=section.ppn_rate)
                credit.dpp, credit.ppn = split.dpp, split.ppn
        credit.full_clean(exclude=["invoice", "seller_order", "created_by"])
        credit.save()
        _book_amount(
            invoice,
            field="amount_credited",
            amount=amount,
            kind=InvoiceEventKind.CREDITED,
            actor=actor,
            note=f"{credit.number} {seller_order.number}: {reason}",
        )
    return credit


# Card payments of an invoice's balance through Stripe.


def _card_payment_in_flight(invoice: Invoice) -> bool:
    """A card attempt Stripe took (or is taking) whose money is not booked yet: paying again would charge twice."""
    booked = InvoicePayment.objects.filter(invoice=invoice, method=InvoicePaymentMethod.CARD).values("reference")
    return (
        invoice.card_payments.filter(status__in=[PaymentIntentStatus.SUCCEEDED, PaymentIntentStatus.PROCESSING])
        .exclude(payment_intent_id__in=booked)
        .exists()
    )


def invoice_start_card_payment(*, invoice: Invoice, payment_method_id: str) -> InvoiceCardPayment:
    """Charge the invoice's balance to a card (a Stripe.js PaymentMethod), as checkout does for orders.

    Returns the attempt (succeeded, processing or requires_action). The payment is booked only when
    Stripe's `payment_intent.succeeded` webhook arrives (`invoice_sync_payment_intent`). A declined
    card keeps its attempt and raises CardDeclined; the next attempt gets a new idempotency key. No
    row lock is held while Stripe is called (`payments.intents.pay_by_card`).
    """
    payment_method_id = clean_payment_method_id(payment_method_id)
    invoice_id, invoice_number = invoice.pk, invoice.number
    in_flight = InvoiceNotPayable(_("A card payment for this invoice is already being processed."))

    def check_payable(invoice: Invoice) -> Decimal:
        if invoice.status != InvoiceStatus.OPEN or invoice.balance <= 0:
            raise InvoiceNotPayable(_("Invoice %(number)s is not awaiting payment.") % {"number": invoice.number})
        if _card_payment_in_flight(invoice):
            raise in_flight
        check_minimum_charge(invoice.balance)
        return invoice.balance

    attempt = pay_by_card(
        lock_payable=lambda: lock_invoice(invoice_id),
        check_payable=check_payable,
        attempts_of=lambda invoice: invoice.card_payments.all(),
        new_attempt=lambda invoice, number, amount: InvoiceCardPayment(invoice=invoice, attempt=number, amount=amount),
        create_intent=lambda attempt: stripe_api.create_and_confirm_invoice_payment_intent(
            invoice_id=invoice_id,
            invoice_number=invoice_number,
            amount=attempt.amount,
            payment_method_id=payment_method_id,
            attempt=attempt.attempt,
        ),
        already_paid=in_flight,
        in_flight=in_flight,
    )
    return attempt


def is_invoice_payment_intent(payment_intent) -> bool:
    """Whether a PaymentIntent (an event's copy will do) pays an invoice rather than an order."""
    data = payment_intent.to_dict() if hasattr(payment_intent, "to_dict") else dict(payment_intent)
    if (data.get("metadata") or {}).get("invoice_id"):
        return True
    return bool(data.get("id")) and InvoiceCardPayment.objects.filter(payment_intent_id=data["id"]).exists()


def _attempt_for(intent, metadata: dict) -> InvoiceCardPayment | None:
    """Our attempt for a PaymentIntent, locked; adopted by its metadata when we never saved its id."""
    attempt = InvoiceCardPayment.objects.select_for_update().filter(payment_intent_id=intent.id).first()
    if attempt is not None:
        return attempt
    invoice_id, number = str(metadata.get("invoice_id") or ""), str(metadata.get("attempt") or "")
    if not (invoice_id.isdigit() and number.isdigit()):
        return None
    attempt, created = InvoiceCardPayment.objects.select_for_update().get_or_create(
        invoice_id=int(invoice_id),
        attempt=int(number),
        defaults={"amount": stripe_api.from_stripe_amount(intent.amount), "payment_intent_id": intent.id},
    )
    if created:
        record_initial([attempt])
    if attempt.payment_intent_id not in ("", intent.id):
        logger.error(
            "Invoice %s attempt %s already has %s, not %s", invoice_id, number, attempt.payment_intent_id, intent.id
        )
        return None
    return attempt


def invoice_sync_payment_intent(*, payment_intent_id: str) -> InvoiceCardPayment | None:
    """Re-fetch a PaymentIntent from Stripe and apply it to its invoice. Safe to call any number of times:
    a success is booked once (one InvoicePayment per PaymentIntent), and the invoice is marked paid when
    nothing is owed any more. None for PaymentIntents that are not an invoice's."""
    intent = stripe_api.retrieve_payment_intent(payment_intent_id)
    metadata = intent.to_dict().get("metadata") or {}
    with transaction.atomic():
        known = InvoiceCardPayment.objects.filter(payment_intent_id=intent.id).values_list("invoice_id", flat=True)
        invoice_id = known.first() or metadata.get("invoice_id")
        if not str(invoice_id or "").isdigit():
            return None
        if not Invoice.objects.filter(pk=int(invoice_id)).exists():
            raise UnknownInvoiceYet(str(invoice_id))
        invoice = lock_invoice(int(invoice_id))
        attempt = _attempt_for(intent, metadata)
        if attempt is None or attempt.invoice_id != invoice.pk:
            return None
        mirror_intent(attempt, intent)
        attempt.save()
        if attempt.status == PaymentIntentStatus.SUCCEEDED:
            _book_card_success(invoice, attempt, intent)
    return attempt


def _book_card_success(invoice: Invoice, attempt: InvoiceCardPayment, intent) -> None:
    if InvoicePayment.objects.filter(method=InvoicePaymentMethod.CARD, reference=intent.id).exists():
        return
    if refuse_wrong_amount(
        attempt,
        intent,
        amount=attempt.amount,
        paying=f"invoice {invoice.number}",
        message=_("Amount does not match the invoice balance; check with finance."),
    ):
        return
    if invoice.status != InvoiceStatus.OPEN:
        logger.error("PaymentIntent %s paid invoice %s, which is %s", intent.id, invoice.number, invoice.status)
    # Stripe took the money: book it even if it now exceeds the balance, so finance sees and refunds it.
    _apply_payment(
        invoice,
        amount=attempt.amount,
        method=InvoicePaymentMethod.CARD,
        reference=intent.id,
        paid_on=timezone.localdate(),
    )
