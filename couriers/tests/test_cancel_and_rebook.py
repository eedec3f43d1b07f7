"""Cancelling a courier booking before pickup, then booking again or shipping with a typed airway bill."""

import pytest
from django.urls import reverse

from couriers.models import Shipment, ShipmentStatus
from couriers.tests.test_booking_and_tracking import book, paid_part, post_webhook, staff_client
from couriers.tests.test_checkout_rates import world as world  # noqa: F401 - the fixture
from fulfilment.models import SellerOrderStatus

pytestmark = pytest.mark.django_db
S = SellerOrderStatus


def cancel(staff, part):
    return staff.post(reverse("couriers-dashboard:cancel", kwargs={"pk": part.pk}), {"reason": "Salah kurir"})


def detail(staff, part) -> str:
    return staff.get(reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": part.pk})).content.decode()


def test_a_booking_cancelled_before_pickup_can_be_booked_again(localbiteship, world, client):
    part = paid_part(world)
    staff = staff_client(world["kopi_seller"])
    book(staff, part)
    first = Shipment.objects.get(seller_order=part)
    first_order, first_waybill = first.provider_order_id, first.waybill_id
    assert 'id="cancel-courier-form"' in detail(staff, part)

    response = cancel(staff, part)

    assert "Courier booking cancelled" in staff.get(response["Location"]).content.decode()
    shipment = Shipment.objects.get(seller_order=part)
    assert shipment.status == ShipmentStatus.CANCELLED and shipment.provider_status == "cancelled"
    (server_order,) = localbiteship.orders()
    assert server_order["id"] == first_order and server_order["status"] == "cancelled"
    event = shipment.events.get(to_status=ShipmentStatus.CANCELLED)
    assert event.note == "Salah kurir" and event.data["waybill_id"] == first_waybill
    part.refresh_from_db()
    assert part.status == S.PACKED
    page = detail(staff, part)
    assert 'id="book-courier-form"' in page and 'id="courier-cancelled"' in page

    # booked again: a new courier order under a numbered reference, the old tracking left behind
    book(staff, part)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.BOOKED and shipment.attempt == 2
    assert shipment.waybill_id != first_waybill and shipment.provider_order_id != first_order
    assert [order["reference_id"] for order in localbiteship.orders()] == [part.number, f"{part.number}-2"]
    assert [event.status for event in shipment.tracking_events.filter(attempt=2)] == ["confirmed"]
    assert list(shipment.events.values_list("to_status", flat=True)) == [
        "requested",
        "booked",
        "cancelled",
        "requested",
        "booked",
    ]

    # the new order's pickup ships the part
    payload = localbiteship.advance(shipment.provider_order_id, "picked", webhook=False)["webhook"]
    assert post_webhook(client, payload, localbiteship.webhook_token).status_code == 200
    part.refresh_from_db()
    assert part.status == S.SHIPPED and part.tracking_number == shipment.waybill_id


def test_a_late_webhook_of_a_cancelled_booking_moves_nothing(localbiteship, world, client):
    part = paid_part(world)
    staff = staff_client(world["kopi_seller"])
    book(staff, part)
    shipment = Shipment.objects.get(seller_order=part)
    payload = localbiteship.advance(shipment.provider_order_id, "allocated", webhook=False)["webhook"]
    cancel(staff, part)

    assert post_webhook(client, {**payload, "status": "picked"}, localbiteship.webhook_token).status_code == 200

    part.refresh_from_db()
    assert part.status == S.PACKED
    assert Shipment.objects.get(seller_order=part).status == ShipmentStatus.CANCELLED


def test_after_pickup_the_booking_cannot_be_cancelled(localbiteship, world, client):
    part = paid_part(world)
    staff = staff_client(world["kopi_seller"])
    book(staff, part)
    shipment = Shipment.objects.get(seller_order=part)
    payload = localbiteship.advance(shipment.provider_order_id, "picked", webhook=False)["webhook"]
    post_webhook(client, payload, localbiteship.webhook_token)
    assert 'id="cancel-courier-form"' not in detail(staff, part)

    response = cancel(staff, part)

    assert "already picked up the parcel" in staff.get(response["Location"]).content.decode()
    assert Shipment.objects.get(seller_order=part).status == ShipmentStatus.BOOKED
    assert localbiteship.orders()[0]["status"] == "picked"


def test_a_pickup_the_aggregator_knows_of_first_is_refused_clearly(localbiteship, world):
    part = paid_part(world)
    staff = staff_client(world["kopi_seller"])
    book(staff, part)
    shipment = Shipment.objects.get(seller_order=part)
    localbiteship.advance(shipment.provider_order_id, "picked", webhook=False)  # its webhook has not arrived

    response = cancel(staff, part)

    assert (
        "could not be cancelled: The order can no longer be cancelled"
        in staff.get(response["Location"]).content.decode()
    )
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.BOOKED and shipment.provider_status == "picked"
    part.refresh_from_db()
    assert part.status == S.SHIPPED  # the tracking it read on the way says so


def test_after_a_cancellation_the_part_ships_with_a_typed_airway_bill(localbiteship, world):
    part = paid_part(world)
    staff = staff_client(world["kopi_seller"])
    book(staff, part)
    cancel(staff, part)
    url = reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": part.pk})

    staff.post(url, {"action": "ship", "courier": "Pos Indonesia", "tracking_number": "P2612070001"})

    part.refresh_from_db()
    assert part.status == S.SHIPPED and part.tracking_number == "P2612070001"
    label = staff.get(reverse("couriers-dashboard:labels") + f"?seller_order={part.pk}")
    assert label.status_code == 200
