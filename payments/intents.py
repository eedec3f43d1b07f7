"""Card attempts backed by a Stripe PaymentIntent, shared by order and invoice card payments.

An attempt is a row with `attempt`, `amount`, `payment_intent_id`, `status`, `client_secret` and
`last_error` (payments.CardPayment, invoices.InvoiceCardPayment). `pay_by_card` runs the whole
start of a payment without holding a row lock over a Stripe call: each step locks what is being
paid (the order or the invoice), then the attempt (the lock order of `core.locks`), commits, and
only then talks to Stripe.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_rupiah
from core.transitions import record_initial, transition
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
    """Copy Stripe's view of a PaymentIntent onto our locked attempt; never undo a final state.

    A new status goes through `core.transitions` (saved, with an event); the other fields are set
    for the caller to save."""
    if attempt.status in FINAL_STATUSES and intent.status != attempt.status:
        logger.warning("Ignoring %s → %s for %s", attempt.status, intent.status, attempt.payment_intent_id)
        return
    attempt.payment_intent_id = intent.id
    if intent.status == PaymentIntentStatus.REQUIRES_ACTION:
        attempt.client_secret = intent.client_secret or ""
    error = getattr(intent, "last_payment_error", None)
    if error:
        error = error.to_dict()
        attempt.last_error = error.get("message") or error.get("code") or ""
    _mirror_status(attempt, intent.status, note=intent.id)


def _mirror_status(attempt, status: str, *, note: str = "") -> None:
    if attempt.status != status:
        transition(attempt, status, note=note)


def _cancel_at_stripe(payment_intent_id: str):
    try:
        return stripe_api.cancel_payment_intent(payment_intent_id)
    except PaymentProviderUnavailable:
        raise
    except PaymentError:
        # It may have moved on meanwhile (e.g. 3-D Secure finished): take Stripe's word for it.
        return stripe_api.retrieve_payment_intent(payment_intent_id)


# An attempt recorded but not yet answered by Stripe is another start in flight, unless it is older
# than any Stripe call can take (then its process died, and the reconciler or a webhook adopts it).
IN_FLIGHT_FOR = timedelta(minutes=2)


def pay_by_card(
    *,
    lock_payable: Callable[[], object],
    check_payable: Callable[[object], Decimal],
    attempts_of: Callable[[object], QuerySet],
    new_attempt: Callable[[object, int, Decimal], object],
    create_intent: Callable[[object], object],
    already_paid: PaymentError,
    in_flight: PaymentError,
):
    """Start a card attempt on what `lock_payable` locks (an order, an invoice), with no lock held
    while Stripe is called.

    1. Cancel earlier attempts left waiting for 3-D Secure, so the customer cannot pay twice; each
       cancel is a Stripe call made between two transactions, its answer booked under the locks.
       Raises `already_paid` when one of them succeeded meanwhile.
    2. Lock, check (`check_payable` raises or returns the amount) and record the new attempt; commit.
    3. Create and confirm its PaymentIntent at Stripe (`create_intent(attempt)`; the idempotency key
       comes from the attempt number).
    4. Lock again and book Stripe's answer on the attempt, unless a webhook booked a final state first.

    A declined card is kept on the attempt and raised (the next attempt gets a new idempotency key).
    When Stripe cannot be reached the attempt is deleted, so the retry reuses its idempotency key.
    """
    if not stripe_api.card_payments_enabled():
        raise stripe_api.CardPaymentsOff(_("Card payments are not available; choose another way to pay."))
    with transaction.atomic():
        payable = lock_payable()
        check_payable(payable)
        open_attempts = list(
            attempts_of(payable)
            .filter(status__in=OPEN_STATUSES)
            .exclude(payment_intent_id="")
            .values_list("pk", "payment_intent_id")
        )
    for attempt_pk, payment_intent_id in open_attempts:
        intent = _cancel_at_stripe(payment_intent_id)
        with transaction.atomic():
            payable = lock_payable()
            attempt = attempts_of(payable).select_for_update(no_key=True).get(pk=attempt_pk)
            mirror_intent(attempt, intent)
            attempt.save()
            if attempt.status == PaymentIntentStatus.SUCCEEDED:
                raise already_paid

    with transaction.atomic():
        payable = lock_payable()
        amount = check_payable(payable)
        attempts = attempts_of(payable)
        if (
            attempts.filter(status__in=OPEN_STATUSES, created_at__gt=timezone.now() - IN_FLIGHT_FOR)
            .filter(payment_intent_id="")
            .exists()
        ):
            raise in_flight
        attempt = new_attempt(payable, next_attempt_number(attempts), amount)
        attempt.save()
        record_initial([attempt])

    declined = None
    try:
        intent = create_intent(attempt)
    except CardDeclined as error:
        declined, intent = error, None
    except PaymentError:
        with transaction.atomic():
            lock_payable()
            # Unless a webhook adopted it meanwhile (then Stripe did make it), forget the attempt.
            type(attempt).objects.filter(pk=attempt.pk, payment_intent_id="").delete()
        raise

    with transaction.atomic():
        lock_payable()
        attempt = type(attempt).objects.select_for_update(no_key=True).get(pk=attempt.pk)
        if declined is not None:
            if attempt.status not in FINAL_STATUSES:
                attempt.payment_intent_id = attempt.payment_intent_id or declined.payment_intent_id
                attempt.last_error = str(declined)
                _mirror_status(attempt, PaymentIntentStatus.REQUIRES_PAYMENT_METHOD, note=attempt.payment_intent_id)
        else:
            mirror_intent(attempt, intent)
        attempt.save()
    if declined is not None:
        raise declined
    return attempt


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
