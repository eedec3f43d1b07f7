from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from offtakers.forms import CompanyRegistrationForm
from offtakers.selectors import memberships_for_user
from offtakers.services import company_register


class RegisterView(LoginRequiredMixin, View):
    """A business buyer registers their company; staff verify it before wholesale prices apply."""

    template_name = "offtakers/register.html"

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
        return redirect("offtakers:register")

    def render(self, form, status=200):
        context = {"form": form, "memberships": memberships_for_user(self.request.user)}
        return render(self.request, self.template_name, context, status=status)
