"""Read-side queries for the ledger and payouts. Balances are always derived from ledger entries."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value, Window
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from payouts.models import LedgerEntry, LedgerEntryKind, Payout, PayoutBatch, PayoutStatus
from sellers.models import Seller

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def hold_cutoff(now: datetime | None = None) -> datetime:
    """Credits booked after this moment are still on hold (refund window) and not yet payable."""
    return (now or timezone.now()) - timedelta(days=getattr(settings, "MARKETPLACE_PAYOUT_HOLD_DAYS", 0))


def _held_filter(cutoff: datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}kind": LedgerEntryKind.ORDER_COMPLETED, f"{prefix}created_at__gt": cutoff})


def seller_balance(*, seller) -> Decimal:
    """Everything the pesantren is owed (or owes, when negative): the sum of its ledger."""
    return LedgerEntry.objects.filter(seller=seller).aggregate(total=Coalesce(Sum("amount"), ZERO))["total"]


def payable_balance(*, seller, now: datetime | None = None) -> Decimal:
    """What can be paid out now: the balance less credits still on hold, never below zero."""
    totals = LedgerEntry.objects.filter(seller=seller).aggregate(
        balance=Coalesce(Sum("amount"), ZERO),
        held=Coalesce(Sum("amount", filter=_held_filter(hold_cutoff(now))), ZERO),
    )
    return max(totals["balance"] - totals["held"], Decimal(0))


def balances_by_seller(*, seller_ids=None, now: datetime | None = None) -> QuerySet[Seller]:
    """Pesantren with ledger entries, annotated with `balance`, `held` and `payable`, in one query."""
    sellers = Seller.objects.all() if seller_ids is None else Seller.objects.filter(pk__in=seller_ids)
    return (
        sellers.annotate(
            entry_count=Count("ledger_entries"),
            balance=Coalesce(Sum("ledger_entries__amount"), ZERO),
            held=Coalesce(
                Sum("ledger_entries__amount", filter=_held_filter(hold_cutoff(now), "ledger_entries__")), ZERO
            ),
        )
        .filter(entry_count__gt=0)
        .annotate(payable=Greatest(F("balance") - F("held"), ZERO))
        .order_by("name", "pk")
    )


def ledger_for_seller(*, seller) -> QuerySet[LedgerEntry]:
    """The pesantren's ledger, newest first, each entry with the `running_balance` after it."""
    return (
        LedgerEntry.objects.filter(seller=seller)
        .select_related("seller_order", "payout")
        .annotate(
            running_balance=Window(Sum("amount"), order_by=[F("created_at").asc(), F("pk").asc()]),
        )
        .order_by("-created_at", "-pk")
    )


def ledger_for_export(*, seller) -> QuerySet[LedgerEntry]:
    """The ledger oldest first, as a statement reads."""
    return ledger_for_seller(seller=seller).order_by("created_at", "pk")


def payouts_for_seller(*, seller) -> QuerySet[Payout]:
    return Payout.objects.filter(seller=seller).select_related("batch").order_by("-created_at", "-pk")


def payout_batches() -> QuerySet[PayoutBatch]:
    """Batches with their payout count and totals per status, for the finance list."""
    return PayoutBatch.objects.annotate(
        payout_count=Count("payouts"),
        total=Coalesce(Sum("payouts__amount"), ZERO),
        paid_total=Coalesce(Sum("payouts__amount", filter=Q(payouts__status=PayoutStatus.PAID)), ZERO),
        open_count=Count("payouts", filter=Q(payouts__status__in=[PayoutStatus.PENDING, PayoutStatus.EXPORTED])),
        failed_count=Count("payouts", filter=Q(payouts__status=PayoutStatus.FAILED)),
    ).order_by("-week")


def payouts_for_batch(*, batch) -> QuerySet[Payout]:
    return Payout.objects.filter(batch=batch).select_related("seller").order_by("seller__name", "pk")


def payouts_for_finance(*, status: str = "") -> QuerySet[Payout]:
    payouts = Payout.objects.select_related("seller", "batch").order_by("-created_at", "-pk")
    if status:
        payouts = payouts.filter(status=status)
    return payouts
