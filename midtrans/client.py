"""The only module that talks to Midtrans (Core API v2), over `requests` with explicit timeouts.

Settings: `MIDTRANS_API_URL` (the base without `/v2`, e.g. https://api.sandbox.midtrans.com, or the
local server in the demo and tests), `MIDTRANS_SERVER_KEY` (HTTP Basic user, empty password),
`MIDTRANS_TIMEOUT_SECONDS`. Callers see our exceptions, never `requests`'.

Midtrans answers some errors with HTTP 200 and the real code in the body's `status_code`, so the
body decides. The official `midtransclient` checks no notification signature: `signature_is_valid`
does, in constant time.
"""

import hashlib
import hmac
import logging
import threading
from decimal import Decimal
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from core.locks import forbid_network_in_transaction
from payments.stripe_api import PaymentError

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 10
CONNECT_TIMEOUT_SECONDS = 3.05


class MidtransError(PaymentError):
    """A Midtrans call failed. `str(error)` is safe to show the buyer."""

    def __init__(self, message: str, *, status_code: str = "", body: dict | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.body = body or {}


class MidtransUnavailable(MidtransError):
    """Midtrans could not be reached, timed out or failed on its side (5xx): try again later."""


class MidtransRefused(MidtransError):
    """Midtrans refused the request (4xx in the body): trying again unchanged will not help."""


class MidtransNotFound(MidtransRefused):
    """Midtrans has no transaction with that order id (404)."""


_local = threading.local()


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
        session.headers.update({"Accept": "application/json", "Content-Type": "application/json"})
    return session


def api_url() -> str:
    return settings.MIDTRANS_API_URL.rstrip("/")


def content_security_policy_sources() -> dict[str, list[str]]:
    """GoPay's QR code is an image Midtrans serves (its charge gives no QR string to draw ourselves)."""
    parts = urlsplit(api_url())
    if not parts.scheme or not parts.netloc:
        return {}
    return {"img-src": [f"{parts.scheme}://{parts.netloc}"]}


def _timeout() -> tuple[float, float]:
    return (CONNECT_TIMEOUT_SECONDS, float(getattr(settings, "MIDTRANS_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)))


def _call(method: str, path: str, *, body: dict | None = None, headers: dict | None = None) -> dict:
    forbid_network_in_transaction("Midtrans")
    url = f"{api_url()}/v2/{path.lstrip('/')}"
    try:
        response = _session().request(
            method,
            url,
            json=body,
            headers=headers or {},
            auth=(settings.MIDTRANS_SERVER_KEY, ""),
            timeout=_timeout(),
        )
    except requests.RequestException as error:
        logger.warning("Midtrans %s %s failed: %r", method, path, error)
        raise MidtransUnavailable(_("The payment service is not answering. Please try again in a minute.")) from error
    try:
        data = response.json()
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    code = str(data.get("status_code") or response.status_code)
    if response.status_code >= 500 or code.startswith("5"):
        logger.warning("Midtrans %s %s answered %s: %s", method, path, code, data.get("status_message"))
        raise MidtransUnavailable(
            _("The payment service is not answering. Please try again in a minute."), status_code=code, body=data
        )
    # 407 is how Midtrans answers for an expired transaction ("Success, transaction has expired").
    if code != "407" and (response.status_code >= 400 or code.startswith("4")):
        message = str(data.get("status_message") or response.reason or code)
        logger.info("Midtrans %s %s refused (%s): %s", method, path, code, message)
        error = MidtransNotFound if code == "404" else MidtransRefused
        raise error(
            _("The payment service refused the request: %(message)s") % {"message": message},
            status_code=code,
            body=data,
        )
    return data


def charge(body: dict, *, idempotency_key: str, notification_url: str = "") -> dict:
    """`POST /v2/charge`. The idempotency key makes a retry after a lost answer return the same charge."""
    headers = {"Idempotency-Key": idempotency_key}
    if notification_url:
        headers["X-Override-Notification"] = notification_url
    return _call("POST", "charge", body=body, headers=headers)


def status(order_id: str) -> dict:
    """`GET /v2/{order_id}/status`: the transaction as Midtrans has it now."""
    return _call("GET", f"{order_id}/status")


def cancel(order_id: str) -> dict:
    return _call("POST", f"{order_id}/cancel")


def expire(order_id: str) -> dict:
    return _call("POST", f"{order_id}/expire")


def refund_direct(order_id: str, *, refund_key: str, amount: Decimal, reason: str) -> dict:
    """`POST /v2/{order_id}/refund/online/direct`: GoPay, ShopeePay and QRIS money back at once."""
    return _call(
        "POST",
        f"{order_id}/refund/online/direct",
        body={"refund_key": refund_key, "amount": to_midtrans_amount(amount), "reason": reason[:255]},
    )


def to_midtrans_amount(rupiah: Decimal) -> int:
    """IDR has no minor unit at Midtrans: whole rupiah as an integer. Fractions are refused."""
    if isinstance(rupiah, float):
        raise TypeError("Money must be a Decimal or an int, never a float.")
    amount = Decimal(rupiah)
    if not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value():
        raise ValueError(_("Amounts are charged in whole rupiah, not %(amount)s.") % {"amount": amount})
    return int(amount)


def from_midtrans_amount(value) -> Decimal:
    """Midtrans's `gross_amount` ("44000.00") as rupiah."""
    return Decimal(str(value))


def signature_for(order_id: str, status_code: str, gross_amount: str) -> str:
    text = f"{order_id}{status_code}{gross_amount}{settings.MIDTRANS_SERVER_KEY}"
    return hashlib.sha512(text.encode()).hexdigest()


def signature_is_valid(payload: dict) -> bool:
    """SHA512(order_id + status_code + gross_amount + server key), compared in constant time."""
    fields = [payload.get(key) for key in ("order_id", "status_code", "gross_amount", "signature_key")]
    if not all(isinstance(value, str) and value for value in fields):
        return False
    order_id, status_code, gross_amount, signature = fields
    return hmac.compare_digest(signature_for(order_id, status_code, gross_amount), signature.lower())
