"""The whole journey on real services: PostgreSQL, a Redis broker with a real Celery worker, and
localstripe delivering signed webhooks to a live server.

Basket from two pesantren → checkout → card PaymentIntent → webhook → paid → two SellerOrders,
both pesantren notified → each ships → delivered → completed → ledgers credited, to the rupiah.
"""

import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.tasks import complete_delivered_orders
from payments.stripe_api import retrieve_payment_intent
from payouts.services import seller_balance
from tests.factories import make_region_tree, make_seller, make_seller_product, make_user

S = SellerOrderStatus


def wait_until(condition, timeout: float = 60, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {message}")


def checkout_to_placed_order(client: Client, regions: dict) -> str:
    """Walk Oscar's checkout as a signed-in customer; returns the order number."""
    response = client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": "Siti Aminah",
            "phone_number": "0812-3456-7890",
            "line1": "Jl. Merdeka No. 5",
            "province": regions["province"].code,
            "kabupaten": regions["kabupaten"].code,
            "kecamatan": regions["kecamatan"][0].code,
            "desa": regions["desa"][0].code,
            "postcode": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.get(reverse("checkout:shipping-method"), follow=True)
    assert response.redirect_chain[-1][0].endswith(reverse("checkout:payment-method"))
    response = client.post(reverse("checkout:payment-method"), {"method": "card"})
    assert response["Location"].endswith(reverse("checkout:preview"))
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "/bayar/" in response["Location"]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.django_db(transaction=True)
def test_basket_from_two_pesantren_to_completed_orders_and_credited_ledgers(
    live_server, localstripe, celery_worker_factory
):
    # given two pesantren, a customer in Kabupaten Bandung, and Stripe webhooks to our live server
    bandung = make_region_tree("32.04", "Kabupaten Bandung")
    garut = make_region_tree("32.05", "Kabupaten Garut")
    coffee = make_seller(name="Pesantren Kopi Cibiru", regions=bandung)
    batik = make_seller(name="Pesantren Batik Garut", regions=garut, commission_rate=Decimal("0.0750"))
    kopi = make_seller_product(coffee, title="Kopi Arabika 250 g", price="150000", stock=10, weight_grams=350)
    batik_tulis = make_seller_product(batik, title="Batik Tulis Garut", price="37500", stock=5, weight_grams=400)
    localstripe.register_webhook(f"{live_server.url}{reverse('payments:webhook')}")
    worker = celery_worker_factory()
    customer = make_user("siti@example.com")
    client = Client()
    client.force_login(customer)

    # when the customer fills one basket from both and checks out
    client.post(reverse("basket:add", kwargs={"pk": kopi.pk}), {"quantity": 2})
    client.post(reverse("basket:add", kwargs={"pk": batik_tulis.pk}), {"quantity": 3})
    basket_page = client.get(reverse("basket:summary")).content.decode()
    assert "Pesantren Kopi Cibiru" in basket_page and "Pesantren Batik Garut" in basket_page
    number = checkout_to_placed_order(client, bandung)

    # then the order waits for payment, split into one part per pesantren, exact to the rupiah
    parts = {so.seller_id: so for so in SellerOrder.objects.filter(order__number=number)}
    order = parts[coffee.pk].order
    assert order.status == "Pending payment"
    assert (parts[coffee.pk].subtotal, parts[coffee.pk].shipping_charge, parts[coffee.pk].commission) == (
        Decimal(300000),
        Decimal(10000),
        Decimal(15000),
    )
    assert (parts[batik.pk].subtotal, parts[batik.pk].shipping_charge, parts[batik.pk].commission) == (
        Decimal(112500),
        Decimal(23000),
        Decimal(8438),
    )
    assert order.total_incl_tax == Decimal(445500)

    # when the card is paid on the payment page (Stripe.js makes the PaymentMethod)
    payment_method = localstripe.create_payment_method("4242424242424242")
    response = client.post(
        reverse("checkout:pay", kwargs={"order_number": number}),
        data=json.dumps({"payment_method_id": payment_method}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "succeeded"
    assert SellerOrder.objects.filter(order=order, status=S.PAID).count() == 0  # the redirect never pays

    # then localstripe's signed webhook marks it paid, and the worker notifies both pesantren and the customer
    wait_until(lambda: SellerOrder.objects.filter(order=order, status=S.PAID).count() == 2, message="payment webhook")
    order.refresh_from_db()
    assert order.status == "Paid"
    intent = retrieve_payment_intent(order.card_payments.get().payment_intent_id)
    assert (intent.amount, intent.currency) == (44550000, "idr")

    def payment_emails():
        # The pesantren's approval emails went out through the worker too; keep this order's.
        found = [mail for mail in worker.messages() if number in mail]
        return found if len(found) >= 3 else None

    emails = wait_until(payment_emails, message="payment emails")
    recipients = sorted(line[4:] for mail in emails for line in mail.splitlines() if line.startswith("To: "))
    assert recipients == sorted([coffee.owner.email, batik.owner.email, "siti@example.com"])

    # when each pesantren accepts, packs, ships and marks delivered from its own dashboard
    for seller in (coffee, batik):
        staff = Client()
        staff.force_login(seller.owner)
        url = reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": parts[seller.pk].pk})
        for action in ("accept", "pack"):
            assert staff.post(url, {"action": action}).status_code == 302
        staff.post(url, {"action": "ship", "courier": "JNE", "tracking_number": f"JNE{seller.pk:08d}"})
        assert staff.post(url, {"action": "deliver"}).status_code == 302
    SellerOrder.objects.filter(order=order).update(delivered_at=timezone.now() - timedelta(days=10))

    # then the beat job completes both parts on the worker and credits each ledger
    complete_delivered_orders.delay()
    wait_until(lambda: SellerOrder.objects.filter(order=order, status=S.COMPLETED).count() == 2, message="completion")
    order.refresh_from_db()
    assert order.status == "Completed"
    assert seller_balance(seller=coffee) == Decimal(295000)  # 300.000 − 15.000 + 10.000
    assert seller_balance(seller=batik) == Decimal(127062)  # 112.500 − 8.438 + 23.000
    assert client.get(reverse("customer:order", kwargs={"order_number": number})).status_code == 200
