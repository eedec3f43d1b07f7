"""Couriers end to end on real services: PostgreSQL, a Redis broker with a real Celery worker,
localstripe and the local Biteship server delivering webhooks to a live server.

Checkout with a chosen courier service per pesantren and its price → card paid → each pesantren
books its courier and prints the label → tracking webhooks (one pesantren's go quiet and beat's
poll on the worker catches up) → delivered → completed → ledgers credited, to the rupiah.
"""

import io
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from couriers.models import Shipment
from couriers.tasks import poll_quiet_shipments
from couriers.tests.test_booking_and_tracking import first_slot
from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.tasks import complete_delivered_orders
from payouts.services import seller_balance
from sellers.models import Seller
from tests.factories import make_region_tree, make_seller, make_seller_product, make_user
from tests.test_e2e_checkout import wait_until

S = SellerOrderStatus


@pytest.mark.django_db(transaction=True)
def test_chosen_couriers_from_checkout_to_delivered_parcels_and_exact_ledgers(
    live_server, localstripe, localbiteship, celery_worker_factory
):
    # given two pesantren (Bandung 40377, Garut), a buyer in Kabupaten Bandung (40111), webhooks to the site
    bandung = make_region_tree("32.04", "Kabupaten Bandung")
    garut = make_region_tree("32.05", "Kabupaten Garut")
    coffee = make_seller(name="Pesantren Kopi Cibiru", regions=bandung)
    batik = make_seller(name="Pesantren Batik Garut", regions=garut)
    Seller.objects.filter(pk=batik.pk).update(postal_code="44151")
    batik.refresh_from_db()
    kopi = make_seller_product(coffee, title="Kopi Arabika 250 g", price="150000", stock=10, weight_grams=350)
    batik_tulis = make_seller_product(batik, title="Batik Tulis Garut", price="37500", stock=5, weight_grams=400)
    localstripe.register_webhook(f"{live_server.url}{reverse('payments:webhook')}")
    localbiteship.send_webhooks_to(f"{live_server.url}{reverse('couriers:biteship-webhook')}")
    worker = celery_worker_factory(
        BITESHIP_API_URL=localbiteship.url,
        BITESHIP_API_KEY=localbiteship.api_key,
        BITESHIP_WEBHOOK_TOKEN=localbiteship.webhook_token,
    )
    client = Client()
    client.force_login(make_user("siti@example.com"))
    client.post(reverse("basket:add", kwargs={"pk": kopi.pk}), {"quantity": 2})  # 700 g
    client.post(reverse("basket:add", kwargs={"pk": batik_tulis.pk}), {"quantity": 3})  # 1.2 kg

    # when the buyer checks out choosing SiCepat BEST for the coffee and JNE Reguler for the batik
    response = client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": "Siti Aminah",
            "phone_number": "0812-3456-7890",
            "line1": "Jl. Merdeka No. 5",
            "province": bandung["province"].code,
            "kabupaten": bandung["kabupaten"].code,
            "kecamatan": bandung["kecamatan"][0].code,
            "desa": bandung["desa"][0].code,
            "postcode": "40111",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("checkout:shipping-method"))
    assert page.status_code == 200
    offered = {
        parcel["group"].seller.pk: {quote.key: quote.price for quote in parcel["options"]}
        for parcel in page.context["parcels"]
    }
    # 40377 → 40111 (band 1): SiCepat BEST 21.000 for 700 g; 44151 → 40111 (band 2): JNE REG 18.000 + 8.000
    assert offered[coffee.pk]["biteship:sicepat:best"] == 21000
    assert offered[batik.pk]["biteship:jne:reg"] == 26000
    response = client.post(
        reverse("checkout:shipping-method"),
        {f"courier-{coffee.pk}": "biteship:sicepat:best", f"courier-{batik.pk}": "biteship:jne:reg"},
    )
    assert response["Location"].endswith(reverse("checkout:payment-method"))
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content.decode()[:2000]
    number = response["Location"].rstrip("/").rsplit("/", 1)[-1]

    # then each part is charged exactly its courier's price
    parts = {so.seller_id: so for so in SellerOrder.objects.filter(order__number=number)}
    order = parts[coffee.pk].order
    assert (parts[coffee.pk].shipping_charge, parts[batik.pk].shipping_charge) == (Decimal(21000), Decimal(26000))
    assert order.total_incl_tax == Decimal(300000 + 112500 + 21000 + 26000)

    # when the card is paid, localstripe's webhook marks the order paid
    payment_method = localstripe.create_payment_method("4242424242424242")
    response = client.post(
        reverse("checkout:pay", kwargs={"order_number": number}),
        data=json.dumps({"payment_method_id": payment_method}),
        content_type="application/json",
    )
    assert response.json()["status"] == "succeeded"
    wait_until(lambda: SellerOrder.objects.filter(order=order, status=S.PAID).count() == 2, message="payment webhook")

    # when each pesantren accepts, books its courier and prints the label
    waybills = {}
    for seller in (coffee, batik):
        staff = Client()
        staff.force_login(seller.owner)
        part = parts[seller.pk]
        detail = reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": part.pk})
        assert staff.post(detail, {"action": "accept"}).status_code == 302
        response = staff.post(
            reverse("couriers-dashboard:book", kwargs={"pk": part.pk}),
            {"collection_method": "pickup", "pickup_slot": first_slot(part)},
        )
        assert response.status_code == 302
        shipment = Shipment.objects.get(seller_order=part)
        waybills[seller.pk] = shipment.waybill_id
        label = staff.get(reverse("couriers-dashboard:labels") + f"?seller_order={part.pk}")
        assert label["Content-Type"] == "application/pdf"
        assert shipment.waybill_id in PdfReader(io.BytesIO(label.content)).pages[0].extract_text()
    assert SellerOrder.objects.filter(order=order, status=S.PACKED).count() == 2

    # when the coffee's courier reports each step by webhook (to the live server)
    coffee_shipment = Shipment.objects.get(seller_order=parts[coffee.pk])
    for _ in range(3):  # allocated, picking_up, picked
        assert localbiteship.advance(coffee_shipment.provider_order_id)["webhook_status"] == 200
    assert SellerOrder.objects.get(pk=parts[coffee.pk].pk).status == S.SHIPPED
    for _ in range(2):  # dropping_off, delivered
        assert localbiteship.advance(coffee_shipment.provider_order_id)["webhook_status"] == 200
    assert SellerOrder.objects.get(pk=parts[coffee.pk].pk).status == S.DELIVERED
    # and a redelivered webhook changes nothing
    events = SellerOrder.objects.get(pk=parts[coffee.pk].pk).events.count()
    assert localbiteship.replay(coffee_shipment.provider_order_id, index=2)["webhook_status"] == 200  # "picked"
    assert SellerOrder.objects.get(pk=parts[coffee.pk].pk).events.count() == events

    # when the batik's courier delivers but its webhooks never arrive, beat's poll on the worker catches up
    batik_shipment = Shipment.objects.get(seller_order=parts[batik.pk])
    localbiteship.advance(batik_shipment.provider_order_id, "picked", webhook=False)
    localbiteship.advance(batik_shipment.provider_order_id, "delivered", webhook=False)
    Shipment.objects.filter(pk=batik_shipment.pk).update(last_event_at=timezone.now() - timedelta(days=1))
    poll_quiet_shipments.delay()
    wait_until(
        lambda: SellerOrder.objects.get(pk=parts[batik.pk].pk).status == S.DELIVERED, message="poll of quiet shipment"
    )
    batik_part = SellerOrder.objects.get(pk=parts[batik.pk].pk)
    assert (batik_part.courier, batik_part.tracking_number) == ("JNE REG", waybills[batik.pk])

    # then the buyer sees both parcels' tracking
    page = client.get(reverse("customer:order", kwargs={"order_number": number})).content.decode()
    assert waybills[coffee.pk] in page and waybills[batik.pk] in page
    assert page.count('data-status="delivered"') >= 2

    # and after the delivery window both parts complete on the worker and the ledgers are exact
    SellerOrder.objects.filter(order=order).update(delivered_at=timezone.now() - timedelta(days=10))
    complete_delivered_orders.delay()
    wait_until(lambda: SellerOrder.objects.filter(order=order, status=S.COMPLETED).count() == 2, message="completion")
    order.refresh_from_db()
    assert order.status == "Completed"
    assert seller_balance(seller=coffee) == Decimal(300000 - 15000 + 21000)
    commission = parts[batik.pk].commission
    assert seller_balance(seller=batik) == Decimal(112500) - commission + Decimal(26000)
    assert worker.process.poll() is None
