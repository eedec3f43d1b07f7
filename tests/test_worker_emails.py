"""Applicant emails leave through the Redis broker and a real Celery worker process."""

import time

import pytest

from sellers.models import SellerStatus
from sellers.services import seller_approve, seller_suspend
from sellers.tasks import send_seller_status_email
from tests.factories import make_seller, make_user


@pytest.mark.django_db(transaction=True)
def test_status_emails_are_sent_once_by_a_real_worker(celery_worker_process):
    # given an application approved by programme staff (its email is queued on commit)
    seller = make_seller(status=SellerStatus.APPLIED, owner=make_user("pemohon@example.com"))
    seller_approve(seller=seller, approved_by=None)
    approval = seller.events.get(to_status=SellerStatus.VERIFIED)

    # when the same task is delivered again, and then the pesantren is suspended
    send_seller_status_email.delay(approval.pk)
    seller_suspend(seller=seller, suspended_by=None, reason="Laporan produk kedaluwarsa.")

    # then the worker mailed each status change exactly once, the redelivery included
    messages = celery_worker_process.wait_for_messages(2)
    assert len(messages) == 2
    assert all("To: pemohon@example.com" in message for message in messages)
    assert any("Laporan produk kedaluwarsa." in message for message in messages)
    # the worker marks an event notified in the same task, just after the mail is written
    deadline = time.monotonic() + 10
    while seller.events.filter(notified_at=None).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not seller.events.filter(notified_at=None).exists()


@pytest.mark.django_db(transaction=True)
def test_a_bank_account_change_is_mailed_to_the_owner_once_by_a_real_worker(celery_worker_process):
    from sellers.services import seller_bank_account_change
    from sellers.tasks import send_bank_account_changed_email

    # given a pesantren whose owner changes the payout account (the email is queued on commit)
    seller = make_seller(owner=make_user("pemilik@example.com"))
    event = seller_bank_account_change(
        seller=seller,
        changed_by=seller.owner,
        bank_name="BSI",
        bank_account_number="7001234567",
        bank_account_holder="Yayasan Uji",
    )

    # when the same task is delivered again
    send_bank_account_changed_email.delay(event.pk)

    # then the owner got one email (beside the verification's), with the account masked, and the
    # redelivery sent nothing more
    celery_worker_process.wait_for_messages(2)
    deadline = time.monotonic() + 10
    while seller.events.filter(kind="bank_account", notified_at=None).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2)  # time for the redelivered task to run, and find the event already mailed
    messages = [message for message in celery_worker_process.messages() if "••••••4567" in message]
    assert len(messages) == 1
    assert "To: pemilik@example.com" in messages[0]
    assert "7001234567" not in messages[0]
