"""Invoice reminders and card-payment reconciliation. Tasks re-read state and are safe to run twice."""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from bank_transfers.services import marketplace_bank_account
from core import outbox
from core.notifications import send_once, send_templated_email
from fulfilment.tasks import RETRY
from invoices.models import (
    Invoice,
    InvoiceCardPayment,
    InvoiceEvent,
    InvoiceEventKind,
    InvoicePayment,
    InvoicePaymentMethod,
    InvoiceStatus,
)
from invoices.selectors import reminder_candidates, reminder_recipients
from invoices.services import invoice_sync_payment_intent
from payments.models import PaymentIntentStatus
from payments.stripe_api import PaymentProviderUnavailable

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 3
# Days past due on which the company is reminded again.
OVERDUE_STEPS = (1, 7, 14)


def reminder_step(*, due_date: date, today: date) -> str | None:
    """Which reminder an open invoice is due for today: "due-soon", "overdue-1", "overdue-7", "overdue-14".

    A run that was missed for a few days sends only the latest step reached, never a backlog.
    """
    days_overdue = (today - due_date).days
    reached = [step for step in OVERDUE_STEPS if days_overdue >= step]
    if reached:
        return f"overdue-{reached[-1]}"
    if -DUE_SOON_DAYS <= days_overdue <= 0:
        return "due-soon"
    return None


def send_invoice_reminder(*, invoice_id: int, today: date) -> bool:
    """Mail the company about one invoice, once per reminder step. True when a mail went out."""
    invoice = Invoice.objects.select_related("company").filter(pk=invoice_id, status=InvoiceStatus.OPEN).first()
    # Credit notes may have taken off everything still owed: nothing to remind of.
    if invoice is None or invoice.balance <= 0:
        return False
    step = reminder_step(due_date=invoice.due_date, today=today)
    if step is None:
        return False
    recipients = reminder_recipients(invoice=invoice)
    context = {
        "invoice": invoice,
        "company": invoice.company,
        "overdue": step.startswith("overdue"),
        "days_overdue": max((today - invoice.due_date).days, 0),
        "days_to_due": max((invoice.due_date - today).days, 0),
        "url": reverse("invoices:detail", kwargs={"pk": invoice.pk}),
        "bank": marketplace_bank_account(),
    }

    def send():
        send_templated_email("invoices/emails/reminder", context, recipients)
        InvoiceEvent.objects.create(
            invoice=invoice, kind=InvoiceEventKind.REMINDER, note=f"{step}: {', '.join(recipients)}"
        )

    return send_once(key=f"invoice-{invoice.pk}-reminder-{step}", send=send)


@shared_task(**RETRY)
def send_overdue_reminders() -> int:
    """Daily: remind companies of invoices due in a few days and of overdue ones (day 1, 7 and 14)."""
    today = timezone.localdate()
    sent = 0
    for invoice_id in reminder_candidates(today=today, days_before_due=DUE_SOON_DAYS).values_list("pk", flat=True):
        sent += send_invoice_reminder(invoice_id=invoice_id, today=today)
    return sent


@shared_task(
    autoretry_for=(PaymentProviderUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_kwargs={"max_retries": 8},
)
def sync_invoice_payment_intent_task(payment_intent_id: str) -> None:
    invoice_sync_payment_intent(payment_intent_id=payment_intent_id)


@shared_task
def reconcile_invoice_card_payments(older_than_minutes: int = 10) -> int:
    """Re-fetch card attempts on still-open invoices, for webhooks that never arrived."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    payment_intent_ids = list(
        InvoiceCardPayment.objects.filter(
            created_at__lt=cutoff,
            invoice__status=InvoiceStatus.OPEN,
            status__in=[
                PaymentIntentStatus.SUCCEEDED,
                PaymentIntentStatus.PROCESSING,
                PaymentIntentStatus.REQUIRES_ACTION,
            ],
        )
        .exclude(payment_intent_id="")
        .exclude(
            payment_intent_id__in=InvoicePayment.objects.filter(method=InvoicePaymentMethod.CARD).values("reference")
        )
        .values_list("payment_intent_id", flat=True)
    )
    for payment_intent_id in payment_intent_ids:
        outbox.enqueue(sync_invoice_payment_intent_task, payment_intent_id)
    return len(payment_intent_ids)
