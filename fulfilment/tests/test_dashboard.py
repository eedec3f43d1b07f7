"""The pesantren's order dashboard: only its own parts and lines, and each action."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bank_transfers.services import confirm_transfer, start_bank_transfer
from fulfilment.models import SellerOrderStatus
from fulfilment.services import order_payment_succeeded
from payouts.services import seller_balance
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

pytestmark = pytest.mark.django_db
S = SellerOrderStatus


@pytest.fixture
def shared_order():
    regions = make_region_tree()
    coffee = make_seller(name="Pesantren Kopi Cibiru", regions=regions)
    batik = make_seller(name="Pesantren Batik Garut", regions=regions)
    kopi = make_seller_product(coffee, title="Kopi Arabika", price="150000")
    kain = make_seller_product(batik, title="Kain Batik Rahasia", price="90000")
    order = place_order(items=[(kopi, 1), (kain, 1)], shipping_address=make_shipping_address(regions=regions))
    parts = {so.seller_id: so for so in order.seller_orders.all()}
    return {"order": order, "coffee": coffee, "batik": batik, "mine": parts[coffee.pk], "theirs": parts[batik.pk]}


def detail_url(seller_order):
    return reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": seller_order.pk})


def test_list_and_detail_show_only_the_pesantrens_own_part(client, shared_order):
    client.force_login(shared_order["coffee"].owner)

    listing = client.get(reverse("fulfilment-dashboard:seller-order-list"))
    detail = client.get(detail_url(shared_order["mine"]))

    assert [so.pk for so in listing.context["seller_orders"]] == [shared_order["mine"].pk]
    body = detail.content.decode()
    assert "Kopi Arabika" in body
    assert "Kain Batik Rahasia" not in body  # the other pesantren's line of the same order
    assert "Siti Aminah" in body  # the customer's shipping address
    assert client.get(detail_url(shared_order["theirs"])).status_code == 404
    response = client.post(detail_url(shared_order["theirs"]), {"action": "cancel", "reason": "x"})
    assert response.status_code == 404
    shared_order["theirs"].refresh_from_db()
    assert shared_order["theirs"].status == S.PENDING_PAYMENT


def test_users_without_a_pesantren_get_404(client, shared_order, django_user_model):
    client.force_login(django_user_model.objects.create_user("staf", "staf@example.com", "x", is_staff=True))

    assert client.get(reverse("fulfilment-dashboard:seller-order-list")).status_code == 404


def test_actions_walk_the_part_to_delivered_with_courier_and_tracking(client, shared_order):
    order_payment_succeeded(order_id=shared_order["order"].pk)
    mine = shared_order["mine"]
    client.force_login(shared_order["coffee"].owner)
    assert "wa.me/" in client.get(detail_url(mine)).content.decode()

    for data in ({"action": "accept"}, {"action": "pack"}):
        assert client.post(detail_url(mine), data).status_code == 302
    refused = client.post(detail_url(mine), {"action": "ship", "courier": "", "tracking_number": ""})
    assert refused.status_code == 400
    client.post(detail_url(mine), {"action": "ship", "courier": "SiCepat", "tracking_number": "SC123"})
    client.post(detail_url(mine), {"action": "deliver"})

    mine.refresh_from_db()
    assert (mine.status, mine.courier, mine.tracking_number) == (S.DELIVERED, "SiCepat", "SC123")
    assert [e.actor for e in mine.events.filter(to_status=S.SHIPPED)] == [shared_order["coffee"].owner]


def test_a_refused_transition_shows_the_reason_and_changes_nothing(client, shared_order):
    client.force_login(shared_order["coffee"].owner)

    response = client.post(detail_url(shared_order["mine"]), {"action": "deliver"})

    assert response.status_code == 409
    shared_order["mine"].refresh_from_db()
    assert shared_order["mine"].status == S.PENDING_PAYMENT


def test_cancelling_a_part_paid_by_bank_transfer_books_its_refund_for_finance(client, shared_order):
    transfer = start_bank_transfer(order=shared_order["order"])
    confirm_transfer(transfer=transfer, confirmed_by=None)
    mine = shared_order["mine"]
    client.force_login(shared_order["coffee"].owner)

    response = client.post(detail_url(mine), {"action": "cancel", "reason": "Kopi habis dipanen"})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == S.REFUNDED
    assert mine.refunded_amount == mine.total
    assert shared_order["mine"].seller.partner.stockrecords.get().num_allocated == 0
    assert seller_balance(seller=shared_order["coffee"]) == Decimal(0)
