"""The programme office's review of off-taker companies: queue, decisions and credit terms."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from companies.forms import CompanyRejectForm, CreditTermsForm, add_validation_errors
from companies.models import CompanyStatus
from companies.selectors import companies_for_review, company_for_review, company_status_counts
from companies.services import (
    CompanyTransitionError,
    company_reject,
    company_set_credit_terms,
    company_verify,
)
from core.identifiers import format_npwp


class VerifierRequiredMixin(PermissionRequiredMixin):
    # Programme staff hold this permission; they need not be superusers.
    permission_required = "companies.verify_company"


class CompanyListView(VerifierRequiredMixin, ListView):
    template_name = "companies/dashboard/company_list.html"
    context_object_name = "companies"
    paginate_by = 50

    def get_queryset(self):
        status = self.request.GET.get("status", CompanyStatus.APPLIED)
        self.status = status if status in CompanyStatus.values else ""
        self.query = self.request.GET.get("q", "").strip()
        return companies_for_review(status=self.status or None, query=self.query)

    def get_context_data(self, **kwargs):
        counts = company_status_counts()
        tabs = [(value, label, counts[value]) for value, label in CompanyStatus.choices]
        tabs.append(("", _("All"), counts["all"]))
        return {**super().get_context_data(**kwargs), "status": self.status, "query": self.query, "tabs": tabs}


class CompanyDetailView(VerifierRequiredMixin, View):
    template_name = "companies/dashboard/company_detail.html"

    def get(self, request, pk):
        company = self.get_company(pk)
        return self.render(company, CompanyRejectForm(), self.credit_form(company))

    def post(self, request, pk):
        company = self.get_company(pk)
        action = request.POST.get("action")
        reject_form, credit_form = CompanyRejectForm(), self.credit_form(company)
        try:
            if action == "verify":
                company_verify(company=company, verified_by=request.user)
                messages.success(
                    request, _("%(name)s is verified; its members now see wholesale prices.") % {"name": company}
                )
                return redirect("companies-dashboard:company-detail", pk=company.pk)
            if action == "reject":
                reject_form = CompanyRejectForm(request.POST)
                if reject_form.is_valid():
                    company_reject(company=company, rejected_by=request.user, reason=reject_form.cleaned_data["reason"])
                    messages.success(request, _("The registration of %(name)s was rejected.") % {"name": company})
                    return redirect("companies-dashboard:company-detail", pk=company.pk)
            elif action == "credit":
                credit_form = CreditTermsForm(request.POST)
                if credit_form.is_valid():
                    company_set_credit_terms(company=company, set_by=request.user, **credit_form.cleaned_data)
                    messages.success(request, _("Credit terms saved."))
                    return redirect("companies-dashboard:company-detail", pk=company.pk)
            else:
                messages.error(request, _("Unknown action."))
        except CompanyTransitionError as error:
            messages.error(request, str(error))
            return redirect("companies-dashboard:company-detail", pk=company.pk)
        except ValidationError as error:
            add_validation_errors(reject_form if action == "reject" else credit_form, error)
        return self.render(self.get_company(pk), reject_form, credit_form, status=400)

    def get_company(self, pk):
        company = company_for_review(pk=pk)
        if company is None:
            raise Http404
        return company

    @staticmethod
    def credit_form(company):
        return CreditTermsForm(
            initial={"credit_limit": company.credit_limit, "payment_terms_days": company.payment_terms_days}
        )

    def render(self, company, reject_form, credit_form, status=200):
        context = {
            "company": company,
            "npwp": format_npwp(company.npwp),
            "reject_form": reject_form,
            "credit_form": credit_form,
            "can_decide": company.status == CompanyStatus.APPLIED,
        }
        return render(self.request, self.template_name, context, status=status)
