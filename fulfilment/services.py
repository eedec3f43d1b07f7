"""Write-side operations on orders after checkout: splitting, payment, the pesantren's steps.

Every status change of a SellerOrder goes through `core.transitions` (`_transition` here, or
`transition_many` for a whole order), which checks the move against `SELLER_ORDER_MACHINE` and
writes an event row. Functions that change money or stock lock the rows they touch in
the order documented in `core.locks` (the order, then its seller orders, then stock records),
inside one short transaction, and are safe to call twice.
"""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core import outbox
from core.locks import lock_order, lock_seller_order, lock_seller_orders, lock_stock_records
from core.money import round_rupiah
from core.signals import products_changed
from core.transitions import record_initial, transition, transition_many
from fulfilment.models import (
    SELLER_ORDER_MACHINE,
    SellerOrder,
    SellerOrderEvent,
    SellerOrderStatus,
    SellerOrderTransitionNotAllowed,
)
from fulfilment.order_status import (  # noqa: F401 - ORDER_* are read from here by other apps
    ORDER_CANCELLED,
    ORDER_COMPLETED,
    ORDER_PAID,
    ORDER_PENDING_PAYMENT,
    derive_order_status,
)
from fulfilment.refunds import refund_provider
from fulfilment.selectors import SOLD_STATUSES
from shipping.calculator import line_weight_grams, seller_shipping_charges
from shipping.models import ShippingChoice

Order = get_model("order", "Order")
Line = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")

S = SellerOrderStatus
ALLOWED_TRANSITIONS = SELLER_ORDER_MACHINE.transitions
# Where the stock reserved at checkout is still only allocated, not yet shipped.
ALLOCATED_STATUSES = {S.PENDING_PAYMENT, S.PAID, S.ACCEPTED, S.PACKED}


TransitionNotAllowed = SellerOrderTransitionNotAllowed


def commission_rate_for(seller) -> Decimal:
    if seller.commission_rate is not None:
        return seller.commission_rate
    return settings.MARKETPLACE_DEFAULT_COMMISSION_RATE


def shipping_breakdown(*, lines, destination_kabupaten) -> dict:
    """Per-pesantren weight and shipping charge for basket or order lines: {seller: (grams, charge)}.

    Lines must have `product`, `quantity` and a stock record whose partner has a seller.
    """
    weights = defaultdict(int)
    for line in lines:
        weights[line.stockrecord.partner.seller] += line_weight_grams(line.product, line.quantity)
    charges = seller_shipping_charges(weights=weights, destination_kabupaten=destination_kabupaten)
    return {seller: (weights[seller], charges[seller]) for seller in sorted(weights, key=lambda seller: seller.pk)}


@transaction.atomic
def split_order(*, order) -> list[SellerOrder]:
    """Create one SellerOrder per pesantren in a just-placed order. Idempotent."""
    existing = list(order.seller_orders.all())
    if existing:
        return existing
    lines = list(order.lines.select_related("product", "stockrecord__partner__seller"))
    destination = getattr(order.shipping_address, "kabupaten", None) if order.shipping_address_id else None
    shipping = shipping_breakdown(lines=lines, destination_kabupaten=destination)
    # Each part is charged the shipping written with the order (the courier service chosen at
    # checkout, see shipping.models.ShippingChoice); the rate table only where none was written.
    chosen = {choice.seller_id: choice.price for choice in ShippingChoice.objects.filter(order=order)}
    shipping = {seller: (grams, chosen.get(seller.pk, charge)) for seller, (grams, charge) in shipping.items()}
    subtotals = defaultdict(Decimal)
    for line in lines:
        subtotals[line.stockrecord.partner.seller] += line.line_price_incl_tax
    seller_orders = []
    for index, (seller, (grams, shipping_charge)) in enumerate(shipping.items(), start=1):
        rate = commission_rate_for(seller)
        subtotal = round_rupiah(subtotals[seller])
        seller_orders.append(
            SellerOrder(
                order=order,
                seller=seller,
                number=f"{order.number}-{index}",
                subtotal=subtotal,
                shipping_charge=shipping_charge,
                commission_rate=rate,
                commission=round_rupiah(subtotal * rate),
                total_weight_grams=grams,
            )
        )
    # A wholesale order can reach hundreds of pesantren: write the parts and their first events in bulk.
    SellerOrder.objects.bulk_create(seller_orders)
    record_initial(seller_orders)
    return seller_orders


def _lock_seller_orders(order_id: int) -> list[SellerOrder]:
    lock_order(order_id)
    return lock_seller_orders(order_id)


def _transition(seller_order: SellerOrder, to_status: str, *, actor=None, note: str = "", **fields) -> SellerOrderEvent:
    """Move a locked SellerOrder to `to_status`, saving `fields` with it, and record the event.

    The customer's order status is derived again from its parts (the order is locked by `_lock`)."""
    was_sold = seller_order.status in SOLD_STATUSES
    event = transition(seller_order, to_status, actor=actor, note=note, **fields)
    if was_sold != (to_status in SOLD_STATUSES):
        _reindex_products_sold_in(seller_order.order_id, [seller_order.seller.partner_id])
    _sync_order_status(seller_order.order_id)
    return event


def _reindex_products_sold_in(order_id: int, partner_ids: list[int]) -> None:
    """Search documents count units sold: re-index these parts' products when they stop counting.

    (They start counting once paid: process_paid_order re-indexes them, outside the payment's request.)
    """
    lines = Line.objects.filter(order_id=order_id, partner_id__in=partner_ids)
    products_changed.send(sender=SellerOrder, product_ids=lines.values_list("product_id", flat=True))


def _stock_records_for(seller_order: SellerOrder) -> list[tuple[StockRecord, int]]:
    lines = Line.objects.filter(order_id=seller_order.order_id, partner_id=seller_order.seller.partner_id).exclude(
        stockrecord=None
    )
    quantities = defaultdict(int)
    for line in lines:
        quantities[line.stockrecord_id] += line.quantity
    records = lock_stock_records(quantities)
    return [(record, quantities[record.pk]) for record in records]


def _release_allocation(seller_order: SellerOrder) -> None:
    for record, quantity in _stock_records_for(seller_order):
        record.cancel_allocation(quantity)


def _sync_order_status(order_id: int) -> None:
    """The customer's order status follows its parts (`fulfilment.order_status.derive_order_status`).

    Call with the order locked (it was locked before its seller orders)."""
    order = lock_order(order_id)
    statuses = SellerOrder.objects.filter(order_id=order_id).values_list("status", flat=True)
    new_status = derive_order_status(statuses)
    if order.status != new_status:
        order.status = new_status
        order.save(update_fields=["status"])


@transaction.atomic
def order_payment_succeeded(*, order_id: int, reference: str = "") -> bool:
    """Mark every part of an order paid. Returns False when it was already paid (a replay)."""
    seller_orders = _lock_seller_orders(order_id)
    pending = [so for so in seller_orders if so.status == S.PENDING_PAYMENT]
    if not pending:
        return False
    transition_many(pending, S.PAID, note=reference, paid_at=timezone.now())
    _sync_order_status(order_id)
    from fulfilment.tasks import process_paid_order

    outbox.enqueue(process_paid_order, order_id)
    return True


@transaction.atomic
def seller_order_accept(*, seller_order: SellerOrder, actor) -> SellerOrder:
    seller_order = _lock(seller_order)
    _transition(seller_order, S.ACCEPTED, actor=actor)
    return seller_order


@transaction.atomic
def seller_order_pack(*, seller_order: SellerOrder, actor) -> SellerOrder:
    seller_order = _lock(seller_order)
    _transition(seller_order, S.PACKED, actor=actor)
    return seller_order


@transaction.atomic
def seller_order_ship(*, seller_order: SellerOrder, actor, courier: str, tracking_number: str) -> SellerOrder:
    """Hand the parcel to a courier: the allocated stock leaves the shelf."""
    courier, tracking_number = courier.strip(), tracking_number.strip()
    if not courier or not tracking_number:
        raise ValueError(_("Shipping needs a courier and a tracking number."))
    seller_order = _lock(seller_order)
    _transition(
        seller_order,
        S.SHIPPED,
        actor=actor,
        note=f"{courier} {tracking_number}",
        courier=courier,
        tracking_number=tracking_number,
        shipped_at=timezone.now(),
    )
    for record, quantity in _stock_records_for(seller_order):
        record.consume_allocation(quantity)
    return seller_order


@transaction.atomic
def seller_order_deliver(*, seller_order: SellerOrder, actor) -> SellerOrder:
    seller_order = _lock(seller_order)
    _transition(seller_order, S.DELIVERED, actor=actor, delivered_at=timezone.now())
    return seller_order


@transaction.atomic
def seller_order_complete(*, seller_order: SellerOrder, actor=None) -> SellerOrder:
    """Close a delivered part and credit the pesantren's ledger with what it earned."""
    from payouts.services import ledger_credit_for_completed_order

    seller_order = _lock(seller_order)
    _transition(seller_order, S.COMPLETED, actor=actor, completed_at=timezone.now())
    ledger_credit_for_completed_order(seller_order=seller_order)
    return seller_order


@transaction.atomic
def seller_order_cancel(*, seller_order: SellerOrder, actor, reason: str) -> SellerOrder:
    """Cancel a part before it ships: its stock is released; a paid part is refunded by the caller."""
    if not reason.strip():
        raise ValueError(_("Give a reason for cancelling."))
    seller_order = _lock(seller_order)
    _cancel_locked(seller_order, actor=actor, reason=reason)
    return seller_order


def _cancel_locked(seller_order: SellerOrder, *, actor, reason: str) -> None:
    was_allocated = seller_order.status in ALLOCATED_STATUSES
    _transition(seller_order, S.CANCELLED, actor=actor, note=reason, cancellation_reason=reason)
    if was_allocated:
        _release_allocation(seller_order)


def seller_order_cancel_and_refund(*, seller_order: SellerOrder, actor, reason: str):
    """Cancel a part before it ships and, if it was paid, give the customer its whole amount back.

    Whether it was paid is decided with the order and the part locked, so a payment webhook landing
    at the same moment either comes first (the part is paid, then cancelled and refunded) or waits
    and finds the part cancelled (and `payments.services.sync_payment_intent` refunds it). The
    refund is recorded in the same transaction as the cancellation; a card refund then calls Stripe
    after the commit (see `fulfilment.refunds` and `payments.refunds`). Returns the refund's
    outcome, or None when nothing was paid.
    """
    refunds = refund_provider()
    if not reason.strip():
        raise ValueError(_("Give a reason for cancelling."))
    with transaction.atomic():
        seller_order = _lock(seller_order)
        was_paid = seller_order.status != S.PENDING_PAYMENT
        _cancel_locked(seller_order, actor=actor, reason=reason)
        amount = seller_order.total - seller_order.refunded_amount
        if not was_paid or amount <= 0:
            return None
        refunded = refunds.begin(seller_order=seller_order, amount=amount, actor=actor, reason=reason)
    return refunds.finish(refunded)


@transaction.atomic
def order_expire_unpaid(*, order_id: int) -> bool:
    """Cancel an order nobody paid for and release its stock. False when it is no longer unpaid."""
    seller_orders = _lock_seller_orders(order_id)
    pending = [so for so in seller_orders if so.status == S.PENDING_PAYMENT]
    if not pending or len(pending) != len(seller_orders):
        return False
    for seller_order in pending:
        _transition(seller_order, S.CANCELLED, note=_("Not paid in time."), cancellation_reason=_("Not paid in time."))
        _release_allocation(seller_order)
    return True


def _lock(seller_order: SellerOrder) -> SellerOrder:
    # The order first: cancelling or completing a part changes the order's status too.
    return lock_seller_order(seller_order.pk)


@transaction.atomic
def seller_order_record_refund(
    *, seller_order: SellerOrder, amount: Decimal, actor, reference: str = ""
) -> SellerOrder:
    """Book a refund the payment provider has made on one pesantren's part.

    Refunds never exceed what was paid for the part. A completed part's ledger is debited; a part
    refunded in full ends as refunded once it is cancelled or completed.
    """
    from payouts.services import ledger_debit_for_refund

    amount = round_rupiah(amount)
    seller_order = _lock(seller_order)
    if amount <= 0:
        raise ValueError(_("A refund must be more than Rp 0."))
    if seller_order.status == S.PENDING_PAYMENT:
        raise TransitionNotAllowed(_("Order %(number)s is not paid yet.") % {"number": seller_order.number})
    refundable = seller_order.total - seller_order.refunded_amount
    if amount > refundable:
        raise ValueError(_("At most %(amount)s can still be refunded.") % {"amount": refundable})
    seller_order.refunded_amount += amount
    seller_order.save(update_fields=["refunded_amount"])
    SellerOrderEvent.objects.create(
        seller_order=seller_order,
        kind="refund",
        from_status=seller_order.status,
        to_status=seller_order.status,
        actor=actor,
        note=_("Refunded %(amount)s %(reference)s") % {"amount": amount, "reference": reference},
    )
    if seller_order.status == S.COMPLETED:
        ledger_debit_for_refund(seller_order=seller_order, amount=amount, reference=reference)
    if seller_order.refunded_amount == seller_order.total and seller_order.status in (S.COMPLETED, S.CANCELLED):
        _transition(seller_order, S.REFUNDED, actor=actor)
    return seller_order
