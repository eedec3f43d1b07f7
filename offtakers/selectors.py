from dataclasses import dataclass

from django.db.models import Model, QuerySet

from core.identifiers import compact_npwp
from offtakers.access import companies_for_user
from offtakers.models import Company, CompanyMembership, PriceTier, WholesaleTerms


def tier_for_quantity(*, stockrecord, quantity: int) -> PriceTier | None:
    return (
        PriceTier.objects.filter(stockrecord=stockrecord, min_quantity__lte=quantity).order_by("-min_quantity").first()
    )


def wholesale_stockrecords_for_user(*, user) -> QuerySet:
    """The stock records of the user's own pesantren, with their tiers and MOQ loaded (none for anyone else).

    Staff see every stock record elsewhere in the dashboard, but tiers are a pesantren's own offer: only
    the pesantren edits them, so a user without a pesantren gets nothing.
    """
    # Imported here: this module is loaded by the pricing strategy, before the dashboard app is needed.
    from dashboard.selectors import stockrecords_for_user
    from sellers.access import seller_for_user

    records = stockrecords_for_user(user=user)
    seller = seller_for_user(user=user)
    if seller is None or seller.partner_id is None:
        return records.none()
    return (
        records.filter(partner_id=seller.partner_id)
        .select_related("product__parent", "wholesale_terms")
        .prefetch_related("price_tiers")
        .order_by("product__title", "pk")
    )


def wholesale_stockrecord_for_user(*, user, pk) -> Model | None:
    return wholesale_stockrecords_for_user(user=user).filter(pk=pk).first()


@dataclass(frozen=True)
class WholesaleOffer:
    tiers: list[PriceTier]
    moq: int


def wholesale_offer_for_stockrecord(*, stockrecord) -> WholesaleOffer | None:
    """The tiers and MOQ shown to verified off-takers, or None when the stock record has neither."""
    if stockrecord is None:
        return None
    tiers = list(PriceTier.objects.filter(stockrecord=stockrecord).order_by("min_quantity"))
    if type(stockrecord).wholesale_terms.is_cached(stockrecord):  # selected with the record by the product page
        terms = getattr(stockrecord, "wholesale_terms", None)
    else:
        terms = WholesaleTerms.objects.filter(stockrecord=stockrecord).first()
    moq = terms.moq if terms else 1
    if not tiers and moq <= 1:
        return None
    return WholesaleOffer(tiers=tiers, moq=moq)


def purchase_requests_for_company(*, company):
    return company.purchase_requests.select_related("requested_by", "decided_by", "order").order_by("-created_at")


def purchase_request_for_member(*, company, pk: int):
    """One of the company's purchase requests with its lines, or None (another company's is never found)."""
    from django.db.models import Prefetch

    from offtakers.models import PurchaseRequestLine

    lines = PurchaseRequestLine.objects.select_related("stockrecord__product", "stockrecord__partner__seller")
    return (
        company.purchase_requests.select_related("requested_by", "decided_by", "order", "shipping_address")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(pk=pk)
        .first()
    )


# --- Off-taker accounts ------------------------------------------------------------------------------


def companies_for_review(*, status: str | None = None, query: str = "") -> QuerySet:
    """Companies for the programme office's queue, oldest application first; `query` matches name or NPWP."""
    from django.db.models import Count, Q

    companies = Company.objects.annotate(member_count=Count("memberships")).order_by("created_at", "pk")
    if status:
        companies = companies.filter(status=status)
    if query:
        npwp = compact_npwp(query)
        match = Q(legal_name__icontains=query)
        if npwp.isascii() and npwp.isdigit():
            match |= Q(npwp__contains=npwp)
        companies = companies.filter(match)
    return companies


def company_status_counts() -> dict[str, int]:
    """How many companies are in each status, plus "all"; one query."""
    from django.db.models import Count

    from offtakers.models import CompanyStatus

    counts = {status: 0 for status in CompanyStatus.values}
    for row in Company.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["all"] = sum(counts.values())
    return counts


def company_for_review(*, pk) -> Company | None:
    from django.db.models import Prefetch

    from offtakers.account_models import CompanyEvent

    return (
        Company.objects.select_related("status_changed_by")
        .prefetch_related(
            Prefetch("memberships", queryset=company_members(company=None)),
            Prefetch("events", queryset=CompanyEvent.objects.select_related("actor")),
        )
        .filter(pk=pk)
        .first()
    )


def company_members(*, company: Company | None) -> QuerySet:
    """The company's memberships with their users, approvers first (`company=None`: unfiltered, for prefetching)."""
    members = CompanyMembership.objects.select_related("user").order_by("role", "user__email", "pk")
    return members if company is None else members.filter(company=company)


def open_company_invitations(*, company: Company) -> QuerySet:
    from django.utils import timezone

    from offtakers.account_models import CompanyInvitation

    return CompanyInvitation.objects.filter(
        company=company, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def company_orders(*, company: Company) -> QuerySet:
    """Every order bought for the company, newest first, with what the list shows loaded."""
    from offtakers.models import CompanyOrder

    return (
        CompanyOrder.objects.filter(company=company)
        .select_related("order", "placed_by", "approved_by")
        .order_by("-created_at", "-pk")
    )


def company_order_for_user(*, user, number: str):
    """An order bought for one of the user's companies, with its lines; None for any other order."""
    from offtakers.models import CompanyOrder

    if user is None or not user.is_authenticated:
        return None
    return (
        CompanyOrder.objects.filter(order__number=number, company__in=companies_for_user(user))
        .select_related("company", "placed_by", "approved_by", "order__shipping_address", "order__invoice")
        .prefetch_related("order__lines")
        .first()
    )


def moq_of(stockrecord) -> int:
    """The wholesale minimum order quantity of a stock record (1 when it has no wholesale terms)."""
    terms = getattr(stockrecord, "wholesale_terms", None)
    return terms.moq if terms is not None else 1
