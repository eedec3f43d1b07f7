"""Read-side queries for bank transfers. Views reach transfers only through these."""

from django.db.models import Q, QuerySet

from bank_transfers.models import BankTransfer
from order.access import order_for_visitor


def transfer_for_visitor(*, request, order_number: str) -> BankTransfer | None:
    """The transfer of an order this visitor may see (order.access); None for anyone else, so the view
    answers 404."""
    order = order_for_visitor(request=request, number=order_number)
    if order is None:
        return None
    return BankTransfer.objects.select_related("order", "reviewed_by").filter(order=order).first()


def transfers_for_review(*, statuses: list[str] | None = None, query: str = "") -> QuerySet[BankTransfer]:
    """Finance's queue, oldest first so that nobody waits longest; `query` matches order number,
    customer email or amount due."""
    transfers = BankTransfer.objects.select_related("order", "order__user", "reviewed_by")
    if statuses:
        transfers = transfers.filter(status__in=statuses)
    query = query.strip()
    if query:
        match = (
            Q(order__number__icontains=query)
            | Q(order__guest_email__icontains=query)
            | Q(order__user__email__icontains=query)
        )
        digits = "".join(ch for ch in query if ch.isdigit())
        if digits and digits == query.replace(".", "").replace("Rp", "").strip():
            match |= Q(amount_due=int(digits))
        transfers = transfers.filter(match)
    return transfers.order_by("uploaded_at", "created_at", "pk")


def transfer_for_review(*, pk: int) -> BankTransfer | None:
    return (
        BankTransfer.objects.select_related("order", "order__user", "reviewed_by", "uploaded_by")
        .prefetch_related("events__actor")
        .filter(pk=pk)
        .first()
    )
