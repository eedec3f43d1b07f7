"""Card attempts backed by a Stripe PaymentIntent, shared by order and invoice card payments.

An attempt is a row with `attempt`, `amount`, `payment_intent_id`, `status`, `client_secret` and
`last_error` (payments.CardPayment, invoices.InvoiceCardPayment). The callers hold the lock on what
is being paid (the order or the invoice); these helpers only touch the attempts.
"""

import logging
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from core.money import format_rupiah
from payments import stripe_api
from payments.models import PaymentIntentStatus
from payments.stripe_api import AmountTooSmall, CardDeclined, PaymentError, PaymentProviderUnavailable

logger = logging.getLogger(__name__)

# Once Stripe reports one of these, an older snapshot arriving late must not undo it.
FINAL_STATUSES = {PaymentIntentStatus.SUCCEEDED, PaymentIntentStatus.CANCELED}
# Attempts that might still take the customer's money.
OPEN_STATUSES = {PaymentIntentStatus.REQUIRES_ACTION, PaymentIntentStatus.REQUIRES_CONFIRMATION}


def clean_payment_method_id(payment_method_id: str) -> str:
    payment_method_id = (payment_method_id or "").strip()
    if not payment_method_id.startswith("pm_"):
        raise PaymentError(_("Enter your card details."))
    return payment_method_id


def check_minimum_charge(amount: Decimal) -> None:
    if amount < stripe_api.minimum_charge():
        raise AmountTooSmall(
            _("Card payments must be at least %(minimum)s.") % {"minimum": format_rupiah(stripe_api.minimum_charge())}
        )


def next_attempt_number(attempts: QuerySet) -> int:
    return (attempts.aggregate(last=Max("attempt"))["last"] or 0) + 1


def mirror_intent(attempt, intent) -> None:
    """Copy Stripe's view of a PaymentIntent onto our attempt (not saved); never undo a final state."""
    if attempt.status in FINAL_STATUSES and intent.status != attempt.status:
        logger.warning("Ignoring %s → %s for %s", attempt.status, intent.status, attempt.payment_intent_id)
        return
    attempt.payment_intent_id = intent.id
    attempt.status = intent.status
    if intent.status == PaymentIntentStatus.REQUIRES_ACTION:
        attempt.client_secret = intent.client_secret or ""
    error = getattr(intent, "last_payment_error", None)
    if error:
        error = error.to_dict()
        attempt.last_error = error.get("message") or error.get("code") or ""


def cancel_open_attempts(attempts: QuerySet, *, already_paid: PaymentError) -> None:
    """Cancel earlier attempts left waiting for 3-D Secure, so the customer cannot pay twice.

    Raises `already_paid` when one of them succeeded meanwhile.
    """
    for attempt in attempts.filter(status__in=OPEN_STATUSES).exclude(payment_intent_id=""):
        try:
            intent = stripe_api.cancel_payment_intent(attempt.payment_intent_id)
        except PaymentProviderUnavailable:
            raise
        except PaymentError:
            # It may have moved on meanwhile (e.g. 3-D Secure finished): take Stripe's word for it.
            intent = stripe_api.retrieve_payment_intent(attempt.payment_intent_id)
        mirror_intent(attempt, intent)
        attempt.save()
        if attempt.status == PaymentIntentStatus.SUCCEEDED:
            raise already_paid


def confirm_attempt(attempt, create_intent: Callable[[], object]) -> CardDeclined | None:
    """Create and confirm the attempt's PaymentIntent, then save the attempt.

    A declined card is recorded on the attempt (status `requires_payment_method`) and returned, not
    raised, so the caller can commit the attempt before raising it: the next attempt then gets a new
    idempotency key.
    """
    declined = None
    try:
        intent = create_intent()
    except CardDeclined as error:
        declined = error
        attempt.payment_intent_id = error.payment_intent_id
        attempt.status = PaymentIntentStatus.REQUIRES_PAYMENT_METHOD
        attempt.last_error = str(error)
    else:
        mirror_intent(attempt, intent)
    attempt.save()
    return declined


def refuse_wrong_amount(attempt, intent, *, amount: Decimal, paying: str, message: str) -> bool:
    """Whether Stripe took something other than exactly `amount` rupiah; if so, log it and note
    `message` on the attempt. `paying` names what was paid in the log ("order 100042")."""
    expected = stripe_api.to_stripe_amount(amount)
    received = getattr(intent, "amount_received", None) or intent.amount
    if intent.currency == stripe_api.CURRENCY and received == expected and intent.amount == expected:
        return False
    logger.error(
        "Refusing PaymentIntent %s for %s: %s %s received, %s idr expected",
        intent.id,
        paying,
        received,
        intent.currency,
        expected,
    )
    type(attempt).objects.filter(pk=attempt.pk).update(last_error=message)
    return True
