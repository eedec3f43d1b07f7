"""The bulk-order service: reading CSV files, checking every row, and the two all-or-nothing destinations."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from oscar.core.loading import get_model

from partner.strategy import Selector
from purchasing.bulk import (
    MAX_ROWS,
    BulkError,
    BulkOrderInvalid,
    BulkRow,
    bulk_lines_parse,
    bulk_lines_validate,
    bulk_order_add_to_basket,
    bulk_order_place,
    bulk_rows_read,
    bulk_sku_lookup,
)
from purchasing.models import CompanyOrder
from sellers.models import SellerStatus
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
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def product_with_sku(seller, sku: str, *, price="25000", stock=100, **fields):
    product = make_seller_product(seller, price=price, stock=stock, **fields)
    record = product.stockrecords.get()
    record.partner_sku = sku
    record.save()
    return record


@pytest.fixture
def world():
    regions = make_region_tree()
    seller = make_seller(regions=regions, name="Pondok Pesantren Al-Ikhlas", slug="al-ikhlas")
    keripik = product_with_sku(seller, "KRP-01", price="25000", stock=500, title="Keripik Singkong")
    price_tiers_set(stockrecord=keripik, tiers=[(10, 22000), (50, 20000)])
    wholesale_moq_set(stockrecord=keripik, moq=10)
    kopi = product_with_sku(seller, "KOPI-250", price="60000", stock=30, title="Kopi Arabika 250 g")
    buyer = make_user()
    company = make_company(members=[(buyer, "approver")])
    return {"regions": regions, "seller": seller, "keripik": keripik, "kopi": kopi, "buyer": buyer, "company": company}


def parse(world, text: str):
    return bulk_lines_parse(company=world["company"], text=text)


def errors_of(world, text: str) -> list[tuple]:
    with pytest.raises(BulkOrderInvalid) as raised:
        parse(world, text)
    return [(error.row, error.column, error.message) for error in raised.value.errors]


def company_basket(world):
    basket = Basket.objects.create(owner=world["buyer"])
    basket.strategy = Selector().strategy(user=world["buyer"])
    return basket


# --- reading ------------------------------------------------------------------------------------


def test_a_good_csv_becomes_lines_at_the_companys_tier_prices(world):
    lines = parse(world, "sku,quantity\nKRP-01,50\nKOPI-250,3\n")

    assert [(line.stockrecord, line.quantity, line.unit_price, line.rows) for line in lines] == [
        (world["keripik"], 50, Decimal("20000"), (2,)),
        (world["kopi"], 3, Decimal("60000"), (3,)),
    ]


def test_excel_in_the_indonesian_locale_semicolons_bom_and_any_header_case(world):
    raw = "\ufeffSKU;Quantity\r\nKRP-01;12\r\n;\r\n\r\nkopi-250;2\r\n".encode()

    lines = bulk_lines_parse(company=world["company"], file=SimpleUploadedFile("pesanan.csv", raw))

    # the SKU matches whatever its case; blank lines are skipped but keep the spreadsheet's row numbers
    assert [(line.sku, line.quantity, line.rows) for line in lines] == [("KRP-01", 12, (2,)), ("KOPI-250", 2, (5,))]
    assert lines[0].unit_price == Decimal("22000")


def test_indonesian_header_names_and_extra_columns_are_accepted(world):
    lines = parse(world, "Nama produk,Kode,Jumlah\nKeripik,KRP-01,10\n")
    assert [(line.sku, line.quantity) for line in lines] == [("KRP-01", 10)]


def test_every_bad_row_is_reported_at_once_with_its_row_and_column(world):
    hidden = product_with_sku(world["seller"], "RAHASIA", is_public=False)
    assert hidden.product.is_public is False
    text = "\n".join(
        [
            "sku,quantity",
            "TIDAK-ADA,5",  # 2: unknown SKU
            "KOPI-250,0",  # 3: zero
            "KOPI-250,-4",  # 4: negative
            "KOPI-250,2.5",  # 5: not a whole number
            "KOPI-250,lima",  # 6: not a number
            "KOPI-250,",  # 7: missing quantity
            ",3",  # 8: missing SKU
            "KOPI-250,31",  # 9: over the stock of 30
            "KRP-01,9",  # 10: below the MOQ of 10
            "RAHASIA,1",  # 11: not a public product
        ]
    )

    assert errors_of(world, text) == [
        (2, "sku", "No product has the SKU “TIDAK-ADA”."),
        (3, "quantity", "The quantity must be at least 1."),
        (4, "quantity", "The quantity must be at least 1."),
        (5, "quantity", "Enter a whole number of units, such as 12."),
        (6, "quantity", "Enter a whole number of units, such as 12."),
        (7, "quantity", "Enter a quantity."),
        (8, "sku", "Enter a SKU."),
        (9, "quantity", "Only 30 in stock."),
        (10, "quantity", "The minimum order for wholesale buyers is 10 units."),
        (11, "sku", "The product with the SKU “RAHASIA” is not for sale at the moment."),
    ]


def test_the_error_messages_read_as_sentences_naming_the_row(world):
    with pytest.raises(BulkOrderInvalid) as raised:
        parse(world, "sku,quantity\nKRP-01,9\n")
    assert raised.value.messages == ["Row 2, quantity: The minimum order for wholesale buyers is 10 units."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"sku,amount\nKRP-01,5\n", "The first row must name the columns “sku” and “quantity”; it reads: sku, amount."),
        (
            b"product;count\nKRP-01;5\n",
            "The first row must name the columns “sku” and “quantity”; it reads: product, count.",
        ),
        (b"quantity\n5\n", "The first row must name the columns “sku” and “quantity”; it reads: quantity."),
        (b"sku,quantity\n\n\n", "The file has no order rows under its header."),
        (b"", "The file is empty."),
        (
            "sku,quantity\nKÉRIPIK,5\n".encode("latin-1"),
            "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”.",
        ),
        (b"\x00\x01\x02", "The file is not a CSV text file. In Excel, save it as “CSV UTF-8 (Comma delimited)”."),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(content, message):
    with pytest.raises(BulkOrderInvalid) as raised:
        bulk_rows_read(file=SimpleUploadedFile("pesanan.csv", content))
    assert [error.message for error in raised.value.errors] == [message]


def test_too_many_rows_and_too_large_files_are_refused():
    rows = "sku,quantity\n" + "KRP-01,1\n" * (MAX_ROWS + 1)
    with pytest.raises(BulkOrderInvalid) as raised:
        bulk_rows_read(text=rows)
    assert raised.value.messages == ["A bulk order may have at most 1,000 rows; split the file into smaller orders."]
    assert len(bulk_rows_read(text="sku,quantity\n" + "KRP-01,1\n" * MAX_ROWS)) == MAX_ROWS

    big = SimpleUploadedFile("pesanan.csv", b"sku,quantity\n" + b"A" * (1024 * 1024))
    with pytest.raises(BulkOrderInvalid) as raised:
        bulk_rows_read(file=big)
    assert raised.value.messages == ["The file is larger than 1 MB; split it into smaller orders."]


# --- rules across rows --------------------------------------------------------------------------


def test_rows_naming_the_same_product_are_added_together_and_checked_as_one(world):
    # 6 + 6 meets the MOQ of 10, and the tier of 10+ applies to the sum
    lines = parse(world, "sku,quantity\nKRP-01,6\nKOPI-250,1\nkrp-01,6\n")
    assert [(line.sku, line.quantity, line.rows, line.unit_price) for line in lines] == [
        ("KRP-01", 12, (2, 4), Decimal("22000")),
        ("KOPI-250", 1, (3,), Decimal("60000")),
    ]

    assert errors_of(world, "sku,quantity\nKOPI-250,20\nKOPI-250,20\n") == [
        (2, "quantity", "Only 30 in stock. (rows 2, 3 added together)")
    ]


def test_a_sku_used_by_two_pesantren_needs_the_pesantren_column(world):
    other = make_seller(regions=world["regions"], name="Pesantren Daarul Ulum", slug="daarul-ulum")
    theirs = product_with_sku(other, "KOPI-250", price="55000", stock=10)

    assert errors_of(world, "sku,quantity\nKOPI-250,2\n") == [
        (
            2,
            "sku",
            "Several pesantren use the SKU “KOPI-250” (al-ikhlas, daarul-ulum); add the pesantren column to say "
            "which one you mean.",
        )
    ]
    lines = parse(world, "sku,quantity,pesantren\nKOPI-250,2,Daarul-Ulum\nKOPI-250,1,Pondok Pesantren Al-Ikhlas\n")
    assert [(line.stockrecord, line.quantity) for line in lines] == [(theirs, 2), (world["kopi"], 1)]
    assert errors_of(world, "sku,quantity,pesantren\nKOPI-250,2,al-hikmah\n") == [
        (2, "pesantren", "No pesantren called “al-hikmah” sells the SKU “KOPI-250”.")
    ]


def test_products_of_a_suspended_pesantren_are_not_for_sale(world):
    suspended = make_seller(regions=world["regions"])
    product_with_sku(suspended, "DODOL-1")
    suspended.status = SellerStatus.SUSPENDED
    suspended.save()

    assert errors_of(world, "sku,quantity\nDODOL-1,3\n") == [
        (2, "sku", f"{suspended.name} is not taking orders at the moment.")
    ]


def test_an_unverified_company_cannot_validate_an_order(world):
    world["company"].status = "applied"
    world["company"].save()
    assert errors_of(world, "sku,quantity\nKOPI-250,1\n") == [
        (None, "", "Your company must be verified by programme staff before it can order.")
    ]


def test_validating_500_rows_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    # given 500 products with tiers, written in bulk so the test stays quick
    seller = world["seller"]
    template = world["kopi"].product
    products = Product.objects.bulk_create(
        Product(title=f"Produk {n}", slug=f"produk-{n}", product_class=template.product_class, is_public=True)
        for n in range(500)
    )
    records = StockRecord.objects.bulk_create(
        StockRecord(product=product, partner=seller.partner, partner_sku=f"BULK-{n}", price=10000, num_in_stock=50)
        for n, product in enumerate(products)
    )
    price_tiers_set(stockrecord=records[0], tiers=[(10, 9000)])
    rows = [BulkRow(row=n + 2, sku=f"bulk-{n}", quantity="12") for n in range(500)]

    # when
    with django_assert_max_num_queries(3):
        lines = bulk_lines_validate(company=world["company"], rows=rows)

    # then
    assert len(lines) == 500
    assert lines[0].unit_price == Decimal("9000") and lines[1].unit_price == Decimal("10000")


def test_sku_lookup_shows_public_products_only(world):
    found = bulk_sku_lookup(sku="krp-01", quantity=50)
    assert (found.found, found.title, found.pesantren, found.unit_price, found.moq) == (
        True,
        "Keripik Singkong",
        "Pondok Pesantren Al-Ikhlas",
        Decimal("20000"),
        10,
    )
    product_with_sku(world["seller"], "RAHASIA", is_public=False)
    hidden = bulk_sku_lookup(sku="RAHASIA")
    assert (hidden.found, hidden.title) == (False, "")


# --- destinations -------------------------------------------------------------------------------


def test_add_to_basket_adds_exactly_the_rows_at_tier_prices(world):
    basket = company_basket(world)

    bulk_order_add_to_basket(
        company=world["company"], basket=basket, rows=bulk_rows_read(text="sku,quantity\nKRP-01,50\nKOPI-250,2\n")
    )

    basket = Basket.objects.get(pk=basket.pk)
    basket.strategy = Selector().strategy(user=world["buyer"])
    assert sorted(
        (line.stockrecord.partner_sku, line.quantity, line.unit_price_incl_tax) for line in basket.all_lines()
    ) == [
        ("KOPI-250", 2, Decimal("60000")),
        ("KRP-01", 50, Decimal("20000")),
    ]
    assert [line.get_warning() for line in basket.all_lines()] == [None, None]


def test_a_bad_row_adds_nothing_to_the_basket(world):
    basket = company_basket(world)
    basket.add_product(world["kopi"].product, 1)

    with pytest.raises(BulkOrderInvalid):
        bulk_order_add_to_basket(
            company=world["company"], basket=basket, rows=bulk_rows_read(text="sku,quantity\nKRP-01,50\nNOPE,1\n")
        )

    assert [(line.stockrecord, line.quantity) for line in basket.lines.all()] == [(world["kopi"], 1)]


def test_the_stock_check_counts_what_the_basket_already_holds(world):
    basket = company_basket(world)
    basket.add_product(world["kopi"].product, 25)

    with pytest.raises(BulkOrderInvalid) as raised:
        bulk_order_add_to_basket(
            company=world["company"], basket=basket, rows=bulk_rows_read(text="sku,quantity\nKOPI-250,6\n")
        )
    assert raised.value.errors == [BulkError(2, "quantity", "Only 30 in stock, and your basket already holds 25.")]

    bulk_order_add_to_basket(
        company=world["company"], basket=basket, rows=bulk_rows_read(text="sku,quantity\nKOPI-250,5\n")
    )
    assert basket.lines.get().quantity == 30


def test_place_now_places_one_order_at_tier_prices(world):
    result = bulk_order_place(
        company=world["company"],
        user=world["buyer"],
        rows=bulk_rows_read(text="sku,quantity\nKRP-01,50\nKOPI-250,2\n"),
        shipping_address=make_shipping_address(regions=world["regions"]),
        payment_method="card",
        po_number="PO-2026-11",
    )

    order = result.order
    assert sorted((line.partner_sku, line.quantity, line.unit_price_incl_tax) for line in order.lines.all()) == [
        ("KOPI-250", 2, Decimal("60000")),
        ("KRP-01", 50, Decimal("20000")),
    ]
    assert order.total_incl_tax == Decimal("1120000") + order.shipping_incl_tax
    assert CompanyOrder.objects.get(order=order).po_number == "PO-2026-11"
    world["keripik"].refresh_from_db()
    world["kopi"].refresh_from_db()
    assert (world["keripik"].num_allocated, world["kopi"].num_allocated) == (50, 2)


def test_place_now_with_a_bad_row_places_nothing(world):
    with pytest.raises(BulkOrderInvalid):
        bulk_order_place(
            company=world["company"],
            user=world["buyer"],
            rows=bulk_rows_read(text="sku,quantity\nKRP-01,50\nKOPI-250,99\n"),
            shipping_address=make_shipping_address(regions=world["regions"]),
            payment_method="card",
        )
    assert not Order.objects.exists()
    world["keripik"].refresh_from_db()
    assert not world["keripik"].num_allocated


def test_stock_sold_meanwhile_refuses_the_whole_order_and_reserves_nothing(world):
    from django.core.exceptions import ValidationError

    from purchasing.ordering import PurchaseItem, submit_purchase

    lines = bulk_lines_validate(
        company=world["company"], rows=bulk_rows_read(text="sku,quantity\nKRP-01,50\nKOPI-250,20\n")
    )
    # another buyer takes most of the coffee between the check and the placing
    StockRecord.objects.filter(pk=world["kopi"].pk).update(num_allocated=15)

    with pytest.raises(ValidationError) as raised:
        submit_purchase(
            company=world["company"],
            user=world["buyer"],
            items=[PurchaseItem(stockrecord=line.stockrecord, quantity=line.quantity) for line in lines],
            shipping_address=make_shipping_address(regions=world["regions"]),
            payment_method="card",
        )

    assert raised.value.messages == ["Sorry, “Kopi Arabika 250 g” is no longer in stock in the quantity you asked for."]
    assert not Order.objects.exists()
    world["keripik"].refresh_from_db()
    assert not world["keripik"].num_allocated
