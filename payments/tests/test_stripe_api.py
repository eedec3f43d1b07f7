from decimal import Decimal

import pytest
import stripe

from payments import stripe_api
from payments.models import CardPayment
from payments.services import start_card_payment


@pytest.mark.parametrize(
    ("rupiah", "expected"),
    [
        (Decimal("150000"), 15000000),
        (Decimal("150000.00"), 15000000),
        (150000, 15000000),
        (Decimal("1"), 100),
        (Decimal("0"), 0),
    ],
)
def test_rupiah_become_stripe_idr_minor_units(rupiah, expected):
    assert stripe_api.to_stripe_amount(rupiah) == expected


@pytest.mark.parametrize("rupiah", [Decimal("150000.50"), Decimal("0.01"), Decimal("-1"), Decimal("NaN")])
def test_fractions_and_negative_amounts_are_refused(rupiah):
    with pytest.raises(ValueError):
        stripe_api.to_stripe_amount(rupiah)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        stripe_api.to_stripe_amount(150000.0)


def test_stripe_amount_converts_back_to_rupiah():
    assert stripe_api.from_stripe_amount(15000000) == Decimal("150000")


def test_stripe_errors_become_our_exceptions():
    card = stripe.CardError("Your card was declined.", None, "card_declined", http_status=402)
    too_small = stripe.InvalidRequestError(
        "Amount must be at least", "amount", code="amount_too_small", http_status=400
    )
    outage = stripe.APIError("Internal error", http_status=503)
    network = stripe.APIConnectionError("Timed out")

    declined = stripe_api._translate(card)
    assert isinstance(declined, stripe_api.CardDeclined)
    assert declined.code == "card_declined"
    assert str(declined) == "Your card was declined."
    assert isinstance(stripe_api._translate(too_small), stripe_api.AmountTooSmall)
    assert isinstance(stripe_api._translate(outage), stripe_api.PaymentProviderUnavailable)
    assert isinstance(stripe_api._translate(network), stripe_api.PaymentProviderUnavailable)


STRIPE_ORIGINS = {
    "script-src": ["https://js.stripe.com", "https://*.js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}


@pytest.mark.parametrize(
    ("api_base", "js_url", "origins"),
    [
        ("https://api.stripe.com", "https://js.stripe.com/v3/", STRIPE_ORIGINS),
        ("", "https://js.stripe.com/v3/", STRIPE_ORIGINS),
        (
            "http://127.0.0.1:8420/",
            "http://127.0.0.1:8420/js.stripe.com/v3/",
            {directive: ["http://127.0.0.1:8420"] for directive in STRIPE_ORIGINS},
        ),
    ],
)
def test_stripe_js_and_its_origins_follow_the_api_base(settings, api_base, js_url, origins):
    """Production calls api.stripe.com but loads Stripe.js from js.stripe.com; localstripe serves both."""
    settings.STRIPE_API_BASE = api_base
    assert stripe_api.stripe_js_url() == js_url
    assert stripe_api.content_security_policy_sources() == origins


def test_client_has_explicit_timeout_and_follows_settings(settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:1"
    settings.STRIPE_TIMEOUT_SECONDS = 7

    client = stripe_api.client()

    assert client._requestor._client._timeout == 7
    assert client._requestor.base_addresses["api"] == "http://127.0.0.1:1"


def test_amount_below_the_minimum_is_refused_before_calling_stripe(settings):
    # STRIPE_API_BASE points nowhere: a call would raise PaymentProviderUnavailable instead
    settings.STRIPE_API_BASE = "http://127.0.0.1:1"
    settings.MARKETPLACE_STRIPE_MINIMUM_IDR = 10000

    with pytest.raises(stripe_api.AmountTooSmall):
        stripe_api.create_and_confirm_payment_intent(
            order_number="100001", amount=Decimal("9999"), payment_method_id="pm_x", attempt=1
        )


def test_unreachable_stripe_saves_nothing(card_order, settings):
    # given Stripe cannot be reached
    settings.STRIPE_API_BASE = "http://127.0.0.1:1"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0

    # when
    with pytest.raises(stripe_api.PaymentProviderUnavailable):
        start_card_payment(order=card_order, payment_method_id="pm_card_visa")

    # then no attempt is recorded, so the retry uses the same idempotency key
    assert not CardPayment.objects.exists()
    card_order.refresh_from_db()
    assert card_order.status == "Pending payment"
