from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from oscar.core.loading import get_model

from bank_transfers import services
from bank_transfers.models import BankTransfer, BankTransferEvent, BankTransferEventKind, BankTransferStatus
from bank_transfers.services import (
    BankTransferError,
    confirm_transfer,
    expire_overdue_transfers,
    reject_proof,
    start_bank_transfer,
    submit_proof,
)
from bank_transfers.tests.conftest import place_order
from bank_transfers.tests.files import fake_pdf_upload, pdf_upload, png_upload
from fulfilment.models import SellerOrderEvent, SellerOrderStatus
from tests.factories import make_seller_product

StockRecord = get_model("partner", "StockRecord")
pytestmark = pytest.mark.django_db


def stored_proofs() -> set[str]:
    storage = BankTransfer._meta.get_field("proof").storage
    found = set()

    def walk(path):
        if not storage.exists(path):
            return
        directories, files = storage.listdir(path)
        found.update(f"{path}/{name}" for name in files)
        for directory in directories:
            walk(f"{path}/{directory}")

    walk("bank_transfers/proofs")
    return found


def codes(monkeypatch, *values):
    picks = iter(values)
    monkeypatch.setattr(services, "pick_unique_code", lambda: next(picks))


# --- start -----------------------------------------------------------------------------------------


def test_start_is_idempotent_and_amount_due_is_total_plus_code(order_from_two_sellers, monkeypatch, settings):
    # given
    settings.MARKETPLACE_BANK_ACCOUNT = {
        "bank_name": "Bank BJB",
        "account_number": "0012345678",
        "account_holder": "PT Pasar",
    }
    codes(monkeypatch, 123)
    # when
    first = start_bank_transfer(order=order_from_two_sellers)
    second = start_bank_transfer(order=order_from_two_sellers)
    # then
    assert first.pk == second.pk
    assert BankTransfer.objects.filter(order=order_from_two_sellers).count() == 1
    assert first.amount == Decimal("150000")
    assert first.unique_code == 123
    assert first.amount_due == Decimal("150123")
    assert (first.bank_name, first.account_number, first.account_holder) == ("Bank BJB", "0012345678", "PT Pasar")
    assert first.status == BankTransferStatus.AWAITING_TRANSFER
    assert first.expires_at == order_from_two_sellers.date_placed + timedelta(
        minutes=settings.MARKETPLACE_UNPAID_ORDER_TTL_MINUTES
    )
    assert list(first.events.values_list("kind", flat=True)) == [BankTransferEventKind.STARTED]


def test_start_uses_default_account_when_setting_is_missing(order_from_two_sellers, settings):
    del settings.MARKETPLACE_BANK_ACCOUNT
    transfer = start_bank_transfer(order=order_from_two_sellers)
    assert transfer.bank_name == services.DEFAULT_BANK_ACCOUNT["bank_name"]
    assert transfer.account_number == services.DEFAULT_BANK_ACCOUNT["account_number"]


def test_start_refuses_an_order_that_no_longer_awaits_payment(order_from_two_sellers):
    order_from_two_sellers.status = "Cancelled"
    order_from_two_sellers.save()
    with pytest.raises(BankTransferError):
        start_bank_transfer(order=order_from_two_sellers)
    assert not BankTransfer.objects.exists()


# --- unique amount due -----------------------------------------------------------------------------


def test_colliding_random_code_is_retried_so_open_transfers_never_share_amount_due(two_sellers, monkeypatch):
    # given two orders with the same total, and a code picker that repeats itself
    product = make_seller_product(two_sellers[0], price="75000", stock=10)
    first_order, second_order = place_order([(product, 1)]), place_order([(product, 1)])
    codes(monkeypatch, 42, 42, 42, 7)
    # when
    first = start_bank_transfer(order=first_order)
    second = start_bank_transfer(order=second_order)
    # then
    assert first.amount_due == Decimal("75042")
    assert second.unique_code == 7
    assert second.amount_due == Decimal("75007")


def test_when_every_random_pick_collides_a_free_code_is_found(two_sellers, monkeypatch):
    product = make_seller_product(two_sellers[0], price="75000", stock=10)
    first_order, second_order = place_order([(product, 1)]), place_order([(product, 1)])
    monkeypatch.setattr(services, "pick_unique_code", lambda: 42)
    first = start_bank_transfer(order=first_order)
    second = start_bank_transfer(order=second_order)
    assert first.unique_code == 42
    assert second.unique_code != 42
    assert 1 <= second.unique_code <= 999
    assert second.amount_due == Decimal("75000") + second.unique_code


def test_database_refuses_a_second_open_transfer_with_the_same_amount_due(two_sellers, monkeypatch):
    product = make_seller_product(two_sellers[0], price="75000", stock=10)
    first_order, second_order, third_order = (place_order([(product, 1)]) for _ in range(3))
    codes(monkeypatch, 42)
    first = start_bank_transfer(order=first_order)
    fields = {
        "amount": first.amount,
        "unique_code": 42,
        "amount_due": first.amount_due,
        "expires_at": first.expires_at,
        "bank_name": "x",
        "account_number": "1",
        "account_holder": "y",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        BankTransfer.objects.create(order=second_order, **fields)
    # a closed transfer frees its amount for reuse
    BankTransfer.objects.filter(pk=first.pk).update(status=BankTransferStatus.EXPIRED)
    reused = BankTransfer.objects.create(order=third_order, **fields)
    assert reused.amount_due == first.amount_due


# --- proof upload ----------------------------------------------------------------------------------


def test_valid_proof_is_stored_and_awaits_review(transfer, customer):
    # when
    submit_proof(transfer=transfer, file=png_upload(), user=customer)
    # then
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.PROOF_UPLOADED
    assert transfer.proof_content_type == "image/png"
    assert transfer.uploaded_by == customer
    assert transfer.uploaded_at is not None
    assert transfer.proof.name in stored_proofs()
    assert transfer.proof.open("rb").read().startswith(b"\x89PNG")
    event = transfer.events.get(kind=BankTransferEventKind.PROOF_UPLOADED)
    assert (event.from_status, event.to_status, event.actor) == (
        BankTransferStatus.AWAITING_TRANSFER,
        BankTransferStatus.PROOF_UPLOADED,
        customer,
    )


@pytest.mark.parametrize(
    "upload, code", [(fake_pdf_upload, "file_type"), (lambda: png_upload(size=2048), "file_too_large")]
)
def test_bad_proof_is_refused_and_nothing_is_stored(transfer, customer, settings, upload, code):
    # given
    settings.MARKETPLACE_APPLICATION_DOCUMENT_MAX_BYTES = 1024
    before = stored_proofs()
    # when
    with pytest.raises(ValidationError) as error:
        submit_proof(transfer=transfer, file=upload(), user=customer)
    # then
    assert error.value.code == code
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.AWAITING_TRANSFER
    assert not transfer.proof
    assert not transfer.events.filter(kind=BankTransferEventKind.PROOF_UPLOADED).exists()
    assert stored_proofs() == before


def test_proof_is_refused_after_the_deadline(transfer, customer):
    BankTransfer.objects.filter(pk=transfer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    transfer.refresh_from_db()
    with pytest.raises(BankTransferError):
        submit_proof(transfer=transfer, file=pdf_upload(), user=customer)
    transfer.refresh_from_db()
    assert not transfer.proof


# --- confirm ---------------------------------------------------------------------------------------


def test_confirm_pays_the_order_through_fulfilment_exactly_once(transfer, reviewer, django_capture_on_commit_callbacks):
    # given
    order = transfer.order
    submit_proof(transfer=transfer, file=pdf_upload(), user=None)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        confirm_transfer(transfer=transfer, confirmed_by=reviewer)
    with pytest.raises(BankTransferError):
        confirm_transfer(transfer=transfer, confirmed_by=reviewer)
    # then
    transfer.refresh_from_db()
    order.refresh_from_db()
    assert transfer.status == BankTransferStatus.CONFIRMED
    assert (transfer.reviewed_by, transfer.reviewed_at is not None) == (reviewer, True)
    assert order.status == "Paid"
    seller_orders = list(order.seller_orders.all())
    assert len(seller_orders) == 2
    assert {so.status for so in seller_orders} == {SellerOrderStatus.PAID}
    paid_events = SellerOrderEvent.objects.filter(seller_order__order=order, to_status=SellerOrderStatus.PAID)
    assert paid_events.count() == 2
    assert set(paid_events.values_list("note", flat=True)) == {f"transfer-{transfer.pk}"}
    assert transfer.events.filter(kind=BankTransferEventKind.CONFIRMED).count() == 1
    # the fulfilment pipeline told the customer, once
    assert [m.to for m in mail.outbox].count([order.email]) == 1


def test_confirm_refuses_an_expired_transfer(transfer, reviewer):
    BankTransfer.objects.filter(pk=transfer.pk).update(status=BankTransferStatus.EXPIRED)
    with pytest.raises(BankTransferError):
        confirm_transfer(transfer=transfer, confirmed_by=reviewer)
    assert set(transfer.order.seller_orders.values_list("status", flat=True)) == {SellerOrderStatus.PENDING_PAYMENT}


def test_confirm_is_rolled_back_when_the_order_was_cancelled_meanwhile(transfer, reviewer):
    from fulfilment.services import order_expire_unpaid

    order_expire_unpaid(order_id=transfer.order_id)
    with pytest.raises(BankTransferError):
        confirm_transfer(transfer=transfer, confirmed_by=reviewer)
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.AWAITING_TRANSFER
    assert not transfer.events.filter(kind=BankTransferEventKind.CONFIRMED).exists()


# --- reject ----------------------------------------------------------------------------------------


def test_reject_tells_the_customer_and_allows_another_upload(
    transfer, customer, reviewer, django_capture_on_commit_callbacks
):
    # given
    submit_proof(transfer=transfer, file=png_upload(), user=customer)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        reject_proof(transfer=transfer, rejected_by=reviewer, reason="Nominal tidak sesuai.")
    # then
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.AWAITING_TRANSFER
    assert transfer.rejection_reason == "Nominal tidak sesuai."
    assert transfer.reviewed_by == reviewer
    assert transfer.can_upload_proof
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [customer.email]
    assert "Nominal tidak sesuai." in mail.outbox[0].body
    assert transfer.order.number in mail.outbox[0].subject
    assert f"/pembayaran/transfer/{transfer.order.number}/" in mail.outbox[0].body
    # and the customer uploads again
    submit_proof(transfer=transfer, file=pdf_upload(), user=customer)
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.PROOF_UPLOADED
    assert list(transfer.events.values_list("kind", flat=True)) == [
        BankTransferEventKind.STARTED,
        BankTransferEventKind.PROOF_UPLOADED,
        BankTransferEventKind.REJECTED,
        BankTransferEventKind.PROOF_UPLOADED,
    ]


def test_rejection_email_is_sent_once_even_if_the_task_runs_twice(transfer, customer, reviewer):
    from bank_transfers.tasks import send_proof_rejected_email

    submit_proof(transfer=transfer, file=png_upload(), user=customer)
    reject_proof(transfer=transfer, rejected_by=reviewer, reason="Buram.")
    event = transfer.events.get(kind=BankTransferEventKind.REJECTED)
    assert send_proof_rejected_email(transfer.pk, event.pk) is True
    assert send_proof_rejected_email(transfer.pk, event.pk) is False
    assert len(mail.outbox) == 1


def test_reject_needs_a_reason_and_an_uploaded_proof(transfer, reviewer):
    with pytest.raises(BankTransferError):
        reject_proof(transfer=transfer, rejected_by=reviewer, reason="Buram.")
    submit_proof(transfer=transfer, file=png_upload(), user=None)
    with pytest.raises(ValidationError):
        reject_proof(transfer=transfer, rejected_by=reviewer, reason="   ")
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.PROOF_UPLOADED
    assert not BankTransferEvent.objects.filter(kind=BankTransferEventKind.REJECTED).exists()


# --- expiry ----------------------------------------------------------------------------------------


def test_expiry_cancels_the_order_and_releases_the_stock(transfer):
    # given
    order = transfer.order
    records = StockRecord.objects.filter(pk__in=order.lines.values("stockrecord"))
    assert sorted(records.values_list("num_allocated", flat=True)) == [1, 2]
    BankTransfer.objects.filter(pk=transfer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    # when
    expired = expire_overdue_transfers()
    again = expire_overdue_transfers()
    # then
    assert (expired, again) == (1, 0)
    transfer.refresh_from_db()
    order.refresh_from_db()
    assert transfer.status == BankTransferStatus.EXPIRED
    assert order.status == "Cancelled"
    assert set(order.seller_orders.values_list("status", flat=True)) == {SellerOrderStatus.CANCELLED}
    assert list(records.values_list("num_allocated", flat=True)) == [0, 0]
    assert transfer.events.filter(kind=BankTransferEventKind.EXPIRED).count() == 1


def test_expiry_leaves_transfers_in_time_and_proofs_under_review(transfer, customer):
    # in time: nothing happens
    assert expire_overdue_transfers() == 0
    # overdue, but a proof is waiting for finance
    submit_proof(transfer=transfer, file=png_upload(), user=customer)
    BankTransfer.objects.filter(pk=transfer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert expire_overdue_transfers() == 0
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.PROOF_UPLOADED
    assert transfer.order.status == "Pending payment"


def test_transfer_of_an_order_cancelled_elsewhere_is_closed(transfer):
    from fulfilment.services import seller_order_cancel

    # every pesantren cancels its part before the customer paid
    for seller_order in transfer.order.seller_orders.all():
        seller_order_cancel(seller_order=seller_order, actor=None, reason="Stok habis")

    assert expire_overdue_transfers() == 1
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.EXPIRED


def test_celery_task_wraps_the_expiry(transfer):
    from bank_transfers.tasks import expire_overdue_bank_transfers

    BankTransfer.objects.filter(pk=transfer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert expire_overdue_bank_transfers.delay().get() == 1
