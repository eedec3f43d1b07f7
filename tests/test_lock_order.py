"""Races between the services that lock orders, seller orders, attempts and stock, on PostgreSQL.

Each test forces one interleaving: the first thread is paused right after it takes its locks (a
hook wrapped around the lock helper it calls), the second thread is started and seen waiting for a
lock in pg_stat_activity, then the first is released. The lock order is in core/locks.py.
"""

import threading
import time
from decimal import Decimal

import pytest
import stripe
from django.db import connection, transaction
from oscar.apps.order.exceptions import UnableToPlaceOrder

from core.locks import NetworkCallInTransaction
from fulfilment.models import SellerOrder, SellerOrderEvent, SellerOrderStatus
from fulfilment.services import TransitionNotAllowed, seller_order_cancel_and_refund
from payments import stripe_api
from payments.models import CardPayment, CardRefund, CardRefundStatus, PaymentIntentStatus
from payments.refunds import refund_seller_order_part
from payments.services import OrderNotPayable, start_card_payment, sync_payment_intent
from payments.tests.conftest import make_card_order
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

S = SellerOrderStatus
TIMEOUT = 30


def wait_for_a_lock_waiter(timeout: float = TIMEOUT) -> None:
    """Return once some session of this test database waits for a row lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second thread never waited for the first one's lock")


class Pause:
    """Wrap `module.name` so that the thread called `thread_name` stops right after calling it
    (with the locks it took still held) until `release()`."""

    def __init__(self, monkeypatch, module, name: str, thread_name: str):
        self.reached, self._go, self.thread_name = threading.Event(), threading.Event(), thread_name
        original = getattr(module, name)

        def paused(*args, **kwargs):
            result = original(*args, **kwargs)
            if threading.current_thread().name == self.thread_name and not self.reached.is_set():
                self.reached.set()
                assert self._go.wait(TIMEOUT), "never released"
            return result

        monkeypatch.setattr(module, name, paused)

    def wait(self) -> None:
        assert self.reached.wait(TIMEOUT), f"{self.thread_name} never reached its pause"

    def release(self) -> None:
        self._go.set()


def run(name: str, target, outcomes: dict) -> threading.Thread:
    def body():
        try:
            outcomes[name] = target()
        except Exception as error:  # noqa: BLE001 (the test asserts on what each thread met)
            outcomes[name] = error
        finally:
            connection.close()

    thread = threading.Thread(target=body, name=name)
    thread.start()
    return thread


def join(*threads) -> None:
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
        assert not thread.is_alive(), f"{thread.name} is stuck (a deadlock?)"


def stripe_refunded(payment_intent_id: str) -> Decimal:
    refunds = stripe.Refund.list(payment_intent=payment_intent_id).data
    return sum((stripe_api.from_stripe_amount(refund.amount) for refund in refunds), Decimal(0))


def charged_but_not_booked(localstripe):
    """An order whose card payment succeeded at Stripe; the webhook has not been applied yet."""
    order = make_card_order()
    payment = start_card_payment(order=order, payment_method_id=localstripe.create_payment_method())
    assert payment.status == PaymentIntentStatus.SUCCEEDED
    part = order.seller_orders.order_by("pk").first()
    assert part.status == S.PENDING_PAYMENT
    return order, payment, part


def assert_cancelled_part_kept_no_money(part: SellerOrder, payment_intent_id: str) -> None:
    """Never cancelled, paid and unrefunded: a cancelled part is refunded in full, at Stripe and in our books."""
    part.refresh_from_db()
    assert part.status == S.REFUNDED
    assert part.refunded_amount == part.total
    assert stripe_refunded(payment_intent_id) == part.total
    refund = CardRefund.objects.get(seller_order=part)
    assert (refund.status, refund.amount) == (CardRefundStatus.SUCCEEDED, part.total)


@pytest.mark.django_db(transaction=True)
def test_cancel_holding_its_lock_then_the_payment_webhook_refunds_the_cancelled_part(localstripe, monkeypatch):
    # given a part that is still unpaid in our books though Stripe has the money
    order, payment, part = charged_but_not_booked(localstripe)
    import fulfilment.services

    pause = Pause(monkeypatch, fulfilment.services, "_lock", thread_name="cancel")
    outcomes = {}

    # when the pesantren cancels (and holds its locks) while the payment webhook arrives
    cancel = run(
        "cancel",
        lambda: seller_order_cancel_and_refund(seller_order=part, actor=None, reason="Stok habis"),
        outcomes,
    )
    pause.wait()
    webhook = run("webhook", lambda: sync_payment_intent(payment_intent_id=payment.payment_intent_id), outcomes)
    wait_for_a_lock_waiter()
    pause.release()
    join(cancel, webhook)

    # then the cancel saw an unpaid part (no refund of its own), and the late payment refunded it
    assert outcomes["cancel"] is None
    assert isinstance(outcomes["webhook"], CardPayment)
    assert_cancelled_part_kept_no_money(part, payment.payment_intent_id)
    other = order.seller_orders.exclude(pk=part.pk).get()
    assert (other.status, other.refunded_amount) == (S.PAID, 0)

    # and a redelivered webhook, or a second cancel, refunds nothing more
    sync_payment_intent(payment_intent_id=payment.payment_intent_id)
    with pytest.raises(TransitionNotAllowed):
        seller_order_cancel_and_refund(seller_order=part, actor=None, reason="Lagi")
    assert_cancelled_part_kept_no_money(part, payment.payment_intent_id)


@pytest.mark.django_db(transaction=True)
def test_webhook_holding_its_lock_then_cancel_refunds_what_was_paid(localstripe, monkeypatch):
    # given a part the pesantren's page showed as unpaid (the object is read before the webhook)
    order, payment, part = charged_but_not_booked(localstripe)
    import payments.services

    pause = Pause(monkeypatch, payments.services, "lock_seller_orders", thread_name="webhook")
    outcomes = {}

    # when the payment webhook marks it paid while the pesantren cancels
    webhook = run("webhook", lambda: sync_payment_intent(payment_intent_id=payment.payment_intent_id), outcomes)
    pause.wait()
    cancel = run(
        "cancel",
        lambda: seller_order_cancel_and_refund(seller_order=part, actor=None, reason="Stok habis"),
        outcomes,
    )
    wait_for_a_lock_waiter()
    pause.release()
    join(webhook, cancel)

    # then the cancel decided "paid" under its lock and refunded the whole part
    assert outcomes["cancel"].method == "card", outcomes["cancel"]
    assert_cancelled_part_kept_no_money(part, payment.payment_intent_id)
    assert SellerOrderEvent.objects.filter(seller_order=part, to_status=S.PAID).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["card confirm", "webhook"])
def test_card_confirm_and_webhook_for_one_attempt_book_it_once(localstripe, monkeypatch, first):
    # given a customer paying by card; the webhook for the new PaymentIntent may land before the
    # checkout has booked Stripe's answer, or after
    order = make_card_order()
    payment_method = localstripe.create_payment_method()
    charged, webhook_may_go = threading.Event(), threading.Event()
    intent_ids = []
    original_create = stripe_api.create_and_confirm_payment_intent

    def create_then_maybe_wait(**kwargs):
        intent = original_create(**kwargs)
        intent_ids.append(intent.id)
        charged.set()
        if first == "webhook":
            assert webhook_may_go.wait(TIMEOUT)
        return intent

    monkeypatch.setattr(stripe_api, "create_and_confirm_payment_intent", create_then_maybe_wait)
    import payments.intents
    import payments.services

    outcomes = {}
    if first == "card confirm":
        # the checkout books Stripe's answer (order, then attempt locked) and pauses there
        pause = Pause(monkeypatch, payments.intents, "mirror_intent", thread_name="card confirm")
        confirm = run(
            "card confirm", lambda: start_card_payment(order=order, payment_method_id=payment_method), outcomes
        )
        pause.wait()
        webhook = run("webhook", lambda: sync_payment_intent(payment_intent_id=intent_ids[0]), outcomes)
    else:
        # the webhook holds the order and its parts while the checkout comes to book its answer
        pause = Pause(monkeypatch, payments.services, "lock_seller_orders", thread_name="webhook")
        confirm = run(
            "card confirm", lambda: start_card_payment(order=order, payment_method_id=payment_method), outcomes
        )
        assert charged.wait(TIMEOUT)
        webhook = run("webhook", lambda: sync_payment_intent(payment_intent_id=intent_ids[0]), outcomes)
        pause.wait()
        webhook_may_go.set()
    wait_for_a_lock_waiter()
    pause.release()
    join(confirm, webhook)

    # then neither deadlocked, there is one attempt, succeeded, and every part was paid once
    assert isinstance(outcomes["card confirm"], CardPayment), outcomes["card confirm"]
    assert isinstance(outcomes["webhook"], CardPayment), outcomes["webhook"]
    attempt = CardPayment.objects.get(order=order)
    assert (attempt.payment_intent_id, attempt.status) == (intent_ids[0], PaymentIntentStatus.SUCCEEDED)
    order.refresh_from_db()
    assert order.status == "Paid"
    parts = list(order.seller_orders.all())
    assert {part.status for part in parts} == {S.PAID}
    assert SellerOrderEvent.objects.filter(seller_order__order=order, to_status=S.PAID).count() == len(parts)


@pytest.mark.django_db(transaction=True)
def test_a_second_card_while_the_first_is_at_stripe_is_refused_not_charged(localstripe, monkeypatch):
    # given a customer whose first card payment is under way at Stripe (no lock held meanwhile)
    order = make_card_order()
    cards = [localstripe.create_payment_method(), localstripe.create_payment_method()]
    at_stripe, stripe_may_answer = threading.Event(), threading.Event()
    original_create = stripe_api.create_and_confirm_payment_intent

    def slow_create(**kwargs):
        if threading.current_thread().name == "first tab":
            at_stripe.set()
            assert stripe_may_answer.wait(TIMEOUT)
        return original_create(**kwargs)

    monkeypatch.setattr(stripe_api, "create_and_confirm_payment_intent", slow_create)
    outcomes = {}
    first = run("first tab", lambda: start_card_payment(order=order, payment_method_id=cards[0]), outcomes)
    assert at_stripe.wait(TIMEOUT)

    # when a second tab pays with another card
    second = run("second tab", lambda: start_card_payment(order=order, payment_method_id=cards[1]), outcomes)
    join(second)
    stripe_may_answer.set()
    join(first)

    # then the second is told a payment is under way, and the customer is charged once
    assert isinstance(outcomes["second tab"], OrderNotPayable), outcomes["second tab"]
    assert outcomes["first tab"].status == PaymentIntentStatus.SUCCEEDED
    assert CardPayment.objects.filter(order=order).count() == 1


@pytest.fixture
def paid_part(localstripe, transactional_db):
    order, payment, part = charged_but_not_booked(localstripe)
    sync_payment_intent(payment_intent_id=payment.payment_intent_id)
    part.refresh_from_db()
    assert part.status == S.PAID
    return part, payment


@pytest.mark.django_db(transaction=True)
def test_two_refunds_of_a_whole_part_while_the_first_holds_its_lock_refund_once(paid_part, monkeypatch):
    part, payment = paid_part
    import payments.refunds

    pause = Pause(monkeypatch, payments.refunds, "lock_seller_order", thread_name="first")
    outcomes = {}

    first = run("first", lambda: refund_seller_order_part(seller_order=part, amount=part.total, actor=None), outcomes)
    pause.wait()
    second = run("second", lambda: refund_seller_order_part(seller_order=part, amount=part.total, actor=None), outcomes)
    wait_for_a_lock_waiter()
    pause.release()
    join(first, second)

    assert outcomes["first"].method == "card"
    assert isinstance(outcomes["second"], ValueError), outcomes["second"]
    part.refresh_from_db()
    assert part.refunded_amount == part.total
    assert stripe_refunded(payment.payment_intent_id) == part.total
    assert CardRefund.objects.filter(seller_order=part).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_refund_waiting_for_stripe_reserves_its_amount_from_a_second_refund(paid_part, monkeypatch):
    # given a first refund recorded and committed, its Stripe call still under way (no lock held)
    part, payment = paid_part
    at_stripe, stripe_may_answer = threading.Event(), threading.Event()
    original_refund = stripe_api.create_refund

    def slow_refund(*args, **kwargs):
        if threading.current_thread().name == "first":
            at_stripe.set()
            assert stripe_may_answer.wait(TIMEOUT)
        return original_refund(*args, **kwargs)

    monkeypatch.setattr(stripe_api, "create_refund", slow_refund)
    outcomes = {}
    first = run("first", lambda: refund_seller_order_part(seller_order=part, amount=part.total, actor=None), outcomes)
    assert at_stripe.wait(TIMEOUT)

    # when a second refund of the whole part comes meanwhile, it is refused at once
    second = run("second", lambda: refund_seller_order_part(seller_order=part, amount=part.total, actor=None), outcomes)
    join(second)
    stripe_may_answer.set()
    join(first)

    # then Stripe refunded the part once and our books agree
    assert isinstance(outcomes["second"], ValueError), outcomes["second"]
    assert outcomes["first"].method == "card"
    part.refresh_from_db()
    assert part.refunded_amount == part.total
    assert stripe_refunded(payment.payment_intent_id) == part.total


@pytest.mark.django_db(transaction=True)
def test_last_unit_taken_while_another_checkout_holds_it_is_not_sold_twice(monkeypatch):
    # given one unit left and two customers
    regions = make_region_tree()
    product = make_seller_product(make_seller(regions=regions), title="Kerupuk Kulit", stock=1)
    addresses = [make_shipping_address(regions=regions, name=name) for name in ("Aisyah", "Budi")]
    from oscar.core.loading import get_class

    OrderCreator = get_class("order.utils", "OrderCreator")
    pause = Pause(monkeypatch, OrderCreator, "update_stock_records", thread_name="first")
    outcomes = {}

    def buy(address):
        return lambda: place_order(items=[(product, 1)], shipping_address=address, email="pembeli@example.com")

    # when the first has allocated the unit (its row lock held) and the second checks out
    first = run("first", buy(addresses[0]), outcomes)
    pause.wait()
    second = run("second", buy(addresses[1]), outcomes)
    wait_for_a_lock_waiter()
    pause.release()
    join(first, second)

    # then the second is told it is sold out and the unit is allocated once
    assert not isinstance(outcomes["first"], Exception), outcomes["first"]
    assert isinstance(outcomes["second"], UnableToPlaceOrder), outcomes["second"]
    record = product.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (1, 1)


@pytest.mark.django_db
def test_the_stripe_gateway_refuses_to_be_called_inside_a_transaction():
    with pytest.raises(NetworkCallInTransaction), transaction.atomic():
        stripe_api.retrieve_payment_intent("pi_never_sent")
