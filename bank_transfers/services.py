"""Write-side operations on bank transfers: start, proof upload, review, expiry.

Each status change locks the transfer row, checks that the move is allowed and writes a
BankTransferEvent. Where the order changes too (paid, expired), the order and its seller orders are
locked first and the transfer after them, in the order of core.locks, and the fulfilment service is
called in the same transaction.
"""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from bank_transfers.models import (
    OPEN_STATUSES,
    UNIQUE_CODE_MAX,
    UNIQUE_CODE_MIN,
    BankTransfer,
    BankTransferEventKind,
    BankTransferStatus,
)
from core import outbox
from core.locks import lock_order, lock_seller_orders
from core.money import round_rupiah
from core.transitions import record_initial, transition
from fulfilment.services import (
    ORDER_CANCELLED,
    ORDER_PENDING_PAYMENT,
    order_expire_unpaid,
    order_payment_succeeded,
)
from sellers.validators import validate_document

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")
S = BankTransferStatus

DEFAULT_BANK_ACCOUNT = {
    "bank_name": "Bank Syariah Indonesia (BSI)",
    "account_number": "7000000000",
    "account_holder": "Pasar Pesantren",
}
PROOF_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
# Random picks almost always find a free code at once; after this many collisions the free codes
# are listed and tried in turn, so a start only fails when all 999 are taken for this total.
RANDOM_CODE_ATTEMPTS = 10


class BankTransferError(Exception):
    """An operation that the transfer's (or its order's) current state does not allow."""


def marketplace_bank_account() -> dict[str, str]:
    """The account customers pay into: `settings.MARKETPLACE_BANK_ACCOUNT` over the defaults."""
    configured = getattr(settings, "MARKETPLACE_BANK_ACCOUNT", None) or {}
    return {key: str(configured.get(key) or default) for key, default in DEFAULT_BANK_ACCOUNT.items()}


def transfer_ttl() -> timedelta:
    """How long the customer has to pay: the same window as any unpaid order."""
    return timedelta(minutes=settings.MARKETPLACE_UNPAID_ORDER_TTL_MINUTES)


def reupload_grace() -> timedelta:
    """Time left to upload again after a rejection, even when the original deadline is near."""
    return timedelta(hours=getattr(settings, "MARKETPLACE_BANK_TRANSFER_REUPLOAD_HOURS", 24))


def pick_unique_code() -> int:
    return random.randint(UNIQUE_CODE_MIN, UNIQUE_CODE_MAX)


def _lock(transfer: BankTransfer) -> BankTransfer:
    return BankTransfer.objects.select_for_update(of=("self",)).select_related("order").get(pk=transfer.pk)


def _free_codes_for(amount) -> list[int]:
    taken = set(
        BankTransfer.objects.filter(
            status__in=OPEN_STATUSES,
            amount_due__gt=amount,
            amount_due__lte=amount + UNIQUE_CODE_MAX,
        ).values_list("amount_due", flat=True)
    )
    free = [code for code in range(UNIQUE_CODE_MIN, UNIQUE_CODE_MAX + 1) if amount + code not in taken]
    random.shuffle(free)
    return free


def _candidate_codes(amount):
    for _attempt in range(RANDOM_CODE_ATTEMPTS):
        yield pick_unique_code()
    yield from _free_codes_for(amount)


def _create_with_free_code(*, order, amount, expires_at) -> BankTransfer:
    """Insert the transfer under the partial unique constraint, retrying other codes on collision.

    The database decides whether a code is free (no check-then-act); each attempt runs in a
    savepoint so that a collision does not spoil the surrounding transaction.
    """
    account = marketplace_bank_account()
    for code in _candidate_codes(amount):
        try:
            with transaction.atomic():
                return BankTransfer.objects.create(
                    order=order,
                    amount=amount,
                    unique_code=code,
                    amount_due=amount + code,
                    expires_at=expires_at,
                    **account,
                )
        except IntegrityError:
            # Only a collision on the amount due is worth another code; anything else is a bug.
            if not BankTransfer.objects.filter(status__in=OPEN_STATUSES, amount_due=amount + code).exists():
                raise
    raise BankTransferError(_("Every unique code for %(amount)s is in use; try again later.") % {"amount": amount})


@transaction.atomic
def start_bank_transfer(*, order) -> BankTransfer:
    """Open the bank transfer that pays a just-placed order. Idempotent: one transfer per order.

    Called by checkout right after an order paid by transfer is placed (status pending payment).
    """
    # The order row lock serialises two starts of the same order.
    order = lock_order(order.pk)
    existing = BankTransfer.objects.filter(order=order).first()
    if existing is not None:
        return existing
    if order.status != ORDER_PENDING_PAYMENT:
        raise BankTransferError(
            _("Order %(number)s is not awaiting payment (%(status)s).")
            % {"number": order.number, "status": order.status}
        )
    amount = round_rupiah(order.total_incl_tax)
    if amount <= 0:
        raise BankTransferError(_("Order %(number)s has nothing to pay.") % {"number": order.number})
    transfer = _create_with_free_code(order=order, amount=amount, expires_at=order.date_placed + transfer_ttl())
    record_initial([transfer], kind=BankTransferEventKind.STARTED, note=f"{transfer.amount_due}")
    return transfer


def submit_proof(*, transfer: BankTransfer, file, user=None) -> BankTransfer:
    """Attach the customer's proof of transfer (PDF, JPEG or PNG) for finance to review.

    Raises ValidationError for a file of the wrong type or size, BankTransferError when the
    transfer does not accept a proof now. Either way nothing is stored.
    """
    content_type = validate_document(file)
    with transaction.atomic():
        transfer = _lock(transfer)
        if transfer.status != S.AWAITING_TRANSFER:
            raise BankTransferError(
                _("This transfer does not accept a proof now (%(status)s).") % {"status": transfer.get_status_display()}
            )
        if transfer.is_overdue:
            raise BankTransferError(_("The time to pay this order has run out."))
        # Named after the type read from its bytes, never the customer's file name.
        transfer.proof.save(f"transfer-{transfer.pk}{PROOF_EXTENSIONS.get(content_type, '')}", file, save=False)
        uploaded_by = user if user is not None and user.is_authenticated else None
        transition(
            transfer,
            S.PROOF_UPLOADED,
            actor=uploaded_by,
            note=transfer.proof.name,
            proof=transfer.proof,
            proof_content_type=content_type,
            proof_size=file.size,
            uploaded_at=timezone.now(),
            uploaded_by=uploaded_by,
        )
    return transfer


@transaction.atomic
def confirm_transfer(*, transfer: BankTransfer, confirmed_by) -> BankTransfer:
    """Finance has seen the money on the bank statement: the order becomes paid, exactly once.

    Allowed with or without an uploaded proof (the statement line is what counts). Refused when the
    transfer is already confirmed or expired, or when its order no longer awaits payment.
    """
    # The order and its parts before the transfer (core.locks): paying the order changes all three.
    lock_order(transfer.order_id)
    lock_seller_orders(transfer.order_id)
    transfer = _lock(transfer)
    if transfer.status not in OPEN_STATUSES:
        raise BankTransferError(
            _("This transfer cannot be confirmed: it is %(status)s.") % {"status": transfer.get_status_display()}
        )
    transition(
        transfer,
        S.CONFIRMED,
        actor=confirmed_by,
        reviewed_by=confirmed_by,
        reviewed_at=timezone.now(),
        rejection_reason="",
    )
    if not order_payment_succeeded(order_id=transfer.order_id, reference=f"transfer-{transfer.pk}"):
        # Raising rolls the confirmation back: money for a cancelled order is refunded by hand.
        raise BankTransferError(
            _("Order %(number)s no longer awaits payment; refund the customer instead.")
            % {"number": transfer.order.number}
        )
    return transfer


@transaction.atomic
def reject_proof(*, transfer: BankTransfer, rejected_by, reason: str) -> BankTransfer:
    """Turn down an uploaded proof with a reason; the customer is told and may upload another."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the customer a reason for the rejection."), code="reason_required")
    transfer = _lock(transfer)
    if transfer.status != S.PROOF_UPLOADED:
        raise BankTransferError(
            _("Only an uploaded proof can be rejected; this transfer is %(status)s.")
            % {"status": transfer.get_status_display()}
        )
    now = timezone.now()
    event = transition(
        transfer,
        S.AWAITING_TRANSFER,
        actor=rejected_by,
        note=reason,
        rejection_reason=reason,
        reviewed_by=rejected_by,
        reviewed_at=now,
        expires_at=max(transfer.expires_at, now + reupload_grace()),
    )
    from bank_transfers.tasks import send_proof_rejected_email

    outbox.enqueue(send_proof_rejected_email, transfer.pk, event.pk)
    return transfer


def _expire_one(transfer_id: int) -> bool:
    order_id = BankTransfer.objects.filter(pk=transfer_id).values_list("order_id", flat=True).first()
    if order_id is None:
        return False
    with transaction.atomic():
        # The order and its parts before the transfer (core.locks): expiring the order changes all three.
        lock_order(order_id)
        lock_seller_orders(order_id)
        transfer = (
            BankTransfer.objects.select_for_update(of=("self",))
            .select_related("order")
            .filter(pk=transfer_id, status__in=OPEN_STATUSES)
            .first()
        )
        if transfer is None:
            return False
        order_cancelled = transfer.order.status == ORDER_CANCELLED
        if not order_cancelled:
            # A proof under review keeps the order alive until finance has decided.
            if transfer.status != S.AWAITING_TRANSFER or not transfer.is_overdue:
                return False
            if not order_expire_unpaid(order_id=transfer.order_id):
                logger.warning(
                    "Transfer %s is overdue but order %s is not wholly unpaid", transfer.pk, transfer.order_id
                )
                return False
        note = _("The order was cancelled.") if order_cancelled else _("Not paid in time.")
        transition(transfer, S.EXPIRED, note=note)
        return True


def expire_overdue_transfers() -> int:
    """Expire unpaid transfers past their deadline, cancelling their orders and releasing the stock.

    Also closes open transfers whose order was cancelled some other way, so their amount due is
    free again. Each transfer is handled in its own short transaction; safe to run twice.
    """
    now = timezone.now()
    candidates = BankTransfer.objects.filter(
        Q(status=S.AWAITING_TRANSFER, expires_at__lte=now) | Q(status__in=OPEN_STATUSES, order__status=ORDER_CANCELLED)
    )
    transfer_ids = list(candidates.order_by("pk").values_list("pk", flat=True))
    return sum(_expire_one(transfer_id) for transfer_id in transfer_ids)
