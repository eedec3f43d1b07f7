"""The Content-Security-Policy header: django-csp's, plus the Stripe (and Midtrans) origins of the current settings.

The policy itself is `CONTENT_SECURITY_POLICY` in settings. Stripe's origins depend on
STRIPE_API_BASE (Stripe itself in production, localstripe in the demo and the tests, where each test
may point it at another port), so they are added per response rather than frozen in settings.
"""

from csp.middleware import CSPMiddleware, PolicyParts


def _as_list(sources) -> list[str]:
    if sources is None:
        return []
    if isinstance(sources, str):
        return [sources]
    return list(sources)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        from midtrans.client import content_security_policy_sources as midtrans_sources
        from payments.stripe_api import content_security_policy_sources

        parts = super().get_policy_parts(request, response, report_only)
        update = dict(parts.update or {})
        for sources_of in (content_security_policy_sources, midtrans_sources):
            for directive, sources in sources_of().items():
                update[directive] = [*_as_list(update.get(directive)), *sources]
        parts.update = update
        return parts
