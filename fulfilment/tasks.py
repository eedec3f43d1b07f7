"""Background steps of fulfilment. Each takes ids, re-reads state and is safe to run twice."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from oscar.core.loading import get_model

from core import outbox
from core.notifications import send_once
from core.signals import products_changed
from fulfilment import notifications
from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.services import TransitionNotAllowed, order_expire_unpaid, seller_order_complete

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")
Line = get_model("order", "Line")
RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_kwargs": {"max_retries": 8},
}


@shared_task(**RETRY)
def process_paid_order(order_id: int) -> None:
    """After payment: tell each pesantren about its part, the customer that we have their money, and search."""
    seller_order_ids = list(
        SellerOrder.objects.filter(order_id=order_id, seller_notified_at__isnull=True).values_list("pk", flat=True)
    )
    for seller_order_id in seller_order_ids:
        outbox.enqueue(notify_seller_of_paid_order, seller_order_id)
    # The order's units now count as sold in the search documents.
    lines = Line.objects.filter(order_id=order_id)
    products_changed.send(sender=SellerOrder, product_ids=lines.values_list("product_id", flat=True))
    send_once(key=f"order-{order_id}-paid-customer", send=lambda: notifications.order_paid_to_customer(order_id))


@shared_task(**RETRY)
def notify_seller_of_paid_order(seller_order_id: int) -> None:
    # The part is not locked while the mail goes out (core.locks: no network call under a row lock):
    # the notification key makes a repeated task send nothing twice.
    seller_order = (
        SellerOrder.objects.select_related("seller__owner")
        .filter(pk=seller_order_id, seller_notified_at__isnull=True)
        .first()
    )
    if seller_order is None:
        return
    send_once(
        key=f"seller-order-{seller_order_id}-paid-seller",
        send=lambda: notifications.seller_order_paid_to_seller(seller_order),
    )
    SellerOrder.objects.filter(pk=seller_order_id, seller_notified_at__isnull=True).update(
        seller_notified_at=timezone.now()
    )


# Payment apps above fulfilment whose payments expire on their own clock register a callable
# returning the ids of the orders they still keep open (a Midtrans virtual account valid until its
# expiry); `expire_unpaid_orders` leaves those to them.
_unpaid_order_keepers: list = []


def register_unpaid_order_keeper(kept_order_ids) -> None:
    if kept_order_ids not in _unpaid_order_keepers:
        _unpaid_order_keepers.append(kept_order_ids)


@shared_task
def expire_unpaid_orders() -> int:
    cutoff = timezone.now() - timedelta(minutes=settings.MARKETPLACE_UNPAID_ORDER_TTL_MINUTES)
    # Orders paid by bank transfer expire through bank_transfers, which knows when a proof is under review.
    pending = SellerOrder.objects.filter(
        status=SellerOrderStatus.PENDING_PAYMENT, order__date_placed__lt=cutoff, order__bank_transfer__isnull=True
    )
    for kept_order_ids in _unpaid_order_keepers:
        pending = pending.exclude(order_id__in=kept_order_ids())
    order_ids = pending.values_list("order_id", flat=True).distinct()
    expired = sum(order_expire_unpaid(order_id=order_id) for order_id in list(order_ids))
    logger.info("Expired %s unpaid orders", expired)
    return expired


@shared_task
def complete_delivered_orders() -> int:
    """Beat job: close parts delivered more than N days ago, one idempotent task each."""
    cutoff = timezone.now() - timedelta(days=settings.MARKETPLACE_AUTO_COMPLETE_AFTER_DAYS)
    seller_order_ids = list(
        SellerOrder.objects.filter(status=SellerOrderStatus.DELIVERED, delivered_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for seller_order_id in seller_order_ids:
        outbox.enqueue(complete_seller_order, seller_order_id)
    return len(seller_order_ids)


@shared_task(**RETRY)
def complete_seller_order(seller_order_id: int) -> bool:
    """Complete one delivered part. A redelivered or repeated task finds it completed and stops."""
    seller_order = SellerOrder.objects.filter(pk=seller_order_id, status=SellerOrderStatus.DELIVERED).first()
    if seller_order is None:
        return False
    try:
        seller_order_complete(seller_order=seller_order)
    except TransitionNotAllowed:
        # Another delivery of this task completed it between our read and our lock.
        return False
    return True


@shared_task
def remind_sellers_of_unaccepted_orders() -> int:
    cutoff = timezone.now() - timedelta(hours=settings.MARKETPLACE_ACCEPT_REMINDER_AFTER_HOURS)
    reminded = 0
    for seller_order in SellerOrder.objects.filter(
        status=SellerOrderStatus.PAID, paid_at__lt=cutoff, acceptance_reminded_at__isnull=True
    ).select_related("seller__owner"):
        # Sent without locking the part (no network call under a row lock); the key sends it once.
        sent = send_once(
            key=f"seller-order-{seller_order.pk}-acceptance-reminder",
            send=lambda seller_order=seller_order: notifications.acceptance_reminder_to_seller(seller_order),
        )
        SellerOrder.objects.filter(pk=seller_order.pk, acceptance_reminded_at__isnull=True).update(
            acceptance_reminded_at=timezone.now()
        )
        reminded += sent
    return reminded


@shared_task
def remind_sellers_of_parts_due_today() -> int:
    """Beat job (working days, after the noon cut-off): remind each pesantren of parts that must ship today.

    Once per part (the notification key); sent without locking the part (no network call under a row lock).
    """
    import datetime

    from fulfilment.selectors import TO_SHIP_STATUSES, late_paid_before

    today = timezone.localdate()
    due_today = SellerOrder.objects.filter(
        status__in=TO_SHIP_STATUSES,
        paid_at__gte=late_paid_before(today),
        paid_at__lt=late_paid_before(today + datetime.timedelta(days=1)),
    ).select_related("seller__owner")
    reminded = 0
    for seller_order in due_today:
        reminded += send_once(
            key=f"seller-order-{seller_order.pk}-ship-by-reminder",
            send=lambda seller_order=seller_order: notifications.ship_by_reminder_to_seller(seller_order),
        )
    return reminded
