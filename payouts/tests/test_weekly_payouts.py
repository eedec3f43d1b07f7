from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from payouts.models import LedgerEntry, LedgerEntryKind, Payout, PayoutBatch, PayoutMethod, PayoutStatus
from payouts.selectors import payable_balance, seller_balance
from payouts.services import connect_seller_account, create_weekly_payouts
from payouts.tasks import create_weekly_payouts as create_weekly_payouts_task
from payouts.tests.conftest import BANK, credit
from tests.factories import make_seller

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(autouse=True)
def minimum(settings):
    settings.MARKETPLACE_PAYOUT_MINIMUM_IDR = 50000


def test_weekly_batch_pays_sellers_above_the_minimum_and_books_the_debit(seller, regions):
    # given
    below = make_seller(regions=regions, name="PP Kecil", **BANK)
    credit(seller, "150000")
    credit(seller, "-25000")
    credit(below, "49999")

    # when
    run = create_weekly_payouts(now=MONDAY)

    # then
    assert run.created and run.batch.week == "2026-W48"
    payout = Payout.objects.get()
    assert (payout.seller, payout.amount, payout.status, payout.batch) == (
        seller,
        Decimal("125000"),
        PayoutStatus.PENDING,
        run.batch,
    )
    assert payout.method == PayoutMethod.BANK_TRANSFER
    assert (payout.bank_name, payout.bank_account_number, payout.bank_account_holder) == (
        "Bank Syariah Indonesia",
        "7123456789",
        "Yayasan Al-Ikhlas",
    )
    debit = LedgerEntry.objects.get(kind=LedgerEntryKind.PAYOUT)
    assert (debit.seller, debit.amount, debit.payout, debit.idempotency_key) == (
        seller,
        Decimal("-125000"),
        payout,
        f"payout-{payout.pk}",
    )
    assert seller_balance(seller=seller) == Decimal("0")
    assert payable_balance(seller=below) == Decimal("49999")
    assert list(payout.events.values_list("to_status", flat=True)) == [PayoutStatus.PENDING]


def test_bank_details_are_snapshotted_at_creation(seller):
    credit(seller, "80000")
    payout = create_weekly_payouts(now=MONDAY).payouts[0]

    seller.bank_account_number = "0000000000"
    seller.save()

    payout.refresh_from_db()
    assert payout.bank_account_number == "7123456789"


def test_sellers_without_complete_bank_details_are_skipped_and_reported(seller, regions):
    incomplete = make_seller(regions=regions, name="PP Tanpa Rekening", bank_name="BRI", bank_account_holder="Yayasan")
    credit(seller, "60000")
    credit(incomplete, "90000")

    run = create_weekly_payouts(now=MONDAY)

    assert [payout.seller for payout in run.payouts] == [seller]
    assert run.skipped == [
        {
            "seller_id": incomplete.pk,
            "name": "PP Tanpa Rekening",
            "amount": "90000",
            "reason": "bank_details_incomplete",
        }
    ]
    assert PayoutBatch.objects.get().skipped_sellers == run.skipped
    assert seller_balance(seller=incomplete) == Decimal("90000")


def test_connected_seller_needs_no_bank_details_and_is_paid_by_connect(regions, settings, monkeypatch):
    connected = make_seller(regions=regions, name="PP Connect")
    connect_seller_account(seller=connected, stripe_account_id="acct_1PpAlIkhlas0001")
    credit(connected, "150000")
    sent = []
    monkeypatch.setattr("payouts.tasks.disburse_payout.delay", lambda pk: sent.append(pk))

    run = create_weekly_payouts(now=MONDAY)

    payout = run.payouts[0]
    assert (payout.method, payout.stripe_account_id, payout.bank_account_number) == (
        PayoutMethod.STRIPE_CONNECT,
        "acct_1PpAlIkhlas0001",
        "",
    )
    # the transfer is only sent once the batch has committed
    assert sent == []


def test_second_run_in_the_same_week_creates_nothing(seller):
    credit(seller, "75000")
    first = create_weekly_payouts(now=MONDAY)
    credit(seller, "200000")  # earned after the batch: waits for next week

    second = create_weekly_payouts(now=MONDAY.replace(day=26))

    assert not second.created
    assert second.batch == first.batch
    assert second.payouts == []
    assert PayoutBatch.objects.count() == 1
    assert Payout.objects.count() == 1
    assert seller_balance(seller=seller) == Decimal("200000")


def test_next_week_pays_what_was_earned_since(seller):
    credit(seller, "75000")
    create_weekly_payouts(now=MONDAY)
    credit(seller, "60000")

    run = create_weekly_payouts(now=MONDAY.replace(day=30))

    assert run.batch.week == "2026-W49"
    assert [payout.amount for payout in run.payouts] == [Decimal("60000")]


def test_the_beat_task_runs_the_same_service(seller):
    credit(seller, "90000")

    result = create_weekly_payouts_task.delay().get()

    payout = Payout.objects.get()
    assert result["created"] is True
    assert result["payouts"] == [payout.pk]
    assert create_weekly_payouts_task.delay().get()["payouts"] == []
