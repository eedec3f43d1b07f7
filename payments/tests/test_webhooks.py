import time

import pytest
from django.urls import reverse

from fulfilment.models import SellerOrderEvent, SellerOrderStatus
from payments.models import CardPayment, PaymentIntentStatus, StripeEvent
from payments.services import start_card_payment
from payments.tests.conftest import make_card_order, payment_intent_event, signed_webhook

GOOD_CARD = "4242424242424242"


def _post(client, payload: dict, secret: str | None = None):
    body, signature = signed_webhook(payload, secret)
    return client.post(
        reverse("payments:webhook"), data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


@pytest.fixture
def paid_by_card(localstripe, card_order):
    """An order whose card payment Stripe accepted, before any webhook arrived."""
    return start_card_payment(order=card_order, payment_method_id=localstripe.create_payment_method(GOOD_CARD))


def test_bad_signature_is_refused_and_changes_nothing(client, paid_by_card):
    payload = payment_intent_event("evt_forged", "payment_intent.succeeded", paid_by_card.payment_intent_id)

    forged = _post(client, payload, secret="whsec_someone_else")
    unsigned = client.post(reverse("payments:webhook"), data=b"{}", content_type="application/json")
    garbage = client.post(
        reverse("payments:webhook"), data=b"not json", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=x"
    )

    assert (forged.status_code, unsigned.status_code, garbage.status_code) == (400, 400, 400)
    assert not StripeEvent.objects.exists()
    paid_by_card.order.refresh_from_db()
    assert paid_by_card.order.status == "Pending payment"


def test_webhook_only_accepts_post(client, db):
    assert client.get(reverse("payments:webhook")).status_code == 405


def test_same_webhook_five_times_pays_once(client, paid_by_card, django_capture_on_commit_callbacks):
    payload = payment_intent_event("evt_once", "payment_intent.succeeded", paid_by_card.payment_intent_id)

    with django_capture_on_commit_callbacks(execute=True):
        responses = [_post(client, payload) for _ in range(5)]

    assert [response.status_code for response in responses] == [200] * 5
    order = paid_by_card.order
    order.refresh_from_db()
    assert order.status == "Paid"
    paid_events = SellerOrderEvent.objects.filter(seller_order__order=order, to_status=SellerOrderStatus.PAID)
    assert paid_events.count() == order.seller_orders.count() == 2
    event = StripeEvent.objects.get()
    assert (event.event_id, event.type, event.processed_at is not None) == (
        "evt_once",
        "payment_intent.succeeded",
        True,
    )


def test_failure_arriving_after_success_leaves_the_order_paid(client, paid_by_card):
    pi = paid_by_card.payment_intent_id

    _post(client, payment_intent_event("evt_ok", "payment_intent.succeeded", pi))
    late = _post(client, payment_intent_event("evt_late_failure", "payment_intent.payment_failed", pi))

    assert late.status_code == 200
    paid_by_card.refresh_from_db()
    paid_by_card.order.refresh_from_db()
    assert paid_by_card.status == PaymentIntentStatus.SUCCEEDED
    assert paid_by_card.order.status == "Paid"
    assert StripeEvent.objects.count() == 2


def test_failure_event_before_success_event_still_ends_paid(client, paid_by_card):
    # Stripe already succeeded; a stale failure event comes first: state is re-fetched, not read from it
    pi = paid_by_card.payment_intent_id

    _post(client, payment_intent_event("evt_stale", "payment_intent.payment_failed", pi))

    paid_by_card.order.refresh_from_db()
    assert paid_by_card.order.status == "Paid"


def test_unknown_event_types_are_stored_and_acknowledged(client, db):
    response = _post(client, {"id": "evt_other", "object": "event", "type": "customer.created", "data": {"object": {}}})

    assert response.status_code == 200
    event = StripeEvent.objects.get()
    assert (event.type, event.processed_at, event.payload["id"]) == ("customer.created", None, "evt_other")


def test_event_for_an_order_not_committed_yet_asks_stripe_to_retry(client, localstripe, db):
    import stripe

    intent = stripe.PaymentIntent.create(
        amount=5000000,
        currency="idr",
        payment_method_types=["card"],
        metadata={"order_number": "999999", "attempt": "1"},
    )

    response = _post(client, payment_intent_event("evt_early", "payment_intent.succeeded", intent.id))

    assert response.status_code == 503
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_a_signed_webhook_that_marks_the_order_paid(live_server, localstripe):
    # given our endpoint is registered with localstripe
    order = make_card_order()
    localstripe.register_webhook(
        live_server.url + reverse("payments:webhook"),
        events=["payment_intent.succeeded", "payment_intent.payment_failed"],
    )

    # when the customer pays; localstripe sends the webhook about a second later
    payment = start_card_payment(order=order, payment_method_id=localstripe.create_payment_method(GOOD_CARD))

    # then (the event is stored once its handler has booked it)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        order.refresh_from_db()
        if order.status == "Paid" and StripeEvent.objects.filter(type="payment_intent.succeeded").exists():
            break
        time.sleep(0.2)
    assert order.status == "Paid"
    assert set(order.seller_orders.values_list("status", flat=True)) == {SellerOrderStatus.PAID}
    # A late event of an earlier test, for a PaymentIntent localstripe has since forgotten, may be stored too.
    event = StripeEvent.objects.get(
        type="payment_intent.succeeded", payload__data__object__id=payment.payment_intent_id
    )
    assert event.payload["data"]["object"]["id"] == payment.payment_intent_id
    assert event.processed_at is not None


@pytest.mark.django_db(transaction=True)
def test_localstripe_failure_webhook_for_a_declined_card_is_recorded(live_server, localstripe):
    from payments.services import CardDeclined

    order = make_card_order()
    localstripe.register_webhook(
        live_server.url + reverse("payments:webhook"), events=["payment_intent.payment_failed"]
    )

    with pytest.raises(CardDeclined):
        start_card_payment(order=order, payment_method_id=localstripe.create_payment_method("4000000000000341"))

    # localstripe's decline does not name the PaymentIntent; its webhook does, and we adopt it by metadata
    deadline = time.monotonic() + 15
    payment = CardPayment.objects.get(order=order)
    while time.monotonic() < deadline and not payment.payment_intent_id:
        time.sleep(0.2)
        payment.refresh_from_db()
    assert payment.payment_intent_id.startswith("pi_")
    assert payment.status == PaymentIntentStatus.REQUIRES_PAYMENT_METHOD
    order.refresh_from_db()
    assert order.status == "Pending payment"


def test_a_signed_event_for_a_payment_intent_stripe_does_not_have_is_acknowledged_and_logged(
    client, localstripe, db, caplog
):
    # given a correctly signed event naming a PaymentIntent that exists nowhere
    event = payment_intent_event("evt_ghost", "payment_intent.succeeded", "pi_doesnotexist123")

    # when Stripe delivers it
    with caplog.at_level("WARNING", logger="payments.webhooks"):
        response = _post(client, event)

    # then it is acknowledged (a 5xx would make Stripe retry forever), kept unprocessed, and logged
    assert response.status_code == 200
    stored = StripeEvent.objects.get()
    assert (stored.event_id, stored.processed_at) == ("evt_ghost", None)
    assert "evt_ghost" in caplog.text


def test_a_signed_refund_event_for_a_missing_payment_intent_is_acknowledged(client, localstripe, db):
    event = {
        "id": "evt_ghost_refund",
        "object": "event",
        "type": "charge.refunded",
        "data": {"object": {"id": "ch_x", "object": "charge", "payment_intent": "pi_nothere", "amount_refunded": 100}},
    }

    response = _post(client, event)

    assert response.status_code == 200
    assert StripeEvent.objects.filter(event_id="evt_ghost_refund", processed_at=None).exists()
