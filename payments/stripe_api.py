"""The only module that talks to Stripe.

Everything else calls these functions and sees our own exceptions, never the SDK's. The client is
built from settings (STRIPE_SECRET_KEY, STRIPE_API_BASE, STRIPE_WEBHOOK_SECRET) with explicit
timeouts, so a slow Stripe cannot hold a request worker for the SDK's default 80 seconds.

Stripe amounts are in the currency's minor unit. Stripe does not treat IDR as zero-decimal, so
Rp 150.000 is sent as 15000000.
"""

import logging
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlsplit

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from core.locks import forbid_network_in_transaction
from core.money import format_rupiah

logger = logging.getLogger(__name__)

CURRENCY = "idr"
DEFAULT_TIMEOUT_SECONDS = 10
DEFAULT_MINIMUM_IDR = 10000


class PaymentError(Exception):
    """A payment could not be made or changed. `str(error)` is safe to show to the customer."""


class CardDeclined(PaymentError):
    """The card issuer or Stripe refused the card. The message is Stripe's user-facing one."""

    def __init__(self, message: str, *, code: str = "", payment_intent_id: str = ""):
        super().__init__(message)
        self.code = code
        self.payment_intent_id = payment_intent_id


class AmountTooSmall(PaymentError):
    """Stripe refuses charges below about US$0.50 equivalent."""


class PaymentProviderUnavailable(PaymentError):
    """Stripe could not be reached, timed out or failed on its side: try again later."""


class StripeObjectNotFound(PaymentError):
    """Stripe has no object with that id (a forged or foreign event, or another account's)."""


class CardPaymentsOff(PaymentError):
    """MARKETPLACE_CARD_PAYMENTS is off: this site takes no card payments (and may have no Stripe keys)."""


def card_payments_enabled() -> bool:
    return settings.MARKETPLACE_CARD_PAYMENTS


def to_stripe_amount(rupiah: Decimal) -> int:
    """Rupiah as Stripe's IDR amount (two implied decimals). Fractions of a rupiah are refused."""
    if isinstance(rupiah, float):
        raise TypeError("Money must be a Decimal or an int, never a float.")
    amount = Decimal(rupiah)
    if not amount.is_finite() or amount < 0:
        raise ValueError(_("An amount must be zero or more rupiah."))
    if amount != amount.to_integral_value():
        raise ValueError(_("Amounts are charged in whole rupiah, not %(amount)s.") % {"amount": amount})
    return int(amount) * 100


def from_stripe_amount(amount: int) -> Decimal:
    """Stripe's IDR amount back to rupiah."""
    return Decimal(amount) / 100


def minimum_charge() -> Decimal:
    return Decimal(getattr(settings, "MARKETPLACE_STRIPE_MINIMUM_IDR", DEFAULT_MINIMUM_IDR))


def publishable_key() -> str:
    return settings.STRIPE_PUBLISHABLE_KEY


STRIPE_JS_URL = "https://js.stripe.com/v3/"


def _api_base() -> str:
    return getattr(settings, "STRIPE_API_BASE", "") or ""


def _talks_to_stripe_itself(base: str) -> bool:
    return not base or "api.stripe.com" in base


def stripe_js_url() -> str:
    """Where the checkout page loads Stripe.js from; localstripe serves a fake one offline."""
    base = _api_base()
    return STRIPE_JS_URL if _talks_to_stripe_itself(base) else f"{base.rstrip('/')}/js.stripe.com/v3/"


def content_security_policy_sources() -> dict[str, list[str]]:
    """The origins the card pages need beyond our own, by Content-Security-Policy directive.

    Against Stripe: Stripe.js, its card and 3-D Secure iframes, and its API (Stripe's CSP guide).
    Against a local test server (localstripe in the demo and the tests): that server's origin, which
    serves the stand-in Stripe.js and answers its API calls.
    """
    base = _api_base()
    if _talks_to_stripe_itself(base):
        return {
            "script-src": ["https://js.stripe.com", "https://*.js.stripe.com"],
            "frame-src": ["https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com"],
            "connect-src": ["https://api.stripe.com"],
        }
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    return {"script-src": [origin], "frame-src": [origin], "connect-src": [origin]}


@lru_cache(maxsize=4)
def _client_for(api_key: str, api_base: str, timeout: float, retries: int) -> stripe.StripeClient:
    base_addresses = {"api": api_base.rstrip("/")} if api_base else None
    return stripe.StripeClient(
        api_key,
        base_addresses=base_addresses,
        http_client=stripe.RequestsClient(timeout=timeout),
        max_network_retries=retries,
    )


def client() -> stripe.StripeClient:
    """The configured client; rebuilt when settings change (tests point it at localstripe)."""
    return _client_for(
        settings.STRIPE_SECRET_KEY,
        getattr(settings, "STRIPE_API_BASE", "") or "",
        float(getattr(settings, "STRIPE_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)),
        # Retries are safe: every write carries an idempotency key.
        int(getattr(settings, "STRIPE_MAX_NETWORK_RETRIES", 1)),
    )


def _translate(error: stripe.StripeError) -> PaymentError:
    if isinstance(error, stripe.CardError):
        payment_intent = getattr(error.error, "payment_intent", None) if error.error else None
        return CardDeclined(
            error.user_message or _("Your card was declined."),
            code=error.code or "",
            payment_intent_id=getattr(payment_intent, "id", "") or "",
        )
    if isinstance(error, stripe.InvalidRequestError) and (error.code == "resource_missing" or error.http_status == 404):
        logger.warning("Stripe has no such object: %r", error)
        return StripeObjectNotFound(_("The card payment could not be found."))
    if isinstance(error, stripe.InvalidRequestError) and error.code == "amount_too_small":
        return AmountTooSmall(error.user_message or _("The amount is below the minimum that can be paid by card."))
    if isinstance(error, stripe.APIConnectionError | stripe.RateLimitError) or (
        isinstance(error, stripe.APIError) and (error.http_status or 500) >= 500
    ):
        logger.warning("Stripe unavailable: %r", error)
        return PaymentProviderUnavailable(_("The card payment service is not available. Please try again shortly."))
    logger.error("Stripe refused a request: %r", error)
    return PaymentError(_("The card payment could not be processed."))


def _call(method, *args, **kwargs):
    # A Stripe call can take seconds: never while a transaction holds row locks (see core.locks).
    forbid_network_in_transaction("Stripe")
    try:
        return method(*args, **kwargs)
    except stripe.StripeError as error:
        raise _translate(error) from error


def create_and_confirm_payment_intent(
    *, order_number: str, amount: Decimal, payment_method_id: str, attempt: int
) -> stripe.PaymentIntent:
    """Create and confirm a card PaymentIntent for `amount` rupiah in one call.

    Returns the PaymentIntent (succeeded, requires_action for 3-D Secure, or processing). The
    idempotency key is derived from the order and attempt, so a network retry never charges twice.
    """
    return _create_and_confirm(
        amount=amount,
        payment_method_id=payment_method_id,
        metadata={"order_number": order_number, "attempt": str(attempt)},
        idempotency_key=f"order-{order_number}-pi-{attempt}",
    )


def create_and_confirm_invoice_payment_intent(
    *, invoice_id: int, invoice_number: str, amount: Decimal, payment_method_id: str, attempt: int
) -> stripe.PaymentIntent:
    """The same for an off-taker invoice's balance; the metadata names the invoice, not an order."""
    return _create_and_confirm(
        amount=amount,
        payment_method_id=payment_method_id,
        metadata={"invoice_id": str(invoice_id), "invoice_number": invoice_number, "attempt": str(attempt)},
        idempotency_key=f"invoice-{invoice_id}-pi-{attempt}",
    )


def _create_and_confirm(
    *, amount: Decimal, payment_method_id: str, metadata: dict, idempotency_key: str
) -> stripe.PaymentIntent:
    if amount < minimum_charge():
        raise AmountTooSmall(
            _("Card payments must be at least %(minimum)s.") % {"minimum": format_rupiah(minimum_charge())}
        )
    params = {
        "amount": to_stripe_amount(amount),
        "currency": CURRENCY,
        "payment_method": payment_method_id,
        # Card only: 3-D Secure is finished by Stripe.js on our page, so no return_url is needed.
        "payment_method_types": ["card"],
        "confirm": True,
        "metadata": metadata,
    }
    return _call(client().v1.payment_intents.create, params=params, options={"idempotency_key": idempotency_key})


def retrieve_payment_intent(payment_intent_id: str) -> stripe.PaymentIntent:
    return _call(client().v1.payment_intents.retrieve, payment_intent_id)


def cancel_payment_intent(payment_intent_id: str) -> stripe.PaymentIntent:
    return _call(client().v1.payment_intents.cancel, payment_intent_id)


def create_refund(payment_intent_id: str, amount: Decimal, idempotency_key: str) -> stripe.Refund:
    """Refund `amount` rupiah of a succeeded PaymentIntent."""
    return _call(
        client().v1.refunds.create,
        params={"payment_intent": payment_intent_id, "amount": to_stripe_amount(amount)},
        options={"idempotency_key": idempotency_key},
    )


def construct_webhook_event(payload: bytes, signature: str) -> stripe.Event:
    """Verify a webhook's signature and parse it. Raises ValueError on a bad payload or signature."""
    try:
        return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except stripe.SignatureVerificationError as error:
        raise ValueError("Bad Stripe signature") from error


def localstripe_shim_enabled() -> bool:
    """Only against a local Stripe test server, never against Stripe itself."""
    return not _talks_to_stripe_itself(_api_base()) and settings.STRIPE_SECRET_KEY.startswith("sk_test_")


def create_test_card_payment_method(*, number: str, exp_month, exp_year, cvc: str) -> str:
    """Create a card PaymentMethod on the local test server, as real Stripe.js does in the browser.

    localstripe's stand-in Stripe.js has no createPaymentMethod, so the demo's card page posts the
    (test) card here instead. Refuses to run against real Stripe: card numbers never reach us there.
    """
    if not localstripe_shim_enabled():
        raise PaymentError("Test card payment methods are only created against a local Stripe test server.")
    card = {"number": number, "exp_month": exp_month, "exp_year": exp_year, "cvc": cvc}
    payment_method = _call(client().v1.payment_methods.create, params={"type": "card", "card": card})
    return payment_method.id
