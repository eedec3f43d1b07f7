"""The seller centre's home: today's work of one pesantren, counted right, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.sellercentre import seller_centre_home
from fulfilment.models import SellerOrder
from fulfilment.services import seller_order_accept
from quotes.tests.helpers import make_company, make_quote, make_rfq
from ratings.services import review_create, review_reply
from ratings.tests.conftest import buy, deliver
from tests.factories import make_region_tree, make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db
WEDNESDAY = datetime.date(2026, 11, 18)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def shop():
    regions = make_region_tree()
    kopi_shop = make_seller(name="Pesantren Kopi Cibiru", regions=regions)
    other = make_seller(name="Pesantren Batik Garut", regions=regions)
    kopi = make_seller_product(kopi_shop, title="Kopi Arabika", price="150000", stock=50)
    gula = make_seller_product(kopi_shop, title="Gula Aren Cibiru", price="20000", stock=2)
    kain = make_seller_product(other, title="Kain Batik Rahasia", price="90000", stock=1)
    gula.stockrecords.update(low_stock_threshold=5)
    kain.stockrecords.update(low_stock_threshold=5)
    buyer = make_user(first_name="Siti")

    def paid(items, day):
        order, parts = buy(buyer=buyer, items=items, regions=regions)
        SellerOrder.objects.filter(order=order).update(paid_at=at(day))
        return {seller_id: SellerOrder.objects.get(pk=part.pk) for seller_id, part in parts.items()}

    new_today = paid([(kopi, 1), (kain, 1)], WEDNESDAY)[kopi_shop.pk]  # new, this week, due today
    late = paid([(kopi, 2)], WEDNESDAY - datetime.timedelta(days=7))[kopi_shop.pk]  # due last Friday
    late = seller_order_accept(seller_order=late, actor=kopi_shop.owner)
    reviewed = paid([(kopi, 1)], WEDNESDAY - datetime.timedelta(days=30))[kopi_shop.pk]
    deliver(reviewed)
    line = reviewed.order.lines.get()
    review_create(line=line, author=buyer, product_rating=5, seller_rating=5, title="Mantap", body="Wangi")
    company = make_company()
    make_rfq(company=company, seller=kopi_shop, title="Kopi 100 kg")  # open, not quoted: counts
    make_quote(rfq=make_rfq(company=company, seller=kopi_shop, title="Kopi 50 kg"), seller=kopi_shop)
    return {"seller": kopi_shop, "other": other, "new": new_today, "late": late, "buyer": buyer}


def test_the_home_counts_todays_work_of_the_pesantren_only(shop):
    home = seller_centre_home(seller=shop["seller"], today=WEDNESDAY)

    counts = home["counts"]
    assert (counts["new"], counts["to_ship"], counts["late"]) == (1, 1, 1)
    # this week's sales: only Wednesday's Rp 150.000, not last week's or the other pesantren's
    assert (counts["week_sales"], counts["week_orders"]) == (Decimal(150000), 1)
    assert [part.pk for part in home["to_ship"]] == [shop["late"].pk, shop["new"].pk]
    assert [part.is_late for part in home["to_ship"]] == [True, False]
    assert home["to_ship"][1].ship_by == WEDNESDAY  # paid at 10:00, before the noon cut-off
    assert [record.product.title for record in home["low_stock"]] == ["Gula Aren Cibiru"]
    assert home["low_stock_count"] == 1
    assert home["unanswered_reviews"] == 1
    assert home["open_rfqs"] == 1


def test_a_reply_or_a_quote_takes_the_work_off_the_home(shop):
    from ratings.models import LineReview

    review = LineReview.objects.get(seller=shop["seller"])
    review_reply(review=review, seller=shop["seller"], author=shop["seller"].owner, body="Terima kasih")

    assert seller_centre_home(seller=shop["seller"], today=WEDNESDAY)["unanswered_reviews"] == 0


def test_the_home_page_is_the_seller_centre_in_our_look(client, shop, django_assert_max_num_queries):
    client.force_login(shop["seller"].owner)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("dashboard:index"))

    body = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][:1] == ["sellercentre/home.html"]
    assert "css/sellercentre.css" in body and "oscar/css" not in body and "oscar/img" not in body
    assert 'data-testid="shop-name">Pesantren Kopi Cibiru<' in body
    assert 'data-card="new-orders"' in body and 'href="/dashboard/pesanan/?tab=baru"' in body
    assert "Gula Aren Cibiru" in body and "Kain Batik Rahasia" not in body and "Pesantren Batik Garut" not in body
    assert shop["late"].number in body and "data-late" in body


def test_the_home_costs_the_same_queries_for_more_orders(client, shop, django_assert_max_num_queries):
    kopi = shop["seller"].partner.stockrecords.order_by("pk").first().product
    for _ in range(5):
        _order, parts = buy(buyer=shop["buyer"], items=[(kopi, 1)], regions=make_region_tree())
        seller_order_accept(seller_order=parts[shop["seller"].pk], actor=shop["seller"].owner)
    client.force_login(shop["seller"].owner)

    with django_assert_max_num_queries(16):
        response = client.get(reverse("dashboard:index"))

    assert response.status_code == 200 and response.context["counts"]["to_ship"] == 6


def test_platform_staff_keep_oscars_overview(client, shop):
    staff = make_user(is_staff=True, is_superuser=True)
    client.force_login(staff)

    response = client.get(reverse("dashboard:index"))

    assert response.status_code == 200
    assert "sellercentre/home.html" not in [t.name for t in response.templates]


def test_the_sales_report_keeps_the_charts(client, shop):
    client.force_login(shop["seller"].owner)

    response = client.get(reverse("dashboard:seller-sales"))

    assert response.status_code == 200 and "chart-weeks" in response.content.decode()
