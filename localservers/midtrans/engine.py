"""The transactions of a local Midtrans and the rules of their life cycle.

Everything here follows Midtrans's Core API reference: the JSON shapes of the charge, status,
cancel, expire and refund answers, the `status_code` strings, the transaction statuses
(pending → settlement | expire | cancel | deny; settlement → refund | partial_refund) and the
signed HTTP notification sent on every change. The HTTP layer (server.py) only parses requests
and writes these dicts out.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import sys
import tempfile
import threading
import uuid
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta, timezone
from typing import Any

from . import qris
from .notifier import Delivery, Notifier

# Midtrans reports every time in Western Indonesian Time, as "YYYY-MM-DD HH:MM:SS".
WIB = timezone(timedelta(hours=7))
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

BILLER_CODE_MANDIRI = "70012"
VA_BANKS = ("bca", "bni", "bri", "permata")
PAYMENT_TYPES = ("bank_transfer", "echannel", "qris", "gopay", "shopeepay")
# Midtrans payment types this server does not simulate: they answer 402 as for a merchant
# without access to them.
OTHER_MIDTRANS_TYPES = ("credit_card", "cstore", "akulaku", "kredivo", "bca_klikpay", "bca_klikbca", "bri_epay",
                        "cimb_clicks", "danamon_online", "uob_ezpay", "dana", "ovo")  # fmt: skip
REFUNDABLE_TYPES = ("gopay", "shopeepay", "qris")
DEFAULT_EXPIRY = {
    "bank_transfer": timedelta(hours=24),
    "echannel": timedelta(hours=24),
    "qris": timedelta(minutes=15),
    "gopay": timedelta(minutes=15),
    "shopeepay": timedelta(minutes=15),
}
EXPIRY_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
ORDER_ID_PATTERN = re.compile(r"^[A-Za-z0-9\-_~.]{1,50}$")

# `status_code` of the status answer per transaction status, and of the notification. They
# differ for `expire` (the status answer says 407, the notification 202, as Midtrans's samples).
STATUS_CODE = {
    "pending": "201",
    "settlement": "200",
    "capture": "200",
    "cancel": "200",
    "deny": "202",
    "expire": "407",
    "refund": "200",
    "partial_refund": "200",
}
NOTIFICATION_STATUS_CODE = {**STATUS_CODE, "expire": "202"}

MSG_UNAUTHORIZED = "Access denied due to unauthorized transaction, please check client or server key"
MSG_NOT_FOUND = "Transaction doesn't exist."
MSG_CANNOT_MODIFY = "Merchant cannot modify the status of the transaction"
MSG_DUPLICATE = "order_id has been paid and utilized, please use another order ID"
MSG_VALIDATION = "One or more parameters in the payload is invalid."
MSG_NO_ACCESS = "Payment channel is not activated."


class MidtransError(Exception):
    """An error answer of the API: `status_code` (also the HTTP status), message, details."""

    def __init__(self, status_code: int, message: str, validation_messages: list[str] | None = None):
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.validation_messages = validation_messages or []

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status_code": str(self.status_code), "status_message": self.message}
        if self.validation_messages:
            body["validation_messages"] = self.validation_messages
        body["id"] = str(uuid.uuid4())
        return body


class ControlError(Exception):
    """A control (test/simulator) action that does not apply to the transaction's state."""

    def __init__(self, message: str, http_status: int = 409):
        super().__init__(message)
        self.message = message
        self.http_status = http_status


def signature_key(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """SHA512(order_id + status_code + gross_amount + server_key), hex, as Midtrans signs notifications."""
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{server_key}".encode()).hexdigest()


def amount_string(rupiah: int) -> str:
    return f"{int(rupiah)}.00"


def now_wib() -> datetime:
    return datetime.now(WIB).replace(microsecond=0)


def format_time(moment: datetime | None) -> str | None:
    return moment.astimezone(WIB).strftime(TIME_FORMAT) if moment else None


def parse_time(text: str | None) -> datetime | None:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=WIB) if text else None


@dataclass
class Transaction:
    transaction_id: str
    order_id: str
    payment_type: str
    gross_amount: int
    transaction_time: str
    expiry_time: str
    transaction_status: str = "pending"
    fraud_status: str = "accept"
    bank: str = ""
    va_number: str = ""
    bill_key: str = ""
    biller_code: str = ""
    acquirer: str = ""
    qr_string: str = ""
    callback_url: str = ""
    settlement_time: str = ""
    status_changed_at: str = ""
    item_details: list[dict[str, Any]] = field(default_factory=list)
    customer_details: dict[str, Any] = field(default_factory=dict)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    notification_urls: list[str] | None = None  # X-Override-Notification
    append_notification_urls: list[str] = field(default_factory=list)  # X-Append-Notification
    notifications: list[dict[str, Any]] = field(default_factory=list)  # every body sent, in order

    @property
    def refunded_amount(self) -> int:
        return sum(int(refund["amount"]) for refund in self.refunds)


@dataclass
class Config:
    server_key: str
    notification_url: str | None
    public_url: str
    merchant_id: str = "G000000001"
    retry_delays: list[float] = field(default_factory=lambda: [0.5, 1.0, 2.0, 4.0, 8.0])


def _int_amount(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise MidtransError(400, MSG_VALIDATION, [f"{name} must be a number"])
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.0+)?", value.strip()):
        return int(float(value))
    raise MidtransError(400, MSG_VALIDATION, [f"{name} must be a whole number of rupiah"])


class Engine:
    """All transactions, behind one lock; state changes queue their notifications."""

    def __init__(self, config: Config, *, state_file: str | None = None, workers: int = 4):
        self.config = config
        self.state_file = state_file
        self._lock = threading.RLock()
        self._transactions: dict[str, Transaction] = {}  # by transaction_id
        self._by_order: dict[str, str] = {}  # order_id -> transaction_id of its latest charge
        self._idempotency: dict[str, tuple[int, dict[str, Any]]] = {}
        self.notifier = Notifier(retry_delays=config.retry_delays, workers=workers)
        self._load()

    # -- persistence -----------------------------------------------------------------------
    def _load(self) -> None:
        if not self.state_file or not os.path.exists(self.state_file):
            return
        known = {f.name for f in fields(Transaction)}
        try:
            with open(self.state_file, encoding="utf-8") as handle:
                data = json.load(handle)
            transactions = [Transaction(**{k: v for k, v in raw.items() if k in known}) for raw in data["transactions"]]
        except (OSError, ValueError, KeyError, TypeError) as error:
            # A broken state file must not keep the demo from starting: set it aside and start empty.
            aside = f"{self.state_file}.broken"
            os.replace(self.state_file, aside)
            print(f"localmidtrans: could not read {self.state_file} ({error!r}); moved to {aside}", file=sys.stderr)
            return
        for transaction in transactions:
            self._transactions[transaction.transaction_id] = transaction
            self._by_order[transaction.order_id] = transaction.transaction_id

    def _save(self) -> None:
        if not self.state_file:
            return
        directory = os.path.dirname(os.path.abspath(self.state_file))
        os.makedirs(directory, exist_ok=True)
        payload = {"transactions": [asdict(t) for t in self._transactions.values()]}
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".localmidtrans-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out)
        os.replace(temporary, self.state_file)

    # -- lookups ---------------------------------------------------------------------------
    def _find(self, reference: str) -> Transaction:
        transaction = self._transactions.get(reference) or self._transactions.get(self._by_order.get(reference, ""))
        if transaction is None:
            raise MidtransError(404, MSG_NOT_FOUND)
        return transaction

    def get(self, reference: str) -> Transaction:
        with self._lock:
            self.expire_due()
            return self._find(reference)

    def find_by_va(self, bank: str, number: str) -> Transaction | None:
        number = re.sub(r"[\s-]", "", number)
        if bank == "mandiri" and len(number) == 17 and number.startswith(BILLER_CODE_MANDIRI):
            number = number[len(BILLER_CODE_MANDIRI) :]  # the biller code typed in front of the bill key
        with self._lock:
            self.expire_due()
            for transaction in reversed(list(self._transactions.values())):
                if bank == "mandiri" and transaction.payment_type == "echannel" and transaction.bill_key == number:
                    return transaction
                if transaction.bank == bank and transaction.va_number == number:
                    return transaction
        return None

    def find_by_qr_string(self, qr_string: str) -> Transaction | None:
        reference = qris.parse_qr_string(qr_string).get("62.05", "")
        with self._lock:
            self.expire_due()
            for transaction in self._transactions.values():
                if transaction.payment_type == "qris" and transaction.transaction_id.replace("-", "")[:25] == reference:
                    return transaction
        return None

    def all(self) -> list[Transaction]:
        with self._lock:
            self.expire_due()
            return list(self._transactions.values())

    # -- shapes ----------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return self.config.public_url.rstrip("/") + path

    def actions(self, transaction: Transaction) -> list[dict[str, str]]:
        tid = transaction.transaction_id
        # By transaction id: an order_id can be charged again after an expiry, a deeplink must not follow it.
        simulator = self._url(f"/simulator/{tid}")
        if transaction.payment_type == "qris":
            return [{"name": "generate-qr-code", "method": "GET", "url": self._url(f"/v2/qris/{tid}/qr-code")}]
        if transaction.payment_type == "gopay":
            return [
                {"name": "generate-qr-code", "method": "GET", "url": self._url(f"/v2/gopay/{tid}/qr-code")},
                {"name": "deeplink-redirect", "method": "GET", "url": simulator},
                {"name": "get-status", "method": "GET", "url": self._url(f"/v2/{tid}/status")},
                {"name": "cancel", "method": "POST", "url": self._url(f"/v2/{tid}/cancel")},
            ]
        if transaction.payment_type == "shopeepay":
            return [{"name": "deeplink-redirect", "method": "GET", "url": simulator}]
        return []

    def _base(self, transaction: Transaction, status_code: str, status_message: str) -> dict[str, Any]:
        return {
            "status_code": status_code,
            "status_message": status_message,
            "transaction_id": transaction.transaction_id,
            "order_id": transaction.order_id,
            "merchant_id": self.config.merchant_id,
            "gross_amount": amount_string(transaction.gross_amount),
            "currency": "IDR",
            "payment_type": transaction.payment_type,
            "transaction_time": transaction.transaction_time,
            "transaction_status": transaction.transaction_status,
            "fraud_status": transaction.fraud_status,
        }

    def _method_fields(self, transaction: Transaction, *, with_actions: bool) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if transaction.payment_type == "bank_transfer":
            if transaction.bank == "permata":
                fields["permata_va_number"] = transaction.va_number
            else:
                fields["va_numbers"] = [{"bank": transaction.bank, "va_number": transaction.va_number}]
                paid = transaction.settlement_time
                fields["payment_amounts"] = (
                    [{"paid_at": paid, "amount": amount_string(transaction.gross_amount)}] if paid else []
                )
        elif transaction.payment_type == "echannel":
            fields["bill_key"] = transaction.bill_key
            fields["biller_code"] = transaction.biller_code
        elif transaction.payment_type == "qris":
            fields["acquirer"] = transaction.acquirer
            if transaction.settlement_time:
                fields["issuer"] = transaction.acquirer
                fields["transaction_type"] = "on-us"
        if with_actions and transaction.payment_type in ("qris", "gopay", "shopeepay"):
            fields["actions"] = self.actions(transaction)
        if transaction.payment_type == "qris" and with_actions:
            fields["qr_string"] = transaction.qr_string
        return fields

    def _after_fields(self, transaction: Transaction) -> dict[str, Any]:
        fields: dict[str, Any] = {"expiry_time": transaction.expiry_time}
        if transaction.settlement_time:
            fields["settlement_time"] = transaction.settlement_time
        if transaction.refunds:
            fields["refund_amount"] = amount_string(transaction.refunded_amount)
            fields["refunds"] = [self._refund_entry(refund) for refund in transaction.refunds]
        return fields

    @staticmethod
    def _refund_entry(refund: dict[str, Any]) -> dict[str, Any]:
        return {
            "refund_chargeback_id": refund["refund_chargeback_id"],
            "refund_chargeback_uuid": refund["refund_chargeback_uuid"],
            "refund_amount": amount_string(refund["amount"]),
            "created_at": refund["created_at"],
            "reason": refund["reason"],
            "refund_key": refund["refund_key"],
            "refund_method": "",
            "bank_confirmed_at": refund["created_at"],
        }

    def status_body(self, transaction: Transaction) -> dict[str, Any]:
        """The answer of GET /v2/{order_id}/status."""
        body = self._base(transaction, STATUS_CODE[transaction.transaction_status], "Success, transaction is found")
        body.update(self._method_fields(transaction, with_actions=False))
        body.update(self._after_fields(transaction))
        return body

    def notification_body(self, transaction: Transaction) -> dict[str, Any]:
        """The HTTP notification for the transaction's current state, signed."""
        status_code = NOTIFICATION_STATUS_CODE[transaction.transaction_status]
        body = self._base(transaction, status_code, "midtrans payment notification")
        body.update(self._method_fields(transaction, with_actions=False))
        body.update(self._after_fields(transaction))
        body["signature_key"] = signature_key(
            transaction.order_id, status_code, body["gross_amount"], self.config.server_key
        )
        return body

    # -- charge ----------------------------------------------------------------------------
    def charge(self, payload: Any, headers: dict[str, str]) -> dict[str, Any]:
        """POST /v2/charge. Raises MidtransError with Midtrans's status code when refused."""
        key = headers.get("idempotency-key", "").strip()
        with self._lock:
            if key and key in self._idempotency:
                return self._idempotency[key][1]
            self.expire_due()
            transaction = self._new_transaction(payload, headers)
            self._transactions[transaction.transaction_id] = transaction
            self._by_order[transaction.order_id] = transaction.transaction_id
            body = self._charge_body(transaction)
            if key:
                self._idempotency[key] = (201, body)
            self._changed(transaction)
            return body

    def _new_transaction(self, payload: Any, headers: dict[str, str]) -> Transaction:
        if not isinstance(payload, dict):
            raise MidtransError(400, MSG_VALIDATION, ["The request body must be a JSON object"])
        payment_type = payload.get("payment_type")
        if not payment_type or not isinstance(payment_type, str):
            raise MidtransError(400, MSG_VALIDATION, ["payment_type is required"])
        if payment_type in OTHER_MIDTRANS_TYPES:
            raise MidtransError(402, MSG_NO_ACCESS)
        if payment_type not in PAYMENT_TYPES:
            raise MidtransError(400, MSG_VALIDATION, ["payment_type is not valid"])

        details = payload.get("transaction_details")
        if not isinstance(details, dict):
            raise MidtransError(400, MSG_VALIDATION, ["transaction_details is required"])
        messages = []
        order_id = details.get("order_id")
        if not isinstance(order_id, str) or not order_id:
            messages.append("transaction_details.order_id is required")
        elif not ORDER_ID_PATTERN.match(order_id):
            messages.append(
                "transaction_details.order_id may only contain letters, digits, '-', '_', '~' and '.', "
                "at most 50 characters"
            )
        if "gross_amount" not in details:
            messages.append("transaction_details.gross_amount is required")
            gross_amount = 0
        else:
            try:
                gross_amount = _int_amount(details["gross_amount"], "transaction_details.gross_amount")
            except MidtransError as error:
                messages.extend(error.validation_messages)
                gross_amount = 0
            else:
                if gross_amount < 1:
                    messages.append("transaction_details.gross_amount must be greater than or equal to 1")
        items = payload.get("item_details")
        clean_items: list[dict[str, Any]] = []
        if items is not None:
            if not isinstance(items, list):
                messages.append("item_details must be a list")
            else:
                total = 0
                for index, item in enumerate(items):
                    if not isinstance(item, dict):
                        messages.append(f"item_details[{index}] must be an object")
                        continue
                    try:
                        price = _int_amount(item.get("price"), f"item_details[{index}].price")
                        quantity = _int_amount(item.get("quantity"), f"item_details[{index}].quantity")
                    except MidtransError as error:
                        messages.extend(error.validation_messages)
                        continue
                    if quantity < 1:
                        messages.append(f"item_details[{index}].quantity must be greater than or equal to 1")
                    name = item.get("name")
                    if not isinstance(name, str) or not name.strip():
                        messages.append(f"item_details[{index}].name is required")
                    elif len(name) > 50:
                        messages.append(f"item_details[{index}].name must be at most 50 characters")
                    total += price * quantity
                    clean_items.append({**item, "price": price, "quantity": quantity})
                if not messages and total != gross_amount:
                    messages.append("transaction_details.gross_amount is not equal to the sum of item_details")

        bank = ""
        if payment_type == "bank_transfer":
            transfer = payload.get("bank_transfer")
            bank = transfer.get("bank") if isinstance(transfer, dict) else None
            if not bank:
                messages.append("bank_transfer.bank is required")
            elif bank not in VA_BANKS:
                messages.append("bank_transfer.bank must be one of bca, bni, bri, permata")
        if payment_type == "echannel":
            echannel = payload.get("echannel")
            if not isinstance(echannel, dict) or not echannel.get("bill_info1") or not echannel.get("bill_info2"):
                messages.append("echannel.bill_info1 and echannel.bill_info2 are required")
        expiry_seconds, order_time = self._expiry(payload.get("custom_expiry"), messages)
        if messages:
            raise MidtransError(400, MSG_VALIDATION, messages)

        existing_id = self._by_order.get(order_id)
        if existing_id and self._transactions[existing_id].transaction_status not in ("expire", "cancel", "deny"):
            raise MidtransError(406, MSG_DUPLICATE)

        created = now_wib()
        start = order_time or created
        expiry = start + (timedelta(seconds=expiry_seconds) if expiry_seconds else DEFAULT_EXPIRY[payment_type])
        transaction = Transaction(
            transaction_id=str(uuid.uuid4()),
            order_id=order_id,
            payment_type=payment_type,
            gross_amount=gross_amount,
            transaction_time=format_time(created),
            expiry_time=format_time(expiry),
            status_changed_at=format_time(created),
            item_details=clean_items,
            customer_details=payload.get("customer_details") or {},
        )
        if payment_type == "bank_transfer":
            transaction.bank = bank
            transaction.va_number = self._va_number(
                bank, str((payload.get("bank_transfer") or {}).get("va_number", ""))
            )
        elif payment_type == "echannel":
            transaction.bank = "mandiri"
            transaction.biller_code = BILLER_CODE_MANDIRI
            transaction.bill_key = self._va_number("mandiri", str(payload["echannel"].get("bill_key", "")))
        elif payment_type == "qris":
            acquirer = (payload.get("qris") or {}).get("acquirer") or "gopay"
            transaction.acquirer = "airpay shopee" if acquirer in ("airpay shopee", "shopeepay") else "gopay"
            transaction.qr_string = qris.build_qr_string(
                transaction_id=transaction.transaction_id, gross_amount=gross_amount, acquirer=transaction.acquirer
            )
        elif payment_type in ("gopay", "shopeepay"):
            options = payload.get(payment_type) or {}
            if payment_type == "shopeepay" or options.get("enable_callback"):
                transaction.callback_url = str(options.get("callback_url") or "")
        override = headers.get("x-override-notification", "").strip()
        if override:
            transaction.notification_urls = [url.strip() for url in override.split(",") if url.strip()][:3]
        append = headers.get("x-append-notification", "").strip()
        if append:
            transaction.append_notification_urls = [url.strip() for url in append.split(",") if url.strip()][:3]
        return transaction

    @staticmethod
    def _expiry(custom: Any, messages: list[str]) -> tuple[int | None, datetime | None]:
        if custom is None:
            return None, None
        if not isinstance(custom, dict):
            messages.append("custom_expiry must be an object")
            return None, None
        unit = str(custom.get("unit", "minute")).lower().rstrip("s")
        if unit not in EXPIRY_UNITS:
            messages.append("custom_expiry.unit must be one of second, minute, hour, day")
            return None, None
        try:
            duration = _int_amount(custom.get("expiry_duration"), "custom_expiry.expiry_duration")
        except MidtransError as error:
            messages.extend(error.validation_messages)
            return None, None
        if duration < 1:
            messages.append("custom_expiry.expiry_duration must be greater than 0")
            return None, None
        order_time = None
        if custom.get("order_time"):
            try:
                order_time = datetime.strptime(str(custom["order_time"]), "%Y-%m-%d %H:%M:%S %z")
            except ValueError:
                messages.append("custom_expiry.order_time must look like 2026-12-07 11:54:12 +0700")
        return duration * EXPIRY_UNITS[unit], order_time

    def _va_number(self, bank: str, custom: str) -> str:
        """A VA number (or Mandiri bill key) not held by another pending charge."""
        prefix, length = {
            "bca": ("16150", 11),
            "bni": ("98816150", 16),
            "bri": ("16150", 18),
            "permata": ("8778", 16),
            "mandiri": ("", 12),
        }[bank]
        digits = re.sub(r"\D", "", custom)
        if digits:
            suffix_length = length - len(prefix)
            return prefix + digits[:suffix_length].rjust(suffix_length, "0")
        taken = {t.va_number or t.bill_key for t in self._transactions.values() if t.transaction_status == "pending"}
        while True:
            number = prefix + "".join(secrets.choice("0123456789") for _ in range(length - len(prefix)))
            if number not in taken and not number.startswith("0"):
                return number

    def _charge_body(self, transaction: Transaction) -> dict[str, Any]:
        messages = {
            "bank_transfer": "Success, Bank Transfer transaction is created",
            "echannel": "OK, Mandiri Bill transaction is successful",
            "qris": "QRIS transaction is created",
            "gopay": "GoPay transaction is created",
            "shopeepay": "ShopeePay transaction is created",
        }
        if transaction.bank == "permata":
            message = "Success, PERMATA VA transaction is successful"
        else:
            message = messages[transaction.payment_type]
        body = self._base(transaction, "201", message)
        body.update(self._method_fields(transaction, with_actions=True))
        body.pop("payment_amounts", None)  # only status answers and notifications carry it
        if transaction.payment_type == "gopay":
            body["channel_response_code"] = "200"
            body["channel_response_message"] = "Success"
        elif transaction.payment_type == "shopeepay":
            body["channel_response_code"] = "0"
            body["channel_response_message"] = "success"
        body["expiry_time"] = transaction.expiry_time
        return body

    # -- merchant actions ------------------------------------------------------------------
    def cancel(self, reference: str) -> dict[str, Any]:
        with self._lock:
            self.expire_due()
            transaction = self._find(reference)
            if transaction.transaction_status != "pending":
                raise MidtransError(412, MSG_CANNOT_MODIFY)
            self._set_status(transaction, "cancel")
            body = self._base(transaction, "200", "Success, transaction is canceled")
            body.update(self._method_fields(transaction, with_actions=False))
            return body

    def expire(self, reference: str) -> dict[str, Any]:
        with self._lock:
            self.expire_due()
            transaction = self._find(reference)
            if transaction.transaction_status != "pending":
                raise MidtransError(412, MSG_CANNOT_MODIFY)
            self._set_status(transaction, "expire")
            body = self._base(transaction, "407", "Success, transaction has expired")
            del body["fraud_status"]
            return body

    def refund(self, reference: str, payload: Any) -> dict[str, Any]:
        """POST /v2/{id}/refund and /refund/online/direct: e-wallets and QRIS only, once settled."""
        payload = payload if isinstance(payload, dict) else {}
        with self._lock:
            self.expire_due()
            transaction = self._find(reference)
            if transaction.payment_type not in REFUNDABLE_TYPES:
                raise MidtransError(412, MSG_CANNOT_MODIFY, ["Refund is not supported for this payment type"])
            if transaction.transaction_status not in ("settlement", "partial_refund"):
                raise MidtransError(412, MSG_CANNOT_MODIFY)
            refund_key = payload.get("refund_key")
            if refund_key is not None:
                refund_key = str(refund_key)
                if not re.fullmatch(r"[A-Za-z0-9\-_]{1,100}", refund_key):
                    raise MidtransError(400, MSG_VALIDATION, ["refund_key may only contain letters, digits, - and _"])
                for refund in transaction.refunds:
                    if refund["refund_key"] == refund_key:  # a retry of the same refund: not refunded twice
                        return self._refund_body(transaction, refund)
            remaining = transaction.gross_amount - transaction.refunded_amount
            amount = remaining
            if payload.get("amount") is not None:
                amount = _int_amount(payload["amount"], "amount")
            if amount < 1:
                raise MidtransError(400, MSG_VALIDATION, ["amount must be greater than 0"])
            if amount > remaining:
                raise MidtransError(
                    412,
                    MSG_CANNOT_MODIFY,
                    [f"Refund amount exceeds the refundable amount of {amount_string(remaining)}"],
                )
            refund = {
                "refund_chargeback_id": len(transaction.refunds) + 1,
                "refund_chargeback_uuid": str(uuid.uuid4()),
                "amount": amount,
                "created_at": format_time(now_wib()),
                "reason": str(payload.get("reason") or ""),
                "refund_key": refund_key or str(uuid.uuid4()),
            }
            transaction.refunds.append(refund)
            fully = transaction.refunded_amount >= transaction.gross_amount
            self._set_status(transaction, "refund" if fully else "partial_refund")
            return self._refund_body(transaction, refund)

    def _refund_body(self, transaction: Transaction, refund: dict[str, Any]) -> dict[str, Any]:
        body = self._base(transaction, "200", "Success, refund request is approved")
        body.update(
            {
                "refund_chargeback_id": refund["refund_chargeback_id"],
                "refund_chargeback_uuid": refund["refund_chargeback_uuid"],
                "refund_amount": amount_string(refund["amount"]),
                "refund_key": refund["refund_key"],
            }
        )
        if transaction.settlement_time:
            body["settlement_time"] = transaction.settlement_time
        return body

    # -- customer / control actions --------------------------------------------------------
    def settle(self, reference: str, *, force: bool = False) -> tuple[Transaction, list[Delivery]]:
        """The customer pays. `force` also settles an expired, cancelled or denied charge (a late payment)."""
        with self._lock:
            self.expire_due()
            transaction = self._find(reference)
            allowed = ("pending",) + (("expire", "cancel", "deny") if force else ())
            if transaction.transaction_status not in allowed:
                raise ControlError(f"transaction is {transaction.transaction_status}, not pending")
            transaction.settlement_time = format_time(now_wib())
            return transaction, self._set_status(transaction, "settlement")

    def deny(self, reference: str, *, force: bool = False) -> tuple[Transaction, list[Delivery]]:
        """The payment provider refuses (or, with `force`, reverses a settled payment)."""
        with self._lock:
            self.expire_due()
            transaction = self._find(reference)
            allowed = ("pending",) + (("settlement",) if force else ())
            if transaction.transaction_status not in allowed:
                raise ControlError(f"transaction is {transaction.transaction_status}, not pending")
            return transaction, self._set_status(transaction, "deny")

    def control_expire(self, reference: str) -> tuple[Transaction, list[Delivery]]:
        with self._lock:
            self.expire_due()
            transaction = self._find(reference)
            if transaction.transaction_status != "pending":
                raise ControlError(f"transaction is {transaction.transaction_status}, not pending")
            transaction.expiry_time = format_time(now_wib())
            return transaction, self._set_status(transaction, "expire")

    def control_cancel(self, reference: str) -> tuple[Transaction, list[Delivery]]:
        with self._lock:
            transaction = self._find(reference)
            if transaction.transaction_status != "pending":
                raise ControlError(f"transaction is {transaction.transaction_status}, not pending")
            return transaction, self._set_status(transaction, "cancel")

    def renotify(
        self, reference: str, *, times: int = 1, transaction_status: str | None = None, bad_signature: bool = False
    ) -> list[Delivery]:
        """Deliver an already sent notification again, `times` copies side by side."""
        with self._lock:
            transaction = self._find(reference)
            candidates = [
                body
                for body in transaction.notifications
                if transaction_status is None or body["transaction_status"] == transaction_status
            ]
            if not candidates:
                raise ControlError(f"no {transaction_status or ''} notification was sent for this transaction", 404)
            body = dict(candidates[-1])
            if bad_signature:
                body["signature_key"] = "0" * 128
            urls = self._urls(transaction)
            deliveries: list[Delivery] = []
            for _ in range(times):
                deliveries += self.notifier.send(order_id=transaction.order_id, urls=urls, body=body, parallel=True)
            return deliveries

    # -- state changes ---------------------------------------------------------------------
    def _set_status(self, transaction: Transaction, status: str) -> list[Delivery]:
        transaction.transaction_status = status
        transaction.status_changed_at = format_time(now_wib())
        return self._changed(transaction)

    def _urls(self, transaction: Transaction) -> list[str]:
        if transaction.notification_urls is not None:
            urls = list(transaction.notification_urls)
        else:
            urls = [self.config.notification_url] if self.config.notification_url else []
        return urls + [url for url in transaction.append_notification_urls if url not in urls]

    def _changed(self, transaction: Transaction) -> list[Delivery]:
        body = self.notification_body(transaction)
        transaction.notifications.append(body)
        self._save()
        urls = self._urls(transaction)
        if not urls:
            return []
        return self.notifier.send(order_id=transaction.order_id, urls=urls, body=body)

    def expire_due(self) -> list[Delivery]:
        """Expire every pending charge whose expiry time has passed; returns their deliveries."""
        deliveries: list[Delivery] = []
        with self._lock:
            moment = now_wib()
            for transaction in self._transactions.values():
                if transaction.transaction_status == "pending" and parse_time(transaction.expiry_time) <= moment:
                    deliveries += self._set_status(transaction, "expire")
        return deliveries

    def next_expiry_in(self) -> float | None:
        with self._lock:
            pending = [
                parse_time(t.expiry_time) for t in self._transactions.values() if t.transaction_status == "pending"
            ]
        if not pending:
            return None
        return max(0.0, (min(pending) - datetime.now(WIB)).total_seconds())

    def reset(self) -> None:
        with self._lock:
            self._transactions.clear()
            self._by_order.clear()
            self._idempotency.clear()
            self.notifier.reset()
            self._save()

    def configure(self, changes: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            if "notification_url" in changes:
                url = changes["notification_url"]
                if url is not None and not (isinstance(url, str) and re.match(r"^https?://", url)):
                    raise ControlError("notification_url must be an http(s) URL or null", 400)
                self.config.notification_url = url or None
            if "retry_delays" in changes:
                delays = changes["retry_delays"]
                if not isinstance(delays, list) or not all(
                    isinstance(d, int | float) and not isinstance(d, bool) and 0 <= d <= 3600 for d in delays
                ):
                    raise ControlError("retry_delays must be a list of seconds", 400)
                self.config.retry_delays = [float(d) for d in delays]
                self.notifier.retry_delays = list(self.config.retry_delays)
            if "workers" in changes:
                workers = changes["workers"]
                if not isinstance(workers, int) or isinstance(workers, bool) or not 1 <= workers <= 64:
                    raise ControlError("workers must be a whole number from 1 to 64", 400)
                self.notifier.set_workers(workers)
            return self.describe()

    def describe(self) -> dict[str, Any]:
        return {
            "service": "localmidtrans",
            "notification_url": self.config.notification_url,
            "retry_delays": self.config.retry_delays,
            "workers": self.notifier.workers,
            "public_url": self.config.public_url,
            "merchant_id": self.config.merchant_id,
        }
