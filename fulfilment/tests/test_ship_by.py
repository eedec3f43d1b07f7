"""Ship-by deadlines: reminders on the day a part must ship, and the late-shipment rate."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from fulfilment.models import SellerOrder
from fulfilment.selectors import late_shipment_rate
from fulfilment.services import order_payment_succeeded, seller_order_accept, seller_order_pack, seller_order_ship
from fulfilment.tasks import remind_sellers_of_parts_due_today
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 11, 23)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def shop():
    regions = make_region_tree()
    seller = make_seller(name="Pesantren Kopi Cibiru", regions=regions)
    product = make_seller_product(seller, title="Kopi Arabika", price="50000", stock=100)

    def paid_part(paid_at: datetime.datetime) -> SellerOrder:
        order = place_order(items=[(product, 1)], shipping_address=make_shipping_address(regions=regions))
        order_payment_succeeded(order_id=order.pk)
        SellerOrder.objects.filter(order=order).update(paid_at=paid_at)
        return SellerOrder.objects.get(order=order)

    return {"seller": seller, "paid_part": paid_part}


def ship(part, when: datetime.datetime):
    part = seller_order_accept(seller_order=part, actor=None)
    part = seller_order_pack(seller_order=part, actor=None)
    part = seller_order_ship(seller_order=part, actor=None, courier="JNE", tracking_number=f"CGK{part.pk:08d}")
    SellerOrder.objects.filter(pk=part.pk).update(shipped_at=when)


def test_pesantren_are_reminded_once_of_the_parts_that_must_ship_today(shop, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: MONDAY)
    due = shop["paid_part"](at(MONDAY, 9))  # Monday morning: ships today
    over_weekend = shop["paid_part"](at(MONDAY - datetime.timedelta(days=2), 15))  # Saturday: ships Monday
    shop["paid_part"](at(MONDAY, 13))  # after noon: due Tuesday
    shop["paid_part"](at(MONDAY - datetime.timedelta(days=3), 10))  # Friday morning: already late
    mail.outbox.clear()

    assert remind_sellers_of_parts_due_today() == 2
    assert remind_sellers_of_parts_due_today() == 0

    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 2
    assert all(due.number in s or over_weekend.number in s for s in subjects)


def test_the_late_shipment_rate_counts_late_handovers_and_parts_past_their_day(shop):
    wednesday = MONDAY + datetime.timedelta(days=2)
    on_time = shop["paid_part"](at(MONDAY, 9))
    ship(on_time, at(MONDAY, 16))
    late = shop["paid_part"](at(MONDAY, 9))  # due Monday, handed over Tuesday
    ship(late, at(MONDAY + datetime.timedelta(days=1), 10))
    shop["paid_part"](at(MONDAY, 14))  # due Tuesday, not shipped on Wednesday: late
    shop["paid_part"](at(wednesday, 9))  # due today: not counted yet
    shop["paid_part"](at(MONDAY - datetime.timedelta(days=40), 9))  # too old to count

    rate = late_shipment_rate(seller=shop["seller"], today=wednesday)

    assert rate == {"late": 2, "total": 3, "percent": 67}
    assert late_shipment_rate(seller=make_seller(), today=wednesday) == {"late": 0, "total": 0, "percent": 0}
