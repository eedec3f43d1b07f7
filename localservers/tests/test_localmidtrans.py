"""The local Midtrans server against Midtrans's documented behaviour, over real HTTP.

The server runs as the subprocess of the `localmidtrans` fixture (as the shop's tests use it), and
notifications go to a small HTTP receiver started here. Signatures are recomputed with hashlib
rather than with the server's own helper.
"""

import hashlib
import json
import threading
import time
import uuid
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from localservers.midtrans import qris


class Receiver:
    """A notification endpoint that records what it is sent and can answer 500 a few times first."""

    def __init__(self):
        self.bodies: list[dict] = []
        self.failures_left = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with receiver._lock:
                    failing = receiver.failures_left > 0
                    if failing:
                        receiver.failures_left -= 1
                    else:
                        receiver.bodies.append(body)
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/payments/midtrans/notification/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 10) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.bodies) >= count:
                    return list(self.bodies)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} notifications, got {len(self.bodies)}: {self.bodies}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(localmidtrans):
    receiver = Receiver()
    localmidtrans.set_notification_url(receiver.url)
    yield receiver
    localmidtrans.set_notification_url(None)
    receiver.close()


def order_id() -> str:
    return f"PP-{uuid.uuid4().hex[:10]}"


def charge_payload(payment_type: str, amount: int = 15000, **extra) -> dict:
    return {
        "payment_type": payment_type,
        "transaction_details": {"order_id": order_id(), "gross_amount": amount},
        "item_details": [
            {"id": "kurma", "price": amount - 5000, "quantity": 1, "name": "Kurma Ajwa 500 g"},
            {"id": "ongkir", "price": 5000, "quantity": 1, "name": "Ongkos kirim"},
        ],
        "customer_details": {"first_name": "Siti", "email": "siti@example.com"},
        **extra,
    }


def expected_signature(body: dict, server_key: str) -> str:
    raw = body["order_id"] + body["status_code"] + body["gross_amount"] + server_key
    return hashlib.sha512(raw.encode("utf-8")).hexdigest()


def parse(moment: str) -> datetime:
    return datetime.strptime(moment, "%Y-%m-%d %H:%M:%S")


# -- charge shapes -------------------------------------------------------------------------------


@pytest.mark.parametrize("bank", ["bca", "bni", "bri"])
def test_a_virtual_account_charge_answers_va_numbers_pending_for_a_day(localmidtrans, bank):
    payload = charge_payload("bank_transfer", bank_transfer={"bank": bank})

    response = localmidtrans.api("POST", "/v2/charge", json=payload)

    body = response.json()
    assert response.status_code == 200
    assert body["status_code"] == "201"
    assert body["status_message"] == "Success, Bank Transfer transaction is created"
    assert body["transaction_status"] == "pending"
    assert body["fraud_status"] == "accept"
    assert body["gross_amount"] == "15000.00"
    assert body["currency"] == "IDR"
    assert body["order_id"] == payload["transaction_details"]["order_id"]
    assert uuid.UUID(body["transaction_id"])
    [va] = body["va_numbers"]
    assert va["bank"] == bank and va["va_number"].isdigit()
    assert "permata_va_number" not in body and "actions" not in body
    assert parse(body["expiry_time"]) - parse(body["transaction_time"]) == timedelta(hours=24)


def test_a_permata_charge_answers_permata_va_number(localmidtrans):
    body = localmidtrans.charge(charge_payload("bank_transfer", bank_transfer={"bank": "permata"}))

    assert body["status_message"] == "Success, PERMATA VA transaction is successful"
    assert body["permata_va_number"].startswith("8778") and len(body["permata_va_number"]) == 16
    assert "va_numbers" not in body


def test_a_mandiri_bill_charge_answers_bill_key_and_biller_code(localmidtrans):
    body = localmidtrans.charge(
        charge_payload("echannel", echannel={"bill_info1": "Pembayaran:", "bill_info2": "Pasar Pesantren"})
    )

    assert body["status_code"] == "201"
    assert body["payment_type"] == "echannel"
    assert body["biller_code"] == "70012"
    assert body["bill_key"].isdigit() and len(body["bill_key"]) == 12


def test_a_qris_charge_answers_a_valid_qr_string_and_a_png_at_its_qr_code_url(localmidtrans):
    body = localmidtrans.charge(charge_payload("qris", 27500))

    assert body["status_message"] == "QRIS transaction is created"
    assert body["acquirer"] == "gopay"
    assert parse(body["expiry_time"]) - parse(body["transaction_time"]) == timedelta(minutes=15)
    fields = qris.parse_qr_string(body["qr_string"])  # checks the CRC too
    assert fields["54"] == "27500" and fields["53"] == "360" and fields["58"] == "ID"
    [action] = body["actions"]
    assert action["name"] == "generate-qr-code" and action["method"] == "GET"
    image = requests.get(action["url"], timeout=5)  # no auth: the shop's page shows it in an <img>
    assert image.status_code == 200
    assert image.headers["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_gopay_charge_answers_qr_deeplink_status_and_cancel_actions(localmidtrans):
    payload = charge_payload("gopay", gopay={"enable_callback": True, "callback_url": "http://shop.test/selesai/"})

    body = localmidtrans.charge(payload)

    assert body["status_message"] == "GoPay transaction is created"
    actions = {action["name"]: action for action in body["actions"]}
    assert list(actions) == ["generate-qr-code", "deeplink-redirect", "get-status", "cancel"]
    assert actions["cancel"]["method"] == "POST"
    assert requests.get(actions["generate-qr-code"]["url"], timeout=5).content.startswith(b"\x89PNG")
    deeplink = requests.get(actions["deeplink-redirect"]["url"], timeout=5)
    assert deeplink.status_code == 200
    assert "Konfirmasi pembayaran GoPay" in deeplink.text and "Rp 15.000" in deeplink.text
    status = localmidtrans.api("GET", actions["get-status"]["url"].removeprefix(localmidtrans.url)).json()
    assert status["transaction_status"] == "pending" and status["status_code"] == "201"


def test_a_shopeepay_charge_answers_a_deeplink(localmidtrans):
    body = localmidtrans.charge(charge_payload("shopeepay", shopeepay={"callback_url": "http://shop.test/selesai/"}))

    assert body["status_message"] == "ShopeePay transaction is created"
    assert [action["name"] for action in body["actions"]] == ["deeplink-redirect"]


def test_custom_expiry_sets_the_expiry_time(localmidtrans):
    body = localmidtrans.charge(
        charge_payload(
            "bank_transfer", bank_transfer={"bank": "bni"}, custom_expiry={"expiry_duration": 90, "unit": "minute"}
        )
    )

    assert parse(body["expiry_time"]) - parse(body["transaction_time"]) == timedelta(minutes=90)


# -- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "auth",
    [None, ("SB-Mid-server-wrong", ""), ("SB-Mid-server-localmidtrans-tests", "a-password")],
    ids=["missing", "wrong-key", "with-password"],
)
def test_a_request_without_the_server_key_gets_midtrans_401(localmidtrans, auth):
    response = requests.post(f"{localmidtrans.url}/v2/charge", json=charge_payload("qris"), auth=auth, timeout=5)

    assert response.status_code == 401
    body = response.json()
    assert body["status_code"] == "401"
    assert "unauthorized" in body["status_message"]
    assert localmidtrans.transactions() == []


def test_gross_amount_not_the_sum_of_item_details_is_refused_and_nothing_is_created(localmidtrans):
    payload = charge_payload("qris", 20000)
    payload["item_details"][0]["price"] = 1000

    response = localmidtrans.api("POST", "/v2/charge", json=payload)

    assert response.status_code == 400
    body = response.json()
    assert body["status_code"] == "400"
    assert body["validation_messages"] == ["transaction_details.gross_amount is not equal to the sum of item_details"]
    assert localmidtrans.status(payload["transaction_details"]["order_id"])["status_code"] == "404"


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p: p["transaction_details"].update(gross_amount=0), "greater than or equal to 1"),
        (lambda p: p["transaction_details"].update(order_id="bad id!"), "order_id may only contain"),
        (lambda p: p.update(bank_transfer={"bank": "mandiri"}), "bank_transfer.bank must be one of"),
        (lambda p: p.update(custom_expiry={"expiry_duration": 5, "unit": "week"}), "custom_expiry.unit"),
    ],
    ids=["zero-amount", "order-id", "bank", "expiry-unit"],
)
def test_invalid_charges_get_400_with_the_reason(localmidtrans, change, message):
    payload = charge_payload("bank_transfer", bank_transfer={"bank": "bca"})
    payload.pop("item_details")
    change(payload)

    response = localmidtrans.api("POST", "/v2/charge", json=payload)

    assert response.status_code == 400
    assert any(message in text for text in response.json()["validation_messages"])
    assert localmidtrans.transactions() == []


def test_a_payment_type_not_simulated_gets_402(localmidtrans):
    response = localmidtrans.api("POST", "/v2/charge", json=charge_payload("credit_card"))

    assert response.status_code == 402
    assert response.json()["status_code"] == "402"


def test_a_duplicate_order_id_gets_406_until_the_first_charge_expired(localmidtrans):
    payload = charge_payload("bank_transfer", bank_transfer={"bank": "bca"})
    first = localmidtrans.charge(payload)

    duplicate = localmidtrans.api("POST", "/v2/charge", json=payload)

    assert duplicate.status_code == 406
    assert duplicate.json()["status_code"] == "406"
    localmidtrans.expire(first["order_id"])
    second = localmidtrans.charge(payload)  # Midtrans lets an expired order_id be used again
    assert second["transaction_id"] != first["transaction_id"]
    assert localmidtrans.status(first["order_id"])["transaction_id"] == second["transaction_id"]
    old_page = requests.get(f"{localmidtrans.simulator_url}{first['transaction_id']}", timeout=5)
    assert "Kedaluwarsa" in old_page.text and "Bayar" not in old_page.text


def test_an_unknown_transaction_gets_404(localmidtrans):
    response = localmidtrans.api("GET", "/v2/no-such-order/status")

    assert response.status_code == 404
    assert response.json()["status_message"] == "Transaction doesn't exist."


# -- life cycle ------------------------------------------------------------------------------------


def test_settling_sends_signed_pending_then_settlement_notifications(localmidtrans, receiver):
    body = localmidtrans.charge(charge_payload("bank_transfer", bank_transfer={"bank": "bca"}))

    result = localmidtrans.settle(body["order_id"])

    assert result["all_finished"] is True
    pending, settlement = receiver.wait_for(2)
    assert [pending["transaction_status"], pending["status_code"]] == ["pending", "201"]
    assert [settlement["transaction_status"], settlement["status_code"]] == ["settlement", "200"]
    for notification in (pending, settlement):
        assert notification["signature_key"] == expected_signature(notification, localmidtrans.server_key)
        assert notification["gross_amount"] == "15000.00"
        assert notification["status_message"] == "midtrans payment notification"
        assert notification["va_numbers"] == body["va_numbers"]
    assert settlement["settlement_time"]
    status = localmidtrans.status(body["order_id"])
    assert status["transaction_status"] == "settlement" and status["status_code"] == "200"
    assert status["payment_amounts"] == [{"paid_at": settlement["settlement_time"], "amount": "15000.00"}]


def test_the_signature_is_sha512_of_order_status_amount_and_key(localmidtrans, receiver):
    body = localmidtrans.charge(charge_payload("qris", 123456))
    localmidtrans.settle(body["order_id"])

    notification = receiver.wait_for(2)[-1]

    raw = f"{body['order_id']}200123456.00{localmidtrans.server_key}"
    assert notification["signature_key"] == hashlib.sha512(raw.encode()).hexdigest()


def test_expiring_answers_407_and_notifies_expire_with_202(localmidtrans, receiver):
    body = localmidtrans.charge(charge_payload("gopay"))

    answer = localmidtrans.api("POST", f"/v2/{body['order_id']}/expire")

    assert answer.status_code == 200
    assert answer.json()["status_code"] == "407"
    assert answer.json()["transaction_status"] == "expire"
    expired = receiver.wait_for(2)[-1]
    assert [expired["transaction_status"], expired["status_code"]] == ["expire", "202"]
    assert expired["signature_key"] == expected_signature(expired, localmidtrans.server_key)
    status = localmidtrans.status(body["order_id"])
    assert [status["transaction_status"], status["status_code"]] == ["expire", "407"]


def test_a_charge_expires_by_itself_at_its_expiry_time(localmidtrans, receiver):
    payload = charge_payload(
        "bank_transfer", bank_transfer={"bank": "bri"}, custom_expiry={"expiry_duration": 1, "unit": "second"}
    )
    body = localmidtrans.charge(payload)

    notifications = receiver.wait_for(2, timeout=10)

    assert [n["transaction_status"] for n in notifications] == ["pending", "expire"]
    assert localmidtrans.status(body["order_id"])["transaction_status"] == "expire"


def test_cancel_works_on_a_pending_charge_only(localmidtrans):
    pending = localmidtrans.charge(charge_payload("gopay"))
    settled = localmidtrans.charge(charge_payload("gopay"))
    localmidtrans.settle(settled["order_id"])

    cancelled = localmidtrans.api("POST", f"/v2/{pending['transaction_id']}/cancel")  # by transaction_id too
    refused = localmidtrans.api("POST", f"/v2/{settled['order_id']}/cancel")

    assert cancelled.json()["status_code"] == "200"
    assert cancelled.json()["transaction_status"] == "cancel"
    assert refused.status_code == 412
    assert refused.json()["status_message"] == "Merchant cannot modify the status of the transaction"
    assert localmidtrans.status(settled["order_id"])["transaction_status"] == "settlement"


def test_deny_and_a_forced_late_settlement(localmidtrans, receiver):
    denied = localmidtrans.charge(charge_payload("qris"))
    late = localmidtrans.charge(charge_payload("bank_transfer", bank_transfer={"bank": "bca"}))

    localmidtrans.deny(denied["order_id"])
    localmidtrans.expire(late["order_id"])
    localmidtrans.settle(late["order_id"], force=True)

    assert localmidtrans.status(denied["order_id"])["status_code"] == "202"
    statuses = [n["transaction_status"] for n in receiver.wait_for(5) if n["order_id"] == late["order_id"]]
    assert statuses == ["pending", "expire", "settlement"]
    with pytest.raises(AssertionError, match="409"):
        localmidtrans.settle(denied["order_id"])


# -- refunds ----------------------------------------------------------------------------------------


def test_a_virtual_account_cannot_be_refunded_through_midtrans(localmidtrans):
    body = localmidtrans.charge(charge_payload("bank_transfer", bank_transfer={"bank": "bca"}))
    localmidtrans.settle(body["order_id"])

    for path in ("refund", "refund/online/direct"):
        response = localmidtrans.api("POST", f"/v2/{body['order_id']}/{path}", json={"amount": 5000})
        assert response.status_code == 412
        assert response.json()["status_code"] == "412"
    assert localmidtrans.status(body["order_id"])["transaction_status"] == "settlement"


def test_an_unsettled_e_wallet_cannot_be_refunded(localmidtrans):
    body = localmidtrans.charge(charge_payload("gopay"))

    response = localmidtrans.api("POST", f"/v2/{body['order_id']}/refund", json={"amount": 5000})

    assert response.status_code == 412


def test_partial_refunds_of_a_settled_gopay_charge_until_nothing_is_left(localmidtrans, receiver):
    body = localmidtrans.charge(charge_payload("gopay", 15000))
    localmidtrans.settle(body["order_id"])
    order = body["order_id"]

    first = localmidtrans.api("POST", f"/v2/{order}/refund", json={"refund_key": "r-1", "amount": 5000, "reason": "x"})
    retry = localmidtrans.api("POST", f"/v2/{order}/refund", json={"refund_key": "r-1", "amount": 5000})
    too_much = localmidtrans.api("POST", f"/v2/{order}/refund/online/direct", json={"amount": 10001})
    rest = localmidtrans.api("POST", f"/v2/{order}/refund/online/direct", json={"refund_key": "r-2"})

    assert first.json()["status_code"] == "200"
    assert first.json()["status_message"] == "Success, refund request is approved"
    assert first.json()["transaction_status"] == "partial_refund"
    assert first.json()["refund_amount"] == "5000.00"
    assert retry.json()["refund_chargeback_id"] == first.json()["refund_chargeback_id"]  # not refunded twice
    assert too_much.status_code == 412
    assert rest.json()["refund_amount"] == "10000.00"  # without an amount: what is left
    assert rest.json()["transaction_status"] == "refund"
    status = localmidtrans.status(order)
    assert status["refund_amount"] == "15000.00"
    assert [r["refund_key"] for r in status["refunds"]] == ["r-1", "r-2"]
    assert localmidtrans.wait_for_deliveries()
    refunds = [n for n in receiver.bodies if n["transaction_status"] in ("partial_refund", "refund")]
    assert [(n["transaction_status"], n["status_code"], n["refund_amount"]) for n in refunds] == [
        ("partial_refund", "200", "5000.00"),
        ("refund", "200", "15000.00"),
    ]
    assert all(n["signature_key"] == expected_signature(n, localmidtrans.server_key) for n in refunds)


def test_a_settled_qris_charge_can_be_refunded_directly(localmidtrans):
    body = localmidtrans.charge(charge_payload("qris", 20000))
    localmidtrans.settle(body["order_id"])

    response = localmidtrans.api("POST", f"/v2/{body['order_id']}/refund/online/direct", json={"amount": 20000})

    assert response.json()["transaction_status"] == "refund"


# -- notifications ------------------------------------------------------------------------------------


def test_a_notification_is_delivered_again_n_times_identically(localmidtrans, receiver):
    body = localmidtrans.charge(charge_payload("bank_transfer", bank_transfer={"bank": "bca"}))
    localmidtrans.settle(body["order_id"])
    receiver.wait_for(2)

    result = localmidtrans.notify(body["order_id"], times=5)

    assert result["all_finished"] is True
    assert len(result["notifications"]) == 5
    bodies = receiver.wait_for(7)
    replays = bodies[2:]
    assert all(replay == bodies[1] for replay in replays)
    assert all(replay["transaction_status"] == "settlement" for replay in replays)


def test_an_earlier_notification_can_be_replayed_late_and_with_a_bad_signature(localmidtrans, receiver):
    body = localmidtrans.charge(charge_payload("qris"))
    localmidtrans.settle(body["order_id"])
    receiver.wait_for(2)

    localmidtrans.notify(body["order_id"], transaction_status="pending")
    localmidtrans.notify(body["order_id"], bad_signature=True)

    late_pending, forged = receiver.wait_for(4)[2:]
    assert late_pending["transaction_status"] == "pending"
    assert late_pending["signature_key"] == expected_signature(late_pending, localmidtrans.server_key)
    assert forged["transaction_status"] == "settlement"
    assert forged["signature_key"] != expected_signature(forged, localmidtrans.server_key)


def test_a_failed_delivery_is_retried_until_answered_2xx(localmidtrans, receiver):
    receiver.failures_left = 2
    body = localmidtrans.charge(charge_payload("shopeepay"))

    assert localmidtrans.wait_for_deliveries()

    [log] = localmidtrans.notifications(body["order_id"])
    assert log["delivered"] is True and log["attempts"] == 3 and log["response_status"] == 200
    assert receiver.wait_for(1)[0]["transaction_status"] == "pending"


def test_a_delivery_that_keeps_failing_is_given_up_after_the_retries(localmidtrans, receiver):
    receiver.failures_left = 100
    body = localmidtrans.charge(charge_payload("gopay"))

    assert localmidtrans.wait_for_deliveries()

    [log] = localmidtrans.notifications(body["order_id"])
    assert log["delivered"] is False and log["gave_up"] is True
    assert log["attempts"] == 4  # the first try and the fixture's three retries
    assert log["response_status"] == 500


def test_the_number_of_delivery_threads_can_be_changed(localmidtrans, receiver):
    body = localmidtrans.charge(charge_payload("qris"))
    receiver.wait_for(1)

    localmidtrans.set_delivery_workers(1)
    one = localmidtrans.notify(body["order_id"], times=10)
    localmidtrans.set_delivery_workers(12)
    twelve = localmidtrans.notify(body["order_id"], times=40)

    assert one["all_finished"] and twelve["all_finished"]
    assert len(receiver.wait_for(51)) == 51
    assert localmidtrans.configure()["workers"] == 12


def test_x_override_notification_sends_that_charge_elsewhere(localmidtrans, receiver):
    other = Receiver()
    try:
        payload = charge_payload("qris")
        localmidtrans.charge(payload, **{"X-Override-Notification": other.url})

        assert other.wait_for(1)[0]["order_id"] == payload["transaction_details"]["order_id"]
        assert localmidtrans.wait_for_deliveries()
        assert receiver.bodies == []
    finally:
        other.close()


def test_an_idempotency_key_replays_the_first_answer(localmidtrans):
    payload = charge_payload("bank_transfer", bank_transfer={"bank": "bni"})
    key = {"Idempotency-Key": uuid.uuid4().hex}

    first = localmidtrans.charge(payload, **key)
    again = localmidtrans.charge(payload, **key)

    assert again == first
    assert len(localmidtrans.transactions()) == 1


def test_reset_forgets_everything(localmidtrans):
    localmidtrans.charge(charge_payload("qris"))

    localmidtrans.reset()

    assert localmidtrans.transactions() == []
    assert localmidtrans.notifications() == []


# -- simulator --------------------------------------------------------------------------------------


def test_the_simulator_pays_a_va_entered_by_bank_and_number(localmidtrans, receiver):
    body = localmidtrans.charge(charge_payload("bank_transfer", bank_transfer={"bank": "bca"}))
    va = body["va_numbers"][0]["va_number"]
    browser = requests.Session()

    listing = browser.get(f"{localmidtrans.url}/simulator/", timeout=5)
    found = browser.get(f"{localmidtrans.url}/simulator/va", params={"bank": "bca", "va_number": va}, timeout=5)
    paid = browser.post(f"{localmidtrans.url}/simulator/{body['order_id']}/pay", timeout=5)

    assert "Menunggu pembayaran" in listing.text and va in listing.text
    assert found.url.endswith(f"/simulator/{body['transaction_id']}")
    assert "Rp 15.000" in found.text and "Bayar Rp 15.000" in found.text
    assert paid.status_code == 200 and "Pembayaran berhasil" in paid.text
    assert localmidtrans.status(body["order_id"])["transaction_status"] == "settlement"
    assert receiver.wait_for(2)[-1]["transaction_status"] == "settlement"


def test_the_simulator_finds_a_mandiri_bill_and_refuses_an_unknown_number(localmidtrans):
    body = localmidtrans.charge(charge_payload("echannel", echannel={"bill_info1": "a", "bill_info2": "b"}))

    found = requests.get(
        f"{localmidtrans.url}/simulator/va", params={"bank": "mandiri", "va_number": body["bill_key"]}, timeout=5
    )
    with_biller_code = requests.get(
        f"{localmidtrans.url}/simulator/va",
        params={"bank": "mandiri", "va_number": f"70012 {body['bill_key']}"},
        timeout=5,
    )
    unknown = requests.get(f"{localmidtrans.url}/simulator/va", params={"bank": "bca", "va_number": "123"}, timeout=5)

    assert found.status_code == 200 and body["bill_key"] in found.text
    assert with_biller_code.url == found.url
    assert unknown.status_code == 404 and "Tagihan tidak ditemukan" in unknown.text


def test_the_simulator_scans_a_pasted_qris_string(localmidtrans):
    body = localmidtrans.charge(charge_payload("qris"))

    scanned = requests.post(f"{localmidtrans.url}/simulator/qris", data={"qr_string": body["qr_string"]}, timeout=5)
    garbage = requests.post(f"{localmidtrans.url}/simulator/qris", data={"qr_string": "000201"}, timeout=5)

    assert scanned.url.endswith(f"/simulator/{body['transaction_id']}")
    assert "Pindai &amp; bayar" in scanned.text
    assert garbage.status_code == 404 and "Isi QRIS tidak dikenali" in garbage.text


def test_approving_a_gopay_payment_returns_to_the_shops_callback(localmidtrans):
    body = localmidtrans.charge(
        charge_payload("gopay", gopay={"enable_callback": True, "callback_url": "http://shop.test/selesai/?x=1"})
    )

    answer = requests.post(f"{localmidtrans.url}/simulator/{body['order_id']}/pay", allow_redirects=False, timeout=5)

    assert answer.status_code == 303
    assert answer.headers["Location"] == (
        f"http://shop.test/selesai/?x=1&order_id={body['order_id']}&result=success&transaction_status=settlement"
    )
    assert localmidtrans.status(body["order_id"])["transaction_status"] == "settlement"


def test_refusing_in_the_simulator_denies_and_a_second_action_is_refused(localmidtrans):
    body = localmidtrans.charge(charge_payload("shopeepay"))

    requests.post(f"{localmidtrans.url}/simulator/{body['order_id']}/deny", timeout=5)
    again = requests.post(f"{localmidtrans.url}/simulator/{body['order_id']}/pay", timeout=5)

    assert localmidtrans.status(body["order_id"])["transaction_status"] == "deny"
    assert again.status_code == 409 and "tidak lagi menunggu pembayaran" in again.text


# -- the simulator in a browser, on a phone-sized screen ------------------------------------------


@pytest.mark.browser
def test_a_demo_user_pays_a_bca_va_in_the_simulator_on_a_phone(localmidtrans, receiver, page):
    from playwright.sync_api import expect

    body = localmidtrans.charge(charge_payload("bank_transfer", 187500, bank_transfer={"bank": "bca"}))
    va = body["va_numbers"][0]["va_number"]
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(localmidtrans.simulator_url)
    page.select_option("#bank", "bca")
    page.fill("#va_number", va)
    page.get_by_role("button", name="Cek tagihan").click()
    expect(page.locator(".number")).to_have_text(va)
    page.get_by_role("button", name="Bayar Rp 187.500").click()

    expect(page.get_by_role("status")).to_contain_text("Pembayaran berhasil")
    expect(page.locator(".badge")).to_have_text("Lunas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert receiver.wait_for(2)[-1]["transaction_status"] == "settlement"
    assert localmidtrans.status(body["order_id"])["transaction_status"] == "settlement"


@pytest.mark.browser
def test_the_qris_page_shows_the_qr_image_and_approving_pays(localmidtrans, page):
    from playwright.sync_api import expect

    body = localmidtrans.charge(charge_payload("qris", 27500))
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{localmidtrans.simulator_url}{body['order_id']}")
    image = page.get_by_role("img", name="Kode QR QRIS")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    page.get_by_role("button", name="Pindai & bayar").click()

    expect(page.locator(".badge")).to_have_text("Lunas")
    assert localmidtrans.status(body["order_id"])["transaction_status"] == "settlement"
