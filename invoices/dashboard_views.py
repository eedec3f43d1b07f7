"""Finance's invoice pages: every company's invoices, recording bank transfers, credit in use."""

from django import http
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from companies.models import Company
from invoices.forms import RecordPaymentForm
from invoices.models import InvoiceStatus
from invoices.selectors import companies_with_credit, invoice_with_details, invoices_for_finance, section_lines
from invoices.services import invoice_record_payment
from invoices.views import pdf_response


class FinanceRequiredMixin(PermissionRequiredMixin):
    permission_required = "invoices.manage_invoices"


class InvoiceListView(FinanceRequiredMixin, generic.ListView):
    template_name = "invoices/dashboard/invoice_list.html"
    context_object_name = "invoices"
    paginate_by = 50
    STATES = [
        ("open", gettext_lazy("Open")),
        ("overdue", gettext_lazy("Overdue")),
        (InvoiceStatus.PAID.value, gettext_lazy("Paid")),
        (InvoiceStatus.VOID.value, gettext_lazy("Void")),
        ("to_refund", gettext_lazy("To refund")),
        ("all", gettext_lazy("All")),
    ]

    def get_queryset(self):
        self.state = self.request.GET.get("state", "open")
        if self.state not in dict(self.STATES):
            self.state = "open"
        company = self.request.GET.get("company", "")
        self.company_id = int(company) if company.isdigit() else None
        return invoices_for_finance(state="" if self.state == "all" else self.state, company_id=self.company_id)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "states": self.STATES,
            "state": self.state,
            "company_id": self.company_id,
            "companies": Company.objects.filter(invoices__isnull=False).distinct().order_by("legal_name"),
            "today": timezone.localdate(),
        }


class InvoiceMixin(FinanceRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.invoice = invoice_with_details(pk=kwargs["pk"])
        if self.invoice is None:
            raise http.Http404
        return super().dispatch(request, *args, **kwargs)


class InvoiceDetailView(InvoiceMixin, generic.View):
    template_name = "invoices/dashboard/invoice_detail.html"

    def get(self, request, pk):
        return self.render(RecordPaymentForm(initial={"amount": int(self.invoice.balance)}))

    def post(self, request, pk):
        form = RecordPaymentForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            invoice_record_payment(
                invoice=self.invoice,
                amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
                paid_on=form.cleaned_data["paid_on"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        messages.success(request, _("Payment recorded on invoice %(number)s.") % {"number": self.invoice.number})
        return redirect("invoices-dashboard:detail", pk=self.invoice.pk)

    def render(self, form, status=200):
        invoice = self.invoice
        context = {
            "invoice": invoice,
            "sections": section_lines(invoice),
            "form": form if invoice.status == InvoiceStatus.OPEN else None,
        }
        return render(self.request, self.template_name, context, status=status)


class InvoicePdfView(InvoiceMixin, generic.View):
    def get(self, request, pk):
        return pdf_response(self.invoice)


class CompanyCreditListView(FinanceRequiredMixin, generic.ListView):
    template_name = "invoices/dashboard/credit_list.html"
    context_object_name = "companies"
    paginate_by = 50

    def get_queryset(self):
        return companies_with_credit()
