import logging

from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from order.access import order_for_visitor
from payments.selectors import latest_card_payment
from payments.services import PaymentProviderUnavailable, UnknownOrderYet
from payments.stripe_api import construct_webhook_event
from payments.webhooks import handle_stripe_event

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def stripe_webhook(request):
    """Stripe's webhook endpoint. 400 on a bad signature; non-2xx asks Stripe to deliver again."""
    signature = request.headers.get("Stripe-Signature", "")
    if not signature:
        return HttpResponseBadRequest("Missing signature")
    try:
        event = construct_webhook_event(request.body, signature)
    except ValueError:
        logger.warning("Rejected a Stripe webhook with a bad signature or payload")
        return HttpResponseBadRequest("Bad signature or payload")
    try:
        handle_stripe_event(event=event, payload=request.body)
    except (PaymentProviderUnavailable, UnknownOrderYet) as error:
        logger.warning("Stripe event %s not processed yet: %r", event.id, error)
        return HttpResponse("Try again later", status=503)
    return HttpResponse("OK")


@never_cache
@require_GET
def payment_status(request, order_number: str):
    """What the thank-you page polls while Stripe finishes: no payment is made or changed here."""
    order = order_for_visitor(request=request, number=order_number)
    if order is None:
        raise Http404
    payment = latest_card_payment(order=order)
    requires_action = bool(payment and payment.requires_action)
    return JsonResponse(
        {
            "order_status": order.status,
            "payment_status": payment.status if payment else None,
            "requires_action": requires_action,
            "client_secret": payment.client_secret if requires_action else None,
            "last_error": payment.last_error if payment else "",
        }
    )
