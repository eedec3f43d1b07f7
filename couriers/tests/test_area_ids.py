"""Biteship area ids: looked up once per postal code, cached, sent with rates and bookings; postal codes as fallback."""

import pytest
from django.urls import reverse

from couriers.providers.biteship import BiteshipProvider
from couriers.selectors import area_id_for
from couriers.tests.test_booking_and_tracking import book, paid_part, staff_client
from couriers.tests.test_checkout_rates import signed_in_with_basket, to_shipping_step
from couriers.tests.test_checkout_rates import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
ORIGIN, DESTINATION = "IDNP4IDNC403IDZ40377", "IDNP4IDNC401IDZ40111"


def calls(localbiteship, endpoint: str) -> list[dict]:
    return [request["body"] for request in localbiteship.requests() if request["endpoint"] == endpoint]


def test_the_local_server_answers_an_area_per_postal_code_and_prices_by_area_id(localbiteship):
    provider = BiteshipProvider.from_settings()

    assert provider.area_id("40377") == ORIGIN
    assert provider.area_id("01234") == ""  # no such postal code
    by_area = provider.quotes(
        origin_postal_code="10110",  # the area ids win
        destination_postal_code="10110",
        origin_area_id=ORIGIN,
        destination_area_id=DESTINATION,
        couriers=["jne"],
        items=[{"weight": 1000, "quantity": 1}],
    )
    by_postal = provider.quotes(
        origin_postal_code="40377",
        destination_postal_code="40111",
        couriers=["jne"],
        items=[{"weight": 1000, "quantity": 1}],
    )
    assert [quote.price for quote in by_area] == [quote.price for quote in by_postal]


def test_area_ids_are_looked_up_once_and_sent_with_the_rates(localbiteship, world):
    client = signed_in_with_basket(world, (world["kopi"], 1))
    to_shipping_step(client, world)
    client.get(reverse("checkout:shipping-method"))
    # another address of the buyer: a new quote; the pesantren's area is not asked again
    to_shipping_step(client, world, postcode="40112")
    client.get(reverse("checkout:shipping-method"))

    assert [body["input"] for body in calls(localbiteship, "areas")] == ["40377", "40111", "40112"]
    rates = calls(localbiteship, "rates")
    assert [(body["origin_area_id"], body["destination_area_id"]) for body in rates] == [
        (ORIGIN, DESTINATION),
        (ORIGIN, "IDNP4IDNC401IDZ40112"),
    ]


def test_bookings_carry_the_area_ids(localbiteship, world):
    part = paid_part(world)
    book(staff_client(world["kopi_seller"]), part)

    (order,) = calls(localbiteship, "orders")
    assert (order["origin_area_id"], order["destination_area_id"]) == (ORIGIN, DESTINATION)


def test_without_the_maps_api_the_postal_codes_still_price_and_nothing_is_cached(localbiteship, world):
    localbiteship.configure(maps_fail_status=400)
    client = signed_in_with_basket(world, (world["kopi"], 1))
    to_shipping_step(client, world)

    page = client.get(reverse("checkout:shipping-method")).content.decode()

    assert "JNE" in page
    (rates,) = calls(localbiteship, "rates")
    assert "origin_area_id" not in rates and rates["origin_postal_code"] == 40377
    localbiteship.configure(maps_fail_status=0)
    assert area_id_for("40111") == DESTINATION  # asked again, now found
