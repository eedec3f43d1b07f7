from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.redirects import is_same_site_url, safe_redirect_url
from marketplace.health import check_services
from sellers.selectors import home_page_context


class HomeView(TemplateView):
    template_name = "marketplace/home.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **home_page_context()}


# Outside ATOMIC_REQUESTS: opening the request's transaction would fail with a 500 before the
# database check could report the outage as a 503.
@transaction.non_atomic_requests
@never_cache
def healthz(request):
    checks = check_services()
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    if not healthy:
        body["down"] = sorted(name for name, check in checks.items() if not check["ok"])
    return JsonResponse(body, status=200 if healthy else 503)


@require_POST
def set_language(request):
    """The language switcher: remember the choice in the cookie LanguageMiddleware reads, then go back.

    Django's own view, except that where to go goes through the one same-site check
    (core.redirects) that sign-in uses too.
    """
    next_url = request.POST.get("next") or request.GET.get("next")
    if not is_same_site_url(request, next_url):
        next_url = safe_redirect_url(request, request.headers.get("referer"), "/")
    response = HttpResponseRedirect(next_url)
    language = request.POST.get("language", "")
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
