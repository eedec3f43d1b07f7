"""HTML pages around the API: token management for company approvers, and the API reference."""

from functools import lru_cache

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from api.selectors import tokens_for_approver
from api.services import api_token_create, api_token_revoke
from companies.access import companies_approved_by


class TokenCreateForm(forms.Form):
    company = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Company"), empty_label=None)
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. 'ERP integration'."),
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        if len(companies) == 1:
            self.fields["company"].widget = forms.HiddenInput()
            self.fields["company"].initial = companies[0].pk


class TokenListView(LoginRequiredMixin, View):
    """A company approver's API tokens: create one (its secret is shown once) or revoke one."""

    template_name = "api/tokens.html"

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(data=request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            token, secret = api_token_create(
                company=form.cleaned_data["company"], created_by=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        # Rendered, not redirected: the secret exists only in this response.
        return self.render(self.form(), new_token=token, secret=secret)

    def form(self, data=None):
        return TokenCreateForm(data=data, companies=companies_approved_by(user=self.request.user))

    def render(self, form, status=200, **extra):
        companies = form.fields["company"].queryset
        context = {
            "form": form,
            "companies": companies,
            "tokens": tokens_for_approver(user=self.request.user),
            **extra,
        }
        if not companies:
            status = 403
        return render(self.request, self.template_name, context, status=status)


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = tokens_for_approver(user=request.user).filter(pk=pk).first()
        if token is None:
            raise Http404
        try:
            api_token_revoke(token=token, revoked_by=request.user)
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("The token %(name)s is revoked; it no longer works.") % {"name": token.name})
        return redirect("api:tokens")


@lru_cache(maxsize=1)
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def api_operations() -> list[dict]:
    schema = _schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return operations


class DocsView(View):
    """A reference of the endpoints, rendered from the OpenAPI schema (no external assets needed)."""

    def get(self, request):
        return render(
            request,
            "api/docs.html",
            {"info": _schema()["info"], "operations": api_operations()},
        )
