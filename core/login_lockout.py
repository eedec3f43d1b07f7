"""Login lockout (django-axes): per account and per client address, counted in the database.

Every login form (the storefront's, the checkout gateway's, the dashboard's, Django admin's) authenticates through
`django.contrib.auth.authenticate(request, ...)`, where `LoginLockoutBackend` refuses a locked
account or address before any password is checked, and axes' signal handler counts the failures.

- An account locks after `AXES_FAILURE_LIMIT` failures from anywhere (guessing one password from
  many addresses); an address locks after `MARKETPLACE_LOGIN_ADDRESS_FAILURE_LIMIT` failures on any
  accounts (trying one password on many accounts). The address limit is higher because a whole
  pesantren or office shares one address behind its router.
- The count is of the email as typed, whether an account has it or not, and the locked page is the
  same for both: the lockout says nothing about which emails have accounts.
- A successful login clears that account's failures, not those of its address: otherwise anyone
  with one account could sign into it between guesses at others.
"""

import math

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

from core.ratelimit import too_many_attempts_response

USERNAME_COLUMN_LENGTH = 255


def normalised_username(request, credentials) -> str | None:
    """`User@Example.org ` and `user@example.org` are one account to Oscar's email backend, so one count."""
    if credentials and settings.AXES_USERNAME_FORM_FIELD in credentials:
        username = credentials[settings.AXES_USERNAME_FORM_FIELD]
    else:
        data = getattr(request, "data", None) or request.POST
        username = data.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(username, str):
        return username
    # axes keeps the name in a 255-character column; no account has a longer one (emails stop at 254).
    return username.strip().lower()[:USERNAME_COLUMN_LENGTH]


class LoginLockoutBackend(AxesStandaloneBackend):
    """axes' backend, except that a check without a request is not a login and is not refused.

    Oscar's registration checks the password it has just set with `authenticate()` and no request
    (so do management commands and the test client's `login()`); axes would raise there. Every
    login form passes the request (Oscar's checkout gateway through checkout.views.IndexView).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    return too_many_attempts_response(request, math.ceil(cool_off.total_seconds()))


class LoginLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with a separate, higher failure limit for an address (see the module)."""

    def get_failures(self, request, credentials=None) -> int:
        account_limit = get_failure_limit(request, credentials)
        address_limit = settings.MARKETPLACE_LOGIN_ADDRESS_FAILURE_LIMIT
        failures = 0
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "ip_address":
                # On the account's scale, so that axes' single limit locks the address at its own
                # limit: floor(count * account_limit / address_limit) >= account_limit
                # exactly when count >= address_limit.
                count = count * account_limit // address_limit
            failures = max(failures, count)
        return failures

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        # Failures are counted under the email as typed, while axes would reset by the username
        # field, which Oscar fills with a random string for customers: clear both.
        names = {name.strip().lower() for name in (user.get_username(), getattr(user, "email", "")) if name}
        AccessAttempt.objects.filter(username__in=names).delete()
