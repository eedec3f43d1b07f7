"""The pesantren access layer: one resolver, owner-only settings, and a suspended pesantren's read-only dashboard."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from fulfilment.models import SellerOrderStatus
from fulfilment.services import order_payment_succeeded
from sellers.access import seller_for_user, seller_role
from sellers.models import SellerEvent, SellerEventKind, SellerStatus
from sellers.services import mask_account_number, seller_bank_account_change, seller_suspend
from sellers.team_models import TeamMembership, TeamRole
from tests.factories import (
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)

pytestmark = pytest.mark.django_db

BANK = {"bank_name": "BSI", "bank_account_number": "7001234567", "bank_account_holder": "Pondok Alfa"}


@pytest.fixture
def regions():
    return make_region_tree()


@pytest.fixture
def seller(regions):
    return make_seller(name="Pesantren Alfa", regions=regions, **BANK)


def add_member(seller, *, role=TeamRole.STAFF, email=None):
    user = make_user(email=email)
    TeamMembership.objects.create(seller=seller, user=user, role=role)
    seller.partner.users.add(user)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="partner", codename="dashboard_access"))
    return user


def test_one_resolver_the_oldest_verified_or_suspended_pesantren_of_the_user(regions):
    # given: an old account in two pesantren's partner staff, and one whose pesantren was rejected
    first = make_seller(regions=regions)
    second = make_seller(regions=regions)
    second.partner.users.add(first.owner)
    rejected = make_seller(regions=regions)
    rejected.status = SellerStatus.REJECTED
    rejected.save()

    # then
    assert seller_for_user(user=first.owner) == first
    assert seller_for_user(user=second.owner) == second
    assert seller_for_user(user=rejected.owner) is None
    seller_suspend(seller=first, suspended_by=None, reason="Audit")
    assert seller_for_user(user=make_user()) is None
    fresh_owner = type(first.owner).objects.get(pk=first.owner_id)
    assert seller_for_user(user=fresh_owner) == first  # suspended: still its dashboard, read-only


def test_roles_owner_staff_and_stranger(seller):
    staff = add_member(seller)
    co_owner = add_member(seller, role=TeamRole.OWNER)

    assert seller_role(seller=seller, user=seller.owner) == TeamRole.OWNER
    assert seller_role(seller=seller, user=co_owner) == TeamRole.OWNER
    assert seller_role(seller=seller, user=staff) == TeamRole.STAFF
    assert seller_role(seller=seller, user=make_user()) is None


def test_the_profile_form_has_no_bank_fields_and_ignores_them_for_staff(client, seller):
    staff = add_member(seller)
    client.force_login(staff)

    page = client.get(reverse("dashboard:seller-profile")).content.decode()
    response = client.post(
        reverse("dashboard:seller-profile"),
        {
            "name": "Pesantren Alfa",
            "contact_name": "Staf",
            "whatsapp": "6281234567890",
            "bank_name": "Bank Lain",
            "bank_account_number": "1111222233",
            "bank_account_holder": "Orang Lain",
        },
    )

    assert 'name="bank_account_number"' not in page
    assert response.status_code == 302
    seller.refresh_from_db()
    assert (seller.contact_name, seller.bank_account_number, seller.bank_name) == ("Staf", "7001234567", "BSI")
    assert not SellerEvent.objects.filter(kind=SellerEventKind.BANK_ACCOUNT).exists()


def test_staff_cannot_open_or_post_the_bank_account_page_nor_call_the_service(client, seller):
    staff = add_member(seller)
    client.force_login(staff)
    url = reverse("dashboard:seller-bank-account")
    new = {"bank_name": "Bank Lain", "bank_account_number": "1111222233", "bank_account_holder": "Orang Lain"}

    assert client.get(url).status_code == 403
    assert client.post(url, new).status_code == 403
    with pytest.raises(PermissionDenied):
        seller_bank_account_change(seller=seller, changed_by=staff, **new)
    seller.refresh_from_db()
    assert seller.bank_account_number == "7001234567"
    assert not SellerEvent.objects.filter(kind=SellerEventKind.BANK_ACCOUNT).exists()
    assert mail.outbox == []


def test_an_owner_changing_the_bank_account_is_recorded_and_every_owner_is_mailed(
    client, seller, django_capture_on_commit_callbacks
):
    # given
    co_owner = add_member(seller, role=TeamRole.OWNER, email="pemilik2@example.com")
    add_member(seller, email="staf@example.com")
    client.force_login(co_owner)

    # when
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboard:seller-bank-account"),
            {"bank_name": "BRI", "bank_account_number": "0987-6543-21", "bank_account_holder": "Yayasan Alfa"},
        )

    # then
    assert response.status_code == 302
    seller.refresh_from_db()
    assert (seller.bank_name, seller.bank_account_number, seller.bank_account_holder) == (
        "BRI",
        "0987654321",
        "Yayasan Alfa",
    )
    event = SellerEvent.objects.get(kind=SellerEventKind.BANK_ACCOUNT)
    assert (event.actor, event.to_status, event.from_status) == (co_owner, SellerStatus.VERIFIED, SellerStatus.VERIFIED)
    assert "••••••4567" in event.note and "••••••4321" in event.note
    assert "7001234567" not in event.note and "0987654321" not in event.note
    assert event.notified_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([seller.owner.email, "pemilik2@example.com"])
    assert "staf@example.com" not in message.to
    assert "Pesantren Alfa" in message.subject
    assert "••••••4321" in message.body and "0987654321" not in message.body
    assert co_owner.email in message.body
    assert seller.status == SellerStatus.VERIFIED  # a bank change leaves the status alone


def test_the_bank_email_task_is_idempotent_and_an_unchanged_account_is_no_event(
    seller, django_capture_on_commit_callbacks
):
    from sellers.tasks import send_bank_account_changed_email

    with django_capture_on_commit_callbacks(execute=True):
        assert seller_bank_account_change(seller=seller, changed_by=seller.owner, **BANK) is None
        event = seller_bank_account_change(
            seller=seller, changed_by=seller.owner, bank_name="BNI", bank_account_number="55", bank_account_holder="X"
        )
    send_bank_account_changed_email(event.pk)
    send_bank_account_changed_email(event.pk + 999)

    assert SellerEvent.objects.filter(kind=SellerEventKind.BANK_ACCOUNT).count() == 1
    assert len(mail.outbox) == 1
    assert mask_account_number("55") == "••"


@pytest.fixture
def suspended(seller, regions):
    product = make_seller_product(seller, title="Keripik Alfa", price="50000")
    order = place_order(items=[(product, 1)], shipping_address=make_shipping_address(regions=regions))
    order_payment_succeeded(order_id=order.pk)
    seller_suspend(seller=seller, suspended_by=None, reason="Izin edar kedaluwarsa")
    seller.refresh_from_db()
    return {"seller": seller, "product": product, "part": order.seller_orders.get()}


def test_a_suspended_pesantren_sees_its_pages_with_a_banner(client, suspended):
    seller = suspended["seller"]
    client.force_login(seller.owner)
    pages = [
        reverse("dashboard:index"),
        reverse("dashboard:catalogue-product-list"),
        reverse("dashboard:catalogue-product", kwargs={"pk": suspended["product"].pk}),
        reverse("dashboard:seller-profile"),
        reverse("dashboard:seller-bank-account"),
        reverse("dashboard:team"),
        reverse("fulfilment-dashboard:seller-order-list"),
        reverse("shipping-dashboard:rates"),
        reverse("wholesale:stockrecord-list"),
        reverse("quotes-dashboard:rfq-list"),
        reverse("ratings-dashboard:seller-review-list"),
        reverse("payouts-dashboard:seller-ledger", kwargs={"seller_pk": seller.pk}),
    ]

    with translation.override("id"):
        responses = {page: client.get(page) for page in pages}

    for page, response in responses.items():
        body = response.content.decode()
        assert response.status_code == 200, page
        assert 'id="pesantren-suspended-banner"' in body, page
        assert "Izin edar kedaluwarsa" in body, page


def test_a_verified_pesantren_has_no_banner(client, seller):
    client.force_login(seller.owner)

    assert "pesantren-suspended-banner" not in client.get(reverse("dashboard:index")).content.decode()


def test_a_suspended_pesantren_cannot_change_anything_but_fulfils_orders_already_placed(client, suspended):
    # given
    seller, product, part = suspended["seller"], suspended["product"], suspended["part"]
    record = product.stockrecords.get()
    client.force_login(seller.owner)
    writes = [
        (reverse("dashboard:seller-profile"), {"name": "Ganti Nama", "contact_name": "X", "whatsapp": "6281234567890"}),
        (reverse("dashboard:seller-bank-account"), {**BANK, "bank_account_number": "1111222233"}),
        (reverse("dashboard:team"), {"email": "baru@example.com", "role": "staff"}),
        (reverse("shipping-dashboard:rates"), {}),
        (reverse("wholesale:stockrecord-wholesale", kwargs={"pk": record.pk}), {"moq": "5"}),
        (reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}), {"title": "Ganti"}),
        (reverse("dashboard:catalogue-product-delete", kwargs={"pk": product.pk}), {}),
        (reverse("dashboard:product-import"), {}),
    ]

    # when
    with translation.override("en"):
        refused = [client.post(url, data) for url, data in writes]
        accepted = client.post(
            reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": part.pk}), {"action": "accept"}
        )

    # then
    for (url, _data), response in zip(writes, refused, strict=True):
        assert response.status_code == 403, url
        assert "hanya bisa dilihat" in response.content.decode(), url
    seller.refresh_from_db()
    product.refresh_from_db()
    assert (seller.name, seller.bank_account_number) == ("Pesantren Alfa", "7001234567")
    assert product.title == "Keripik Alfa"
    assert not seller.team_invitations.exists()
    assert accepted.status_code == 302
    part.refresh_from_db()
    assert part.status == SellerOrderStatus.ACCEPTED
    # signing out still works
    assert client.post(reverse("dashboard:logout")).status_code == 302
