from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from core.page_cache import cache_anonymous_page
from core.ratelimit import rate_limit
from regions.forms import REFRESH_BUTTON_NAME
from sellers.forms import ApplicantAccountForm, DirectoryFilterForm, SellerApplicationForm
from sellers.models import SellerStatus
from sellers.selectors import (
    applications_for_user,
    open_application_for_user,
    sellers_directory,
)
from sellers.services import seller_apply, seller_resubmit


@method_decorator(cache_anonymous_page(), name="dispatch")
class DirectoryView(ListView):
    template_name = "sellers/directory.html"
    context_object_name = "sellers"
    paginate_by = 24

    def get_queryset(self):
        self.form = DirectoryFilterForm(self.request.GET or None)
        return sellers_directory(**self.form.filters())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "form": self.form}


def _submits_application(request) -> bool:
    # Refreshing the region selects (without JavaScript) re-posts the form but saves nothing.
    return REFRESH_BUTTON_NAME not in request.POST


@method_decorator(rate_limit("pesantren-application", counts=_submits_application), name="post")
class ApplyView(View):
    """ "Daftar sebagai pesantren": an account (unless signed in), the pesantren's details, documents."""

    template_name = "sellers/apply.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and open_application_for_user(user=request.user):
            return redirect("sellers:application-status")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.render(ApplicantAccountForm(prefix="account"), SellerApplicationForm())

    def post(self, request):
        needs_account = not request.user.is_authenticated
        account_form = ApplicantAccountForm(request.POST, prefix="account") if needs_account else None
        form = SellerApplicationForm(request.POST, request.FILES)
        if form.is_region_refresh():
            # Without JavaScript the region selects are refreshed by re-posting: show the narrowed
            # choices again, without saving or complaining about fields not filled in yet.
            account_initial = {"account_email": request.POST.get("account-account_email", "")}
            return self.render(ApplicantAccountForm(initial=account_initial, prefix="account"), form)
        if not form.is_valid() or (account_form is not None and not account_form.is_valid()):
            return self.render(account_form, form, status=400)

        user = request.user
        if needs_account:
            email = account_form.cleaned_data["account_email"]
            user = get_user_model().objects.create_user(
                username=email[:150], email=email, password=account_form.cleaned_data["password1"]
            )
        seller_apply(owner=user, data=form.seller_data(), documents=form.documents())
        if needs_account:
            login(request, user, backend="customer.auth_backends.ModelBackend")
        messages.success(request, _("Your application has been received. We will email you when it is reviewed."))
        return redirect("sellers:application-status")

    def render(self, account_form, form, status=200):
        context = {"account_form": account_form if not self.request.user.is_authenticated else None, "form": form}
        return render(self.request, self.template_name, context, status=status)


class ApplicationStatusView(LoginRequiredMixin, View):
    """The applicant follows their application and answers a request for changes."""

    template_name = "sellers/application_status.html"

    def get(self, request):
        applications = list(applications_for_user(user=request.user))
        if not applications:
            return redirect("sellers:apply")
        return self.render(applications, self._correction_form(applications))

    def post(self, request):
        applications = list(applications_for_user(user=request.user))
        seller = next((a for a in applications if a.status == SellerStatus.CHANGES_REQUESTED), None)
        if seller is None:
            raise Http404
        form = SellerApplicationForm(request.POST, request.FILES, instance=seller)
        if form.is_region_refresh():
            return self.render(applications, form)
        if not form.is_valid():
            return self.render(applications, form, status=400)
        seller_resubmit(seller=seller, data=form.seller_data(), documents=form.documents(), actor=request.user)
        messages.success(request, _("Thank you. Your corrected application is back in the review queue."))
        return redirect(reverse("sellers:application-status"))

    def _correction_form(self, applications):
        seller = next((a for a in applications if a.status == SellerStatus.CHANGES_REQUESTED), None)
        return SellerApplicationForm(instance=seller) if seller else None

    def render(self, applications, correction_form, status=200):
        context = {"applications": applications, "correction_form": correction_form}
        return render(self.request, self.template_name, context, status=status)
