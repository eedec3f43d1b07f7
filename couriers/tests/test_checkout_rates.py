"""Courier rates at checkout: each pesantren's couriers, the buyer's choice charged exactly, and the fallback."""

import time
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from couriers.models import SellerCourierSettings
from couriers.providers.base import ProviderRejected
from couriers.providers.biteship import BiteshipProvider
from fulfilment.models import SellerOrder
from shipping.models import ShippingChoice
from tests.factories import make_region_tree, make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    bandung = make_region_tree("32.04", "Kabupaten Bandung")
    garut = make_region_tree("32.05", "Kabupaten Garut")
    kopi_seller = make_seller(name="Pesantren Kopi Cibiru", regions=bandung)  # postal code 40377
    batik_seller = make_seller(name="Pesantren Batik Garut", regions=garut)
    SellerCourierSettings.objects.create(seller=kopi_seller, couriers=["jne", "sicepat"])
    return {
        "regions": bandung,
        "kopi_seller": kopi_seller,
        "batik_seller": batik_seller,
        "kopi": make_seller_product(kopi_seller, title="Kopi Arabika", price="150000", weight_grams=1200),
        "batik": make_seller_product(batik_seller, title="Batik Tulis", price="37500", weight_grams=400),
    }


def to_shipping_step(client: Client, world, postcode: str = "40111", **extra):
    regions = world["regions"]
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
            "postcode": postcode,
            **extra,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(reverse("checkout:shipping-method"))


def signed_in_with_basket(world, *products) -> Client:
    client = Client()
    client.force_login(make_user())
    for product, quantity in products:
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    return client


def test_the_local_server_prices_by_courier_service_weight_and_distance(localbiteship):
    provider = BiteshipProvider.from_settings()
    item = [{"name": "Kopi", "value": 150000, "weight": 1200, "quantity": 1}]

    # 40377 → 40111 share "40": band 1; 1.2 kg is two started kilograms
    quotes = provider.quotes(
        origin_postal_code="40377", destination_postal_code="40111", couriers=["jne", "sicepat"], items=item
    )
    by_key = {(quote.courier_code, quote.service_code): quote for quote in quotes}
    assert set(by_key) == {("jne", "reg"), ("jne", "yes"), ("jne", "oke"), ("sicepat", "reg"), ("sicepat", "best")}
    assert by_key["sicepat", "best"].price == 21000 + 14000
    assert by_key["jne", "reg"].price == 11000 + 8000
    assert by_key["jne", "reg"].etd == "2 - 3"
    assert [quote.price for quote in quotes] == sorted(quote.price for quote in quotes)

    # farther costs more; the same request gives the same prices
    far = provider.quotes(origin_postal_code="40377", destination_postal_code="90111", couriers=["jne"], items=item)
    assert {q.service_code: q.price for q in far}["reg"] == 32000 + 8000
    again = provider.quotes(
        origin_postal_code="40377", destination_postal_code="40111", couriers=["jne", "sicepat"], items=item
    )
    assert again == quotes


def test_a_wrong_api_key_is_refused(localbiteship, settings):
    settings.BITESHIP_API_KEY = "wrong"
    with pytest.raises(ProviderRejected, match="invalid API key"):
        BiteshipProvider.from_settings().quotes(
            origin_postal_code="40377", destination_postal_code="40111", couriers=["jne"], items=[{"weight": 100}]
        )


def test_the_buyer_chooses_a_courier_per_pesantren_and_is_charged_exactly_that(localbiteship, world):
    client = signed_in_with_basket(world, (world["kopi"], 1), (world["batik"], 2))

    # when the buyer reaches the shipping step
    response = to_shipping_step(client, world)

    # then each pesantren's parcel offers only the couriers that pesantren chose, with prices and days
    assert response.status_code == 200
    parcels = {parcel["group"].seller.pk: parcel for parcel in response.context["parcels"]}
    kopi_keys = [quote.key for quote in parcels[world["kopi_seller"].pk]["options"]]
    assert {key.split(":")[1] for key in kopi_keys} == {"jne", "sicepat"}
    batik_couriers = {quote.courier_code for quote in parcels[world["batik_seller"].pk]["options"]}
    assert batik_couriers == {"jne", "jnt", "sicepat", "anteraja"}  # no setting: all couriers
    page = response.content.decode()
    assert "SiCepat BEST" in page and "Rp 35.000" in page

    # when the buyer picks SiCepat BEST for the coffee and J&T EZ for the batik (0.8 kg, Garut 44xxx → 40111)
    batik_ez = next(q for q in parcels[world["batik_seller"].pk]["options"] if q.courier_code == "jnt")
    response = client.post(
        reverse("checkout:shipping-method"),
        {
            f"courier-{world['kopi_seller'].pk}": "biteship:sicepat:best",
            f"courier-{world['batik_seller'].pk}": batik_ez.key,
        },
    )
    assert response["Location"].endswith(reverse("checkout:payment-method"))
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    preview = client.get(reverse("checkout:preview"))
    assert preview.status_code == 200
    assert "SiCepat BEST" in preview.content.decode() and "J&amp;T EZ" in preview.content.decode()
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content.decode()[:2000]

    # then the order charges exactly those prices, stored on each part with the courier and service
    kopi_part = SellerOrder.objects.get(seller=world["kopi_seller"])
    batik_part = SellerOrder.objects.get(seller=world["batik_seller"])
    assert kopi_part.shipping_charge == Decimal(35000)
    assert batik_part.shipping_charge == Decimal(batik_ez.price)
    order = kopi_part.order
    assert order.shipping_incl_tax == Decimal(35000 + batik_ez.price)
    assert order.total_incl_tax == Decimal(150000 + 2 * 37500 + 35000 + batik_ez.price)
    choice = ShippingChoice.objects.get(order=order, seller=world["kopi_seller"])
    assert (choice.provider, choice.courier_code, choice.service_code, choice.price, choice.etd) == (
        "biteship",
        "sicepat",
        "best",
        Decimal(35000),
        "1",
    )


def test_a_service_not_offered_is_refused_and_nothing_is_stored(localbiteship, world):
    client = signed_in_with_basket(world, (world["kopi"], 1))
    to_shipping_step(client, world)

    # J&T is not among this pesantren's couriers; the price cannot be posted at all
    response = client.post(
        reverse("checkout:shipping-method"), {f"courier-{world['kopi_seller'].pk}": "biteship:jnt:ez"}
    )

    assert response.status_code == 400
    assert "Choose a courier service for this pesantren." in response.content.decode()
    assert "marketplace_shipping_choices" not in client.session
    # and the preview sends the buyer back to choose
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    response = client.get(reverse("checkout:preview"))
    assert response.status_code == 302 and response["Location"].endswith(reverse("checkout:shipping-method"))


def test_quotes_are_cached_briefly(localbiteship, world):
    client = signed_in_with_basket(world, (world["kopi"], 1))
    to_shipping_step(client, world)
    client.get(reverse("checkout:shipping-method"))
    client.get(reverse("checkout:shipping-method"))

    rate_calls = [request for request in localbiteship.requests() if request["endpoint"] == "rates"]
    assert len(rate_calls) == 1


def test_a_slow_courier_service_falls_back_to_the_rate_table_without_waiting_each_time(localbiteship, world, settings):
    # A timeout long enough that a page rendered on a busy machine (parallel test workers) is still
    # quicker than waiting for it, and short against the service's delay.
    timeout = settings.MARKETPLACE_COURIER_READ_TIMEOUT = 0.8
    localbiteship.configure(delay_seconds=3)
    client = signed_in_with_basket(world, (world["kopi"], 1))

    started = time.monotonic()
    response = to_shipping_step(client, world)
    first = time.monotonic() - started

    # then the page answers with the pesantren's rate table (1.2 kg within Kabupaten Bandung)
    assert response.status_code == 200
    options = response.context["parcels"][0]["options"]
    assert [(quote.provider, quote.price) for quote in options] == [("rate_table", 10000 + 5000)]
    assert "Courier prices cannot be loaded right now" in response.content.decode()
    assert first < 2.5
    # and the next buyer does not wait for the timeout again
    started = time.monotonic()
    assert client.get(reverse("checkout:shipping-method")).status_code == 200
    assert time.monotonic() - started < timeout

    # the buyer can still check out, charged the rate table
    client.post(reverse("checkout:shipping-method"), {f"courier-{world['kopi_seller'].pk}": options[0].key})
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    part = SellerOrder.objects.get(seller=world["kopi_seller"])
    assert part.shipping_charge == Decimal(15000)
    assert ShippingChoice.objects.get(order=part.order).provider == "rate_table"


def test_a_stopped_courier_service_falls_back_to_the_rate_table(localbiteship, world, settings):
    settings.BITESHIP_API_URL = "http://127.0.0.1:9"  # nothing listens there
    client = signed_in_with_basket(world, (world["kopi"], 1))

    response = to_shipping_step(client, world)

    assert response.status_code == 200
    assert [quote.provider for quote in response.context["parcels"][0]["options"]] == ["rate_table"]


def test_a_failing_courier_service_falls_back_to_the_rate_table(localbiteship, world):
    localbiteship.configure(fail_status=503)
    client = signed_in_with_basket(world, (world["kopi"], 1))

    response = to_shipping_step(client, world)

    assert response.status_code == 200
    assert [quote.provider for quote in response.context["parcels"][0]["options"]] == ["rate_table"]


def test_a_changed_basket_asks_for_the_courier_again(localbiteship, world):
    client = signed_in_with_basket(world, (world["kopi"], 1))
    to_shipping_step(client, world)
    client.post(reverse("checkout:shipping-method"), {f"courier-{world['kopi_seller'].pk}": "biteship:jne:reg"})
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    assert client.get(reverse("checkout:preview")).status_code == 200

    # when the buyer adds another kilogram of coffee, the JNE price quoted for 1.2 kg no longer holds
    client.post(reverse("basket:add", kwargs={"pk": world["kopi"].pk}), {"quantity": 1})

    response = client.get(reverse("checkout:preview"))
    assert response.status_code == 302 and response["Location"].endswith(reverse("checkout:shipping-method"))


def test_without_a_courier_service_checkout_skips_the_step_with_the_rate_table(world, settings):
    settings.BITESHIP_API_URL = ""
    client = signed_in_with_basket(world, (world["kopi"], 1))

    response = to_shipping_step(client, world)

    assert response.status_code == 302 and response["Location"].endswith(reverse("checkout:payment-method"))
