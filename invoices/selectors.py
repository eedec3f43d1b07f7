"""Read-side queries on invoices. Company members see only their companies' invoices."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from companies.access import companies_for_user
from companies.models import Company, MembershipRole
from invoices.models import Invoice, InvoiceCardPayment, InvoiceCredit, InvoiceSection, InvoiceStatus

Line = get_model("order", "Line")

MONEY = DecimalField(max_digits=16, decimal_places=2)


def _owed_expression():
    """Invoice.balance in SQL: the total less its credit notes and payments."""
    return ExpressionWrapper(F("total") - F("amount_credited") - F("amount_paid"), output_field=MONEY)


def company_credit_used(*, company: Company) -> Decimal:
    """What the company still owes on its open invoices (after credit notes and payments): the credit it
    uses against its limit."""
    result = Invoice.objects.filter(company_id=company.pk, status=InvoiceStatus.OPEN).aggregate(
        owed=Coalesce(Sum(_owed_expression()), Value(Decimal(0)), output_field=MONEY)
    )
    return result["owed"]


def invoices_for_user(*, user) -> QuerySet[Invoice]:
    """Invoices of every company the user is a member of, newest first."""
    company_ids = companies_for_user(user).values("pk")
    return Invoice.objects.filter(company_id__in=company_ids).select_related("company", "order")


def invoice_for_user(*, user, pk: int) -> Invoice | None:
    """The invoice if the user is a member of its company; None otherwise (the view answers 404)."""
    return invoices_for_user(user=user).filter(pk=pk).first()


def invoice_with_details(*, pk: int) -> Invoice | None:
    """An invoice with everything its page and PDF print: sections with their lines, credit notes,
    payments, events."""
    lines = Line.objects.select_related("product").order_by("pk")
    return (
        Invoice.objects.select_related("company", "order")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=InvoiceSection.objects.select_related("seller_order__seller").order_by("pk"),
            ),
            Prefetch("order__lines", queryset=lines),
            "payments__recorded_by",
            Prefetch(
                "credits",
                queryset=InvoiceCredit.objects.select_related("seller_order__invoice_section", "created_by").order_by(
                    "pk"
                ),
            ),
            "events__actor",
        )
        .filter(pk=pk)
        .first()
    )


def section_lines(invoice: Invoice) -> list[tuple[InvoiceSection, list]]:
    """Each section with its order lines (from the prefetched order lines: no query per section)."""
    lines_by_partner: dict[int, list] = {}
    for line in invoice.order.lines.all():
        lines_by_partner.setdefault(line.partner_id, []).append(line)
    return [
        (section, lines_by_partner.get(section.seller_order.seller.partner_id, []))
        for section in invoice.sections.all()
    ]


def latest_card_payment(*, invoice: Invoice) -> InvoiceCardPayment | None:
    return invoice.card_payments.order_by("-attempt").first()


def invoices_for_finance(
    *, state: str = "", company_id: int | None = None, today: date | None = None
) -> QuerySet[Invoice]:
    """Finance's list. `state`: "open", "overdue", "paid", "void", "to_refund" (paid more than the credited
    invoice asks for) or "" for all."""
    today = today or timezone.localdate()
    invoices = Invoice.objects.select_related("company", "order").order_by("due_date", "pk")
    if state == "open":
        invoices = invoices.filter(status=InvoiceStatus.OPEN)
    elif state == "overdue":
        invoices = invoices.filter(status=InvoiceStatus.OPEN, due_date__lt=today)
    elif state in (InvoiceStatus.PAID, InvoiceStatus.VOID):
        invoices = invoices.filter(status=state).order_by("-issue_date", "-pk")
    elif state == "to_refund":
        invoices = invoices.filter(amount_paid__gt=F("total") - F("amount_credited"))
    if company_id:
        invoices = invoices.filter(company_id=company_id)
    return invoices


def companies_with_credit() -> QuerySet[Company]:
    """Companies allowed to buy on invoice, or owing on one, with `credit_used` and `credit_available`."""
    open_invoices = Invoice.objects.filter(company_id=OuterRef("pk"), status=InvoiceStatus.OPEN)
    owed = open_invoices.values("company_id").annotate(owed=Sum(_owed_expression())).values("owed")
    return (
        Company.objects.filter(Q(credit_limit__gt=0) | Exists(open_invoices))
        .annotate(credit_used=Coalesce(Subquery(owed, output_field=MONEY), Value(Decimal(0)), output_field=MONEY))
        .annotate(credit_available=ExpressionWrapper(F("credit_limit") - F("credit_used"), output_field=MONEY))
        .order_by("legal_name")
    )


def reminder_candidates(*, today: date, days_before_due: int) -> QuerySet[Invoice]:
    """Open invoices still owing, due within `days_before_due` days or already overdue: ids for the
    reminder task."""
    return (
        Invoice.objects.filter(status=InvoiceStatus.OPEN, due_date__lte=today + timedelta(days=days_before_due))
        .alias(owed=_owed_expression())
        .filter(owed__gt=0)
        .order_by("due_date", "pk")
    )


def reminder_recipients(*, invoice: Invoice) -> list[str]:
    """The company's approvers and its contact email, each once."""
    emails = list(
        invoice.company.memberships.filter(role=MembershipRole.APPROVER)
        .order_by("pk")
        .values_list("user__email", flat=True)
    )
    emails.append(invoice.company.contact_email)
    seen, recipients = set(), []
    for email in emails:
        if email and email.lower() not in seen:
            seen.add(email.lower())
            recipients.append(email)
    return recipients
