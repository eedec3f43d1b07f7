from decimal import Decimal

import pytest
import stripe

from fulfilment.models import SellerOrderEvent, SellerOrderStatus
from payments.models import CardPayment, PaymentIntentStatus
from payments.services import CardDeclined, OrderNotPayable, PaymentError, start_card_payment, sync_payment_intent

GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000341"
THREE_D_SECURE_CARD = "4000002760003184"


def _statuses(order) -> set[str]:
    return set(order.seller_orders.values_list("status", flat=True))


def test_order_total_includes_each_pesantren_shipping(card_order):
    # two pesantren, Rp 150.000 and Rp 80.000, each shipping 500 g "elsewhere" for Rp 25.000
    assert card_order.total_incl_tax == Decimal("280000.00")
    assert sum(so.total for so in card_order.seller_orders.all()) == card_order.total_incl_tax


def test_good_card_creates_a_confirmed_payment_intent_in_idr(localstripe, card_order):
    # given
    payment_method = localstripe.create_payment_method(GOOD_CARD)

    # when
    payment = start_card_payment(order=card_order, payment_method_id=payment_method)

    # then Stripe took Rp 280.000 as 28000000 IDR minor units, tagged with the order
    assert payment.status == PaymentIntentStatus.SUCCEEDED
    assert (payment.attempt, payment.amount) == (1, Decimal("280000.00"))
    intent = stripe.PaymentIntent.retrieve(payment.payment_intent_id)
    assert (intent.amount, intent.currency, intent.status) == (28000000, "idr", "succeeded")
    assert intent.metadata["order_number"] == str(card_order.number)
    # and the order waits for Stripe's word, not ours
    card_order.refresh_from_db()
    assert card_order.status == "Pending payment"
    assert _statuses(card_order) == {SellerOrderStatus.PENDING_PAYMENT}


def test_sync_marks_the_order_paid_once(localstripe, card_order, django_capture_on_commit_callbacks):
    payment = start_card_payment(order=card_order, payment_method_id=localstripe.create_payment_method(GOOD_CARD))

    with django_capture_on_commit_callbacks(execute=True):
        sync_payment_intent(payment_intent_id=payment.payment_intent_id)
        sync_payment_intent(payment_intent_id=payment.payment_intent_id)

    card_order.refresh_from_db()
    assert card_order.status == "Paid"
    assert _statuses(card_order) == {SellerOrderStatus.PAID}
    paid_events = SellerOrderEvent.objects.filter(seller_order__order=card_order, to_status=SellerOrderStatus.PAID)
    assert paid_events.count() == 2  # one per pesantren, not one per sync
    assert set(paid_events.values_list("note", flat=True)) == {payment.payment_intent_id}


def test_declined_card_pays_nothing_and_another_card_may_follow(localstripe, card_order):
    # when the first card is declined
    with pytest.raises(CardDeclined) as declined:
        start_card_payment(order=card_order, payment_method_id=localstripe.create_payment_method(DECLINED_CARD))

    # then the customer sees Stripe's message and nothing is paid
    assert str(declined.value) == "Your card was declined."
    card_order.refresh_from_db()
    assert card_order.status == "Pending payment"
    assert _statuses(card_order) == {SellerOrderStatus.PENDING_PAYMENT}
    first = CardPayment.objects.get(order=card_order)
    assert (first.attempt, first.status, first.last_error) == (
        1,
        PaymentIntentStatus.REQUIRES_PAYMENT_METHOD,
        "Your card was declined.",
    )

    # when the customer tries a good card
    second = start_card_payment(order=card_order, payment_method_id=localstripe.create_payment_method(GOOD_CARD))
    sync_payment_intent(payment_intent_id=second.payment_intent_id)

    # then it is a new attempt (new idempotency key) and the order is paid
    assert (second.attempt, second.status) == (2, PaymentIntentStatus.SUCCEEDED)
    card_order.refresh_from_db()
    assert card_order.status == "Paid"


def test_three_d_secure_requires_action_then_succeeds(localstripe, card_order):
    # when the card needs 3-D Secure
    payment = start_card_payment(
        order=card_order, payment_method_id=localstripe.create_payment_method(THREE_D_SECURE_CARD)
    )

    # then the page gets the client secret to run the challenge, and nothing is paid yet
    assert payment.status == PaymentIntentStatus.REQUIRES_ACTION
    assert payment.client_secret.startswith(payment.payment_intent_id)
    sync_payment_intent(payment_intent_id=payment.payment_intent_id)
    card_order.refresh_from_db()
    assert card_order.status == "Pending payment"

    # when the customer passes the challenge and Stripe's state is applied
    localstripe.authenticate(payment.payment_intent_id, payment.client_secret)
    sync_payment_intent(payment_intent_id=payment.payment_intent_id)

    # then
    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.status == PaymentIntentStatus.SUCCEEDED
    assert card_order.status == "Paid"


def test_failed_three_d_secure_leaves_the_order_open_for_another_card(localstripe, card_order):
    payment = start_card_payment(
        order=card_order, payment_method_id=localstripe.create_payment_method(THREE_D_SECURE_CARD)
    )
    localstripe.authenticate(payment.payment_intent_id, payment.client_secret, success=False)

    sync_payment_intent(payment_intent_id=payment.payment_intent_id)

    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.status == PaymentIntentStatus.REQUIRES_PAYMENT_METHOD
    assert "authentication" in payment.last_error
    assert card_order.status == "Pending payment"


def test_abandoned_three_d_secure_is_cancelled_when_another_card_is_tried(localstripe, card_order):
    # given a 3-D Secure attempt the customer never finished
    first = start_card_payment(
        order=card_order, payment_method_id=localstripe.create_payment_method(THREE_D_SECURE_CARD)
    )

    # when they pay with another card
    second = start_card_payment(order=card_order, payment_method_id=localstripe.create_payment_method(GOOD_CARD))

    # then the first can no longer take their money
    first.refresh_from_db()
    assert first.status == PaymentIntentStatus.CANCELED
    assert stripe.PaymentIntent.retrieve(first.payment_intent_id).status == "canceled"
    assert second.status == PaymentIntentStatus.SUCCEEDED


def test_paid_order_cannot_be_paid_again(localstripe, card_order):
    payment = start_card_payment(order=card_order, payment_method_id=localstripe.create_payment_method(GOOD_CARD))
    sync_payment_intent(payment_intent_id=payment.payment_intent_id)

    with pytest.raises(OrderNotPayable):
        start_card_payment(order=card_order, payment_method_id=localstripe.create_payment_method(GOOD_CARD))

    assert CardPayment.objects.filter(order=card_order).count() == 1


def test_payment_intent_for_another_amount_does_not_mark_the_order_paid(localstripe, card_order):
    # given the order total changed after Stripe charged it (or someone tampered with the intent)
    payment = start_card_payment(order=card_order, payment_method_id=localstripe.create_payment_method(GOOD_CARD))
    type(card_order).objects.filter(pk=card_order.pk).update(total_incl_tax=Decimal("300000.00"))

    # when
    sync_payment_intent(payment_intent_id=payment.payment_intent_id)

    # then
    card_order.refresh_from_db()
    payment.refresh_from_db()
    assert card_order.status == "Pending payment"
    assert payment.last_error


def test_missing_payment_method_is_refused_without_calling_stripe(card_order):
    with pytest.raises(PaymentError):
        start_card_payment(order=card_order, payment_method_id="")
    assert not CardPayment.objects.exists()


def test_payment_intent_of_someone_else_is_ignored(localstripe, db):
    intent = stripe.PaymentIntent.create(amount=5000000, currency="idr", payment_method_types=["card"])

    assert sync_payment_intent(payment_intent_id=intent.id) is None
    assert not CardPayment.objects.exists()


def test_reconciliation_pays_an_order_whose_webhook_was_lost(
    localstripe, card_order, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from payments.tasks import reconcile_card_payments

    # given Stripe took the money 15 minutes ago and no webhook ever came
    payment = start_card_payment(order=card_order, payment_method_id=localstripe.create_payment_method(GOOD_CARD))
    CardPayment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=15))

    # when the beat job runs (Celery is eager in tests)
    with django_capture_on_commit_callbacks(execute=True):
        synced = reconcile_card_payments.delay().get()

    # then
    card_order.refresh_from_db()
    assert synced == 1
    assert card_order.status == "Paid"


def test_order_below_the_card_minimum_is_refused_and_saves_nothing(localstripe, settings, db):
    from payments.services import AmountTooSmall
    from payments.tests.conftest import make_card_order

    settings.MARKETPLACE_STRIPE_MINIMUM_IDR = 1_000_000
    order = make_card_order(prices=("150000",))

    with pytest.raises(AmountTooSmall):
        start_card_payment(order=order, payment_method_id=localstripe.create_payment_method(GOOD_CARD))

    assert not CardPayment.objects.exists()
    assert stripe.PaymentIntent.list().data == []
