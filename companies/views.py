from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from companies.access import (
    CompanyMemberMixin,
    companies_for_user,
    membership_in_users_companies,
    memberships_for_user,
)
from companies.account_models import CompanyInvitation
from companies.forms import (
    ApprovalThresholdForm,
    CompanyRegistrationForm,
    MemberAddForm,
    MemberRoleForm,
    add_validation_errors,
)
from companies.models import CompanyMembership, MembershipRole
from companies.selectors import company_members, open_company_invitations
from companies.services import (
    company_invitation_accept,
    company_invitation_revoke,
    company_member_add,
    company_member_remove,
    company_member_set_role,
    company_register,
    company_set_approval_threshold,
)
from core.ratelimit import rate_limit
from sellers.team_views import InvitationAcceptView as BaseInvitationAcceptView


@method_decorator(rate_limit("company-registration"), name="post")
class RegisterView(LoginRequiredMixin, View):
    """A business buyer registers their company; staff verify it before wholesale prices apply."""

    template_name = "companies/register.html"

    def get(self, request):
        return self.render(CompanyRegistrationForm())

    def post(self, request):
        form = CompanyRegistrationForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            company_register(user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        messages.success(request, _("Thank you. Programme staff will verify your company shortly."))
        return redirect("companies:home")

    def render(self, form, status=200):
        context = {"form": form, "memberships": memberships_for_user(self.request.user)}
        return render(self.request, self.template_name, context, status=status)


# Business pages built by other parts of the off-taker programme. Each is linked only once its URL exists.
BUSINESS_LINKS = [
    ("purchasing:checkout", gettext_lazy("Business checkout"), "fas fa-file-invoice"),
    ("purchasing:approval-list", gettext_lazy("Approvals"), "fas fa-check-double"),
    ("quotes:list", gettext_lazy("Requests for quotation"), "fas fa-comments-dollar"),
    ("invoices:list", gettext_lazy("Invoices"), "fas fa-file-invoice-dollar"),
    ("purchasing:bulk-order", gettext_lazy("Bulk order (CSV)"), "fas fa-file-csv"),
    ("api:tokens", gettext_lazy("API tokens"), "fas fa-key"),
]


def _resolvable_links(entries) -> list[dict]:
    links = []
    for name, label, icon in entries:
        try:
            links.append({"url": reverse(name), "label": label, "icon": icon, "name": name})
        except NoReverseMatch:
            continue
    return links


class BusinessHomeView(CompanyMemberMixin, View):
    template_name = "companies/home.html"

    def get(self, request):
        memberships = list(memberships_for_user(request.user))
        # Buying (prices, checkout, approvals, invoices) happens for the verified company the user buys for.
        links = _resolvable_links(BUSINESS_LINKS) if self.company.is_verified else []
        if not self.is_approver:
            # Only approvers may manage API tokens; a buyer would land on a refusal.
            links = [link for link in links if link["name"] != "api:tokens"]
        context = self.context(
            memberships=memberships if len(memberships) > 1 else [],
            links=links,
            catalogue_url=reverse("catalogue:index"),
        )
        return render(request, self.template_name, context)


class MemberListView(CompanyMemberMixin, View):
    """Approvers add, re-role and remove members; buyers see the list."""

    template_name = "companies/members.html"

    def get(self, request):
        return self.render(MemberAddForm())

    def post(self, request):
        if not self.is_approver:
            raise PermissionDenied
        form = MemberAddForm(request.POST)
        if form.is_valid():
            try:
                result = company_member_add(company=self.company, added_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                if isinstance(result, CompanyInvitation):
                    message = _("Invitation sent to %(email)s.") % {"email": result.email}
                else:
                    message = _("%(email)s is now a member.") % {"email": result.user.email}
                messages.success(request, message)
                return redirect(self.company_url("companies:member-list"))
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = self.context(
            members=company_members(company=self.company),
            invitations=open_company_invitations(company=self.company) if self.is_approver else [],
            form=form,
            role_choices=MembershipRole.choices,
        )
        return render(self.request, self.template_name, context, status=status)


class MembershipActionMixin(LoginRequiredMixin):
    """A POST on one membership of a company the user belongs to (404 for any other company)."""

    def get_membership(self, pk) -> CompanyMembership:
        membership = membership_in_users_companies(user=self.request.user, pk=pk)
        if membership is None:
            raise Http404
        return membership

    def back(self, company):
        url = reverse("companies:member-list")
        return redirect(f"{url}?{urlencode({'company': company.pk})}")


class MemberRoleView(MembershipActionMixin, View):
    def post(self, request, pk):
        membership = self.get_membership(pk)
        form = MemberRoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose buyer or approver."))
            return self.back(membership.company)
        try:
            company_member_set_role(
                company=membership.company,
                user=membership.user,
                role=form.cleaned_data["role"],
                changed_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The role of %(email)s was changed.") % {"email": membership.user.email})
        return self.back(membership.company)


class MemberRemoveView(MembershipActionMixin, View):
    def post(self, request, pk):
        membership = self.get_membership(pk)
        try:
            company_member_remove(company=membership.company, user=membership.user, removed_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.back(membership.company)
        messages.success(request, _("%(email)s is no longer a member.") % {"email": membership.user.email})
        if membership.user == request.user:
            return redirect("companies:home")
        return self.back(membership.company)


class InvitationRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        invitation = (
            CompanyInvitation.objects.filter(pk=pk, company__in=companies_for_user(request.user))
            .select_related("company")
            .first()
        )
        if invitation is None:
            raise Http404
        company_invitation_revoke(invitation=invitation, revoked_by=request.user)
        messages.success(request, _("Invitation withdrawn."))
        url = reverse("companies:member-list")
        return redirect(f"{url}?{urlencode({'company': invitation.company_id})}")


class InvitationAcceptView(BaseInvitationAcceptView):
    model = CompanyInvitation
    organisation = "company"
    template_name = "companies/invitation_accept.html"

    def accept(self, invitation, user) -> None:
        company_invitation_accept(invitation=invitation, user=user)

    def accepted(self, invitation):
        messages.success(self.request, _("Welcome to %(name)s.") % {"name": invitation.company.legal_name})
        return redirect(f"{reverse('companies:home')}?{urlencode({'company': invitation.company_id})}")


class CompanySettingsView(CompanyMemberMixin, View):
    template_name = "companies/settings.html"

    def get(self, request):
        self.require_approver()
        return self.render(ApprovalThresholdForm(initial={"threshold": self.company.approval_threshold}))

    def post(self, request):
        self.require_approver()
        form = ApprovalThresholdForm(request.POST)
        if form.is_valid():
            try:
                company_set_approval_threshold(
                    company=self.company, threshold=form.cleaned_data["threshold"], set_by=request.user
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Settings saved."))
                return redirect(self.company_url("companies:settings"))
        return self.render(form, status=400)

    def require_approver(self):
        if not self.is_approver:
            raise PermissionDenied(_("Only an approver of the company can change its settings."))

    def render(self, form, status=200):
        return render(self.request, self.template_name, self.context(form=form), status=status)
