"""Recording payments: finance's bank transfers and card payments confirmed by Stripe's webhook."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from invoices.models import Invoice, InvoiceCardPayment, InvoiceEvent, InvoicePayment, InvoiceStatus
from invoices.services import invoice_record_payment
from payments.models import CardPayment, StripeEvent
from payments.tests.conftest import payment_intent_event, signed_webhook

pytestmark = pytest.mark.django_db

GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000341"


@pytest.fixture
def invoice(invoice_order):
    return Invoice.objects.get(order=invoice_order)


def record(invoice, amount, reference="BSI-0001", **extra):
    return invoice_record_payment(
        invoice=invoice,
        amount=amount,
        reference=reference,
        paid_on=extra.pop("paid_on", timezone.localdate()),
        recorded_by=extra.pop("recorded_by", None),
    )


def test_finance_records_part_payments_until_the_invoice_is_paid(invoice, finance_user):
    record(invoice, 1_000_000, "BSI-A", recorded_by=finance_user)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.balance) == ("open", Decimal(1_000_000), Decimal(260_000))

    record(invoice, 260_000, "BSI-B", recorded_by=finance_user)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.balance) == (InvoiceStatus.PAID, 0)
    assert list(invoice.events.values_list("kind", flat=True)) == ["issued", "payment", "payment", "paid"]
    assert InvoiceEvent.objects.filter(kind="payment", actor=finance_user).count() == 2


@pytest.mark.parametrize(
    ("amount", "reference", "days_ahead", "message"),
    [
        (1_260_001, "BSI-X", 0, "At most Rp 1.260.000"),
        (0, "BSI-X", 0, "more than Rp 0"),
        (Decimal("100.50"), "BSI-X", 0, "whole rupiah"),
        (100_000, "   ", 0, "reference"),
        (100_000, "BSI-X", 1, "future"),
    ],
)
def test_bad_payments_are_refused_and_change_nothing(invoice, amount, reference, days_ahead, message):
    with pytest.raises(ValidationError) as error:
        record(invoice, amount, reference, paid_on=timezone.localdate() + timedelta(days=days_ahead))

    assert message in " ".join(error.value.messages)
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0
    assert not InvoicePayment.objects.exists()


def test_the_same_bank_reference_is_not_recorded_twice(invoice):
    record(invoice, 100_000, "BSI-SAME")

    with pytest.raises(ValidationError, match="already been recorded"):
        record(invoice, 100_000, "BSI-SAME")

    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal(100_000)


def test_a_paid_invoice_takes_no_more_payments(invoice):
    record(invoice, 1_260_000, "BSI-ALL")

    with pytest.raises(ValidationError, match="not open"):
        record(invoice, 1, "BSI-MORE")


# Card payments through localstripe


def post_webhook(client, payload):
    body, signature = signed_webhook(payload)
    return client.post(
        reverse("payments:webhook"), data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


def pay_by_card(client, invoice, payment_method_id):
    return client.post(
        reverse("invoices:pay", kwargs={"pk": invoice.pk}),
        data={"payment_method_id": payment_method_id},
        content_type="application/json",
    )


def test_a_member_pays_the_balance_by_card_and_the_webhook_books_it_once(client, localstripe, world, invoice):
    # given finance already booked part of it
    record(invoice, 260_000, "BSI-PART")
    client.force_login(world["buyer"])
    assert client.get(reverse("invoices:pay", kwargs={"pk": invoice.pk})).status_code == 200

    # when the buyer pays the rest by card
    response = pay_by_card(client, invoice, localstripe.create_payment_method(GOOD_CARD))

    # then Stripe charged the balance, but nothing is booked before Stripe's webhook says so
    assert response.status_code == 200 and response.json()["status"] == "succeeded"
    attempt = InvoiceCardPayment.objects.get(invoice=invoice)
    assert attempt.amount == Decimal(1_000_000)
    invoice.refresh_from_db()
    assert invoice.status == "open"
    status = client.get(reverse("invoices:status", kwargs={"pk": invoice.pk})).json()
    assert (status["order_status"], status["payment_status"]) == ("Pending payment", "succeeded")

    # when the signed webhook arrives, and again, and as another event for the same PaymentIntent
    event = payment_intent_event("evt_invoice_paid", "payment_intent.succeeded", attempt.payment_intent_id)
    replay = payment_intent_event("evt_invoice_paid_again", "payment_intent.succeeded", attempt.payment_intent_id)
    responses = [post_webhook(client, event), post_webhook(client, event), post_webhook(client, replay)]

    # then one card payment is booked and the invoice is paid
    assert [r.status_code for r in responses] == [200, 200, 200]
    payment = InvoicePayment.objects.get(method="card")
    assert (payment.amount, payment.reference) == (Decimal(1_000_000), attempt.payment_intent_id)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.balance) == ("paid", Decimal(1_260_000), 0)
    assert StripeEvent.objects.count() == 2
    assert not CardPayment.objects.exists(), "an invoice payment is not an order's card payment"
    status = client.get(reverse("invoices:status", kwargs={"pk": invoice.pk})).json()
    assert status["order_status"] == "Paid"


def test_a_declined_card_books_nothing_and_the_buyer_may_try_again(client, localstripe, world, invoice):
    client.force_login(world["approver"])

    declined = pay_by_card(client, invoice, localstripe.create_payment_method(DECLINED_CARD))
    accepted = pay_by_card(client, invoice, localstripe.create_payment_method(GOOD_CARD))

    assert declined.status_code == 402 and declined.json()["error"]
    assert accepted.status_code == 200
    assert list(invoice.card_payments.values_list("attempt", "status")) == [
        (1, "requires_payment_method"),
        (2, "succeeded"),
    ]
    # a third try while the success is not booked yet would charge twice
    third = pay_by_card(client, invoice, localstripe.create_payment_method(GOOD_CARD))
    assert third.status_code == 409
    assert not InvoicePayment.objects.exists()


def test_only_members_may_pay_and_a_paid_invoice_cannot_be_paid_again(client, localstripe, world, invoice):
    client.force_login(world["outsider"])
    assert pay_by_card(client, invoice, localstripe.create_payment_method(GOOD_CARD)).status_code == 404
    assert client.get(reverse("invoices:status", kwargs={"pk": invoice.pk})).status_code == 404

    record(invoice, 1_260_000, "BSI-ALL")
    client.force_login(world["buyer"])
    assert pay_by_card(client, invoice, localstripe.create_payment_method(GOOD_CARD)).status_code == 409
    assert client.get(reverse("invoices:pay", kwargs={"pk": invoice.pk})).status_code == 302
    assert not InvoiceCardPayment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_the_signed_webhook_that_marks_the_invoice_paid(live_server, localstripe):
    import time

    from invoices.tests.conftest import place_on_invoice
    from tests.factories import make_company, make_region_tree, make_seller, make_seller_product, make_user

    regions = make_region_tree()
    product = make_seller_product(make_seller(regions=regions), price="240000", stock=10)
    user = make_user()
    company = make_company(credit_limit=1_000_000, members=[(user, "approver")])
    invoice = Invoice.objects.get(
        order=place_on_invoice(company=company, user=user, regions=regions, items=[(product, 1)])
    )
    localstripe.register_webhook(live_server.url + reverse("payments:webhook"), events=["payment_intent.succeeded"])

    from invoices.services import invoice_start_card_payment

    invoice_start_card_payment(invoice=invoice, payment_method_id=localstripe.create_payment_method(GOOD_CARD))

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        invoice.refresh_from_db()
        if invoice.status == InvoiceStatus.PAID:
            break
        time.sleep(0.2)
    assert invoice.status == InvoiceStatus.PAID
    assert InvoicePayment.objects.get(invoice=invoice).amount == Decimal(250_000)
