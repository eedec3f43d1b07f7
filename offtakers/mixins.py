from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from offtakers.models import MembershipRole
from offtakers.selectors import business_membership_for_user, verified_company_for_user


class CompanyMemberMixin(LoginRequiredMixin):
    """Pages of the business area. Sets `self.membership` and `self.company`.

    `?company=<id>` picks another of the user's companies; without it, the company the user buys for (see
    business_membership_for_user). A company the user does not belong to is a 404; a user without any
    company is sent to the registration.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        raw = request.GET.get("company")
        company_id = None
        if raw is not None:
            if not raw.isdigit():
                raise Http404
            company_id = int(raw)
        self.membership = business_membership_for_user(request.user, company_id=company_id)
        if self.membership is None:
            if company_id is not None:
                raise Http404
            messages.info(request, _("Register your company to buy as a business."))
            return redirect("offtakers:register")
        self.company = self.membership.company
        self.is_approver = self.membership.role == MembershipRole.APPROVER
        return super().dispatch(request, *args, **kwargs)

    def company_url(self, name: str) -> str:
        """The URL of another business page for the same company (keeps an explicit ?company=)."""
        url = reverse(name)
        if "company" in self.request.GET:
            url += "?" + urlencode({"company": self.company.pk})
        return url

    def context(self, **extra) -> dict:
        company_query = f"?{urlencode({'company': self.company.pk})}" if "company" in self.request.GET else ""
        return {
            "company": self.company,
            "membership": self.membership,
            "is_approver": self.is_approver,
            "company_query": company_query,
            **extra,
        }


class VerifiedCompanyMemberMixin(LoginRequiredMixin):
    """Buying pages: for members of the verified company that pricing also uses. Sets `self.company`."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.company = verified_company_for_user(request.user)
        if self.company is None:
            messages.info(request, _("Register your company, and wait for its verification, to buy as a business."))
            return redirect("offtakers:register")
        self.membership = self.company.memberships.get(user=request.user)
        self.is_approver = self.membership.role == MembershipRole.APPROVER
        return super().dispatch(request, *args, **kwargs)
