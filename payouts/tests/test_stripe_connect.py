"""Stripe Connect is not in localstripe: the SDK talks to a fake HTTP client that replays recorded responses."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
import stripe

from payouts.models import LedgerEntry, LedgerEntryKind, PayoutStatus
from payouts.selectors import payable_balance
from payouts.services import connect_seller_account, create_weekly_payouts
from payouts.tests.conftest import credit
from tests.factories import make_seller

pytestmark = pytest.mark.django_db
RECORDED = Path(__file__).parent / "recorded"
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


class RecordedHTTPClient(stripe.HTTPClient):
    """Answers every request with one recorded Stripe response and keeps what it was sent."""

    name = "recorded"

    def __init__(self, *, status: int, body_file: str):
        super().__init__()
        self.status, self.body = status, (RECORDED / body_file).read_text()
        self.requests = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        self.requests.append(
            {"method": method, "url": url, "headers": dict(headers), "data": parse_qs(post_data or "")}
        )
        return self.body, self.status, {"Request-Id": "req_recorded"}

    def close(self):
        pass


@pytest.fixture
def connected_payout(regions, settings, monkeypatch):
    settings.MARKETPLACE_PAYOUT_MINIMUM_IDR = 50000
    seller = make_seller(regions=regions, name="PP Connect")
    connect_seller_account(seller=seller, stripe_account_id="acct_1PpAlIkhlas0001")
    credit(seller, "150000")
    # The batch's on-commit task would send at once (Celery is eager); send explicitly instead.
    monkeypatch.setattr("payouts.tasks.disburse_payout.delay", lambda pk: None)
    return create_weekly_payouts(now=MONDAY).payouts[0]


def send(payout, monkeypatch, client):
    from payouts.tasks import disburse_payout

    monkeypatch.setattr(stripe, "default_http_client", client)
    disburse_payout.apply(args=[payout.pk]).get()
    payout.refresh_from_db()
    return payout


def test_connect_payout_creates_a_stripe_transfer(connected_payout, monkeypatch):
    client = RecordedHTTPClient(status=200, body_file="transfer_created.json")

    payout = send(connected_payout, monkeypatch, client)

    [request] = client.requests
    assert request["method"] == "post"
    assert request["url"].endswith("/v1/transfers")
    assert request["data"]["amount"] == ["15000000"]  # Rp 150.000: IDR has two decimals in Stripe
    assert request["data"]["currency"] == ["idr"]
    assert request["data"]["destination"] == ["acct_1PpAlIkhlas0001"]
    assert request["headers"]["Idempotency-Key"] == f"payout-{payout.pk}"
    assert (payout.status, payout.reference) == (PayoutStatus.PAID, "tr_1QdG7b2eZvKYlo2C0jlX8aQe")
    assert payout.paid_at is not None


def test_sending_again_does_not_call_stripe_twice(connected_payout, monkeypatch):
    client = RecordedHTTPClient(status=200, body_file="transfer_created.json")
    send(connected_payout, monkeypatch, client)

    send(connected_payout, monkeypatch, client)

    assert len(client.requests) == 1


def test_refused_transfer_fails_the_payout_and_recredits(connected_payout, monkeypatch):
    client = RecordedHTTPClient(status=400, body_file="transfer_error.json")

    payout = send(connected_payout, monkeypatch, client)

    assert payout.status == PayoutStatus.FAILED
    assert "No such destination" in payout.failure_reason
    adjustment = LedgerEntry.objects.get(kind=LedgerEntryKind.ADJUSTMENT, payout=payout)
    assert adjustment.amount == Decimal("150000")
    assert payable_balance(seller=payout.seller) == Decimal("150000")


def test_stripe_outage_keeps_the_payout_pending_for_a_retry(connected_payout, monkeypatch):
    from payouts.disbursement import DisbursementTemporaryError, StripeConnectBackend, stripe_client

    client = RecordedHTTPClient(status=500, body_file="transfer_error.json")

    with pytest.raises(DisbursementTemporaryError):
        StripeConnectBackend(client=stripe_client(client)).transfer(connected_payout)

    connected_payout.refresh_from_db()
    assert connected_payout.status == PayoutStatus.PENDING
    assert not LedgerEntry.objects.filter(kind=LedgerEntryKind.ADJUSTMENT, payout=connected_payout).exists()
