"""The pesantren team pages: owners invite and remove; an invited person accepts by its link."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from sellers.access import PesantrenOwnerRequiredMixin
from sellers.team_forms import AcceptSignupForm, InviteForm
from sellers.team_models import TeamInvitation
from sellers.team_services import (
    open_invitations,
    team_invitation_accept,
    team_invitation_revoke,
    team_invite,
    team_member_remove,
    team_members,
)


class TeamView(PesantrenOwnerRequiredMixin, View):
    """Owners invite and remove members; staff get 403 (the team is the owners' business)."""

    template_name = "sellers/team/team.html"

    def get(self, request):
        return self.render(InviteForm())

    def post(self, request):
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = team_invite(
                    seller=self.seller,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
                return redirect("dashboard:team")
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {
            "seller": self.seller,
            "is_owner": self.is_owner,
            "members": team_members(seller=self.seller),
            "invitations": open_invitations(seller=self.seller),
            "form": form,
            "title": _("Team"),
        }
        return render(self.request, self.template_name, context, status=status)


class TeamMemberRemoveView(PesantrenOwnerRequiredMixin, View):
    def post(self, request, user_pk):
        member = self.seller.partner.users.filter(pk=user_pk).first()
        if member is None:
            raise Http404
        try:
            team_member_remove(seller=self.seller, user=member, removed_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(email)s is no longer on the team.") % {"email": member.email})
        return redirect("dashboard:team")


class TeamInvitationRevokeView(PesantrenOwnerRequiredMixin, View):
    def post(self, request, pk):
        invitation = TeamInvitation.objects.filter(seller=self.seller, pk=pk).first()
        if invitation is None:
            raise Http404
        team_invitation_revoke(invitation=invitation, revoked_by=request.user)
        messages.success(request, _("Invitation withdrawn."))
        return redirect("dashboard:team")


class InvitationAcceptView(View):
    """Opened from the emailed link. The token is the secret; a signed-in user with another email
    address sees nothing of the invitation. Someone without an account creates one here.

    Subclasses set `model`, `organisation` (the invitation's foreign key to select) and
    `template_name`, and define `accept` (the service) and `accepted` (the response).
    """

    model = None
    organisation = ""
    template_name = ""

    def accept(self, invitation, user) -> None:
        raise NotImplementedError

    def accepted(self, invitation):
        raise NotImplementedError

    def get_invitation(self, token):
        invitation = self.model.objects.select_related(self.organisation).filter(token=token).first()
        if invitation is None:
            raise Http404
        user = self.request.user
        if user.is_authenticated and (user.email or "").lower() != invitation.email:
            raise Http404
        return invitation

    def get(self, request, token):
        invitation = self.get_invitation(token)
        return self.render(invitation, self._signup_form(invitation))

    def post(self, request, token):
        invitation = self.get_invitation(token)
        if not invitation.is_open:
            return self.render(invitation, None, status=400)
        user = request.user
        form = None
        if not user.is_authenticated:
            form = self._signup_form(invitation, data=request.POST)
            if form is None:
                return redirect(self.login_url())
            if not form.is_valid():
                return self.render(invitation, form, status=400)
            user = get_user_model().objects.create_user(
                username=invitation.email[:30], email=invitation.email, password=form.cleaned_data["password1"]
            )
        try:
            self.accept(invitation, user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render(invitation, form, status=400)
        if not request.user.is_authenticated:
            login(request, user, backend="customer.auth_backends.ModelBackend")
        return self.accepted(invitation)

    def _signup_form(self, invitation, data=None):
        if self.request.user.is_authenticated:
            return None
        if get_user_model().objects.filter(email__iexact=invitation.email).exists():
            return None  # an existing account signs in first
        return AcceptSignupForm(data, email=invitation.email)

    def login_url(self) -> str:
        return f"{reverse('customer:login')}?{urlencode({'next': self.request.path})}"

    def render(self, invitation, form, status=200):
        context = {"invitation": invitation, "form": form, "login_url": self.login_url()}
        return render(self.request, self.template_name, context, status=status)


class TeamAcceptView(InvitationAcceptView):
    model = TeamInvitation
    organisation = "seller"
    template_name = "sellers/team/accept.html"

    def accept(self, invitation, user) -> None:
        team_invitation_accept(invitation=invitation, user=user)

    def accepted(self, invitation):
        messages.success(self.request, _("Welcome to the team of %(name)s.") % {"name": invitation.seller.name})
        return redirect("dashboard:index")
