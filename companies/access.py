"""Who belongs to which company, and with which role: the one access layer of company members.

Every business page, service, template tag and the API asks here: which companies a user belongs to,
the verified company the user buys for (the one pricing, checkout and the business area use), the
user's role (buyer or approver) and whether it may approve. Self-contained (it needs only the
company models) so that it can move with the companies when the off-taker app is split.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from companies.models import Company, CompanyMembership, CompanyStatus, MembershipRole


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def memberships_for_user(user) -> QuerySet[CompanyMembership]:
    """Every membership of the user, with its company, by company name."""
    if not _signed_in(user):
        return CompanyMembership.objects.none()
    return CompanyMembership.objects.filter(user=user).select_related("company").order_by("company__legal_name")


def companies_for_user(user) -> QuerySet[Company]:
    """Every company the user belongs to, verified or not."""
    if not _signed_in(user):
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user)


def companies_approved_by(*, user) -> QuerySet[Company]:
    """Every company in which the user is an approver, by name."""
    if not _signed_in(user):
        return Company.objects.none()
    return Company.objects.filter(memberships__user=user, memberships__role=MembershipRole.APPROVER).order_by(
        "legal_name"
    )


def verified_company_for_user(user) -> Company | None:
    """The verified company `user` buys for, or None (consumers, anonymous users, unverified companies).

    The oldest verified company if the user belongs to several: pricing, checkout and the business
    area all pick the same one.
    """
    return buying_company_and_membership(user)[0]


def buying_company_and_membership(user) -> tuple[Company | None, bool]:
    """What every page asks of a signed-in user, in one query: the verified company they buy for (the
    oldest verified one) and whether they belong to any company (the header's link)."""
    if not _signed_in(user):
        return None, False
    companies = list(Company.objects.filter(memberships__user=user).distinct().order_by("pk"))
    verified = next((company for company in companies if company.status == CompanyStatus.VERIFIED), None)
    return verified, bool(companies)


def business_membership_for_user(user, *, company_id=None) -> CompanyMembership | None:
    """The membership the business area shows: the one asked for, else the company the user buys for.

    Without `company_id` this is the company verified_company_for_user picks, or, before any is
    verified, the user's first company. Another user's company is never returned.
    """
    if not _signed_in(user):
        return None
    memberships = CompanyMembership.objects.filter(user=user).select_related("company")
    if company_id is not None:
        return memberships.filter(company_id=company_id).first()
    verified = memberships.filter(company__status=CompanyStatus.VERIFIED).order_by("company_id").first()
    return verified or memberships.order_by("company_id").first()


def membership_in_users_companies(*, user, pk: int) -> CompanyMembership | None:
    """Membership `pk` (anyone's) of a company `user` belongs to; None for any other company."""
    if not _signed_in(user):
        return None
    return (
        CompanyMembership.objects.filter(pk=pk, company__memberships__user=user)
        .select_related("company", "user")
        .first()
    )


def company_role(*, company: Company, user) -> str | None:
    """The user's role in the company (MembershipRole), or None when it is not a member."""
    if not _signed_in(user):
        return None
    return CompanyMembership.objects.filter(company=company, user=user).values_list("role", flat=True).first()


def is_company_member(*, company: Company, user) -> bool:
    return company_role(company=company, user=user) is not None


def is_company_approver(*, company: Company, user) -> bool:
    return company_role(company=company, user=user) == MembershipRole.APPROVER


def company_role_of(*, company: Company, user) -> str:
    """The user's role in the company; PermissionDenied for anyone who is not a member."""
    role = company_role(company=company, user=user)
    if role is None:
        raise PermissionDenied(_("You are not a member of %(company)s.") % {"company": company.legal_name})
    return role


def require_company_approver(*, company: Company, user, message: str = "") -> None:
    if not is_company_approver(company=company, user=user):
        raise PermissionDenied(message or _("Only an approver of the company can do this."))


def is_member_of_any_company(user) -> bool:
    return _signed_in(user) and CompanyMembership.objects.filter(user=user).exists()


class CompanyMemberMixin(LoginRequiredMixin):
    """Pages of the business area. Sets `self.membership`, `self.company` and `self.is_approver`.

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
            return redirect("companies:register")
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
    """Buying pages: for members of the verified company that pricing also uses. Sets `self.company`,
    `self.membership` and `self.is_approver`; anyone else is sent to register a company."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.company = verified_company_for_user(request.user)
        if self.company is None:
            messages.info(request, _("Register your company, and wait for its verification, to buy as a business."))
            return redirect("companies:register")
        self.membership = self.company.memberships.get(user=request.user)
        self.is_approver = self.membership.role == MembershipRole.APPROVER
        return super().dispatch(request, *args, **kwargs)
