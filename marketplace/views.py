from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from marketplace.health import check_services
from sellers.selectors import home_page_context


class HomeView(TemplateView):
    template_name = "marketplace/home.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **home_page_context()}


# Never inside a request-wide transaction (should ATOMIC_REQUESTS come back): opening it would fail
# with a 500 before the database check could report the outage as a 503.
@transaction.non_atomic_requests
@never_cache
def healthz(request):
    checks = check_services()
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    if not healthy:
        body["down"] = sorted(name for name, check in checks.items() if not check["ok"])
    return JsonResponse(body, status=200 if healthy else 503)
