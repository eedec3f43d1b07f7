from decimal import Decimal

import pytest
import stripe

from fulfilment.models import SellerOrderEvent, SellerOrderStatus
from fulfilment.services import TransitionNotAllowed, seller_order_cancel
from payments.models import CardRefund
from payments.services import refund_seller_order, start_card_payment, sync_payment_intent
from tests.factories import make_user


@pytest.fixture
def paid_order(localstripe, card_order):
    payment = start_card_payment(order=card_order, payment_method_id=localstripe.create_payment_method())
    sync_payment_intent(payment_intent_id=payment.payment_intent_id)
    card_order.refresh_from_db()
    return card_order


def _stripe_refunded(order) -> int:
    payment_intent_id = order.card_payments.get(status="succeeded").payment_intent_id
    return sum(refund.amount for refund in stripe.Refund.list(payment_intent=payment_intent_id).data)


def test_partial_then_full_refund_of_one_pesantren_part(paid_order):
    # given the Rp 150.000 pesantren part, plus Rp 25.000 shipping
    seller_order, other = paid_order.seller_orders.order_by("-subtotal")
    assert seller_order.total == Decimal("175000")
    staff = make_user(is_staff=True)

    # when part of it is refunded
    first = refund_seller_order(seller_order=seller_order, amount=Decimal("50000"), actor=staff)

    # then Stripe gave back exactly Rp 50.000 and the part records it
    seller_order.refresh_from_db()
    assert (first.amount, first.actor, first.refund_id.startswith("re_")) == (Decimal("50000"), staff, True)
    assert seller_order.refunded_amount == Decimal("50000")
    assert _stripe_refunded(paid_order) == 5000000

    # when the rest is refunded after the pesantren cancels
    seller_order_cancel(seller_order=seller_order, actor=staff, reason="Stok habis")
    refund_seller_order(seller_order=seller_order, amount=Decimal("125000"), actor=staff)

    # then the part is refunded in full, and the other pesantren's part is untouched
    seller_order.refresh_from_db()
    other.refresh_from_db()
    assert seller_order.refunded_amount == Decimal("175000")
    assert seller_order.status == SellerOrderStatus.REFUNDED
    assert _stripe_refunded(paid_order) == 17500000
    assert (other.status, other.refunded_amount) == (SellerOrderStatus.PAID, Decimal("0"))
    assert list(CardRefund.objects.filter(seller_order=seller_order).values_list("amount", flat=True)) == [
        Decimal("50000"),
        Decimal("125000"),
    ]
    assert SellerOrderEvent.objects.filter(seller_order=seller_order, note__contains=first.refund_id).exists()


def test_more_than_refundable_is_refused_before_calling_stripe(paid_order):
    seller_order = paid_order.seller_orders.order_by("subtotal").first()  # Rp 80.000 + Rp 25.000
    refund_seller_order(seller_order=seller_order, amount=Decimal("100000"), actor=None)

    with pytest.raises(ValueError, match="5.000"):
        refund_seller_order(seller_order=seller_order, amount=Decimal("5001"), actor=None)

    seller_order.refresh_from_db()
    assert seller_order.refunded_amount == Decimal("100000")
    assert CardRefund.objects.count() == 1
    assert _stripe_refunded(paid_order) == 10000000


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-1000"), Decimal("1000.50")])
def test_zero_negative_and_fractional_refunds_are_refused(paid_order, amount):
    seller_order = paid_order.seller_orders.first()

    with pytest.raises(ValueError):
        refund_seller_order(seller_order=seller_order, amount=amount, actor=None)

    assert not CardRefund.objects.exists()
    assert _stripe_refunded(paid_order) == 0


def test_unpaid_part_cannot_be_refunded(localstripe, card_order):
    seller_order = card_order.seller_orders.first()

    with pytest.raises(TransitionNotAllowed):
        refund_seller_order(seller_order=seller_order, amount=Decimal("1000"), actor=None)

    assert not CardRefund.objects.exists()


def test_refund_stripe_never_answered_is_kept_reserved_and_finished_once_later(
    paid_order, localstripe, settings, django_capture_on_commit_callbacks
):
    from payments.models import CardRefundStatus
    from payments.services import PaymentProviderUnavailable
    from payments.tasks import finish_pending_card_refunds

    seller_order = paid_order.seller_orders.order_by("subtotal").first()  # Rp 105.000 in all
    # given Stripe cannot be reached when the pesantren refunds the whole part
    settings.STRIPE_API_BASE, settings.STRIPE_MAX_NETWORK_RETRIES = "http://127.0.0.1:1", 0
    with pytest.raises(PaymentProviderUnavailable):
        refund_seller_order(seller_order=seller_order, amount=Decimal("105000"), actor=None)

    # then the refund is recorded as pending, and holds its amount back from another refund
    pending = CardRefund.objects.get()
    assert (pending.status, pending.refund_id) == (CardRefundStatus.PENDING, "")
    with pytest.raises(ValueError):
        refund_seller_order(seller_order=seller_order, amount=Decimal("1000"), actor=None)
    seller_order.refresh_from_db()
    assert seller_order.refunded_amount == 0

    # when Stripe is back and the beat job runs (twice)
    settings.STRIPE_API_BASE = localstripe.url
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            finish_pending_card_refunds(older_than_minutes=0)

    # then the part is refunded once, at Stripe and in our books
    pending.refresh_from_db()
    assert pending.status == CardRefundStatus.SUCCEEDED and pending.refund_id.startswith("re_")
    seller_order.refresh_from_db()
    assert seller_order.refunded_amount == Decimal("105000")
    assert _stripe_refunded(paid_order) == 10500000
