"""Bookings on the pesantren ledger and the life of payouts. Each booking is keyed, so a retry books nothing twice.

A payout books its ledger debit in the same transaction that creates it, so the balance drops at
once and the same money cannot be paid out twice. A payout that fails (or is cancelled) books a
matching ADJUSTMENT credit, so the money becomes payable again.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.money import round_rupiah
from core.transitions import record_initial, transition
from payouts.disbursement import (
    DisbursementError,
    backend_for,
    backend_for_method,
    method_for_seller,
)
from payouts.models import (
    PAYOUT_MACHINE,
    ConnectedAccount,
    LedgerEntry,
    LedgerEntryKind,
    Payout,
    PayoutBatch,
    PayoutEvent,
    PayoutMethod,
    PayoutStatus,
    PayoutTransitionNotAllowed,  # noqa: F401 (public API)
)
from payouts.selectors import balances_by_seller, payable_balance, seller_balance  # noqa: F401 (public API)
from sellers.models import Seller

logger = logging.getLogger(__name__)

P = PayoutStatus
ALLOWED_TRANSITIONS = PAYOUT_MACHINE.transitions


# Stored on the batch as a code, not a sentence: the page translates it for whoever reads it.
SKIP_BANK_DETAILS_INCOMPLETE = "bank_details_incomplete"


def _book(**fields) -> LedgerEntry | None:
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(**fields)
    except IntegrityError:
        return None


def ledger_credit_for_completed_order(*, seller_order) -> LedgerEntry | None:
    """Credit what the pesantren earned on a completed part: goods − commission + shipping − refunds."""
    amount = seller_order.payable_to_seller - seller_order.refunded_amount
    return _book(
        seller_id=seller_order.seller_id,
        seller_order=seller_order,
        kind=LedgerEntryKind.ORDER_COMPLETED,
        amount=amount,
        description=_("Order %(number)s completed") % {"number": seller_order.number},
        idempotency_key=f"seller-order-{seller_order.pk}-completed",
    )


def ledger_debit_for_refund(*, seller_order, amount: Decimal, reference: str) -> LedgerEntry | None:
    return _book(
        seller_id=seller_order.seller_id,
        seller_order=seller_order,
        kind=LedgerEntryKind.REFUND,
        amount=-amount,
        description=_("Refund on order %(number)s") % {"number": seller_order.number},
        idempotency_key=f"seller-order-{seller_order.pk}-refund-{reference or seller_order.refunded_amount}",
    )


def payout_minimum() -> Decimal:
    return Decimal(getattr(settings, "MARKETPLACE_PAYOUT_MINIMUM_IDR", 50000))


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def bank_details_complete(seller: Seller) -> bool:
    return all(value.strip() for value in (seller.bank_name, seller.bank_account_number, seller.bank_account_holder))


@dataclass
class WeeklyPayoutRun:
    batch: PayoutBatch
    created: bool
    payouts: list[Payout] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


def _transition(payout: Payout, to_status: str, *, actor=None, note: str = "", **fields) -> PayoutEvent:
    """Move a locked payout to `to_status`, saving `fields` with it, and record the event."""
    return transition(payout, to_status, actor=actor, note=note, **fields)


def _lock(payout: Payout | int) -> Payout:
    pk = payout if isinstance(payout, int) else payout.pk
    return Payout.objects.select_for_update(of=("self",)).select_related("seller", "batch").get(pk=pk)


def _create_payout(*, seller: Seller, amount: Decimal, batch: PayoutBatch | None, actor) -> Payout:
    """Create a payout and book its debit. Call inside a transaction, with the seller row locked."""
    method = method_for_seller(seller)
    payout = Payout.objects.create(
        batch=batch,
        seller=seller,
        amount=amount,
        method=method,
        bank_name=seller.bank_name.strip(),
        bank_account_number=seller.bank_account_number.strip(),
        bank_account_holder=seller.bank_account_holder.strip(),
        stripe_account_id=seller.connected_account.stripe_account_id if method == PayoutMethod.STRIPE_CONNECT else "",
        created_by=actor,
    )
    record_initial([payout], actor=actor)
    # Not through _book: a clash here must abort the payout, never leave it without its debit.
    LedgerEntry.objects.create(
        seller=seller,
        payout=payout,
        kind=LedgerEntryKind.PAYOUT,
        amount=-amount,
        description=_("Payout %(id)s") % {"id": payout.pk},
        idempotency_key=payout.idempotency_key,
    )
    return payout


@transaction.atomic
def create_weekly_payouts(*, now: datetime | None = None, actor=None) -> WeeklyPayoutRun:
    """Make this ISO week's batch: one payout for every pesantren owed at least the minimum.

    Idempotent: the batch is unique per week, so a second run (or a concurrent one, which waits
    on the unique index) returns the existing batch and creates nothing. Pesantren paid by bank
    transfer whose bank details are incomplete are skipped and listed on the batch. Connect
    payouts are sent by a task once the transaction commits.
    """
    now = now or timezone.now()
    batch, created = PayoutBatch.objects.get_or_create(
        week=iso_week(timezone.localdate(now)), defaults={"created_by": actor}
    )
    if not created:
        return WeeklyPayoutRun(batch=batch, created=False, skipped=batch.skipped_sellers)

    minimum = payout_minimum()
    candidate_ids = list(balances_by_seller(now=now).filter(payable__gte=minimum).values_list("pk", flat=True))
    # Lock in pk order, then read the balances again: they are now what we pay against.
    sellers = list(
        Seller.objects.select_for_update(of=("self",))
        .select_related("connected_account")
        .filter(pk__in=candidate_ids)
        .order_by("pk")
    )
    payable = {seller.pk: seller.payable for seller in balances_by_seller(seller_ids=candidate_ids, now=now)}
    run = WeeklyPayoutRun(batch=batch, created=True)
    for seller in sellers:
        # Ledger amounts are whole rupiah already (fulfilment rounds every part): this only normalises.
        amount = round_rupiah(payable.get(seller.pk, Decimal(0)))
        if amount < minimum:
            continue
        if method_for_seller(seller) == PayoutMethod.BANK_TRANSFER and not bank_details_complete(seller):
            run.skipped.append(
                {
                    "seller_id": seller.pk,
                    "name": seller.name,
                    "amount": str(amount),
                    "reason": SKIP_BANK_DETAILS_INCOMPLETE,
                }
            )
            continue
        run.payouts.append(_create_payout(seller=seller, amount=amount, batch=batch, actor=actor))
    if run.skipped:
        batch.skipped_sellers = run.skipped
        batch.save(update_fields=["skipped_sellers"])
        logger.warning("Payout batch %s skipped %s pesantren without bank details", batch.week, len(run.skipped))

    connect_ids = [payout.pk for payout in run.payouts if payout.method == PayoutMethod.STRIPE_CONNECT]
    if connect_ids:
        from payouts.tasks import disburse_payout

        for payout_id in connect_ids:
            outbox.enqueue(disburse_payout, payout_id)
    return run


def _recredit(payout: Payout, *, description: str) -> LedgerEntry:
    return LedgerEntry.objects.create(
        seller_id=payout.seller_id,
        payout=payout,
        kind=LedgerEntryKind.ADJUSTMENT,
        amount=payout.amount,
        description=description,
        idempotency_key=f"{payout.idempotency_key}-reversed",
    )


@transaction.atomic
def payout_mark_paid(*, payout: Payout, actor, reference: str = "") -> Payout:
    payout = _lock(payout)
    fields = {"paid_at": timezone.now(), "paid_by": actor}
    if reference.strip():
        fields["reference"] = reference.strip()[:120]
    _transition(payout, P.PAID, actor=actor, note=reference, **fields)
    return payout


@transaction.atomic
def payout_mark_failed(*, payout: Payout, actor, reason: str) -> Payout:
    """The money did not arrive (e.g. the bank bounced it): the payout fails and the ledger is re-credited."""
    if not reason.strip():
        raise ValueError(_("Give a reason why the payout failed."))
    payout = _lock(payout)
    _transition(
        payout, P.FAILED, actor=actor, note=reason, failure_reason=reason, failed_at=timezone.now(), failed_by=actor
    )
    description = _("Payout %(id)s failed: %(reason)s") % {"id": payout.pk, "reason": reason}
    _recredit(payout, description=description[:255])
    return payout


@transaction.atomic
def payout_cancel(*, payout: Payout, actor, reason: str) -> Payout:
    """Withdraw a payout before it is exported; its money is payable again."""
    if not reason.strip():
        raise ValueError(_("Give a reason for cancelling the payout."))
    payout = _lock(payout)
    _transition(payout, P.CANCELLED, actor=actor, note=reason, failure_reason=reason)
    _recredit(payout, description=_("Payout %(id)s cancelled") % {"id": payout.pk})
    return payout


def _lock_batch_payouts(batch: PayoutBatch, *, statuses, method: str | None = None) -> list[Payout]:
    payouts = Payout.objects.select_for_update(of=("self",)).select_related("seller", "batch")
    payouts = payouts.filter(batch=batch, status__in=statuses)
    if method:
        payouts = payouts.filter(method=method)
    return list(payouts.order_by("pk"))


@transaction.atomic
def batch_mark_paid(*, batch: PayoutBatch, actor, reference: str = "") -> list[Payout]:
    """Mark every bank-transfer payout of the batch that is still open as paid."""
    payouts = _lock_batch_payouts(batch, statuses=[P.PENDING, P.EXPORTED], method=PayoutMethod.BANK_TRANSFER)
    now = timezone.now()
    for payout in payouts:
        fields = {"paid_at": now, "paid_by": actor}
        if reference.strip():
            fields["reference"] = reference.strip()[:120]
        _transition(payout, P.PAID, actor=actor, note=reference, **fields)
    return payouts


@dataclass
class BatchExport:
    filename: str
    content: bytes
    content_type: str
    payouts: list[Payout]


@transaction.atomic
def batch_export_bank_file(*, batch: PayoutBatch, actor) -> BatchExport:
    """The bank file for the batch's open bank-transfer payouts; pending ones become exported.

    Downloading again gives the same rows (exported ones stay in), but never paid, failed or
    cancelled payouts, so a re-upload cannot pay anyone twice.
    """
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    payouts = _lock_batch_payouts(batch, statuses=[P.PENDING, P.EXPORTED], method=PayoutMethod.BANK_TRANSFER)
    backend = backend_for_method(PayoutMethod.BANK_TRANSFER)
    now = timezone.now()
    for payout in payouts:
        if payout.status == P.PENDING:
            _transition(payout, P.EXPORTED, actor=actor, exported_at=now, exported_by=actor)
    if batch.exported_at is None:
        batch.exported_at, batch.exported_by = now, actor
        batch.save(update_fields=["exported_at", "exported_by"])
    payouts.sort(key=lambda payout: (payout.seller.name, payout.pk))
    return BatchExport(
        filename=backend.filename(batch),
        content=backend.render_csv(batch=batch, payouts=payouts),
        content_type=backend.content_type,
        payouts=payouts,
    )


def payout_disburse(*, payout_id: int) -> Payout | None:
    """Send a pending Connect payout through its backend. Safe to run twice.

    The Stripe call happens outside any transaction (no row lock held over the network); the
    idempotency key `payout-<pk>` makes a retried call return the same transfer. A refusal fails
    the payout and re-credits the ledger; a temporary error propagates so the task retries.
    """
    payout = Payout.objects.select_related("seller", "batch").filter(pk=payout_id).first()
    if payout is None or payout.status != P.PENDING or payout.method != PayoutMethod.STRIPE_CONNECT:
        return payout
    try:
        transfer_id = backend_for(payout).transfer(payout)
    except DisbursementError as error:
        with transaction.atomic():
            payout = _lock(payout_id)
            if payout.status != P.PENDING:
                return payout
            reason = _("Stripe refused the transfer: %(error)s") % {"error": error}
            _transition(payout, P.FAILED, note=reason, failure_reason=reason, failed_at=timezone.now())
            _recredit(payout, description=reason[:255])
        return payout
    with transaction.atomic():
        payout = _lock(payout_id)
        if payout.status == P.PENDING:
            _transition(payout, P.PAID, note=transfer_id, reference=transfer_id, paid_at=timezone.now())
    return payout


def connect_seller_account(*, seller: Seller, stripe_account_id: str) -> ConnectedAccount:
    """Record a pesantren's Stripe Connect account; its next payouts go out as Stripe transfers."""
    stripe_account_id = stripe_account_id.strip()
    if not stripe_account_id.startswith("acct_"):
        raise ValueError(_("A Stripe account id starts with “acct_”."))
    account, _created = ConnectedAccount.objects.update_or_create(
        seller=seller, defaults={"stripe_account_id": stripe_account_id}
    )
    return account
