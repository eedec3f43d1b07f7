"""Rate limits of the API, counted in the Django cache (Redis in production)."""

import logging

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken
from core.cache import UNAVAILABLE_ERRORS, cache_errors_raised

logger = logging.getLogger(__name__)


class ThrottleUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The service is briefly unavailable. Try again shortly.")
    default_code = "throttle_unavailable"
    wait = 30  # seconds, sent as Retry-After


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self):
        # Read at request time, not import time, so that changed settings apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        """Count in the cache; with the cache down, let the request through or refuse it, by setting."""
        try:
            with cache_errors_raised():
                return super().allow_request(request, view)
        except UNAVAILABLE_ERRORS as error:
            logger.warning("API throttle %s cannot count (%s): failing %s", self.scope, error, self._fail_mode())
            if settings.MARKETPLACE_API_THROTTLE_FAIL_OPEN:
                return True
            raise ThrottleUnavailable from error

    @staticmethod
    def _fail_mode() -> str:
        return "open" if settings.MARKETPLACE_API_THROTTLE_FAIL_OPEN else "closed"


class CompanyRateThrottle(_SettingsRate):
    """One budget per company, shared by all its tokens, so more tokens do not buy more requests."""

    scope = "api_company"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.company_id}


class AnonymousRateThrottle(_SettingsRate):
    """Requests without a token (the schema) are counted per client address."""

    scope = "api_anonymous"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
