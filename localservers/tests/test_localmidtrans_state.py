"""localmidtrans run in this process: its state file, expiry across a restart, concurrent charges."""

import json
import threading

import requests

from localservers.midtrans import make_server

KEY = "SB-Mid-server-state-tests"


def start(**options):
    return make_server(server_key=KEY, quiet=True, **options).start()


def bca_charge(order_id: str, **extra) -> dict:
    return {
        "payment_type": "bank_transfer",
        "bank_transfer": {"bank": "bca"},
        "transaction_details": {"order_id": order_id, "gross_amount": 50000},
        **extra,
    }


def test_transactions_survive_a_restart_through_the_state_file(tmp_path):
    state_file = tmp_path / "localmidtrans.json"
    first = start(state_file=str(state_file))
    try:
        charged = requests.post(f"{first.url}/v2/charge", json=bca_charge("PP-STATE-1"), auth=(KEY, ""), timeout=5)
        charged.raise_for_status()
    finally:
        first.stop()

    saved = json.loads(state_file.read_text())
    assert [t["order_id"] for t in saved["transactions"]] == ["PP-STATE-1"]
    second = start(state_file=str(state_file))
    try:
        status = requests.get(f"{second.url}/v2/PP-STATE-1/status", auth=(KEY, ""), timeout=5).json()
        duplicate = requests.post(f"{second.url}/v2/charge", json=bca_charge("PP-STATE-1"), auth=(KEY, ""), timeout=5)
    finally:
        second.stop()

    assert status["transaction_status"] == "pending"
    assert status["va_numbers"] == charged.json()["va_numbers"]
    assert duplicate.status_code == 406


def test_a_charge_that_expired_while_the_server_was_down_is_expired_on_start(tmp_path):
    state_file = tmp_path / "localmidtrans.json"
    server = start(state_file=str(state_file))
    try:
        requests.post(
            f"{server.url}/v2/charge",
            json=bca_charge("PP-STATE-2", custom_expiry={"expiry_duration": 1, "unit": "hour"}),
            auth=(KEY, ""),
            timeout=5,
        ).raise_for_status()
    finally:
        server.stop()
    saved = json.loads(state_file.read_text())
    saved["transactions"][0]["expiry_time"] = "2020-01-01 00:00:00"  # as if the hour passed meanwhile
    state_file.write_text(json.dumps(saved))

    restarted = start(state_file=str(state_file))
    try:
        status = requests.get(f"{restarted.url}/v2/PP-STATE-2/status", auth=(KEY, ""), timeout=5).json()
    finally:
        restarted.stop()

    assert [status["transaction_status"], status["status_code"]] == ["expire", "407"]


def test_a_broken_state_file_is_set_aside_and_the_server_starts_empty(tmp_path, capsys):
    state_file = tmp_path / "localmidtrans.json"
    state_file.write_text('{"transactions": [{"order_id": ')

    server = start(state_file=str(state_file))
    try:
        transactions = requests.get(f"{server.url}/_control/transactions", timeout=5).json()["transactions"]
    finally:
        server.stop()

    assert transactions == []
    assert (tmp_path / "localmidtrans.json.broken").read_text() == '{"transactions": [{"order_id": '
    assert "could not read" in capsys.readouterr().err


def test_without_a_state_file_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    server = start()
    try:
        requests.post(f"{server.url}/v2/charge", json=bca_charge("PP-STATE-3"), auth=(KEY, ""), timeout=5)
    finally:
        server.stop()

    assert list(tmp_path.iterdir()) == []


def test_concurrent_charges_with_one_order_id_create_one_transaction():
    server = start()
    answers: list[int] = []
    lock = threading.Lock()

    def charge():
        response = requests.post(f"{server.url}/v2/charge", json=bca_charge("PP-RACE"), auth=(KEY, ""), timeout=10)
        with lock:
            answers.append(response.status_code)

    try:
        threads = [threading.Thread(target=charge) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        transactions = requests.get(f"{server.url}/_control/transactions", timeout=5).json()["transactions"]
    finally:
        server.stop()

    assert sorted(answers) == [200] + [406] * 11
    assert len(transactions) == 1
