"""Same-day and instant couriers (GoSend, GrabExpress): quoted by coordinates, only when both ends have a pin."""

from decimal import Decimal

import pytest
from django.urls import reverse

from checkout.forms import ShippingAddressForm
from couriers.forms import CourierSettingsForm
from couriers.models import SellerCourierSettings, Shipment
from couriers.providers.biteship import BiteshipProvider
from couriers.services import seller_couriers_update
from couriers.tests.test_booking_and_tracking import book, staff_client
from couriers.tests.test_checkout_rates import signed_in_with_basket, to_shipping_step
from couriers.tests.test_checkout_rates import world as world  # noqa: F401 - the fixture
from fulfilment.models import SellerOrder
from fulfilment.services import order_payment_succeeded, seller_order_accept
from localservers.biteship.server import kilometres

pytestmark = pytest.mark.django_db
CIBIRU = ("-6.914700", "107.719000")  # the coffee pesantren
BANDUNG = ("-6.917500", "107.619100")  # the buyer, about 11 km west
BUYER_PIN = {"latitude": BANDUNG[0], "longitude": BANDUNG[1]}


@pytest.fixture
def pinned(world):
    seller_couriers_update(
        seller=world["kopi_seller"],
        couriers=["jne", "gojek", "grab"],
        latitude=Decimal(CIBIRU[0]),
        longitude=Decimal(CIBIRU[1]),
    )
    return world


def options_of(response, seller) -> dict:
    (parcel,) = [parcel for parcel in response.context["parcels"] if parcel["group"].seller.pk == seller.pk]
    return {(quote.courier_code, quote.service_code): quote for quote in parcel["options"]}


def test_the_local_server_prices_instant_couriers_by_distance_only_with_both_pins(localbiteship):
    provider = BiteshipProvider.from_settings()
    items = [{"weight": 1000, "quantity": 1}]
    pins = {
        "origin_latitude": float(CIBIRU[0]),
        "origin_longitude": float(CIBIRU[1]),
        "destination_latitude": float(BANDUNG[0]),
        "destination_longitude": float(BANDUNG[1]),
    }
    km = kilometres(tuple(map(float, CIBIRU)), tuple(map(float, BANDUNG)))
    assert 10 < km < 12

    quotes = provider.quotes(
        origin_postal_code="40377", destination_postal_code="40111", couriers=["gojek"], items=items, coordinates=pins
    )
    assert {quote.service_code: quote.price for quote in quotes} == {
        "instant": 12000 + 12 * 2500,
        "same_day": 9000 + 12 * 1800,
    }
    assert all(quote.etd == "" for quote in quotes)  # hours, not days
    assert (
        provider.quotes(origin_postal_code="40377", destination_postal_code="40111", couriers=["gojek"], items=items)
        == []
    )
    far = {**pins, "destination_latitude": -7.8, "destination_longitude": 110.36}  # Yogyakarta
    assert (
        provider.quotes(
            origin_postal_code="40377", destination_postal_code="55111", couriers=["grab"], items=items, coordinates=far
        )
        == []
    )


def test_with_both_pins_the_buyer_is_offered_gosend_and_grabexpress(localbiteship, pinned):
    client = signed_in_with_basket(pinned, (pinned["kopi"], 1))

    response = to_shipping_step(client, pinned, **BUYER_PIN)

    options = options_of(response, pinned["kopi_seller"])
    assert {("gojek", "instant"), ("gojek", "same_day"), ("grab", "instant"), ("jne", "reg")} <= set(options)
    assert "GoSend Instant" in response.content.decode()
    (rates,) = [request["body"] for request in localbiteship.requests() if request["endpoint"] == "rates"]
    assert rates["origin_latitude"] == float(CIBIRU[0]) and rates["destination_longitude"] == float(BANDUNG[1])


def test_without_the_buyers_pin_instant_couriers_are_not_offered_nor_asked_for(localbiteship, pinned):
    client = signed_in_with_basket(pinned, (pinned["kopi"], 1))

    response = to_shipping_step(client, pinned)

    assert {code for code, _service in options_of(response, pinned["kopi_seller"])} == {"jne"}
    (rates,) = [request["body"] for request in localbiteship.requests() if request["endpoint"] == "rates"]
    assert rates["couriers"] == "jne" and "origin_latitude" not in rates


def test_without_the_pesantrens_pin_instant_couriers_are_not_offered(localbiteship, world):
    seller_couriers_update(seller=world["kopi_seller"], couriers=["jne", "gojek"])
    client = signed_in_with_basket(world, (world["kopi"], 1))

    response = to_shipping_step(client, world, **BUYER_PIN)

    assert {code for code, _service in options_of(response, world["kopi_seller"])} == {"jne"}


def test_an_instant_courier_is_booked_with_both_coordinates(localbiteship, pinned):
    client = signed_in_with_basket(pinned, (pinned["kopi"], 1))
    to_shipping_step(client, pinned, **BUYER_PIN)
    client.post(reverse("checkout:shipping-method"), {f"courier-{pinned['kopi_seller'].pk}": "biteship:gojek:instant"})
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    part = SellerOrder.objects.get(seller=pinned["kopi_seller"])
    assert part.order.shipping_address.latitude == Decimal(BANDUNG[0])
    order_payment_succeeded(order_id=part.order_id, reference="pi_test")
    part.refresh_from_db()
    part = seller_order_accept(seller_order=part, actor=None)

    book(staff_client(pinned["kopi_seller"]), part)

    shipment = Shipment.objects.get(seller_order=part)
    assert shipment.status == "booked" and shipment.waybill_id.startswith("GK")
    (order,) = [request["body"] for request in localbiteship.requests() if request["endpoint"] == "orders"]
    assert order["origin_coordinate"] == {"latitude": float(CIBIRU[0]), "longitude": float(CIBIRU[1])}
    assert order["destination_coordinate"] == {"latitude": float(BANDUNG[0]), "longitude": float(BANDUNG[1])}


def test_the_pesantren_sets_its_pin_on_the_courier_settings_page(localbiteship, world):
    staff = staff_client(world["kopi_seller"])
    url = reverse("couriers-dashboard:settings")

    response = staff.post(url, {"couriers": ["jne", "gojek"], "latitude": CIBIRU[0], "longitude": CIBIRU[1]})

    assert response.status_code == 302
    row = SellerCourierSettings.objects.get(seller=world["kopi_seller"])
    assert (str(row.latitude), str(row.longitude)) == CIBIRU
    assert 'value="-6.914700"' in staff.get(url).content.decode()


@pytest.mark.parametrize(("latitude", "longitude"), [("-91", "107.6"), ("-6.9", "181"), ("-6.9", ""), ("x", "107.6")])
def test_a_pin_out_of_range_or_half_given_is_refused(latitude, longitude):
    data = {"couriers": ["jne"], "latitude": latitude, "longitude": longitude}
    assert not CourierSettingsForm(data).is_valid()


def test_the_address_pin_is_optional_bounded_and_both_or_neither(world):
    form_fields = ShippingAddressForm.base_fields
    assert (form_fields["latitude"].min_value, form_fields["latitude"].max_value) == (-90, 90)
    assert (form_fields["longitude"].min_value, form_fields["longitude"].max_value) == (-180, 180)
    regions = world["regions"]
    base = {
        "first_name": "Siti Aminah",
        "phone_number": "0812 3456 7890",
        "line1": "Jl. Merdeka No. 5",
        "province": regions["province"].code,
        "kabupaten": regions["kabupaten"].code,
        "kecamatan": regions["kecamatan"][0].code,
        "desa": regions["desa"][0].code,
        "postcode": "40111",
    }
    assert ShippingAddressForm(data=base).is_valid()
    assert ShippingAddressForm(data={**base, **BUYER_PIN}).is_valid()
    assert not ShippingAddressForm(data={**base, "latitude": "95", "longitude": "107.6"}).is_valid()
    assert not ShippingAddressForm(data={**base, "latitude": "-6.9"}).is_valid()
