from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from regions.selectors import children_of


# A read of static reference data: no transaction round trips, and browsers may cache it for a day.
@transaction.non_atomic_requests
@require_GET
@cache_control(max_age=86400, public=True)
def children(request):
    """Child regions of `?parent=<code>`, for chained selects. `postal_code` is blank above desa level."""
    regions = children_of(request.GET.get("parent", "").strip())
    return JsonResponse({"results": [{"code": r.code, "name": r.name, "postal_code": r.postal_code} for r in regions]})
