"""Midtrans's notification endpoint and the buyer's page for a charge of an order."""

import json
import logging

from django import http
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from fulfilment.services import ORDER_PENDING_PAYMENT
from midtrans import client
from midtrans.client import MidtransError
from midtrans.methods import METHODS, method_for
from midtrans.selectors import charge_display, latest_order_charge
from midtrans.services import midtrans_enabled, notification_receive, start_order_charge
from order.access import order_for_visitor

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
@transaction.non_atomic_requests
def notification(request):
    """Midtrans's HTTP notification. 400 (and nothing stored) on a bad body or signature; a verified
    one is stored once and processed by the worker, which re-checks the status with Midtrans."""
    try:
        payload = json.loads(request.body)
    except ValueError:
        return http.HttpResponseBadRequest("Bad payload")
    if not isinstance(payload, dict) or not client.signature_is_valid(payload):
        logger.warning("Rejected a Midtrans notification with a bad signature or payload")
        return http.HttpResponseBadRequest("Bad signature")
    notification_receive(payload=payload)
    return http.HttpResponse("OK")


def order_done_url(order) -> str:
    if order.user_id is not None:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse("checkout:thank-you")


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class OrderPayView(generic.TemplateView):
    """The VA number, bill key, QR or app link of an order's charge, with a countdown and how to pay.

    POST (re)opens a charge with the chosen method when there is none open: Midtrans was down when
    the order was placed, or the e-wallet payment was refused. Only Midtrans marks the order paid.
    """

    template_name = "midtrans/order_pay.html"

    def dispatch(self, request, *args, **kwargs):
        self.order = order_for_visitor(request=request, number=kwargs["order_number"])
        if self.order is None:
            raise http.Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.order.status != ORDER_PENDING_PAYMENT:
            return redirect(order_done_url(self.order))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        charge = latest_order_charge(order=self.order)
        source = self.order.sources.select_related("source_type").first()
        chosen = method_for(charge.method if charge else (source.source_type.code if source else ""))
        return {
            **super().get_context_data(**kwargs),
            **charge_display(charge),
            "order": self.order,
            "amount": self.order.total_incl_tax,
            "seller_orders": list(self.order.seller_orders.select_related("seller")),
            "open": bool(charge and charge.is_open),
            "chosen": chosen,
            "methods": list(METHODS.values()) if midtrans_enabled() else [],
            "status_url": reverse("midtrans:order-status", kwargs={"order_number": self.order.number}),
            "done_url": order_done_url(self.order),
            "simulator_url": getattr(settings, "MIDTRANS_SIMULATOR_URL", ""),
        }

    def post(self, request, *args, **kwargs):
        if self.order.status != ORDER_PENDING_PAYMENT:
            return redirect(order_done_url(self.order))
        code = request.POST.get("method", "")
        if method_for(code) is None or not midtrans_enabled():
            messages.error(request, _("Choose how you want to pay."))
            return redirect("midtrans:order-pay", order_number=self.order.number)
        try:
            start_order_charge(order=self.order, method_code=code, callback_url=request.build_absolute_uri())
        except MidtransError as error:
            messages.error(request, str(error))
        return redirect("midtrans:order-pay", order_number=self.order.number)


@never_cache
@require_GET
def order_charge_status(request, order_number: str):
    """What the payment page polls: read from our database only; nothing is changed here."""
    order = order_for_visitor(request=request, number=order_number)
    if order is None:
        raise http.Http404
    charge = latest_order_charge(order=order)
    return http.JsonResponse(
        {
            "order_status": order.status,
            "paid": order.status != ORDER_PENDING_PAYMENT and bool(charge and charge.paid_at),
            "charge_status": charge.status if charge else None,
            "expires_at": charge.expires_at.isoformat() if charge and charge.expires_at else None,
        }
    )
