"""The aggregator's webhook endpoint (`/kurir/webhook/biteship/`)."""

import hmac
import json
import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from couriers.providers.base import TrackingUpdate
from couriers.providers.biteship import _aware
from couriers.services import shipment_apply_tracking, shipment_for_webhook

logger = logging.getLogger(__name__)


def _token_ok(request) -> bool:
    expected = settings.BITESHIP_WEBHOOK_TOKEN
    given = request.headers.get(settings.BITESHIP_WEBHOOK_HEADER, "")
    if given.lower().startswith("bearer "):
        given = given[7:]
    # No token configured accepts nothing: an open endpoint would let anyone mark parcels delivered.
    return bool(expected) and hmac.compare_digest(given.strip().encode(), expected.encode())


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def biteship_webhook(request):
    """Biteship's `order.status` (and `order.waybill_id`, `order.price`) webhooks.

    401 without the configured token. An empty body is Biteship's check when the URL is saved:
    200. Status events move the part forward through `couriers.services.shipment_apply_tracking`;
    replays and late, older statuses change nothing. An unknown order is acknowledged (200) so the
    aggregator does not retry it forever, and logged.
    """
    if not _token_ok(request):
        return HttpResponse("Unauthorized", status=401)
    if not request.body.strip():
        return JsonResponse({"ok": True})
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "expected an object"}, status=400)
    event = str(payload.get("event") or "")
    shipment = shipment_for_webhook(
        provider_order_id=str(payload.get("order_id") or ""), waybill_id=str(payload.get("courier_waybill_id") or "")
    )
    if shipment is None:
        logger.warning("Biteship webhook %s for an unknown order %s", event, payload.get("order_id"))
        return JsonResponse({"ok": True, "known": False})
    status = str(payload.get("status") or "")
    if event == "order.status" and status:
        shipment_apply_tracking(
            shipment_id=shipment.pk,
            updates=[TrackingUpdate(status=status, note="", occurred_at=_aware(payload.get("updated_at")))],
            source="webhook",
        )
    return JsonResponse({"ok": True})
