"""One buyer email per change of the parcel's tracking status: replays, polls and reruns send nothing more."""

import pytest
from django.core import mail

from couriers.models import Shipment
from couriers.tasks import refresh_shipment_tracking, send_tracking_email
from couriers.tests.test_booking_and_tracking import book, paid_part, post_webhook, staff_client
from couriers.tests.test_checkout_rates import world as world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_each_tracking_change_mails_the_buyer_once(localbiteship, world, client, django_capture_on_commit_callbacks):
    part = paid_part(world)
    book(staff_client(world["kopi_seller"]), part)
    shipment = Shipment.objects.get(seller_order=part)
    mail.outbox.clear()
    payloads = [localbiteship.advance(shipment.provider_order_id, webhook=False)["webhook"] for _ in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        for payload in payloads:  # allocated, picking_up, picked
            assert post_webhook(client, payload, localbiteship.webhook_token).status_code == 200

    assert [message.subject for message in mail.outbox] == [
        f"Order {part.order.number}: Courier assigned",
        f"Order {part.order.number}: Courier on the way to pick up",
        f"Order {part.order.number}: Picked up by the courier",
    ]
    assert mail.outbox[-1].to == [part.order.email]
    body = mail.outbox[-1].body
    assert shipment.waybill_id in body and f"/{part.order.number}/" in body and "Pesantren Kopi Cibiru" in body

    # every webhook again, an older one late, a poll of the same history, the task run again: no more mail
    with django_capture_on_commit_callbacks(execute=True):
        for payload in reversed(payloads):
            post_webhook(client, payload, localbiteship.webhook_token)
        refresh_shipment_tracking(shipment.pk)
    assert send_tracking_email(shipment.pk, shipment.attempt, "picked") is False
    assert len(mail.outbox) == 3

    # the next change mails again
    payload = localbiteship.advance(shipment.provider_order_id, webhook=False)["webhook"]
    with django_capture_on_commit_callbacks(execute=True):
        post_webhook(client, payload, localbiteship.webhook_token)
    assert len(mail.outbox) == 4 and mail.outbox[-1].subject.endswith("On the way to the buyer")


def test_no_mail_for_a_cancelled_booking_or_an_unknown_status(localbiteship, world):
    part = paid_part(world)
    book(staff_client(world["kopi_seller"]), part)
    shipment = Shipment.objects.get(seller_order=part)
    mail.outbox.clear()

    assert send_tracking_email(shipment.pk, shipment.attempt + 1, "picked") is False  # not this booking
    assert send_tracking_email(shipment.pk, shipment.attempt, "teleported") is False
    assert mail.outbox == []
