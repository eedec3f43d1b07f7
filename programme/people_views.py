"""Who works in the programme: the provincial office grants and revokes roles; officers assign
mentors to the pesantren of their area and end those assignments.

Thin views: scope and look-ups from programme/access.py, writes (each with its audit row) from
programme/services.py.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from programme import access, services
from programme.access import ProgrammeOfficerRequiredMixin, ProvincialOfficeRequiredMixin
from programme.forms import MentorAssignForm, RoleGrantForm

AUDIT_ROWS = 50


def _audit_rows(scope):
    return access.access_events(scope).select_related("actor", "kabupaten", "pesantren")[:AUDIT_ROWS]


class _GrantPageView(View):
    """A list with a form beside it (and the audit below): `save(form)` writes, returning the message."""

    template_name = ""
    success_url = ""

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                message = self.save(form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, message)
                return redirect(self.success_url)
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {**self.listing(), "form": form, "events": _audit_rows(self.scope)}
        return render(self.request, self.template_name, context, status=status)


class RolesView(ProvincialOfficeRequiredMixin, _GrantPageView):
    template_name = "programme/roles.html"
    success_url = "programme:roles"

    def form(self, data=None):
        return RoleGrantForm(data, kabupaten_queryset=access.kabupaten_in_scope(self.scope))

    def save(self, form) -> str:
        role = services.role_grant(
            scope=self.scope,
            email=form.cleaned_data["email"],
            kind=form.cleaned_data["kind"],
            kabupaten=form.cleaned_data["kabupaten"],
            granted_by=self.request.user,
        )
        return _("%(email)s is now %(role)s.") % {"email": role.user.email, "role": role.get_kind_display()}

    def listing(self) -> dict:
        roles = access.roles_managed(self.scope).select_related("user", "kabupaten").order_by("kind", "user__email")
        return {"roles": roles}


class RoleRevokeView(ProvincialOfficeRequiredMixin, View):
    def post(self, request, pk):
        role = access.roles_managed(self.scope).select_related("user").filter(pk=pk).first()
        if role is None:
            raise Http404
        try:
            services.role_revoke(scope=self.scope, role=role, revoked_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(email)s is no longer %(role)s.") % {"email": role.user.email, "role": role.get_kind_display()},
            )
        return redirect("programme:roles")


class AssignmentsView(ProgrammeOfficerRequiredMixin, _GrantPageView):
    template_name = "programme/assignments.html"
    success_url = "programme:assignments"

    def form(self, data=None):
        return MentorAssignForm(data, pesantren_queryset=access.mapped_pesantren_editable(self.scope))

    def save(self, form) -> str:
        assignment = services.mentor_assign_by_email(
            scope=self.scope,
            email=form.cleaned_data["email"],
            pesantren=form.cleaned_data["pesantren"],
            assigned_by=self.request.user,
        )
        return _("%(email)s now mentors %(name)s.") % {
            "email": assignment.mentor.email,
            "name": assignment.pesantren.name,
        }

    def listing(self) -> dict:
        assignments = (
            access.assignments_managed(self.scope)
            .select_related("mentor", "pesantren__kecamatan", "pesantren__kabupaten")
            .order_by("pesantren__name", "mentor__email", "pk")
        )
        return {"assignments": assignments}


class AssignmentEndView(ProgrammeOfficerRequiredMixin, View):
    def post(self, request, pk):
        assignment = access.assignments_managed(self.scope).select_related("mentor", "pesantren").filter(pk=pk).first()
        if assignment is None:
            raise Http404
        services.mentor_assignment_end(scope=self.scope, assignment=assignment, ended_by=request.user)
        messages.success(
            request,
            _("%(email)s no longer mentors %(name)s.")
            % {"email": assignment.mentor.email, "name": assignment.pesantren.name},
        )
        return redirect("programme:assignments")
