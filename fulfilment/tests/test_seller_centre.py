"""The seller centre's order pages: status tabs with counts, search, bulk accept, packing slips,
the order page's confirmations and its readable history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.selectors import add_working_days, late_paid_before, ship_by
from fulfilment.services import order_payment_succeeded, seller_order_accept, seller_order_pack
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

pytestmark = pytest.mark.django_db
S = SellerOrderStatus
LIST = "fulfilment-dashboard:seller-order-list"


@pytest.fixture
def shop():
    regions = make_region_tree()
    kopi_shop = make_seller(name="Pesantren Kopi Cibiru", regions=regions)
    other = make_seller(name="Pesantren Batik Garut", regions=regions)
    kopi = make_seller_product(kopi_shop, title="Kopi Arabika", price="150000", stock=50)
    kain = make_seller_product(other, title="Kain Batik Rahasia", price="90000", stock=50)

    def order(name, *, paid=True, items=None):
        placed = place_order(
            items=items or [(kopi, 1)], shipping_address=make_shipping_address(regions=regions, name=name)
        )
        if paid:
            order_payment_succeeded(order_id=placed.pk)
        return placed.seller_orders.get(seller=kopi_shop)

    parts = {
        "new1": order("Aisyah Rahma"),
        "new2": order("Budi Santoso", items=[(kopi, 2), (kain, 1)]),
        "unpaid": order("Citra Lestari", paid=False),
    }
    parts["accepted"] = seller_order_accept(seller_order=order("Dewi Anggraini"), actor=kopi_shop.owner)
    parts["packed"] = seller_order_pack(
        seller_order=seller_order_accept(seller_order=order("Eko Prasetyo"), actor=kopi_shop.owner),
        actor=kopi_shop.owner,
    )
    theirs = parts["new2"].order.seller_orders.get(seller=other)
    return {"seller": kopi_shop, "other": other, "parts": parts, "theirs": theirs}


def test_tabs_count_and_filter_the_pesantrens_own_parts(client, shop, django_assert_max_num_queries):
    client.force_login(shop["seller"].owner)

    with django_assert_max_num_queries(14):
        response = client.get(reverse(LIST), {"tab": "perlu-dikirim"})

    assert response.status_code == 200
    counts = {tab["slug"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {"": 5, "baru": 2, "perlu-dikirim": 2, "dikirim": 0, "selesai": 0, "dibatalkan": 0}
    shown = [part.pk for part in response.context["seller_orders"]]
    assert shown == [shop["parts"]["accepted"].pk, shop["parts"]["packed"].pk]
    assert all(part.ship_by is not None for part in response.context["seller_orders"])
    baru = client.get(reverse(LIST), {"tab": "baru"})
    assert {part.pk for part in baru.context["seller_orders"]} == {shop["parts"]["new1"].pk, shop["parts"]["new2"].pk}
    assert 'id="bulk-accept"' in baru.content.decode()
    assert "Kain Batik Rahasia" not in baru.content.decode()


def test_the_list_stays_within_its_query_budget_with_many_orders(client, shop, django_assert_max_num_queries):
    kopi = shop["seller"].partner.stockrecords.get().product
    regions = make_region_tree()  # the same regions again (get_or_create)
    for index in range(6):
        address = make_shipping_address(regions=regions, name=f"Pembeli {index}")
        order_payment_succeeded(order_id=place_order(items=[(kopi, 1)], shipping_address=address).pk)
    client.force_login(shop["seller"].owner)

    with django_assert_max_num_queries(14):
        response = client.get(reverse(LIST))

    assert response.status_code == 200 and len(response.context["seller_orders"]) == 11


def test_search_finds_by_buyer_name_and_order_number(client, shop):
    client.force_login(shop["seller"].owner)
    new2 = shop["parts"]["new2"]

    by_name = client.get(reverse(LIST), {"q": "budi santoso"})
    by_number = client.get(reverse(LIST), {"q": new2.number})
    nothing = client.get(reverse(LIST), {"q": "Batik Garut Rahasia"})

    assert [part.pk for part in by_name.context["seller_orders"]] == [new2.pk]
    assert [part.pk for part in by_number.context["seller_orders"]] == [new2.pk]
    assert list(nothing.context["seller_orders"]) == [] and 'id="no-orders"' in nothing.content.decode()


def test_an_unknown_tab_shows_every_part(client, shop):
    client.force_login(shop["seller"].owner)

    response = client.get(reverse(LIST), {"tab": "<script>", "page": "1"})

    assert response.status_code == 200 and len(response.context["seller_orders"]) == 5


def test_bulk_accept_accepts_the_new_ones_and_says_which_failed(client, shop):
    parts = shop["parts"]
    client.force_login(shop["seller"].owner)

    response = client.post(
        reverse("fulfilment-dashboard:seller-order-bulk-accept"),
        {"seller_order": [parts["new1"].pk, parts["new2"].pk, parts["unpaid"].pk, shop["theirs"].pk, "x"]},
        follow=True,
    )

    assert response.status_code == 200
    statuses = dict(SellerOrder.objects.filter(pk__in=[p.pk for p in parts.values()]).values_list("pk", "status"))
    assert statuses[parts["new1"].pk] == statuses[parts["new2"].pk] == S.ACCEPTED
    assert statuses[parts["unpaid"].pk] == S.PENDING_PAYMENT
    shop["theirs"].refresh_from_db()
    assert shop["theirs"].status == S.PAID  # another pesantren's part is not found, not accepted
    notices = [(message.level_tag, str(message)) for message in response.context["messages"]]
    assert [tag for tag, _text in notices] == ["success", "error"]
    assert parts["new1"].number in notices[0][1] and parts["new2"].number in notices[0][1]
    assert parts["unpaid"].number in notices[1][1]
    assert shop["theirs"].number not in " ".join(text for _tag, text in notices)


def test_packing_slips_show_address_lines_and_quantities_but_no_prices(client, shop):
    parts = shop["parts"]
    client.force_login(shop["seller"].owner)

    response = client.get(
        reverse("fulfilment-dashboard:seller-order-slips"),
        {"seller_order": [parts["new2"].pk, parts["accepted"].pk, shop["theirs"].pk]},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert [slip.pk for slip in response.context["slips"]] == sorted([parts["new2"].pk, parts["accepted"].pk])
    assert body.count('class="sc-slip"') == 2
    address = parts["new2"].order.shipping_address
    for text in ("Budi Santoso", "Dewi Anggraini", address.line1, str(address.kecamatan), str(address.desa)):
        assert text in body, text
    slip = response.context["slips"][0]
    assert [(line.title, line.quantity) for line in slip.slip_lines] == [("Kopi Arabika", 2)]
    assert "Kain Batik Rahasia" not in body  # the other pesantren's line of the same order
    assert "150.000" not in body and "Rp" not in body  # a slip travels on the parcel: no prices
    assert "@media print" in _stylesheet()


def test_packing_slips_of_nothing_or_of_another_pesantrens_part_are_not_found(client, shop):
    client.force_login(shop["seller"].owner)
    url = reverse("fulfilment-dashboard:seller-order-slips")

    assert client.get(url).status_code == 400  # nothing ticked
    assert client.get(url, {"seller_order": shop["theirs"].pk}).status_code == 404


def _stylesheet() -> str:
    from django.contrib.staticfiles import finders

    with open(finders.find("css/sellercentre.css"), encoding="utf-8") as css:
        return css.read()


def detail_url(seller_order, **query):
    url = reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": seller_order.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_cancel_asks_for_a_reason_first_and_without_one_changes_nothing(client, shop):
    part = shop["parts"]["accepted"]
    client.force_login(shop["seller"].owner)

    page = client.get(detail_url(part))
    confirmation = client.get(detail_url(part, konfirmasi="cancel"))
    refused = client.post(detail_url(part), {"action": "cancel", "reason": "   "})

    assert 'id="start-cancel"' in page.content.decode() and 'id="cancel-form"' not in page.content.decode()
    assert 'id="cancel-form"' in confirmation.content.decode()
    assert refused.status_code == 400 and 'id="cancel-form"' in refused.content.decode()
    part.refresh_from_db()
    assert part.status == S.ACCEPTED and part.refunded_amount == 0 and not part.cancellation_reason


def test_a_refund_without_a_reason_is_refused(client, shop):
    part = shop["parts"]["packed"]
    client.force_login(shop["seller"].owner)

    assert 'id="refund-form"' in client.get(detail_url(part, konfirmasi="refund")).content.decode()
    refused = client.post(detail_url(part), {"action": "refund", "amount": 1000})

    assert refused.status_code == 400
    part.refresh_from_db()
    assert part.refunded_amount == 0


def test_the_history_is_readable_without_payment_references(client, shop):
    part = shop["parts"]["packed"]
    part.events.filter(to_status=S.PAID).update(note="pi_3SecretStripeReference")
    client.force_login(shop["seller"].owner)

    response = client.get(detail_url(part))

    body = response.content.decode()
    assert "pi_3SecretStripeReference" not in body
    history = response.context["history"]
    assert [row["status"] for row in history] == [S.PENDING_PAYMENT, S.PAID, S.ACCEPTED, S.PACKED]
    assert history[-1]["who"] == (shop["seller"].owner.get_full_name() or shop["seller"].owner.email)
    assert 'data-status="packed"' in body


def test_ship_by_is_the_same_working_day_before_noon_else_the_next_and_late_after_it():
    friday = datetime.date(2026, 11, 20)
    assert add_working_days(friday, 2) == datetime.date(2026, 11, 24)  # over the weekend, to Tuesday

    def paid(day: int, hour: int, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime(2026, 11, day, hour, minute))

    assert ship_by(paid(20, 11, 59)) == friday  # Friday morning: the same day
    assert ship_by(paid(20, 12, 0)) == datetime.date(2026, 11, 23)  # Friday noon: Monday
    assert ship_by(paid(21, 9, 0)) == datetime.date(2026, 11, 23)  # Saturday morning: Monday
    assert ship_by(paid(23, 8, 0)) == datetime.date(2026, 11, 23)
    # On Tuesday the 24th, Monday morning's payment is late; Monday afternoon's (due Tuesday) is not.
    cutoff = late_paid_before(datetime.date(2026, 11, 24))
    assert paid(23, 11, 0) < cutoff <= paid(23, 12, 0)
    # On Monday the 23rd, Friday morning's is late and Friday afternoon's or Sunday's are not.
    cutoff = late_paid_before(datetime.date(2026, 11, 23))
    assert paid(20, 11, 0) < cutoff <= paid(20, 13, 0) < paid(22, 10, 0)


def test_ship_by_skips_national_holidays_and_cuti_bersama():
    # Paid on the morning of Thursday 19 March 2026 (Nyepi, no working day): 20 and 23-24 March are
    # cuti bersama for Idul Fitri, 21-22 March Idul Fitri on the weekend. The next working day is the 25th.
    assert ship_by(timezone.make_aware(datetime.datetime(2026, 3, 19, 10, 0))) == datetime.date(2026, 3, 25)
    # Paid on Wednesday 13 May 2026 after noon: Thursday 14 May is Kenaikan, Friday 15 May cuti bersama.
    assert ship_by(timezone.make_aware(datetime.datetime(2026, 5, 13, 15, 0))) == datetime.date(2026, 5, 18)
    assert add_working_days(datetime.date(2026, 5, 11), 2) == datetime.date(2026, 5, 13)
    assert add_working_days(datetime.date(2026, 5, 13), 2) == datetime.date(2026, 5, 19)
    # 17 August 2027 is a Tuesday: a payment of Monday the 16th is due on Thursday the 19th.
    assert add_working_days(datetime.date(2027, 8, 16), 2) == datetime.date(2027, 8, 19)
    # Christmas Eve (cuti bersama) and Christmas 2026 fall on Thursday and Friday.
    assert ship_by(timezone.make_aware(datetime.datetime(2026, 12, 24, 9, 0))) == datetime.date(2026, 12, 28)
    # Lateness follows the same calendar: on 25 March the last working day before is the 17th (18 March
    # is cuti bersama, 19 Nyepi, 20-24 Idul Fitri), so a payment of the 17th's morning is late and
    # one of its afternoon (due the 25th) is not.
    cutoff = late_paid_before(datetime.date(2026, 3, 25))
    assert timezone.make_aware(datetime.datetime(2026, 3, 17, 11, 0)) < cutoff
    assert timezone.make_aware(datetime.datetime(2026, 3, 17, 13, 0)) >= cutoff
    assert ship_by(timezone.make_aware(datetime.datetime(2026, 3, 17, 13, 0))) == datetime.date(2026, 3, 25)


def test_the_holiday_table_covers_2026_and_2027_and_only_weekdays_off_count():
    from fulfilment.holidays import CUTI_BERSAMA, HOLIDAYS_KNOWN_UNTIL, NATIONAL_HOLIDAYS, holiday_name, is_working_day

    assert len([day for day in NATIONAL_HOLIDAYS if day.year == 2026]) == 17
    assert len([day for day in CUTI_BERSAMA if day.year == 2026]) == 8
    assert {day.year for day in NATIONAL_HOLIDAYS} == {2026, 2027}
    assert HOLIDAYS_KNOWN_UNTIL >= max(NATIONAL_HOLIDAYS)
    assert holiday_name(datetime.date(2026, 8, 17)) == "Proklamasi Kemerdekaan"
    assert not is_working_day(datetime.date(2026, 8, 17))
    assert is_working_day(datetime.date(2026, 8, 18))
    assert not is_working_day(datetime.date(2026, 8, 22))  # a Saturday
