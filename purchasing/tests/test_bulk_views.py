"""Bulk ordering pages: CSV upload, the quick-order grid, placing the order, and ordering a past order again."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from purchasing.bulk_views import SESSION_KEY
from purchasing.models import CompanyOrder
from purchasing.ordering import PurchaseItem, submit_purchase
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
)
from wholesale.services import price_tiers_set, wholesale_moq_set

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")

BULK_URL = reverse("purchasing:bulk-order")
PLACE_URL = reverse("purchasing:bulk-order-place")


def product_with_sku(seller, sku: str, *, price="25000", stock=100, **fields):
    product = make_seller_product(seller, price=price, stock=stock, **fields)
    record = product.stockrecords.get()
    record.partner_sku = sku
    record.save()
    return record


@pytest.fixture
def world():
    regions = make_region_tree()
    seller = make_seller(regions=regions)
    keripik = product_with_sku(seller, "KRP-01", price="25000", stock=500, title="Keripik Singkong")
    price_tiers_set(stockrecord=keripik, tiers=[(10, 22000), (50, 20000)])
    wholesale_moq_set(stockrecord=keripik, moq=10)
    kopi = product_with_sku(seller, "KOPI-250", price="60000", stock=30, title="Kopi Arabika 250 g")
    buyer = make_user()
    company = make_company(members=[(buyer, "buyer")])
    return {"regions": regions, "seller": seller, "keripik": keripik, "kopi": kopi, "buyer": buyer, "company": company}


@pytest.fixture
def buyer_client(client, world):
    client.force_login(world["buyer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client, content: bytes, action: str):
    return client.post(
        BULK_URL, {"source": "csv", "action": action, "file": SimpleUploadedFile("pesanan.csv", content)}
    )


def basket_lines(user):
    basket = Basket.objects.filter(owner=user, status="Open").first()
    if basket is None:
        return []
    return sorted((line.stockrecord.partner_sku, line.quantity) for line in basket.lines.all())


def grid_data(rows: list[tuple], *, total: int = 10, action: str = "basket") -> dict:
    data = {
        "source": "grid",
        "action": action,
        "grid-TOTAL_FORMS": str(total),
        "grid-INITIAL_FORMS": "0",
        "grid-MIN_NUM_FORMS": "0",
        "grid-MAX_NUM_FORMS": "200",
    }
    for index, (sku, quantity) in enumerate(rows):
        data[f"grid-{index}-sku"] = sku
        data[f"grid-{index}-quantity"] = quantity
    return data


def address(world) -> dict:
    regions = world["regions"]
    return {
        "first_name": "Gudang PT Mitra",
        "phone_number": "081234567890",
        "line1": "Jl. Soekarno Hatta 10",
        "province": regions["province"].code,
        "kabupaten": regions["kabupaten"].code,
        "kecamatan": regions["kecamatan"][0].code,
        "desa": regions["desa"][0].code,
        "postcode": "40111",
    }


# --- access -------------------------------------------------------------------------------------


def test_only_members_of_verified_companies_may_order_in_bulk(client, world):
    assert client.get(BULK_URL)["Location"].startswith(reverse("customer:login"))

    client.force_login(make_user())
    assert client.get(BULK_URL)["Location"] == reverse("companies:register")

    applicant = make_user()
    make_company(status="applied", members=[(applicant, "approver")])
    client.force_login(applicant)
    assert client.get(BULK_URL)["Location"] == reverse("companies:register")
    response = client.post(reverse("purchasing:reorder", kwargs={"order_number": "1"}))
    assert response["Location"] == reverse("companies:register")


def test_the_page_offers_the_upload_the_grid_and_the_template(buyer_client):
    page = buyer_client.get(BULK_URL)
    assert page.status_code == 200
    assert len(page.context["formset"].forms) == 10
    assert reverse("purchasing:bulk-order-template").encode() in page.content

    template = buyer_client.get(reverse("purchasing:bulk-order-template"))
    assert template["Content-Type"] == "text/csv; charset=utf-8"
    assert template.content.decode("utf-8") == "\ufeffsku,quantity,pesantren\r\n"


# --- CSV upload ---------------------------------------------------------------------------------


def test_uploading_a_good_csv_fills_the_basket_and_goes_to_the_business_checkout(buyer_client, world):
    response = upload(buyer_client, b"sku;quantity\r\nKRP-01;50\r\nKOPI-250;2\r\n", "basket")

    assert response.status_code == 302 and response["Location"] == reverse("purchasing:checkout")
    assert basket_lines(world["buyer"]) == [("KOPI-250", 2), ("KRP-01", 50)]
    checkout = buyer_client.get(response["Location"])
    assert "Rp 20.000" in checkout.content.decode()


def test_a_csv_with_bad_rows_lists_every_problem_and_adds_nothing(buyer_client, world):
    response = upload(buyer_client, b"sku,quantity\nKRP-01,50\nNOPE,2\nKOPI-250,x\nKRP-01,-1\n", "basket")

    assert response.status_code == 400
    errors = [(error.row, error.column, error.message) for error in response.context["invalid"].errors]
    assert errors == [
        (3, "sku", "No product has the SKU “NOPE”."),
        (4, "quantity", "Enter a whole number of units, such as 12."),
        (5, "quantity", "The quantity must be at least 1."),
    ]
    assert "No product has the SKU “NOPE”." in response.content.decode()
    assert basket_lines(world["buyer"]) == []


def test_an_unreadable_file_is_refused_clearly(buyer_client, world):
    response = upload(buyer_client, "sku,quantity\nKÉRIPIK,5\n".encode("latin-1"), "basket")
    assert response.status_code == 400
    assert response.context["invalid"].messages == [
        "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”."
    ]
    assert basket_lines(world["buyer"]) == []


def test_posting_without_a_file_asks_for_one(buyer_client):
    response = buyer_client.post(BULK_URL, {"source": "csv", "action": "basket"})
    assert response.status_code == 400 and response.context["upload_form"].errors["file"]


# --- quick-order grid ---------------------------------------------------------------------------


def test_the_grid_adds_its_filled_rows_to_the_basket(buyer_client, world):
    response = buyer_client.post(BULK_URL, grid_data([("KRP-01", "12"), ("", ""), ("kopi-250", "1")]))

    assert response["Location"] == reverse("purchasing:checkout")
    assert basket_lines(world["buyer"]) == [("KOPI-250", 1), ("KRP-01", 12)]


def test_grid_problems_show_beside_their_fields_and_nothing_is_added(buyer_client, world):
    response = buyer_client.post(BULK_URL, grid_data([("KRP-01", "5"), ("KOPI-250", "2"), ("NOPE", "1")]))

    assert response.status_code == 400
    forms = response.context["formset"].forms
    assert forms[0].errors == {"quantity": ["The minimum order for wholesale buyers is 10 units."]}
    assert forms[1].errors == {}
    assert forms[2].errors == {"sku": ["No product has the SKU “NOPE”."]}
    assert basket_lines(world["buyer"]) == []


def test_an_empty_grid_asks_for_a_row(buyer_client):
    response = buyer_client.post(BULK_URL, grid_data([]))
    assert response.status_code == 400
    assert response.context["invalid"].messages == ["Enter at least one SKU and quantity."]


def test_add_rows_without_javascript_keeps_what_was_typed(buyer_client, world):
    response = buyer_client.post(BULK_URL, grid_data([("KRP-01", "12")], action="add_rows"))

    formset = response.context["formset"]
    assert response.status_code == 200 and len(formset.forms) == 20
    assert formset.forms[0]["sku"].value() == "KRP-01"
    assert basket_lines(world["buyer"]) == []


def test_sku_lookup_gives_the_company_price_as_json(buyer_client):
    url = reverse("purchasing:bulk-order-lookup")
    found = buyer_client.get(url, {"sku": "krp-01", "quantity": "50"}).json()
    assert found == {
        "found": True,
        "title": "Keripik Singkong",
        "pesantren": found["pesantren"],
        "unit_price": 20000,
        "retail_price": 25000,
        "moq": 10,
        "available": 500,
        "tiers": [{"min_quantity": 10, "unit_price": 22000}, {"min_quantity": 50, "unit_price": 20000}],
    }
    assert buyer_client.get(url, {"sku": "NOPE"}).json() == {
        "found": False,
        "message": "No product has the SKU “NOPE”.",
    }


# --- place the order now ------------------------------------------------------------------------


def test_place_now_checks_the_rows_then_places_one_order(buyer_client, world):
    # when the CSV is checked
    response = upload(buyer_client, b"sku,quantity\nKRP-01,50\nKOPI-250,2\n", "place")
    assert response["Location"] == PLACE_URL
    page = buyer_client.get(PLACE_URL)
    assert [(line.sku, line.quantity) for line in page.context["lines"]] == [("KRP-01", 50), ("KOPI-250", 2)]
    assert page.context["products_total"] == Decimal("1120000")
    assert basket_lines(world["buyer"]) == [], "placing directly leaves the basket alone"

    # and the order is placed with an address, payment terms and a PO number
    response = buyer_client.post(PLACE_URL, {**address(world), "payment_method": "card", "po_number": "PO-9"})

    company_order = CompanyOrder.objects.get()
    order = company_order.order
    assert response["Location"] == reverse("checkout:pay", kwargs={"order_number": order.number})
    assert (company_order.company, company_order.placed_by, company_order.po_number) == (
        world["company"],
        world["buyer"],
        "PO-9",
    )
    assert sorted((line.partner_sku, line.quantity, line.unit_price_incl_tax) for line in order.lines.all()) == [
        ("KOPI-250", 2, Decimal("60000")),
        ("KRP-01", 50, Decimal("20000")),
    ]
    assert SESSION_KEY not in buyer_client.session


def test_place_now_offers_invoice_only_with_a_credit_limit(buyer_client, world):
    upload(buyer_client, b"sku,quantity\nKOPI-250,2\n", "place")
    choices = [
        value for value, _label in buyer_client.get(PLACE_URL).context["terms_form"].fields["payment_method"].choices
    ]
    assert "invoice" not in choices

    world["company"].credit_limit = 10_000_000
    world["company"].save()
    choices = [
        value for value, _label in buyer_client.get(PLACE_URL).context["terms_form"].fields["payment_method"].choices
    ]
    assert "invoice" in choices


def test_stock_gone_before_placing_is_reported_and_nothing_is_placed(buyer_client, world):
    upload(buyer_client, b"sku,quantity\nKRP-01,50\nKOPI-250,20\n", "place")
    world["kopi"].num_in_stock = 10
    world["kopi"].save()

    response = buyer_client.post(PLACE_URL, {**address(world), "payment_method": "card"})

    assert response.status_code == 400
    assert response.context["invalid"].messages == ["Row 3, quantity: Only 10 in stock."]
    assert not Order.objects.exists()


def test_a_bad_address_places_nothing(buyer_client, world):
    upload(buyer_client, b"sku,quantity\nKOPI-250,2\n", "place")
    response = buyer_client.post(PLACE_URL, {**address(world), "postcode": "12", "payment_method": "card"})
    assert response.status_code == 400 and response.context["address_form"].errors["postcode"]
    assert not Order.objects.exists()


def test_the_place_page_without_a_checked_order_goes_back_to_the_upload(buyer_client):
    assert buyer_client.get(PLACE_URL)["Location"] == BULK_URL


def test_a_bad_csv_never_reaches_the_place_page(buyer_client):
    response = upload(buyer_client, b"sku,quantity\nNOPE,1\n", "place")
    assert response.status_code == 400
    assert SESSION_KEY not in buyer_client.session


# --- order again --------------------------------------------------------------------------------


@pytest.fixture
def past_order(world):
    result = submit_purchase(
        company=world["company"],
        user=world["buyer"],
        items=[
            PurchaseItem(stockrecord=world["keripik"], quantity=20),
            PurchaseItem(stockrecord=world["kopi"], quantity=3),
        ],
        shipping_address=make_shipping_address(regions=world["regions"]),
        payment_method="card",
    )
    return result.order


def reorder_url(order):
    return reverse("purchasing:reorder", kwargs={"order_number": order.number})


def test_order_again_puts_the_same_products_in_the_basket(buyer_client, world, past_order):
    page = buyer_client.get(reorder_url(past_order))
    assert page.status_code == 200 and page.context["invalid"] is None

    response = buyer_client.post(reorder_url(past_order), {"action": "all"})

    assert response["Location"] == reverse("purchasing:checkout")
    assert basket_lines(world["buyer"]) == [("KOPI-250", 3), ("KRP-01", 20)]


def test_another_member_of_the_company_may_order_it_again(client, world, past_order):
    colleague = make_user()
    world["company"].memberships.create(user=colleague, role="approver")
    client.force_login(colleague)

    assert client.post(reorder_url(past_order))["Location"] == reverse("purchasing:checkout")
    assert basket_lines(colleague) == [("KOPI-250", 3), ("KRP-01", 20)]


def test_another_companys_order_is_not_found(client, world, past_order):
    outsider = make_user()
    make_company(members=[(outsider, "approver")])
    client.force_login(outsider)

    assert client.get(reorder_url(past_order)).status_code == 404
    assert client.post(reorder_url(past_order)).status_code == 404
    assert basket_lines(outsider) == []


def test_an_unavailable_product_is_reported_and_the_buyer_chooses_to_add_the_rest(buyer_client, world, past_order):
    product = world["kopi"].product
    product.is_public = False
    product.save()

    page = buyer_client.get(reorder_url(past_order))
    assert page.context["invalid"].messages == ["Row 2, sku: “Kopi Arabika 250 g” is no longer for sale."]
    assert page.context["available_count"] == 1

    refused = buyer_client.post(reorder_url(past_order), {"action": "all"})
    assert refused.status_code == 400 and basket_lines(world["buyer"]) == []

    response = buyer_client.post(reorder_url(past_order), {"action": "available"})
    assert response["Location"] == reverse("purchasing:checkout")
    assert basket_lines(world["buyer"]) == [("KRP-01", 20)]


def test_order_again_when_nothing_is_available_adds_nothing(buyer_client, world, past_order):
    for record in (world["keripik"], world["kopi"]):
        record.num_in_stock = record.num_allocated
        record.save()

    response = buyer_client.post(reorder_url(past_order), {"action": "available"})

    assert response.status_code == 400
    assert [error.message for error in response.context["invalid"].errors] == ["Sold out.", "Sold out."]
    assert basket_lines(world["buyer"]) == []
