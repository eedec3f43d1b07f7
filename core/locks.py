"""The one lock order for rows that carry money and stock, and helpers that take locks in it.

Any transaction that locks (``select_for_update``) or updates more than one of these rows takes
them top-down, in this order, and never goes back up:

   -1. a request for quotation, then its quotes by primary key (``quotes.services``: accepting a
       quote places a company order under them)
    0. the buyer's company (placing a company order), before the order it creates
    1. the order                                  ``lock_order``
    2. its seller orders, by primary key          ``lock_seller_orders`` / ``lock_seller_order``
    3. the invoice of the order                   ``lock_invoice``
    4. payment attempts and refunds, by primary key (card payments, invoice card payments, bank
       transfers, card refunds, Midtrans charges and refunds: locked where they are used, e.g.
       ``payments.intents.pay_by_card``, ``midtrans.services.apply_status``)
    5. stock records, by primary key              ``lock_stock_records``

Rows outside this chain (a seller's payouts and ledger, number counters, outbox rows) are locked
on their own or last, never before one of these.

Programme events (``events.services``) are a chain of their own, which never meets the one above:

    E1. the event                                 ``lock_event``
    E2. its registrations, by primary key         ``lock_registrations``

Registering, cancelling (which promotes the first waitlisted), checking in and booking a meeting
all lock the event first, so seats are counted and meetings checked for overlap under one lock.

Any level may be skipped, but a transaction that holds a lower row never asks for a higher one:
two transactions then always meet on their first common row and one simply waits, instead of each
holding what the other wants (a deadlock). Code that starts from a lower row (a webhook knows a
PaymentIntent, a pesantren acts on its seller order) first reads the parent's id without a lock,
locks from the top, then re-reads the lower row under the lock and re-checks it still belongs.

Locks are ``FOR NO KEY UPDATE``: rows that merely point at a locked row (events, refunds, ledger
entries) take ``FOR KEY SHARE`` on it while they are inserted, and must not wait for us.

No network call while a lock is held. Work that needs one (a Stripe charge or refund, a transfer)
records its intent and commits, calls out with an idempotency key, then books the result in a new
short transaction that is safe to repeat (see ``payouts.services.payout_disburse``). The gateways
call ``forbid_network_in_transaction`` so that the test suite, with
``MARKETPLACE_FORBID_NETWORK_IN_TRANSACTION = "raise"``, proves it.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from oscar.core.loading import get_model

logger = logging.getLogger(__name__)


class NetworkCallInTransaction(RuntimeError):
    """A call to an outside service was made inside a database transaction."""


def in_transaction() -> bool:
    """Whether code runs inside a transaction of its own (the test case's wrapping one does not count)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def forbid_network_in_transaction(service: str) -> None:
    """Call before talking to `service` over the network.

    A transaction open across a network call keeps its row locks for as long as the other side
    takes (seconds under a timeout), and a rollback after the call cannot undo what it did.
    Depending on ``MARKETPLACE_FORBID_NETWORK_IN_TRANSACTION``: "raise" (tests), "log" (production
    default) or "off".
    """
    mode = getattr(settings, "MARKETPLACE_FORBID_NETWORK_IN_TRANSACTION", "log")
    if mode == "off" or not in_transaction():
        return
    if mode == "raise":
        raise NetworkCallInTransaction(f"{service} called inside a database transaction")
    logger.error("%s called inside a database transaction", service, stack_info=True)


def _for_update(model):
    return model.objects.select_for_update(no_key=True, of=("self",))


def lock_order(order_id: int):
    """Level 1. The order row, locked."""
    return _for_update(get_model("order", "Order")).get(pk=order_id)


def lock_seller_orders(order_id: int) -> list:
    """Level 2. Every seller order of an order, in primary-key order. Lock the order first."""
    SellerOrder = get_model("fulfilment", "SellerOrder")
    return list(_for_update(SellerOrder).select_related("seller__partner").filter(order_id=order_id).order_by("pk"))


def lock_seller_order(seller_order_id: int):
    """Levels 1 and 2: the order, then this one seller order (which changing may change the order)."""
    SellerOrder = get_model("fulfilment", "SellerOrder")
    order_id = SellerOrder.objects.values_list("order_id", flat=True).get(pk=seller_order_id)
    lock_order(order_id)
    return _for_update(SellerOrder).select_related("seller__partner").get(pk=seller_order_id)


def lock_invoice(invoice_id: int):
    """Level 3. The invoice row (with its company), locked."""
    return _for_update(get_model("invoices", "Invoice")).select_related("company").get(pk=invoice_id)


def lock_stock_records(stock_record_ids: Iterable[int]) -> list:
    """Level 5. Stock records in primary-key order."""
    StockRecord = get_model("partner", "StockRecord")
    return list(_for_update(StockRecord).filter(pk__in=list(stock_record_ids)).order_by("pk"))


def lock_event(event_id: int):
    """Level E1. The programme event row, locked (seats, the waiting list and meetings are decided under it)."""
    return _for_update(get_model("events", "Event")).get(pk=event_id)


def lock_registrations(registration_ids: Iterable[int]) -> list:
    """Level E2. Registrations of a locked event, in primary-key order."""
    Registration = get_model("events", "Registration")
    return list(
        _for_update(Registration)
        .select_related("seller", "company")
        .filter(pk__in=list(registration_ids))
        .order_by("pk")
    )
