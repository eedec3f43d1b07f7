"""The server side of a card payment page (an order's or an invoice's): what its script posts and
what it is answered. One place maps every outcome of starting a payment to a status code."""

import json
from collections.abc import Callable

from django import http
from django.utils.translation import gettext as _

from payments.stripe_api import AmountTooSmall, CardDeclined, PaymentError, PaymentProviderUnavailable


def start_card_payment_response(
    request, start: Callable[[str], object], *, conflicts: tuple[type[PaymentError], ...]
) -> http.JsonResponse:
    """Read the PaymentMethod id the page posts, call `start(payment_method_id)` and answer in JSON.

    `start` returns the payment attempt (with `status` and `client_secret`); `conflicts` are the
    errors meaning the thing is no longer payable this way (paid meanwhile, another attempt under
    way), answered 409.
    """
    try:
        payment_method_id = json.loads(request.body or b"{}").get("payment_method_id", "")
    except (ValueError, AttributeError):
        payment_method_id = ""
    if not isinstance(payment_method_id, str) or not payment_method_id.startswith("pm_"):
        return _error(_("The card details could not be read. Please try again."), status=400)
    try:
        attempt = start(payment_method_id)
    except CardDeclined as declined:
        return _error(str(declined), status=402)
    except conflicts as conflict:
        return _error(str(conflict), status=409)
    except AmountTooSmall as too_small:
        return _error(str(too_small), status=400)
    except PaymentProviderUnavailable:
        return _error(_("The card payment service is not answering. Please try again in a minute."), status=503)
    except PaymentError as error:
        return _error(str(error), status=400)
    body = {"status": attempt.status}
    if attempt.status == "requires_action":
        body["client_secret"] = attempt.client_secret
    return http.JsonResponse(body)


def _error(message: str, *, status: int) -> http.JsonResponse:
    return http.JsonResponse({"error": message}, status=status)
