import csv
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from payouts.models import LedgerEntry, LedgerEntryKind, PayoutStatus
from payouts.selectors import payable_balance, seller_balance
from payouts.services import (
    PayoutTransitionNotAllowed,
    batch_export_bank_file,
    batch_mark_paid,
    create_weekly_payouts,
    payout_mark_failed,
    payout_mark_paid,
)
from payouts.tests.conftest import credit
from tests.factories import make_seller, make_user

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def batch_of_two(seller, regions, settings):
    settings.MARKETPLACE_PAYOUT_MINIMUM_IDR = 50000
    other = make_seller(
        regions=regions,
        name="=Pondok Darul Ulum",
        bank_name="Bank Mandiri",
        bank_account_number="1310012345678",
        bank_account_holder="Yayasan Darul Ulum",
    )
    credit(seller, "150000")
    credit(other, "87500")
    return create_weekly_payouts(now=MONDAY)


def test_bank_file_lists_each_payout_cell_by_cell(batch_of_two):
    first, second = sorted(batch_of_two.payouts, key=lambda payout: payout.seller.name)
    finance = make_user()

    with translation.override("en"):
        export = batch_export_bank_file(batch=batch_of_two.batch, actor=finance)

    assert export.filename == "payouts-2026-W48.csv"
    text = export.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [
        [
            "Batch",
            "Payout ID",
            "Pesantren",
            "Bank name",
            "Account number",
            "Account holder",
            "Amount (IDR)",
            "Reference",
        ],
        [
            "2026-W48",
            str(first.pk),
            "'=Pondok Darul Ulum",  # a formula-looking name is neutralised for spreadsheets
            "Bank Mandiri",
            "1310012345678",
            "Yayasan Darul Ulum",
            "87500",
            f"PP-2026-W48-{first.pk}",
        ],
        [
            "2026-W48",
            str(second.pk),
            "Pondok Pesantren Al-Ikhlas",
            "Bank Syariah Indonesia",
            "7123456789",
            "Yayasan Al-Ikhlas",
            "150000",
            f"PP-2026-W48-{second.pk}",
        ],
    ]
    for payout in batch_of_two.payouts:
        payout.refresh_from_db()
        assert (payout.status, payout.exported_by) == (PayoutStatus.EXPORTED, finance)
    assert batch_of_two.batch.__class__.objects.get().exported_by == finance


def test_paid_and_failed_payouts_leave_the_bank_file(batch_of_two):
    first, second = batch_of_two.payouts
    finance = make_user()
    payout_mark_paid(payout=first, actor=finance, reference="TRX-1")

    export = batch_export_bank_file(batch=batch_of_two.batch, actor=finance)

    assert [payout.pk for payout in export.payouts] == [second.pk]


def test_mark_paid_records_who_and_the_reference(batch_of_two):
    payout = batch_of_two.payouts[0]
    finance = make_user()

    payout_mark_paid(payout=payout, actor=finance, reference="BSI-20261123-01")

    payout.refresh_from_db()
    assert (payout.status, payout.paid_by, payout.reference) == (PayoutStatus.PAID, finance, "BSI-20261123-01")
    assert payout.paid_at is not None
    assert list(payout.events.values_list("from_status", "to_status")) == [
        ("", PayoutStatus.PENDING),
        (PayoutStatus.PENDING, PayoutStatus.PAID),
    ]
    with pytest.raises(PayoutTransitionNotAllowed):
        payout_mark_failed(payout=payout, actor=finance, reason="too late")


def test_mark_all_paid_settles_every_open_bank_payout(batch_of_two):
    finance = make_user()

    payouts = batch_mark_paid(batch=batch_of_two.batch, actor=finance)

    assert len(payouts) == 2
    assert {payout.status for payout in batch_of_two.batch.payouts.all()} == {PayoutStatus.PAID}


def test_failed_payout_recredits_the_ledger(seller, batch_of_two):
    payout = next(payout for payout in batch_of_two.payouts if payout.seller == seller)
    assert seller_balance(seller=seller) == Decimal("0")

    payout_mark_failed(payout=payout, actor=make_user(), reason="Rekening ditutup")

    payout.refresh_from_db()
    assert (payout.status, payout.failure_reason) == (PayoutStatus.FAILED, "Rekening ditutup")
    adjustment = LedgerEntry.objects.get(kind=LedgerEntryKind.ADJUSTMENT, payout=payout)
    assert adjustment.amount == Decimal("150000")
    assert payable_balance(seller=seller) == Decimal("150000")


def test_failing_twice_or_without_reason_is_refused(batch_of_two):
    payout = batch_of_two.payouts[0]
    with pytest.raises(ValueError):
        payout_mark_failed(payout=payout, actor=None, reason="  ")
    payout_mark_failed(payout=payout, actor=None, reason="bounced")
    with pytest.raises(PayoutTransitionNotAllowed):
        payout_mark_failed(payout=payout, actor=None, reason="bounced again")
    assert LedgerEntry.objects.filter(kind=LedgerEntryKind.ADJUSTMENT, payout=payout).count() == 1
