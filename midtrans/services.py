"""Paying through Midtrans: starting a charge, applying Midtrans's state, notifications, refunds, fees.

Midtrans is the source of truth for a transaction. We apply only a state fetched with
`GET /v2/{order_id}/status` (`sync_charge`), so notifications may arrive twice, late or out of order,
and a notification's own copy is never trusted. No row lock is held over a Midtrans call: each step
locks what is being paid (the order and its parts, or an invoice), then the charge (`core.locks`
level 4), commits, and only then calls out.

Notifications (decided here, documented in docs/architecture.md): the view verifies the signature,
stores the notification once under the digest of its body and queues
`midtrans.tasks.process_midtrans_notification` through the outbox in the same transaction, then
answers 200 at once. The worker re-checks the status and applies it. A replay finds the digest
taken and changes nothing.
"""

import functools
import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core import outbox
from core.locks import lock_order, lock_seller_order, lock_seller_orders
from core.money import format_rupiah, round_rupiah
from core.transitions import record_initial, transition
from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.services import (
    ORDER_PENDING_PAYMENT,
    TransitionNotAllowed,
    order_expire_unpaid,
    order_payment_succeeded,
    seller_order_record_refund,
)
from midtrans import client
from midtrans.client import MidtransError, MidtransNotFound, MidtransRefused, MidtransUnavailable
from midtrans.methods import BILL, QR, VA, MidtransMethod, method_for
from midtrans.models import (
    CHARGE_TRANSITIONS,
    OPEN_STATUSES,
    PAID_STATUSES,
    ChargePurpose,
    ChargeStatus,
    MidtransCharge,
    MidtransFee,
    MidtransNotification,
    MidtransRefund,
    MidtransRefundStatus,
)
from payments.refunds import Refunded

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")
S = ChargeStatus
JAKARTA = ZoneInfo("Asia/Jakarta")
# A charge recorded but not yet answered is another start in flight, unless it is older than any call can take.
IN_FLIGHT_FOR = timedelta(minutes=2)
NOTIFICATION_PATH = "/payments/midtrans/notification/"


class ChargeNotPossible(MidtransError):
    """What was to be paid is not payable this way now (paid meanwhile, cancelled, another start under way)."""


def midtrans_enabled() -> bool:
    return bool(getattr(settings, "MARKETPLACE_MIDTRANS_PAYMENTS", False)) and bool(settings.MIDTRANS_SERVER_KEY)


def notification_url() -> str:
    """Where Midtrans should send this charge's notifications (X-Override-Notification), when set;
    otherwise Midtrans uses the URL configured in its dashboard (the site's NOTIFICATION_PATH)."""
    return getattr(settings, "MIDTRANS_NOTIFICATION_URL", "") or ""


# What a charge pays. Orders are built in; invoices register themselves from InvoicesConfig.ready.


@dataclass(frozen=True)
class Purpose:
    """`lock(payable_id)` locks what is paid and everything above a charge in `core.locks`, and
    returns it; `amount_due(payable)` returns the rupiah to charge or raises ChargeNotPossible;
    `on_settled(payable, charge)` books the money (payable and charge locked);
    `on_expired(payable, charge)` reacts to a charge that ran out unpaid."""

    lock: Callable[[int], object]
    amount_due: Callable[[object], Decimal]
    order_id_prefix: Callable[[object], str]
    customer: Callable[[object], dict]
    on_settled: Callable[[object, MidtransCharge], None]
    on_expired: Callable[[object, MidtransCharge], None]
    order_id: Callable[[object], int | None] = lambda payable: None


_purposes: dict[str, Purpose] = {}


def register_purpose(name: str, purpose: Purpose) -> None:
    _purposes[name] = purpose


def _lock_order_and_parts(order_id: int):
    order = lock_order(order_id)
    lock_seller_orders(order_id)
    return order


def _order_amount_due(order) -> Decimal:
    if order.status != ORDER_PENDING_PAYMENT:
        raise ChargeNotPossible(_("Order %(number)s is not awaiting payment.") % {"number": order.number})
    amount = round_rupiah(order.total_incl_tax)
    if amount <= 0:
        raise ChargeNotPossible(_("Order %(number)s has nothing to pay.") % {"number": order.number})
    return amount


def _order_customer(order) -> dict:
    address = order.shipping_address
    return {
        "first_name": (address.first_name if address else "") or (order.email or "").split("@")[0],
        "email": order.email or "",
        "phone": str(getattr(address, "phone_number", "") or ""),
    }


def _order_settled(order, charge: MidtransCharge) -> None:
    if order_payment_succeeded(order_id=order.pk, reference=charge.midtrans_order_id):
        _book_fee_shares(charge, order_id=order.pk)
        return
    _book_fee_shares(charge, order_id=order.pk)
    other_paid = (
        MidtransCharge.objects.filter(purpose=ChargePurpose.ORDER, order_id=order.pk, status__in=PAID_STATUSES)
        .exclude(pk=charge.pk)
        .exists()
    )
    if other_paid:
        logger.error("Charge %s settled but order %s was already paid: refund by hand", charge, order.number)
        return
    _give_back_cancelled_parts(order.pk, charge)


def _order_expired(order, charge: MidtransCharge) -> None:
    """An expired charge cancels its order and releases the stock, unless another charge of the
    order is still open (the buyer chose another method meanwhile)."""
    others_open = (
        MidtransCharge.objects.filter(purpose=ChargePurpose.ORDER, order_id=order.pk, status__in=OPEN_STATUSES)
        .exclude(pk=charge.pk)
        .exists()
    )
    if not others_open and order.status == ORDER_PENDING_PAYMENT:
        order_expire_unpaid(order_id=order.pk)


register_purpose(
    ChargePurpose.ORDER,
    Purpose(
        lock=_lock_order_and_parts,
        amount_due=_order_amount_due,
        order_id_prefix=lambda order: order.number,
        customer=_order_customer,
        on_settled=_order_settled,
        on_expired=_order_expired,
        order_id=lambda order: order.pk,
    ),
)


# Starting a charge.


def _charge_body(charge: MidtransCharge, method: MidtransMethod, *, customer: dict, callback_url: str) -> dict:
    body = {
        "payment_type": method.payment_type,
        "transaction_details": {
            "order_id": charge.midtrans_order_id,
            "gross_amount": client.to_midtrans_amount(charge.amount),
        },
        "customer_details": {key: value for key, value in customer.items() if value},
        "custom_expiry": {"expiry_duration": method.expiry_minutes(), "unit": "minute"},
    }
    if method.kind == VA:
        body["bank_transfer"] = {"bank": method.bank}
    elif method.kind == BILL:
        body["echannel"] = {"bill_info1": "Pembayaran:", "bill_info2": f"Pasar Pesantren {charge.midtrans_order_id}"}
    elif method.kind == QR:
        body["qris"] = {"acquirer": "gopay"}
    elif method.payment_type == "gopay":
        body["gopay"] = {"enable_callback": bool(callback_url), "callback_url": callback_url}
    elif method.payment_type == "shopeepay":
        body["shopeepay"] = {"callback_url": callback_url}
    return body


def _parse_time(value) -> datetime | None:
    """Midtrans's times are "YYYY-MM-DD HH:MM:SS" in Western Indonesia Time."""
    if not value:
        return None
    try:
        return datetime.strptime(str(value)[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=JAKARTA)
    except ValueError:
        logger.warning("Unreadable Midtrans time %r", value)
        return None


def _mirror_fields(charge: MidtransCharge, body: dict) -> None:
    """Copy what the buyer needs to pay (VA number, bill key, QR, app link) and ids onto the charge."""
    charge.transaction_id = str(body.get("transaction_id") or charge.transaction_id)
    for entry in body.get("va_numbers") or []:
        if isinstance(entry, dict) and entry.get("va_number"):
            charge.va_number = str(entry["va_number"])
    if body.get("permata_va_number"):
        charge.va_number = str(body["permata_va_number"])
    if body.get("bill_key"):
        charge.bill_key = str(body["bill_key"])
        charge.biller_code = str(body.get("biller_code") or "")
    if body.get("qr_string"):
        charge.qr_string = str(body["qr_string"])
    for action in body.get("actions") or []:
        if not isinstance(action, dict):
            continue
        if action.get("name") == "generate-qr-code" and action.get("url"):
            charge.qr_url = str(action["url"])[:500]
        if action.get("name") == "deeplink-redirect" and action.get("url"):
            charge.deeplink_url = str(action["url"])[:500]
    expiry = _parse_time(body.get("expiry_time"))
    if expiry is not None:
        charge.expires_at = expiry


def _mirror_status(charge: MidtransCharge, status: str, *, note: str = "") -> bool:
    """Move the locked charge to Midtrans's status when the move makes sense; never undo a payment."""
    if status == charge.status:
        return False
    if status not in S.values:
        logger.warning("Charge %s: unknown Midtrans status %r ignored", charge, status)
        return False
    if status not in CHARGE_TRANSITIONS[charge.status]:
        logger.warning("Charge %s: %s after %s ignored", charge, status, charge.status)
        return False
    transition(charge, status, note=note)
    return True


def start_charge(*, purpose: str, payable_id: int, method_code: str, callback_url: str = "") -> MidtransCharge:
    """Open a Midtrans transaction that pays what `purpose` and `payable_id` name, by `method_code`.

    Returns the charge, pending with its VA number, bill key, QR or app link. An open charge of the
    same method is returned as it is (a reload shows the same number); open charges of another method
    are cancelled at Midtrans first, so the buyer cannot pay twice. Each call to Midtrans is made
    between transactions. MidtransUnavailable forgets the new attempt (a retry reuses its number);
    a refusal keeps it as failed and is raised.
    """
    method = method_for(method_code)
    if method is None:
        raise ChargeNotPossible(_("Choose how you want to pay."))
    spec = _purposes[purpose]
    now = timezone.now()
    with transaction.atomic():
        payable = spec.lock(payable_id)
        spec.amount_due(payable)
        charges = MidtransCharge.objects.filter(purpose=purpose, payable_id=payable_id)
        same = charges.filter(method=method.code, status=S.PENDING, expires_at__gt=now).order_by("-attempt").first()
        if same is not None:
            return same
        if charges.filter(status=S.NEW, created_at__gt=now - IN_FLIGHT_FOR).exists():
            raise ChargeNotPossible(_("A payment for this is already being prepared. Please wait a moment."))
        to_cancel = list(charges.filter(status=S.PENDING).values_list("midtrans_order_id", flat=True))
    for midtrans_order_id in to_cancel:
        try:
            client.cancel(midtrans_order_id)
        except MidtransRefused:
            pass  # paid or expired meanwhile: the status check below books whichever it was
        sync_charge(midtrans_order_id=midtrans_order_id)

    with transaction.atomic():
        payable = spec.lock(payable_id)
        amount = spec.amount_due(payable)
        charges = MidtransCharge.objects.filter(purpose=purpose, payable_id=payable_id)
        attempt = (charges.aggregate(last=Max("attempt"))["last"] or 0) + 1
        charge = MidtransCharge.objects.create(
            purpose=purpose,
            order_id=spec.order_id(payable),
            payable_id=payable_id,
            attempt=attempt,
            midtrans_order_id=f"{spec.order_id_prefix(payable)}-{attempt}",
            method=method.code,
            amount=amount,
        )
        record_initial([charge])
        body = _charge_body(charge, method, customer=spec.customer(payable), callback_url=callback_url)

    try:
        response = client.charge(body, idempotency_key=charge.midtrans_order_id, notification_url=notification_url())
    except MidtransUnavailable:
        with transaction.atomic():
            spec.lock(payable_id)
            MidtransCharge.objects.filter(pk=charge.pk, status=S.NEW).delete()
        raise
    except MidtransRefused as error:
        with transaction.atomic():
            spec.lock(payable_id)
            charge = MidtransCharge.objects.select_for_update(no_key=True).get(pk=charge.pk)
            if charge.status == S.NEW:
                transition(charge, S.FAILURE, note=str(error), last_error=str(error))
        raise

    with transaction.atomic():
        spec.lock(payable_id)
        charge = MidtransCharge.objects.select_for_update(no_key=True).get(pk=charge.pk)
        _mirror_fields(charge, response)
        if charge.expires_at is None:
            charge.expires_at = timezone.now() + timedelta(minutes=method.expiry_minutes())
        # A notification may have booked a later status already: only "new" takes the charge's answer.
        if charge.status == S.NEW:
            _mirror_status(charge, str(response.get("transaction_status") or S.PENDING), note=charge.transaction_id)
        charge.save()
    return charge


def start_order_charge(*, order, method_code: str, callback_url: str = "") -> MidtransCharge:
    return start_charge(
        purpose=ChargePurpose.ORDER, payable_id=order.pk, method_code=method_code, callback_url=callback_url
    )


# Applying Midtrans's state.


def sync_charge(*, midtrans_order_id: str) -> MidtransCharge | None:
    """Ask Midtrans for a transaction's status (outside any transaction) and apply it. None when the
    order id is not one of our charges. Safe to call any number of times."""
    known = (
        MidtransCharge.objects.filter(midtrans_order_id=midtrans_order_id).values("pk", "status", "created_at").first()
    )
    if known is None:
        logger.info("Midtrans transaction %s is not one of ours", midtrans_order_id)
        return None
    try:
        body = client.status(midtrans_order_id)
    except MidtransNotFound:
        if known["status"] == S.NEW and known["created_at"] < timezone.now() - IN_FLIGHT_FOR:
            # The charge never reached Midtrans (our process died before the call): close it.
            return apply_status(charge_id=known["pk"], body={"transaction_status": S.FAILURE})
        return MidtransCharge.objects.get(pk=known["pk"])
    return apply_status(charge_id=known["pk"], body=body)


def apply_status(*, charge_id: int, body: dict) -> MidtransCharge:
    """Apply a status Midtrans reported for a charge (from `GET /status`), under the locks.

    Only a settlement for exactly the charge's amount books money: the order becomes paid through
    `fulfilment.services.order_payment_succeeded` (both pesantren are then notified), or the
    invoice records the payment. An expiry cancels the order and releases its stock. A status that
    cannot follow the recorded one (pending after settlement) is logged and ignored.
    """
    purpose, payable_id = MidtransCharge.objects.values_list("purpose", "payable_id").get(pk=charge_id)
    spec = _purposes[purpose]
    with transaction.atomic():
        payable = spec.lock(payable_id)
        charge = MidtransCharge.objects.select_for_update(no_key=True).get(pk=charge_id)
        status = str(body.get("transaction_status") or "")
        if body.get("order_id") not in (None, charge.midtrans_order_id):
            logger.error("Status for %s names %s: ignored", charge.midtrans_order_id, body.get("order_id"))
            return charge
        if status == S.SETTLEMENT and not _amount_matches(charge, body):
            return charge
        _mirror_fields(charge, body)
        charge.last_status = body
        before = charge.status
        moved = _mirror_status(charge, status, note=str(body.get("status_message") or "")[:500])
        if moved and status == S.SETTLEMENT:
            charge.paid_at = _parse_time(body.get("settlement_time")) or timezone.now()
            method = method_for(charge.method)
            charge.fee = method.fee_for(charge.amount) if method else Decimal(0)
        charge.save()
        if moved and status == S.SETTLEMENT:
            spec.on_settled(payable, charge)
        elif moved and status == S.EXPIRE and before in OPEN_STATUSES:
            spec.on_expired(payable, charge)
        elif status in (S.REFUND, S.PARTIAL_REFUND):
            _check_refunds_booked(charge, body)
    return charge


def _amount_matches(charge: MidtransCharge, body: dict) -> bool:
    try:
        received = client.from_midtrans_amount(body.get("gross_amount"))
    except Exception:  # noqa: BLE001 - anything unreadable is a mismatch
        received = None
    currency = str(body.get("currency") or "IDR").upper()
    if received == charge.amount and currency == "IDR":
        return True
    logger.error("Refusing settlement of %s: %s %s received, %s expected", charge, received, currency, charge.amount)
    MidtransCharge.objects.filter(pk=charge.pk).update(
        last_error=_("Amount does not match what was charged; check with finance.")
    )
    return False


def _check_refunds_booked(charge: MidtransCharge, body: dict) -> None:
    booked = charge.refunds.exclude(status=MidtransRefundStatus.FAILED).aggregate(total=Sum("amount"))["total"] or 0
    try:
        refunded = client.from_midtrans_amount(body.get("refund_amount") or 0)
    except Exception:  # noqa: BLE001
        return
    if refunded > booked:
        # Refunded from Midtrans's dashboard rather than ours: finance books it per pesantren.
        logger.error("Charge %s: Midtrans shows %s refunded, only %s booked", charge, refunded, booked)


# Fees (MDR): the platform bears them; each part's share is recorded so that reports stay exact.


def allocate(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split whole rupiah `total` in proportion to `weights`; the shares add up exactly to `total`
    (largest remainder, ties to the earlier part)."""
    total = Decimal(int(total))
    weight_sum = sum(weights)
    if not weights:
        return []
    if weight_sum <= 0:
        return [total] + [Decimal(0)] * (len(weights) - 1)
    raw = [total * weight / weight_sum for weight in weights]
    shares = [Decimal(int(value)) for value in raw]
    left = int(total - sum(shares))
    order = sorted(range(len(weights)), key=lambda index: (-(raw[index] - shares[index]), index))
    for index in order[:left]:
        shares[index] += 1
    return shares


def _book_fee_shares(charge: MidtransCharge, *, order_id: int) -> None:
    if charge.fee is None or charge.fees.exists():
        return
    parts = list(SellerOrder.objects.filter(order_id=order_id).order_by("pk"))
    shares = allocate(charge.fee, [part.total for part in parts])
    MidtransFee.objects.bulk_create(
        MidtransFee(charge=charge, seller_order=part, amount=share) for part, share in zip(parts, shares, strict=True)
    )


# Refunds per pesantren part.


def _reserved(seller_order: SellerOrder) -> Decimal:
    pending = seller_order.midtrans_refunds.filter(status=MidtransRefundStatus.PENDING).aggregate(total=Sum("amount"))
    return pending["total"] or Decimal(0)


def paid_order_charge(order_id: int) -> MidtransCharge | None:
    return (
        MidtransCharge.objects.filter(purpose=ChargePurpose.ORDER, order_id=order_id, status__in=PAID_STATUSES)
        .order_by("-attempt")
        .first()
    )


def midtrans_refund_begin(
    *, seller_order: SellerOrder, charge: MidtransCharge, amount: Decimal, actor
) -> MidtransRefund:
    """Record a direct refund of `amount` rupiah of a part. Call in a transaction with the order and
    the part locked; then `midtrans_refund_finish` after it commits."""
    if isinstance(amount, float):
        raise TypeError("Money must be a Decimal or an int, never a float.")
    amount = Decimal(amount)
    client.to_midtrans_amount(amount)  # whole rupiah, more than zero
    refundable = seller_order.total - seller_order.refunded_amount - _reserved(seller_order)
    if amount > refundable:
        raise ValueError(_("At most %(amount)s can still be refunded.") % {"amount": format_rupiah(refundable)})
    number = seller_order.midtrans_refunds.count() + 1
    refund = MidtransRefund.objects.create(
        seller_order=seller_order,
        charge=charge,
        amount=amount,
        actor=actor,
        refund_key=f"{charge.midtrans_order_id}-r{seller_order.pk}-{number}",
    )
    record_initial([refund], actor=actor)
    return refund


def midtrans_refund_finish(*, refund_id: int) -> MidtransRefund:
    """Ask Midtrans for a recorded direct refund and book it on the part. Safe to repeat: the
    refund key makes Midtrans answer a retry with the same refund, and booking happens once."""
    refund = MidtransRefund.objects.select_related("charge", "seller_order").get(pk=refund_id)
    if refund.status != MidtransRefundStatus.PENDING:
        return refund
    try:
        client.refund_direct(
            refund.charge.midtrans_order_id,
            refund_key=refund.refund_key,
            amount=refund.amount,
            reason=_("Refund of %(number)s") % {"number": refund.seller_order.number},
        )
    except MidtransUnavailable:
        raise
    except MidtransError as error:
        with transaction.atomic():
            lock_seller_order(refund.seller_order_id)
            refund = MidtransRefund.objects.select_for_update(no_key=True).get(pk=refund_id)
            if refund.status == MidtransRefundStatus.PENDING:
                transition(refund, MidtransRefundStatus.FAILED, note=str(error), last_error=str(error))
        raise
    with transaction.atomic():
        seller_order = lock_seller_order(refund.seller_order_id)
        refund = MidtransRefund.objects.select_for_update(no_key=True).get(pk=refund_id)
        if refund.status == MidtransRefundStatus.PENDING:
            transition(refund, MidtransRefundStatus.SUCCEEDED, note=refund.refund_key)
            seller_order_record_refund(
                seller_order=seller_order, amount=refund.amount, actor=refund.actor, reference=refund.refund_key
            )
    return refund


def refund_through_midtrans(*, seller_order, amount: Decimal, actor, reason: str = "") -> Refunded | None:
    """A part of an order paid through Midtrans, registered with `payments.refunds`: e-wallets and
    QRIS get a direct refund at Midtrans; a virtual account's refund is booked for finance to pay
    back by bank transfer, as for orders paid by manual transfer. None when not paid through Midtrans.

    Call as `payments.refunds.begin_refund` is: in a transaction, with the order and the part locked.
    """
    charge = paid_order_charge(seller_order.order_id)
    if charge is None:
        return None
    if seller_order.status == SellerOrderStatus.PENDING_PAYMENT:
        raise TransitionNotAllowed(_("Order %(number)s is not paid yet.") % {"number": seller_order.number})
    method = method_for(charge.method)
    if method is not None and method.direct_refund:
        refund = midtrans_refund_begin(seller_order=seller_order, charge=charge, amount=amount, actor=actor)
        return Refunded(
            method="ewallet",
            amount=Decimal(amount),
            finisher=functools.partial(midtrans_refund_finish, refund_id=refund.pk),
        )
    seller_order_record_refund(
        seller_order=seller_order,
        amount=amount,
        actor=actor,
        reference=f"midtrans-va-{charge.midtrans_order_id}-{uuid.uuid4().hex[:8]}",
    )
    return Refunded(method="bank_transfer", amount=Decimal(amount))


def _give_back_cancelled_parts(order_id: int, charge: MidtransCharge) -> None:
    """The buyer paid after the order (or some parts) were cancelled: book each cancelled, unpaid
    part's money back. Direct refunds go to Midtrans after the commit; VA money is paid back by finance."""
    method = method_for(charge.method)
    for seller_order in SellerOrder.objects.filter(
        order_id=order_id, status=SellerOrderStatus.CANCELLED, paid_at__isnull=True
    ).order_by("pk"):
        refundable = seller_order.total - seller_order.refunded_amount - _reserved(seller_order)
        if refundable <= 0:
            continue
        logger.warning("Order %s was paid after it was cancelled: refunding it", seller_order.number)
        if method is not None and method.direct_refund:
            refund = midtrans_refund_begin(seller_order=seller_order, charge=charge, amount=refundable, actor=None)
            from midtrans.tasks import finish_midtrans_refund

            outbox.enqueue(finish_midtrans_refund, refund.pk)
        else:
            seller_order_record_refund(
                seller_order=seller_order,
                amount=refundable,
                actor=None,
                reference=f"midtrans-va-{charge.midtrans_order_id}-late",
            )


# Notifications.


def notification_digest(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def notification_receive(*, payload: dict) -> MidtransNotification | None:
    """Store a notification whose signature was verified, and queue its processing, in one
    transaction. None when the same notification was stored before (a replay: nothing happens)."""
    from midtrans.tasks import process_midtrans_notification

    try:
        with transaction.atomic():
            notification = MidtransNotification.objects.create(
                digest=notification_digest(payload),
                midtrans_order_id=str(payload.get("order_id"))[:50],
                transaction_status=str(payload.get("transaction_status") or "")[:30],
                status_code=str(payload.get("status_code") or "")[:5],
                payload=payload,
            )
            outbox.enqueue(process_midtrans_notification, notification.pk)
    except IntegrityError:
        logger.info("Midtrans notification for %s delivered again; ignored", payload.get("order_id"))
        return None
    return notification


def notification_process(*, notification_id: int) -> str:
    """Re-check the status of the transaction a notification names, apply it, and mark the
    notification processed. Safe to run twice (the status is applied idempotently)."""
    notification = MidtransNotification.objects.filter(pk=notification_id, processed_at__isnull=True).first()
    if notification is None:
        return "done before"
    charge = sync_charge(midtrans_order_id=notification.midtrans_order_id)
    outcome = f"{charge.status}" if charge is not None else "not ours"
    MidtransNotification.objects.filter(pk=notification_id, processed_at__isnull=True).update(
        processed_at=timezone.now(), outcome=outcome
    )
    return outcome


# Reconciliation.


def charges_to_reconcile(*, older_than_minutes: int) -> list[str]:
    """Open charges older than N minutes, whose notification may have been lost."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    return list(
        MidtransCharge.objects.filter(status__in=OPEN_STATUSES, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("midtrans_order_id", flat=True)
    )


def orders_kept_unpaid_by_midtrans():
    """Orders whose Midtrans charge is still open: Midtrans's expiry (or reconciliation) expires them."""
    return MidtransCharge.objects.filter(
        purpose=ChargePurpose.ORDER, status__in=OPEN_STATUSES, expires_at__gt=timezone.now()
    ).values("order_id")


def pay_page_url(order) -> str:
    return reverse("midtrans:order-pay", kwargs={"order_number": order.number})
