"""The pesantren's sales overview, checked against known orders, and its storefront profile page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.sales import orders_by_status, revenue_by_month, revenue_by_week, top_products
from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.services import order_payment_succeeded
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 18)  # a Wednesday


def paid_on(order, day: datetime.date):
    order_payment_succeeded(order_id=order.pk)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    SellerOrder.objects.filter(order=order).update(paid_at=moment)


@pytest.fixture
def sales():
    regions = make_region_tree()
    alfa = make_seller(name="Pesantren Alfa", regions=regions)
    beta = make_seller(name="Pesantren Beta", regions=regions)
    kopi = make_seller_product(alfa, title="Kopi", price="50000", stock=50)
    teh = make_seller_product(alfa, title="Teh", price="20000", stock=50)
    batik = make_seller_product(beta, title="Batik", price="300000", stock=50)
    address = make_shipping_address(regions=regions)
    paid_on(place_order(items=[(kopi, 2), (batik, 1)], shipping_address=address), TODAY)  # this week
    paid_on(place_order(items=[(teh, 1)], shipping_address=address), TODAY - datetime.timedelta(days=7))
    paid_on(place_order(items=[(kopi, 1)], shipping_address=address), datetime.date(2026, 10, 5))
    place_order(items=[(teh, 5)], shipping_address=address)  # unpaid: not a sale
    return {"alfa": alfa, "beta": beta}


def test_revenue_by_week_and_month_counts_only_the_pesantrens_paid_parts(sales):
    weeks = revenue_by_week(seller=sales["alfa"], weeks=4, today=TODAY)
    months = revenue_by_month(seller=sales["alfa"], months=3, today=TODAY)

    assert [row["revenue"] for row in weeks][-2:] == [Decimal("20000.00"), Decimal("100000.00")]
    assert weeks[-1]["start"] == datetime.date(2026, 11, 16)
    assert sum(row["revenue"] for row in weeks) == Decimal("120000.00")
    assert [(row["start"].month, row["revenue"]) for row in months] == [
        (9, Decimal(0)),
        (10, Decimal("50000.00")),
        (11, Decimal("120000.00")),
    ]


def test_top_products_and_orders_by_status(sales):
    top = top_products(seller=sales["alfa"])
    statuses = {row["status"]: row["count"] for row in orders_by_status(seller=sales["alfa"])}

    assert [(row["title"], row["quantity"]) for row in top] == [("Kopi", 3), ("Teh", 1)]
    assert statuses[SellerOrderStatus.PAID] == 3 and statuses[SellerOrderStatus.PENDING_PAYMENT] == 1


def test_overview_page_shows_own_figures_only_within_a_query_budget(client, sales, django_assert_max_num_queries):
    client.force_login(sales["alfa"].owner)

    with django_assert_max_num_queries(18):
        response = client.get(reverse("dashboard:seller-sales"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Kopi" in body and "Batik" not in body and "Pesantren Beta" not in body
    assert "chart-weeks" in body and "vendor/chartjs/chart.umd.min.js" in body


def test_pesantren_edits_its_storefront_profile_but_not_its_status_or_nspp(client, sales):
    alfa = sales["alfa"]
    client.force_login(alfa.owner)
    url = reverse("dashboard:seller-profile")
    data = {
        "name": "Pesantren Alfa Baru",
        "tagline": "Kopi dari lereng gunung",
        "story": "Sejak 1920.",
        "contact_name": "Ustadz Ahmad",
        "whatsapp": "081234567890",
        "email": "toko@example.com",
        "bank_name": "BSI",
        "bank_account_number": "700-123-4567",
        "bank_account_holder": "Yayasan Alfa",
        "status": "verified",
        "nspp": "999999999999",
        "commission_rate": "0",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    alfa.refresh_from_db()
    assert (alfa.name, alfa.tagline, alfa.whatsapp) == (
        "Pesantren Alfa Baru",
        "Kopi dari lereng gunung",
        "6281234567890",
    )
    assert alfa.nspp != "999999999999" and alfa.commission_rate is None
    # the payout account has its own page (dashboard:seller-bank-account), for owners only
    assert alfa.bank_account_number == ""


def test_a_bad_account_number_saves_nothing(client, sales):
    alfa = sales["alfa"]
    client.force_login(alfa.owner)

    response = client.post(
        reverse("dashboard:seller-bank-account"),
        {"bank_name": "BSI", "bank_account_holder": "Yayasan Alfa", "bank_account_number": "ABC"},
    )

    assert response.status_code == 400
    alfa.refresh_from_db()
    assert alfa.bank_account_number == "" and not alfa.events.filter(kind="bank_account").exists()
