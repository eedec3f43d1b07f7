from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from invoices.models import Invoice, InvoiceEvent
from invoices.services import invoice_record_payment
from invoices.tasks import reminder_step, send_overdue_reminders


@pytest.mark.parametrize(
    ("days_after_due", "step"),
    [
        (-10, None),
        (-4, None),
        (-3, "due-soon"),
        (0, "due-soon"),
        (1, "overdue-1"),
        (6, "overdue-1"),
        (7, "overdue-7"),
        (13, "overdue-7"),
        (14, "overdue-14"),
        (90, "overdue-14"),
    ],
)
def test_reminder_steps(days_after_due, step):
    due = date(2026, 11, 30)
    assert reminder_step(due_date=due, today=due + timedelta(days=days_after_due)) == step


@pytest.fixture
def invoice(invoice_order):
    return Invoice.objects.get(order=invoice_order)


def set_due(invoice, days_from_today: int):
    Invoice.objects.filter(pk=invoice.pk).update(due_date=timezone.localdate() + timedelta(days=days_from_today))


@pytest.mark.django_db
def test_an_overdue_invoice_is_reminded_once_per_step_to_approvers_and_the_contact(world, invoice):
    set_due(invoice, -1)

    assert send_overdue_reminders() == 1
    assert send_overdue_reminders() == 0  # the daily run again: nothing new

    (message,) = mail.outbox
    assert sorted(message.to) == sorted([world["approver"].email, "keuangan@katering.example.com"])
    assert world["buyer"].email not in message.to
    assert invoice.number in message.subject
    assert "Rp 1.260.000" in message.body and f"/offtaker/faktur/{invoice.pk}/" in message.body

    set_due(invoice, -7)
    assert send_overdue_reminders() == 1
    set_due(invoice, -8)
    assert send_overdue_reminders() == 0
    assert len(mail.outbox) == 2
    assert list(InvoiceEvent.objects.filter(kind="reminder").values_list("note", flat=True)) == [
        f"overdue-1: {', '.join(mail.outbox[0].to)}",
        f"overdue-7: {', '.join(mail.outbox[1].to)}",
    ]


@pytest.mark.django_db
def test_a_reminder_goes_out_three_days_before_the_due_date(world, invoice):
    set_due(invoice, 4)
    assert send_overdue_reminders() == 0
    set_due(invoice, 3)
    assert send_overdue_reminders() == 1
    assert "Rp 1.260.000" in mail.outbox[0].body


@pytest.mark.django_db
def test_paid_invoices_are_not_reminded(world, invoice):
    set_due(invoice, -20)
    invoice_record_payment(
        invoice=invoice, amount=1_260_000, reference="BSI-1", paid_on=timezone.localdate(), recorded_by=None
    )

    assert send_overdue_reminders() == 0
    assert mail.outbox == []
