from django.db.models import QuerySet

from companies.access import companies_for_user
from companies.models import Company


def purchase_requests_for_company(*, company):
    return company.purchase_requests.select_related("requested_by", "decided_by", "order").order_by("-created_at")


def purchase_request_for_member(*, company, pk: int):
    """One of the company's purchase requests with its lines, or None (another company's is never found)."""
    from django.db.models import Prefetch

    from purchasing.models import PurchaseRequestLine

    lines = PurchaseRequestLine.objects.select_related("stockrecord__product", "stockrecord__partner__seller")
    return (
        company.purchase_requests.select_related("requested_by", "decided_by", "order", "shipping_address")
        .prefetch_related(Prefetch("lines", queryset=lines))
        .filter(pk=pk)
        .first()
    )


def company_orders(*, company: Company) -> QuerySet:
    """Every order bought for the company, newest first, with what the list shows loaded."""
    from purchasing.models import CompanyOrder

    return (
        CompanyOrder.objects.filter(company=company)
        .select_related("order", "placed_by", "approved_by")
        .order_by("-created_at", "-pk")
    )


def company_order_for_user(*, user, number: str):
    """An order bought for one of the user's companies, with its lines; None for any other order."""
    from purchasing.models import CompanyOrder

    if user is None or not user.is_authenticated:
        return None
    return (
        CompanyOrder.objects.filter(order__number=number, company__in=companies_for_user(user))
        .select_related("company", "placed_by", "approved_by", "order__shipping_address", "order__invoice")
        .prefetch_related("order__lines")
        .first()
    )
