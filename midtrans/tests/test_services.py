"""Charges against the local Midtrans server without a worker (tasks run eagerly in the test settings)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from midtrans.client import MidtransUnavailable
from midtrans.models import ChargeStatus, MidtransCharge
from midtrans.services import start_order_charge
from midtrans.tasks import reconcile_midtrans_charges
from tests.factories import (
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def order(settings):
    settings.MARKETPLACE_MIDTRANS_PAYMENTS = True
    regions = make_region_tree()
    product = make_seller_product(make_seller(regions=regions), price="50000", stock=5)
    return place_order(items=[(product, 2)], shipping_address=make_shipping_address(regions=regions), user=make_user())


def test_a_reload_shows_the_same_va_and_another_method_cancels_it_first(localmidtrans, order):
    first = start_order_charge(order=order, method_code="bri_va")
    again = start_order_charge(order=order, method_code="bri_va")
    assert again.pk == first.pk and first.va_number

    qris = start_order_charge(order=order, method_code="qris")

    first.refresh_from_db()
    assert first.status == ChargeStatus.CANCEL
    assert localmidtrans.transaction(first.midtrans_order_id)["transaction_status"] == "cancel"
    assert (qris.attempt, qris.midtrans_order_id, qris.status) == (2, f"{order.number}-2", "pending")
    order.refresh_from_db()
    assert order.status == "Pending payment"  # a cancelled charge is not an expired order


def test_a_lost_notification_is_caught_by_the_reconcile_task(localmidtrans, order):
    charge = start_order_charge(order=order, method_code="permata_va")
    localmidtrans.settle(charge.midtrans_order_id)  # no notification URL: nothing reaches us
    charge.refresh_from_db()
    assert charge.status == ChargeStatus.PENDING

    assert reconcile_midtrans_charges(older_than_minutes=0) == 1

    charge.refresh_from_db()
    order.refresh_from_db()
    assert charge.status == ChargeStatus.SETTLEMENT and order.status == "Paid"
    assert charge.fee == Decimal(4000)
    assert reconcile_midtrans_charges(older_than_minutes=0) == 0


def test_midtrans_down_leaves_no_charge_and_the_page_offers_to_try_again(client, settings, order):
    settings.MIDTRANS_API_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.MIDTRANS_TIMEOUT_SECONDS = 1

    with pytest.raises(MidtransUnavailable):
        start_order_charge(order=order, method_code="bca_va")

    assert not MidtransCharge.objects.exists()
    client.force_login(order.user)
    page = client.get(reverse("midtrans:order-pay", kwargs={"order_number": order.number})).content.decode()
    assert 'id="midtrans-method-form"' in page and 'value="bca_va"' in page


def test_someone_else_cannot_see_an_orders_payment_page(client, localmidtrans, order):
    start_order_charge(order=order, method_code="bca_va")
    client.force_login(make_user())
    assert client.get(reverse("midtrans:order-pay", kwargs={"order_number": order.number})).status_code == 404
    assert client.get(reverse("midtrans:order-status", kwargs={"order_number": order.number})).status_code == 404


def test_a_refused_gopay_payment_leaves_the_order_waiting_and_the_buyer_tries_again(client, localmidtrans, order):
    first = start_order_charge(order=order, method_code="gopay")
    localmidtrans.deny(first.midtrans_order_id)  # the buyer's GoPay refused it
    reconcile_midtrans_charges(older_than_minutes=0)  # (no notification URL in this test: the beat task finds it)
    first.refresh_from_db()
    order.refresh_from_db()
    assert first.status == ChargeStatus.DENY and order.status == "Pending payment"

    client.force_login(order.user)
    url = reverse("midtrans:order-pay", kwargs={"order_number": order.number})
    page = client.get(url).content.decode()
    assert 'id="charge-closed"' in page and 'id="midtrans-method-form"' in page
    response = client.post(url, {"method": "shopeepay"})

    assert response.status_code == 302
    second = MidtransCharge.objects.get(order=order, attempt=2)
    assert (second.midtrans_order_id, second.method, second.status) == (f"{order.number}-2", "shopeepay", "pending")
    assert second.deeplink_url and second.deeplink_url in client.get(url).content.decode()
    assert client.post(url, {"method": "not-a-method"}).status_code == 302
    assert MidtransCharge.objects.filter(order=order).count() == 2
