"""The pesantren's wholesale price pages at /dashboard/grosir/."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_region_tree, make_seller, make_seller_product, make_user
from wholesale.models import PriceTier, WholesaleTerms
from wholesale.services import price_tiers_set, wholesale_moq_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def shop():
    regions = make_region_tree()
    seller = make_seller(name="Pondok Alfa", regions=regions)
    product = make_seller_product(seller, title="Keripik Singkong Alfa", price="25000", stock=500)
    record = product.stockrecords.get()
    price_tiers_set(stockrecord=record, tiers=[(10, 22000)])
    wholesale_moq_set(stockrecord=record, moq=5)
    other = make_seller(name="Pondok Bravo", regions=regions)
    other_record = make_seller_product(other, title="Dodol Bravo", price="30000").stockrecords.get()
    price_tiers_set(stockrecord=other_record, tiers=[(20, 27000)])
    return {"seller": seller, "record": record, "other": other, "other_record": other_record, "regions": regions}


def edit_url(record) -> str:
    return reverse("wholesale:stockrecord-wholesale", kwargs={"pk": record.pk})


def post_data(rows: list[tuple], *, moq="1", initial: int = 0) -> dict:
    """The edit form's fields: `rows` are (min_quantity, unit_price[, delete]) as typed."""
    data = {
        "tiers-TOTAL_FORMS": str(len(rows)),
        "tiers-INITIAL_FORMS": str(initial),
        "tiers-MIN_NUM_FORMS": "0",
        "tiers-MAX_NUM_FORMS": "1000",
        "moq": moq,
    }
    for index, (quantity, price, *delete) in enumerate(rows):
        data[f"tiers-{index}-min_quantity"] = quantity
        data[f"tiers-{index}-unit_price"] = price
        if delete:
            data[f"tiers-{index}-DELETE"] = "on"
    return data


def saved(record) -> tuple[list, int]:
    tiers = list(PriceTier.objects.filter(stockrecord=record).values_list("min_quantity", "unit_price"))
    return tiers, WholesaleTerms.objects.get(stockrecord=record).moq


def test_list_shows_own_stock_records_with_tiers_and_moq_only(english_client, shop):
    english_client.force_login(shop["seller"].owner)

    response = english_client.get(reverse("wholesale:stockrecord-list"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Keripik Singkong Alfa" in body and "10+ units: Rp 22.000" in body and "5 units" in body
    assert "Dodol Bravo" not in body and "Rp 27.000" not in body
    assert edit_url(shop["record"]) in body


def test_list_query_count_does_not_grow_with_stock_records(english_client, shop):
    english_client.force_login(shop["seller"].owner)
    english_client.get(reverse("wholesale:stockrecord-list"))  # warm per-process caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert english_client.get(reverse("wholesale:stockrecord-list")).status_code == 200
        return len(queries)

    few = count()
    for number in range(6):
        record = make_seller_product(shop["seller"], title=f"Produk {number}", price="20000").stockrecords.get()
        price_tiers_set(stockrecord=record, tiers=[(10, 18000), (50, 15000)])
        wholesale_moq_set(stockrecord=record, moq=3)

    assert count() == few


def test_edit_page_shows_the_current_tiers_and_moq(english_client, shop):
    english_client.force_login(shop["seller"].owner)

    response = english_client.get(edit_url(shop["record"]))

    formset = response.context["formset"]
    assert response.status_code == 200
    assert [form.initial for form in formset.initial_forms] == [{"min_quantity": 10, "unit_price": 22000}]
    assert response.context["moq_form"].initial == {"moq": 5}
    assert 'id="add_tier_row"' in response.content.decode()


def test_valid_tiers_and_moq_replace_the_old_ones(english_client, shop):
    # given
    english_client.force_login(shop["seller"].owner)
    record = shop["record"]

    # when: the old 10+ row is removed, two rows are added out of order, one blank row is left alone
    data = post_data([("10", "22000", "delete"), ("50", "20000"), ("12", "23000"), ("", "")], moq="12", initial=1)
    response = english_client.post(edit_url(record), data, follow=True)

    # then
    assert response.redirect_chain[-1][0] == reverse("wholesale:stockrecord-list")
    assert saved(record) == ([(12, 23000), (50, 20000)], 12)
    assert "Wholesale prices of Keripik Singkong Alfa saved." in response.content.decode()


def test_clearing_every_row_removes_all_tiers(english_client, shop):
    english_client.force_login(shop["seller"].owner)

    english_client.post(edit_url(shop["record"]), post_data([("", "")], moq="1", initial=1))

    assert saved(shop["record"]) == ([], 1)


@pytest.mark.parametrize(
    ("rows", "moq", "message"),
    [
        ([("10", "26000")], "5", "A tier price must not be higher than the retail price (Rp 25.000)."),
        (
            [("10", "22000"), ("50", "23000")],
            "5",
            "A tier price must not be higher than the smaller tier (Rp 22.000 from 10 units).",
        ),
        ([("10", "22000"), ("10", "21000")], "5", "Each tier needs a different minimum quantity."),
        ([("10", "22000")], "0", "The minimum order quantity must be at least 1."),
        ([("10", "22000")], "", "Enter the minimum order quantity (1 for no minimum)."),
        ([("1", "22000")], "5", "A tier starts at 2 units or more."),
        ([("10", "")], "5", "Enter the unit price for this quantity."),
        ([("10", "abc")], "5", "Enter a whole number."),
    ],
    ids=[
        "above-retail",
        "above-smaller-tier",
        "duplicate-quantity",
        "moq-zero",
        "moq-missing",
        "tier-of-1",
        "price-missing",
        "not-a-number",
    ],
)
def test_invalid_input_is_shown_and_saves_nothing(english_client, shop, rows, moq, message):
    # given
    english_client.force_login(shop["seller"].owner)
    before = saved(shop["record"])

    # when: a valid change elsewhere in the same form must not be saved either
    response = english_client.post(edit_url(shop["record"]), post_data([("100", "15000"), *rows], moq=moq))

    # then
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert "Nothing was saved. Please correct the errors below." in body
    assert saved(shop["record"]) == before


def test_another_pesantrens_stock_record_is_404_and_unchanged(english_client, shop):
    english_client.force_login(shop["seller"].owner)
    other_record = shop["other_record"]

    assert english_client.get(edit_url(other_record)).status_code == 404
    response = english_client.post(edit_url(other_record), post_data([("2", "1")], moq="99"))

    assert response.status_code == 404
    assert list(PriceTier.objects.filter(stockrecord=other_record).values_list("min_quantity", "unit_price")) == [
        (20, 27000)
    ]
    assert not WholesaleTerms.objects.filter(stockrecord=other_record).exists()


def test_users_without_a_pesantren_get_404_and_visitors_sign_in(english_client, shop):
    english_client.force_login(make_user())
    assert english_client.get(reverse("wholesale:stockrecord-list")).status_code == 404
    assert english_client.get(edit_url(shop["record"])).status_code == 404

    english_client.logout()
    response = english_client.get(reverse("wholesale:stockrecord-list"))
    assert response.status_code == 302 and settings.LOGIN_URL in response["Location"]


def test_dashboard_menu_lists_wholesale_prices_for_a_pesantren(english_client, shop):
    english_client.force_login(shop["seller"].owner)

    response = english_client.get(reverse("dashboard:index"))

    assert reverse("wholesale:stockrecord-list") in response.content.decode()
