"""Booking the buyer's courier from the seller centre, labels, and tracking webhooks moving the part."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from couriers.models import Shipment, ShipmentStatus, TrackingEvent
from couriers.tasks import poll_quiet_shipments, refresh_shipment_tracking
from couriers.tests.test_checkout_rates import signed_in_with_basket, to_shipping_step
from couriers.tests.test_checkout_rates import world as world  # noqa: F401 - the fixture
from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.services import order_payment_succeeded, seller_order_accept

pytestmark = pytest.mark.django_db
S = SellerOrderStatus
WEBHOOK = "/kurir/webhook/biteship/"


def paid_part(world, service_key: str = "biteship:jne:reg") -> SellerOrder:
    """The coffee pesantren's part of a paid order whose buyer chose `service_key`, accepted."""
    client = signed_in_with_basket(world, (world["kopi"], 1))
    to_shipping_step(client, world)
    client.post(reverse("checkout:shipping-method"), {f"courier-{world['kopi_seller'].pk}": service_key})
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    part = SellerOrder.objects.filter(seller=world["kopi_seller"]).latest("pk")
    order_payment_succeeded(order_id=part.order_id, reference="pi_test")
    part.refresh_from_db()
    return seller_order_accept(seller_order=part, actor=world["kopi_seller"].owner)


def staff_client(seller) -> Client:
    client = Client()
    client.force_login(seller.owner)
    return client


def first_slot(part) -> str:
    """The earliest pickup window the courier the buyer chose offers, as the booking form posts it."""
    from couriers.selectors import choice_of, pickup_slots

    slots = pickup_slots(choice_of(part).courier_code) if choice_of(part) else []
    return slots[0].key if slots else ""


def book(staff: Client, part, method: str = "pickup"):
    data = {"collection_method": method}
    if method == "pickup":
        data["pickup_slot"] = first_slot(part)
    return staff.post(reverse("couriers-dashboard:book", kwargs={"pk": part.pk}), data)


def post_webhook(client: Client, payload, token: str):
    import json

    return client.post(
        WEBHOOK, data=json.dumps(payload), content_type="application/json", headers={"X-Biteship-Signature": token}
    )


def test_booking_the_chosen_courier_gives_an_airway_bill_and_packs_the_part(localbiteship, world):
    part = paid_part(world)
    staff = staff_client(world["kopi_seller"])

    # the order page offers to book JNE Reguler, the buyer's choice
    page = staff.get(reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": part.pk})).content.decode()
    assert "JNE Reguler" in page and 'id="book-courier-form"' in page

    response = book(staff, part, "drop_off")

    assert response.status_code == 302
    shipment = Shipment.objects.get(seller_order=part)
    assert shipment.status == ShipmentStatus.BOOKED
    assert shipment.waybill_id.startswith("CGK") and shipment.provider_order_id
    assert shipment.collection_method == "drop_off"
    part.refresh_from_db()
    assert part.status == S.PACKED
    (booked,) = localbiteship.orders()
    assert (booked["reference_id"], booked["courier"]["company"], booked["courier"]["type"]) == (
        part.number,
        "jne",
        "reg",
    )
    assert booked["origin"]["postal_code"] == 40377 and booked["destination"]["postal_code"] == 40111
    assert booked["origin"]["collection_method"] == "drop_off"
    page = staff.get(reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": part.pk})).content.decode()
    assert shipment.waybill_id in page and 'id="book-courier-form"' not in page

    # booking again books nothing new
    book(staff, part)
    assert len(localbiteship.orders()) == 1 and Shipment.objects.count() == 1


def test_a_failed_booking_says_why_and_can_be_retried(localbiteship, world):
    part = paid_part(world)
    staff = staff_client(world["kopi_seller"])
    localbiteship.configure(fail_status=503)

    response = book(staff, part)
    page = staff.get(response["Location"]).content.decode()

    assert "The courier could not be booked" in page
    assert Shipment.objects.get(seller_order=part).status == ShipmentStatus.FAILED
    part.refresh_from_db()
    assert part.status == S.ACCEPTED

    localbiteship.configure(fail_status=0)
    book(staff, part)
    shipment = Shipment.objects.get(seller_order=part)
    assert shipment.status == ShipmentStatus.BOOKED
    # every booking status change left one event, with who did it
    moves = list(shipment.events.values_list("from_status", "to_status", "actor_id"))
    owner = world["kopi_seller"].owner.pk
    assert moves == [
        ("", "requested", owner),
        ("requested", "failed", owner),
        ("failed", "requested", owner),
        ("requested", "booked", owner),
    ]


def test_another_pesantren_cannot_book_or_print_the_part(localbiteship, world):
    part = paid_part(world)
    other = staff_client(world["batik_seller"])

    assert book(other, part).status_code == 404
    assert other.get(reverse("couriers-dashboard:labels") + f"?seller_order={part.pk}").status_code == 404
    assert not Shipment.objects.exists()


def test_a_part_shipped_with_the_rate_table_is_not_booked(localbiteship, world):
    localbiteship.configure(fail_status=503)  # checkout falls back to the rate table
    part = paid_part(world, service_key="rate_table:pesantren:regular")
    localbiteship.configure(fail_status=0)
    staff = staff_client(world["kopi_seller"])

    page = staff.get(reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": part.pk})).content.decode()
    assert 'id="book-courier-form"' not in page
    response = book(staff, part)

    assert "enter the airway bill by hand" in staff.get(response["Location"]).content.decode()
    assert localbiteship.orders() == []


def test_labels_for_two_orders_come_as_one_a6_pdf_with_their_airway_bills(localbiteship, world):
    first, second = paid_part(world), paid_part(world, "biteship:sicepat:best")
    staff = staff_client(world["kopi_seller"])
    book(staff, first)
    book(staff, second, "drop_off")
    waybills = [Shipment.objects.get(seller_order=part).waybill_id for part in (first, second)]

    response = staff.get(reverse("couriers-dashboard:labels") + f"?seller_order={first.pk}&seller_order={second.pk}")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (298, 420)  # A6 in points
    texts = [page.extract_text() for page in reader.pages]
    for text, waybill, part in zip(texts, waybills, (first, second), strict=True):
        assert waybill in text and part.number in text and "Siti Aminah" in text and "Kopi Arabika" in text
    assert "JNE Reguler" in texts[0] and "SiCepat BEST" in texts[1]


def test_a_manual_airway_bill_still_prints_and_unbooked_parts_are_named(localbiteship, world):
    booked, manual, waiting = paid_part(world), paid_part(world), paid_part(world)
    staff = staff_client(world["kopi_seller"])
    book(staff, booked)
    url = reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": manual.pk})
    staff.post(url, {"action": "pack"})
    staff.post(url, {"action": "ship", "courier": "Pos Indonesia", "tracking_number": "P2612060001"})

    response = staff.get(
        reverse("couriers-dashboard:labels") + f"?seller_order={booked.pk}&seller_order={manual.pk}"
        f"&seller_order={waiting.pk}"
    )
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "P2612060001" in text and "Pos Indonesia" in text
    assert response["X-Labels-Skipped"] == waiting.number

    only_waiting = staff.get(reverse("couriers-dashboard:labels") + f"?seller_order={waiting.pk}")
    assert only_waiting.status_code == 400 and waiting.number in only_waiting.content.decode()


def test_tracking_webhooks_ship_then_deliver_the_part_and_replays_change_nothing(localbiteship, world, client):
    part = paid_part(world)
    book(staff_client(world["kopi_seller"]), part)
    shipment = Shipment.objects.get(seller_order=part)
    token = localbiteship.webhook_token
    payloads = {}
    for status in ("allocated", "picking_up", "picked", "dropping_off", "delivered"):
        payloads[status] = localbiteship.advance(shipment.provider_order_id, webhook=False)["webhook"]

    # courier on the way to pick up: still packed
    for status in ("allocated", "picking_up"):
        assert post_webhook(client, payloads[status], token).status_code == 200
    part.refresh_from_db()
    assert part.status == S.PACKED

    # picked up: shipped, with the courier and airway bill on the part
    assert post_webhook(client, payloads["picked"], token).status_code == 200
    part.refresh_from_db()
    assert part.status == S.SHIPPED and part.tracking_number == shipment.waybill_id and part.courier == "JNE REG"

    # delivered, then every webhook delivered again: nothing changes, no event is doubled
    assert post_webhook(client, payloads["dropping_off"], token).status_code == 200
    assert post_webhook(client, payloads["delivered"], token).status_code == 200
    part.refresh_from_db()
    assert part.status == S.DELIVERED
    events_before = list(part.events.values_list("to_status", flat=True))
    for payload in payloads.values():
        assert post_webhook(client, payload, token).status_code == 200
    part.refresh_from_db()
    assert part.status == S.DELIVERED
    assert list(part.events.values_list("to_status", flat=True)) == events_before
    assert TrackingEvent.objects.filter(shipment=shipment).count() == 6  # confirmed + five


def test_out_of_order_webhooks_end_where_the_furthest_status_says(localbiteship, world, client):
    part = paid_part(world)
    book(staff_client(world["kopi_seller"]), part)
    shipment = Shipment.objects.get(seller_order=part)
    payloads = [localbiteship.advance(shipment.provider_order_id, webhook=False)["webhook"] for _ in range(5)]

    # delivered arrives first: the part is shipped and delivered at once; the older ones change nothing
    for payload in reversed(payloads):
        assert post_webhook(client, payload, localbiteship.webhook_token).status_code == 200

    part.refresh_from_db()
    assert part.status == S.DELIVERED
    assert list(part.events.values_list("to_status", flat=True)) == [
        S.PENDING_PAYMENT,
        S.PAID,
        S.ACCEPTED,
        S.PACKED,
        S.SHIPPED,
        S.DELIVERED,
    ]
    shipment.refresh_from_db()
    assert shipment.provider_status == "delivered"


def test_a_bad_webhook_token_gives_401_and_changes_nothing(localbiteship, world, client):
    part = paid_part(world)
    book(staff_client(world["kopi_seller"]), part)
    shipment = Shipment.objects.get(seller_order=part)
    payload = localbiteship.advance(shipment.provider_order_id, "delivered", webhook=False)["webhook"]

    assert post_webhook(client, payload, "not-the-token").status_code == 401
    assert client.post(WEBHOOK, data="{}", content_type="application/json").status_code == 401

    part.refresh_from_db()
    assert part.status == S.PACKED
    assert TrackingEvent.objects.filter(shipment=shipment).count() == 1


def test_the_buyer_sees_the_courier_and_the_tracking_history(localbiteship, world, client):
    part = paid_part(world)
    book(staff_client(world["kopi_seller"]), part)
    shipment = Shipment.objects.get(seller_order=part)
    for _ in range(3):  # allocated, picking_up, picked
        post_webhook(
            client,
            localbiteship.advance(shipment.provider_order_id, webhook=False)["webhook"],
            localbiteship.webhook_token,
        )
    buyer = Client()
    buyer.force_login(part.order.user)

    page = buyer.get(reverse("customer:order", kwargs={"order_number": part.order.number})).content.decode()

    assert shipment.waybill_id in page
    assert page.count('data-status="picked"') == 1 and 'data-status="confirmed"' in page
    assert page.index('data-status="picked"') < page.index('data-status="confirmed"')  # newest first


def test_beat_polls_shipments_whose_webhooks_went_quiet(localbiteship, world, django_capture_on_commit_callbacks):
    part = paid_part(world)
    book(staff_client(world["kopi_seller"]), part)
    shipment = Shipment.objects.get(seller_order=part)
    # the courier moved on, but its webhooks never arrived
    for _ in range(3):
        localbiteship.advance(shipment.provider_order_id, webhook=False)
    Shipment.objects.filter(pk=shipment.pk).update(last_event_at=timezone.now() - timedelta(hours=13))
    fresh = paid_part(world)
    book(staff_client(world["kopi_seller"]), fresh)

    # Celery runs eagerly in these tests: the beat job's tasks run once its transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_quiet_shipments() == 1

    part.refresh_from_db()
    assert part.status == S.SHIPPED
    shipment.refresh_from_db()
    assert shipment.provider_status == "picked" and shipment.polled_at is not None
    # polling again is harmless
    assert refresh_shipment_tracking(shipment.pk) == "picked"
    assert poll_quiet_shipments() == 0


def test_a_pesantren_chooses_the_couriers_it_offers(localbiteship, world):
    from couriers.selectors import offered_couriers

    staff = staff_client(world["batik_seller"])
    url = reverse("couriers-dashboard:settings")
    assert staff.get(url).status_code == 200

    response = staff.post(url, {"couriers": ["jnt", "anteraja"]})
    assert response.status_code == 302
    assert offered_couriers(seller=world["batik_seller"]) == ["jnt", "anteraja"]

    # a courier the marketplace does not offer is refused, and nothing changes
    response = staff.post(url, {"couriers": ["jnt", "tiki"]})
    assert response.status_code == 200 and response.context["form"].errors
    assert offered_couriers(seller=world["batik_seller"]) == ["jnt", "anteraja"]

    # none at all: buyers pay the pesantren's own rate table
    staff.post(url, {})
    assert offered_couriers(seller=world["batik_seller"]) == []
    client = signed_in_with_basket(world, (world["batik"], 1))
    response = to_shipping_step(client, world)
    assert response.status_code == 302  # nothing to choose: the rate table is taken
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    preview = client.get(reverse("checkout:preview"))
    assert preview.status_code == 200 and localbiteship.requests() == []
