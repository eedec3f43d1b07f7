"""Rate limits of the API, counted in the Django cache (Redis in production)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class _SettingsRate(SimpleRateThrottle):
    def get_rate(self):
        # Read at request time, not import time, so that changed settings apply.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


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
