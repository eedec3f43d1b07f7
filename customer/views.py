"""Oscar's sign-in, registration and password reset, with same-site redirects and rate limits.

Oscar's `get_class("customer.views", ...)` finds `AccountAuthView` and `AccountRegistrationView` here
(the forked customer app) and every other view in Oscar's module; marketplace.urls serves the password
reset ahead of Oscar's. The dashboard's sign-in is `dashboard.views.LoginView`. Failed logins are
locked out by django-axes (core/login_lockout.py), not here.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from oscar.apps.customer import views as oscar_customer_views
from oscar.core.loading import get_class
from oscar.views.decorators import login_forbidden

from core.ratelimit import rate_limit, refusal
from core.redirects import safe_redirect_url

PasswordResetForm = get_class("customer.forms", "PasswordResetForm")


class AccountAuthView(oscar_customer_views.AccountAuthView):
    def post(self, request, *args, **kwargs):
        if "registration_submit" in request.POST:
            refused = refusal(request, "account-registration")
            if refused is not None:
                return refused
        return super().post(request, *args, **kwargs)

    def get_login_success_url(self, form):
        # Staff most likely came for the dashboard.
        fallback = reverse("dashboard:index") if self.request.user.is_staff else settings.LOGIN_REDIRECT_URL
        return safe_redirect_url(self.request, form.cleaned_data.get("redirect_url"), fallback)

    def get_registration_success_url(self, form):
        return safe_redirect_url(self.request, form.cleaned_data.get("redirect_url"), settings.LOGIN_REDIRECT_URL)


@method_decorator(rate_limit("account-registration"), name="post")
class AccountRegistrationView(oscar_customer_views.AccountRegistrationView):
    def form_valid(self, form):
        self.register_user(form)
        redirect_url = form.cleaned_data.get("redirect_url")
        return redirect(safe_redirect_url(self.request, redirect_url, settings.LOGIN_REDIRECT_URL))


def _typed_email(request) -> str | None:
    return request.POST.get("email") or None


# The same answer whether an account has the email or not (Django's view never says); the limits
# are per address and per email typed, so they say nothing either.
password_reset = login_forbidden(
    rate_limit("password-reset", identities={"email": _typed_email})(
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            success_url=reverse_lazy("password-reset-done"),
            template_name="oscar/registration/password_reset_form.html",
        )
    )
)
