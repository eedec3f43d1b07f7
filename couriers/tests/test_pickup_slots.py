"""Pickup time slots: the local server offers windows, the pesantren picks one when booking a pickup."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from couriers.models import Shipment
from couriers.selectors import pickup_slots
from couriers.tests.test_booking_and_tracking import paid_part, staff_client
from couriers.tests.test_checkout_rates import world as world  # noqa: F401 - the fixture
from localservers.biteship.server import pickup_timeslots

pytestmark = pytest.mark.django_db


def test_the_local_server_offers_two_windows_a_day_for_three_days_not_the_imminent_one():
    # 08:30 WIB: the 09:00 window starts within the hour and is not offered
    slots = pickup_timeslots(datetime(2026, 12, 8, 1, 30, tzinfo=UTC))

    assert [slot["id"] for slot in slots] == [
        "2026-12-08T13:00",
        "2026-12-09T09:00",
        "2026-12-09T13:00",
        "2026-12-10T09:00",
        "2026-12-10T13:00",
    ]
    assert slots[0]["end_time"] == "16:00"


def test_the_pesantren_books_a_pickup_in_the_window_it_chose(localbiteship, world):
    part = paid_part(world)
    staff = staff_client(world["kopi_seller"])
    detail = reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": part.pk})
    slots = pickup_slots("jne")
    assert len(slots) >= 4
    page = staff.get(detail).content.decode()
    assert 'id="pickup-slots"' in page and f'value="{slots[1].key}"' in page

    staff.post(
        reverse("couriers-dashboard:book", kwargs={"pk": part.pk}),
        {"collection_method": "pickup", "pickup_slot": slots[1].key},
    )

    shipment = Shipment.objects.get(seller_order=part)
    assert shipment.status == "booked"
    assert (shipment.pickup_date, shipment.pickup_window) == (
        slots[1].date,
        f"{slots[1].start_time}-{slots[1].end_time}",
    )
    (order,) = localbiteship.orders()
    assert order["delivery"] == {
        "type": "scheduled",
        "datetime": f"{slots[1].date.isoformat()}T{slots[1].start_time}:00+07:00",
    }
    assert 'id="pickup-time"' in staff.get(detail).content.decode()


def test_a_pickup_without_a_window_or_with_one_not_offered_books_nothing(localbiteship, world):
    part = paid_part(world)
    staff = staff_client(world["kopi_seller"])
    url = reverse("couriers-dashboard:book", kwargs={"pk": part.pk})

    response = staff.post(url, {"collection_method": "pickup"})
    assert "Choose a pickup time." in staff.get(response["Location"]).content.decode()
    staff.post(url, {"collection_method": "pickup", "pickup_slot": "2020-01-01T09:00"})

    assert not Shipment.objects.exists() and localbiteship.orders() == []


def test_a_drop_off_needs_no_window(localbiteship, world):
    part = paid_part(world)
    staff = staff_client(world["kopi_seller"])

    staff.post(
        reverse("couriers-dashboard:book", kwargs={"pk": part.pk}),
        {"collection_method": "drop_off", "pickup_slot": pickup_slots("jne")[0].key},
    )

    shipment = Shipment.objects.get(seller_order=part)
    assert shipment.status == "booked" and shipment.pickup_date is None
    assert localbiteship.orders()[0]["delivery"]["type"] == "now"
