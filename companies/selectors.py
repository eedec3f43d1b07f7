from django.db.models import QuerySet

from companies.models import Company, CompanyMembership
from core.identifiers import compact_npwp

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

    from companies.models import CompanyStatus

    counts = {status: 0 for status in CompanyStatus.values}
    for row in Company.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["all"] = sum(counts.values())
    return counts


def company_for_review(*, pk) -> Company | None:
    from django.db.models import Prefetch

    from companies.account_models import CompanyEvent

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

    from companies.account_models import CompanyInvitation

    return CompanyInvitation.objects.filter(
        company=company, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")
