"""Pesantren onboarding: apply → review (approve, reject, ask for changes) → storefront live."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sellers.models import Seller, SellerDocument, SellerEvent, SellerStatus
from tests.factories import make_region_tree, make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="nspp.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def regions():
    return make_region_tree()


@pytest.fixture
def reviewer(django_user_model):
    from django.contrib.auth.models import Permission

    user = make_user("program@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="review_seller"))
    return user


def application_data(regions, **overrides):
    data = {
        "account-account_email": "santri@example.com",
        "account-password1": "Bismillah-2026",
        "account-password2": "Bismillah-2026",
        "name": "Pondok Pesantren Al-Falah Cicalengka",
        "nspp": "5100 3204 0042",
        "sector": "food",
        "tagline": "Keripik dan kopi dari Cicalengka",
        "story": "Santri kami mengolah singkong dan kopi sejak 2015.",
        "address_line": "Jl. Raya Cicalengka No. 12",
        "kabupaten": regions["kabupaten"].code,
        "kecamatan": regions["kecamatan"][0].code,
        "desa": regions["desa"][0].code,
        "postal_code": "40395",
        "contact_name": "Ustadz Hasan",
        "whatsapp": "0812-3456-7890",
        "email": "alfalah@example.com",
        "bank_name": "BSI",
        "bank_account_number": "7123456789",
        "bank_account_holder": "Yayasan Al-Falah",
        "nspp_certificate": pdf(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture(autouse=True)
def _run_on_commit_callbacks(django_capture_on_commit_callbacks, monkeypatch):
    """Test transactions never commit; run the emails queued on commit as the request ends."""
    import tests.test_onboarding as module

    monkeypatch.setattr(module, "on_commit", lambda: django_capture_on_commit_callbacks(execute=True))


on_commit = None


def apply(client, regions, **overrides):
    with on_commit():
        return client.post(reverse("sellers:apply"), application_data(regions, **overrides))


def review(client, reviewer, seller, decision, reason=""):
    client.force_login(reviewer)
    with on_commit():
        return client.post(
            reverse("sellers-dashboard:seller-review", args=[seller.pk]),
            {"action": "decide", "decision": decision, "reason": reason},
        )


def test_application_to_live_storefront_and_scoped_dashboard(client, regions, reviewer):
    # given a pesantren that applies from the public form, creating its account
    response = apply(client, regions)
    assert response.status_code == 302, response.content.decode()[:2000]
    seller = Seller.objects.get()
    assert seller.status == SellerStatus.APPLIED
    assert seller.nspp == "510032040042"
    assert seller.whatsapp == "6281234567890"
    assert seller.province.code == "32"
    assert seller.owner.email == "santri@example.com"
    document = SellerDocument.objects.get(seller=seller)
    assert document.content_type == "application/pdf"
    assert mail.outbox[-1].to == ["alfalah@example.com"]
    assert client.get(seller.get_absolute_url()).status_code == 404  # not live before verification

    # when programme staff approve it
    response = review(client, reviewer, seller, "approve")

    # then its partner exists, it is live, and the applicant was told
    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.status == SellerStatus.VERIFIED
    assert seller.partner is not None
    assert list(seller.partner.users.all()) == [seller.owner]
    assert seller.owner.has_perm("partner.dashboard_access")
    assert "live" in mail.outbox[-1].subject.lower() or seller.name in mail.outbox[-1].subject
    event = seller.events.order_by("-pk").first()
    assert (event.from_status, event.to_status, event.actor) == ("applied", "verified", reviewer)
    client.logout()
    storefront = client.get(seller.get_absolute_url())
    assert storefront.status_code == 200
    assert seller.name in storefront.content.decode()

    # and the pesantren user's dashboard lists only its own products
    own = make_seller_product(seller, title="Keripik Singkong Al-Falah")
    other_seller = make_seller(regions=regions)
    other = make_seller_product(other_seller, title="Kopi Tetangga Sebelah")
    client.force_login(seller.owner)
    page = client.get(reverse("dashboard:catalogue-product-list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert own.title in body
    assert other.title not in body
    assert client.get(reverse("dashboard:catalogue-product", args=[other.pk])).status_code == 404


def test_rejection_records_reason_and_emails_applicant(client, regions, reviewer):
    apply(client, regions)
    seller = Seller.objects.get()

    response = review(client, reviewer, seller, "reject", reason="NSPP tidak terdaftar di EMIS.")

    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.status == SellerStatus.REJECTED
    assert seller.status_reason == "NSPP tidak terdaftar di EMIS."
    assert seller.partner is None
    assert "NSPP tidak terdaftar di EMIS." in mail.outbox[-1].body
    assert client.get(seller.get_absolute_url()).status_code == 404


def test_reject_without_reason_is_refused(client, regions, reviewer):
    apply(client, regions)
    seller = Seller.objects.get()

    response = review(client, reviewer, seller, "reject", reason="  ")

    assert response.status_code == 400
    seller.refresh_from_db()
    assert seller.status == SellerStatus.APPLIED


def test_ask_for_changes_then_resubmit_then_approve(client, regions, reviewer):
    apply(client, regions)
    seller = Seller.objects.get()
    applicant = seller.owner

    review(client, reviewer, seller, "request_changes", reason="Unggah sertifikat NSPP yang terbaca.")
    seller.refresh_from_db()
    assert seller.status == SellerStatus.CHANGES_REQUESTED
    assert "Unggah sertifikat NSPP yang terbaca." in mail.outbox[-1].body

    # the applicant sees the request and corrects the application
    client.force_login(applicant)
    status_page = client.get(reverse("sellers:application-status"))
    assert "Unggah sertifikat NSPP yang terbaca." in status_page.content.decode()
    data = application_data(regions, nspp_certificate=pdf("nspp-jelas.pdf"), tagline="Slogan baru")
    response = client.post(reverse("sellers:application-status"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    seller.refresh_from_db()
    assert seller.status == SellerStatus.APPLIED
    assert seller.tagline == "Slogan baru"
    assert seller.documents.count() == 2

    review(client, reviewer, seller, "approve")
    seller.refresh_from_db()
    assert seller.status == SellerStatus.VERIFIED
    assert [e.to_status for e in SellerEvent.objects.filter(seller=seller)] == [
        "applied",
        "changes_requested",
        "applied",
        "verified",
    ]


def _assert_nothing_created():
    assert Seller.objects.count() == 0
    assert SellerDocument.objects.count() == 0
    assert not get_user_model().objects.filter(email="santri@example.com").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nspp": "1234"}, "nspp", "12"),
        (
            {"nspp_certificate": SimpleUploadedFile("nspp.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
            "nspp_certificate",
            "PDF",
        ),
        ({"whatsapp": "12345"}, "whatsapp", "WhatsApp"),
        ({"nspp_certificate": None}, "nspp_certificate", ""),
    ],
)
def test_bad_application_input_gives_field_errors_and_creates_nothing(client, regions, overrides, field, message):
    response = apply(client, regions, **overrides)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    _assert_nothing_created()


def test_oversize_document_is_refused(client, regions, settings):
    settings.MARKETPLACE_APPLICATION_DOCUMENT_MAX_BYTES = 1024

    response = apply(client, regions, nspp_certificate=pdf(content=PDF_BYTES + b"0" * 2048))

    assert response.status_code == 400
    assert "nspp_certificate" in response.context["form"].errors
    _assert_nothing_created()


def test_duplicate_nspp_is_refused(client, regions):
    make_seller(regions=regions, nspp="510032040042")
    sellers_before = Seller.objects.count()

    response = apply(client, regions, nspp="510032040042")

    assert response.status_code == 400
    assert "nspp" in response.context["form"].errors
    assert Seller.objects.count() == sellers_before
    assert not get_user_model().objects.filter(email="santri@example.com").exists()


def test_kecamatan_outside_the_chosen_kabupaten_is_refused(client, regions):
    elsewhere = make_region_tree(kabupaten_code="32.73", kabupaten_name="Kota Bandung")

    response = apply(client, regions, kecamatan=elsewhere["kecamatan"][0].code, desa=None)

    assert response.status_code == 400
    assert "kecamatan" in response.context["form"].errors
    _assert_nothing_created()


def test_refresh_regions_without_javascript_saves_nothing(client, regions):
    response = client.post(
        reverse("sellers:apply"), {"kabupaten": regions["kabupaten"].code, "refresh_regions": "1", "name": "PP Uji"}
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert regions["kecamatan"][0].name in body
    _assert_nothing_created()


def test_review_pages_need_the_review_permission(client, regions):
    seller = make_seller(status=SellerStatus.APPLIED, regions=regions)
    client.force_login(make_user(is_staff=True))

    assert client.get(reverse("sellers-dashboard:application-list")).status_code == 403
    assert (
        client.post(
            reverse("sellers-dashboard:seller-review", args=[seller.pk]), {"action": "decide", "decision": "approve"}
        ).status_code
        == 403
    )
    seller.refresh_from_db()
    assert seller.status == SellerStatus.APPLIED
