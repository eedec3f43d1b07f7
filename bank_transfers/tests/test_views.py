from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from bank_transfers import services
from bank_transfers.models import BankTransferStatus
from bank_transfers.services import start_bank_transfer, submit_proof
from bank_transfers.tests.conftest import place_order
from bank_transfers.tests.files import fake_pdf_upload, png_upload
from fulfilment.models import SellerOrderStatus
from tests.factories import make_seller_product, make_user

pytestmark = pytest.mark.django_db


def detail_url(transfer):
    return reverse("bank_transfers:detail", kwargs={"order_number": transfer.order.number})


# --- customer page ---------------------------------------------------------------------------------


def test_owner_sees_amount_due_account_and_deadline(order_from_two_sellers, customer, client, monkeypatch, settings):
    # given
    settings.MARKETPLACE_BANK_ACCOUNT = {
        "bank_name": "Bank BJB Syariah",
        "account_number": "5120001234",
        "account_holder": "PT Pasar Pesantren",
    }
    monkeypatch.setattr(services, "pick_unique_code", lambda: 123)
    transfer = start_bank_transfer(order=order_from_two_sellers)
    client.force_login(customer)
    # when
    response = client.get(detail_url(transfer))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp 150.123" in html
    assert "Rp 150.000" in html  # the order total the code is added to
    assert "5120001234" in html and "Bank BJB Syariah" in html
    local_deadline = transfer.expires_at.astimezone(ZoneInfo("Asia/Jakarta"))
    assert f"{local_deadline:%H:%M} WIB" in html
    assert 'id="proof-form"' in html


def test_other_user_gets_404(transfer, client):
    client.force_login(make_user())
    assert client.get(detail_url(transfer)).status_code == 404
    assert client.post(detail_url(transfer), {"proof": png_upload()}).status_code == 404
    transfer.refresh_from_db()
    assert not transfer.proof


def test_anonymous_visitor_without_the_order_in_session_gets_404(transfer, client):
    assert client.get(detail_url(transfer)).status_code == 404


def test_guest_with_the_order_in_session_can_pay(two_sellers, client):
    # given a guest order, placed in this browser session
    product = make_seller_product(two_sellers[0], price="40000")
    order = place_order([(product, 1)], guest_email="tamu@example.com")
    transfer = start_bank_transfer(order=order)
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()
    # when
    page = client.get(detail_url(transfer))
    upload = client.post(detail_url(transfer), {"proof": png_upload()})
    # then
    assert page.status_code == 200
    assert upload.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.PROOF_UPLOADED
    assert transfer.uploaded_by is None


def test_bad_upload_shows_an_error_and_changes_nothing(transfer, customer, client):
    client.force_login(customer)
    response = client.post(detail_url(transfer), {"proof": fake_pdf_upload()})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("proof", code="file_type")
    assert form.errors["proof"][0] in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.AWAITING_TRANSFER
    assert not transfer.proof


def test_rejection_reason_is_shown_to_the_customer(transfer, customer, reviewer, client):
    submit_proof(transfer=transfer, file=png_upload(), user=customer)
    services.reject_proof(transfer=transfer, rejected_by=reviewer, reason="Bukti transfer terpotong.")
    client.force_login(customer)
    html = client.get(detail_url(transfer)).content.decode()
    assert "Bukti transfer terpotong." in html
    assert 'id="proof-form"' in html


# --- finance dashboard -----------------------------------------------------------------------------


def test_dashboard_needs_the_review_permission(transfer, client):
    submit_proof(transfer=transfer, file=png_upload(), user=None)
    client.force_login(make_user(is_staff=True))
    urls = [
        reverse("bank_transfers:dashboard-list"),
        reverse("bank_transfers:dashboard-detail", kwargs={"pk": transfer.pk}),
        reverse("bank_transfers:dashboard-proof", kwargs={"pk": transfer.pk}),
    ]
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    assert client.post(urls[1], {"action": "confirm"}).status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.PROOF_UPLOADED


def test_queue_lists_proofs_to_review_with_amount_and_proof_link(transfer, reviewer, client):
    submit_proof(transfer=transfer, file=png_upload(), user=None)
    client.force_login(reviewer)
    response = client.get(reverse("bank_transfers:dashboard-list"))
    assert response.status_code == 200
    assert [t.pk for t in response.context["transfers"]] == [transfer.pk]
    html = response.content.decode()
    assert transfer.order.number in html
    assert transfer.order.email in html
    assert f"Rp 150.{transfer.unique_code:03d}" in html
    assert reverse("bank_transfers:dashboard-proof", kwargs={"pk": transfer.pk}) in html
    proof = client.get(reverse("bank_transfers:dashboard-proof", kwargs={"pk": transfer.pk}))
    assert proof.status_code == 200
    assert proof["Content-Type"] == "image/png"
    assert b"".join(proof.streaming_content).startswith(b"\x89PNG")


def test_reviewer_confirms_in_the_dashboard(transfer, reviewer, client, django_capture_on_commit_callbacks):
    submit_proof(transfer=transfer, file=png_upload(), user=None)
    client.force_login(reviewer)
    url = reverse("bank_transfers:dashboard-detail", kwargs={"pk": transfer.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "confirm"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("bank_transfers:dashboard-list")
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.CONFIRMED
    assert set(transfer.order.seller_orders.values_list("status", flat=True)) == {SellerOrderStatus.PAID}
    # a second click is refused with a message, not a second payment
    again = client.post(url, {"action": "confirm"}, follow=True)
    assert [m.level_tag for m in again.context["messages"]] == ["error"]
    assert transfer.events.filter(kind="confirmed").count() == 1


def test_reviewer_rejects_with_a_reason(transfer, reviewer, client):
    submit_proof(transfer=transfer, file=png_upload(), user=None)
    client.force_login(reviewer)
    url = reverse("bank_transfers:dashboard-detail", kwargs={"pk": transfer.pk})
    # without a reason: form error, nothing changes
    assert client.post(url, {"action": "reject", "reason": " "}).status_code == 400
    transfer.refresh_from_db()
    assert transfer.status == BankTransferStatus.PROOF_UPLOADED
    # with a reason
    assert client.post(url, {"action": "reject", "reason": "Nominal kurang Rp 100."}).status_code == 302
    transfer.refresh_from_db()
    assert (transfer.status, transfer.rejection_reason) == (
        BankTransferStatus.AWAITING_TRANSFER,
        "Nominal kurang Rp 100.",
    )
