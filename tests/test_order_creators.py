"""A consumer order and a company order of the same basket are the same order, line by line.

The consumer checkout places orders with the project's `order.utils.OrderCreator` (Oscar's
`place_order`, line by line); every company order goes through `CompanyOrderCreator`, which runs the
same Oscar hooks but writes their rows in bulk. Placing the same products, quantities, pesantren and
shipping address both ways must give the same lines, price rows, attributes, stock reservations,
totals and shipping: only the prices differ, and only where the company reaches a wholesale tier.
Both ways refuse the whole order when one line no longer has the stock, and share one reservation.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_class, get_model

from fulfilment.models import SellerOrder
from purchasing.models import CompanyOrder
from purchasing.ordering import CompanyOrderCreator, PurchaseItem, submit_purchase
from shipping.methods import PerPesantrenShipping
from shipping.services import seller_shipping_rates_update
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
)
from wholesale.services import price_tiers_set

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
LinePrice = get_model("order", "LinePrice")
LineAttribute = get_model("order", "LineAttribute")
StockRecord = get_model("partner", "StockRecord")
Option = get_model("catalogue", "Option")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Selector = get_class("partner.strategy", "Selector")

# Every column of an order line but its own id and its order's: what must be equal both ways.
LINE_FIELDS = [field.attname for field in Line._meta.concrete_fields if field.name not in ("id", "order")]
PRICE_FIELDS = {
    "line_price_incl_tax",
    "line_price_excl_tax",
    "line_price_before_discounts_incl_tax",
    "line_price_before_discounts_excl_tax",
    "unit_price_incl_tax",
    "unit_price_excl_tax",
}
LINE_PRICE_FIELDS = [
    "quantity",
    "price_incl_tax",
    "price_excl_tax",
    "shipping_incl_tax",
    "shipping_excl_tax",
    "tax_code",
]
ORDER_FIELDS = [
    "currency",
    "total_incl_tax",
    "total_excl_tax",
    "shipping_incl_tax",
    "shipping_excl_tax",
    "shipping_tax_code",
    "shipping_method",
    "shipping_code",
    "status",
    "site_id",
]
ADDRESS_FIELDS = ["first_name", "line1", "line4", "postcode", "country_id", "kabupaten_id", "kecamatan_id", "desa_id"]


@pytest.fixture
def world():
    regions = make_region_tree()
    elsewhere = make_region_tree(kabupaten_code="32.73", kabupaten_name="Kota Bandung")
    near = make_seller(name="Pondok Al-Ikhlas", regions=regions)
    far = make_seller(name="Pondok Darussalam", regions=elsewhere)
    seller_shipping_rates_update(seller=far, rates={"same_province": (12000, 6000)})
    products = [
        make_seller_product(near, title="Keripik Singkong", price="15000", stock=100),
        make_seller_product(near, title="Sambal Roa", price="42500", stock=100),
        make_seller_product(far, title="Kopi Arabika Malabar", price="85000", stock=100),
    ]
    records = [product.stockrecords.get() for product in products]
    for number, record in enumerate(records, start=1):
        record.partner_sku = f"SKU-{number}"
        record.save()
    consumer = make_user()
    buyer = make_user()
    company = make_company(members=[(buyer, "approver")], credit_limit=50_000_000)
    return {
        "regions": regions,
        "records": records,
        "items": [(records[0], 3), (records[2], 2), (records[1], 5)],
        "consumer": consumer,
        "buyer": buyer,
        "company": company,
    }


def consumer_order(world, items, *, creator=OrderCreator, options=None):
    """What the consumer checkout does: the user's strategy, per-pesantren shipping, the OrderCreator."""
    user = world["consumer"]
    address = make_shipping_address(regions=world["regions"])
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for record, quantity in items:
        basket.add_product(record.product, quantity, options=(options or {}).get(record.pk))
    method = PerPesantrenShipping(destination_kabupaten=address.kabupaten, destination_known=True)
    charge = method.calculate(basket)
    order = creator().place_order(
        basket=basket,
        total=OrderTotalCalculator().calculate(basket, charge),
        shipping_method=method,
        shipping_charge=charge,
        user=user,
        shipping_address=address,
    )
    basket.submit()
    return order


def company_order(world, items):
    result = submit_purchase(
        company=world["company"],
        user=world["buyer"],
        items=[PurchaseItem(stockrecord=record, quantity=quantity) for record, quantity in items],
        shipping_address=make_shipping_address(regions=world["regions"]),
        payment_method="bank_transfer",
    )
    assert not result.needs_approval
    return result.order


def allocated(world) -> list[int]:
    return [StockRecord.objects.get(pk=record.pk).num_allocated or 0 for record in world["records"]]


def placed(world, place):
    """The order `place` makes of the world's items, and how much stock it reserved per record."""
    before = allocated(world)
    order = place(world, world["items"])
    after = allocated(world)
    return order, [later - earlier for earlier, later in zip(before, after, strict=True)]


def lines_of(order) -> list[dict]:
    return list(order.lines.order_by("pk").values(*LINE_FIELDS))


def line_prices_of(order) -> list[list[tuple]]:
    return [list(line.prices.order_by("pk").values_list(*LINE_PRICE_FIELDS)) for line in order.lines.order_by("pk")]


def attributes_of(order) -> list[list[tuple]]:
    return [
        list(line.attributes.order_by("pk").values_list("option_id", "type", "value"))
        for line in order.lines.order_by("pk")
    ]


def order_fields_of(order) -> dict:
    return {name: getattr(order, name) for name in ORDER_FIELDS}


def seller_parts_of(order) -> list[tuple]:
    return list(
        SellerOrder.objects.filter(order=order)
        .order_by("seller_id")
        .values_list("seller_id", "status", "subtotal", "shipping_charge", "total_weight_grams")
    )


def address_of(order) -> dict:
    return {name: getattr(order.shipping_address, name) for name in ADDRESS_FIELDS}


def test_a_company_order_off_tier_is_line_by_line_the_consumer_order_of_the_same_basket(world):
    consumer, consumer_stock = placed(world, consumer_order)
    company, company_stock = placed(world, company_order)

    assert CompanyOrder.objects.filter(order=company).exists() and not CompanyOrder.objects.filter(order=consumer)
    # the same lines, in the buyer's order, every column alike
    assert [line["title"] for line in lines_of(company)] == ["Keripik Singkong", "Kopi Arabika Malabar", "Sambal Roa"]
    assert lines_of(company) == lines_of(consumer)
    assert line_prices_of(company) == line_prices_of(consumer)
    assert [len(prices) for prices in line_prices_of(company)] == [1, 1, 1]
    assert attributes_of(company) == attributes_of(consumer)
    # the same reservation of stock
    assert company_stock == consumer_stock == [3, 5, 2]
    # the same totals and shipping, to the same address, split the same way between the pesantren
    assert order_fields_of(company) == order_fields_of(consumer)
    assert company.total_incl_tax == Decimal(3 * 15000 + 5 * 42500 + 2 * 85000) + company.shipping_incl_tax
    assert company.shipping_incl_tax > 0
    assert address_of(company) == address_of(consumer)
    assert seller_parts_of(company) == seller_parts_of(consumer)
    assert len(seller_parts_of(company)) == 2


def test_a_company_order_at_a_tier_differs_from_the_consumer_order_only_in_the_tiered_prices(world):
    # the company's 5 jars of sambal reach the wholesale tier (Rp 40.000 from 5); a consumer pays retail
    sambal = world["records"][1]
    price_tiers_set(stockrecord=sambal, tiers=[(5, 40000)])

    consumer, consumer_stock = placed(world, consumer_order)
    company, company_stock = placed(world, company_order)

    consumer_lines, company_lines = lines_of(consumer), lines_of(company)
    for consumer_line, company_line in zip(consumer_lines, company_lines, strict=True):
        differing = {name for name in LINE_FIELDS if consumer_line[name] != company_line[name]}
        if company_line["stockrecord_id"] == sambal.pk:
            assert differing == PRICE_FIELDS
            assert company_line["unit_price_incl_tax"] == Decimal("40000")
            assert company_line["line_price_incl_tax"] == Decimal("200000")
            assert consumer_line["unit_price_incl_tax"] == Decimal("42500")
        else:
            assert differing == set()
    assert [[row[1:3] for row in prices] for prices in line_prices_of(company)] == [
        [(Decimal("15000"), Decimal("15000"))],
        [(Decimal("85000"), Decimal("85000"))],
        [(Decimal("40000"),) * 2],
    ]
    assert [[(row[0], *row[3:]) for row in prices] for prices in line_prices_of(company)] == [
        [(row[0], *row[3:]) for row in prices] for prices in line_prices_of(consumer)
    ]
    assert attributes_of(company) == attributes_of(consumer)
    assert company_stock == consumer_stock == [3, 5, 2]
    # the totals are lower by the tier's discount; shipping is the same
    totals = {"total_incl_tax", "total_excl_tax"}
    company_fields, consumer_fields = order_fields_of(company), order_fields_of(consumer)
    assert {name for name in ORDER_FIELDS if company_fields[name] != consumer_fields[name]} == totals
    assert consumer.total_incl_tax - company.total_incl_tax == 5 * (Decimal("42500") - Decimal("40000"))
    assert address_of(company) == address_of(consumer)


def test_line_options_are_written_alike_by_the_bulk_writes_of_the_company_creator(world):
    # given a basket whose lines carry options (a company basket has none today; Oscar's hook handles them)
    spice = Option.objects.create(name="Tingkat pedas", code="pedas", type=Option.TEXT)
    sambal, kopi = world["records"][1], world["records"][2]
    options = {
        sambal.pk: [{"option": spice, "value": "Level 5"}],
        kopi.pk: [{"option": spice, "value": "Tanpa gula"}],
    }

    # when the same basket is placed by each creator
    by_oscar = consumer_order(world, world["items"], options=options)
    in_bulk = consumer_order(world, world["items"], creator=CompanyOrderCreator, options=options)

    # then the lines, their price rows and their attributes are the same
    assert attributes_of(in_bulk) == attributes_of(by_oscar)
    assert [[value for _option, _code, value in rows] for rows in attributes_of(in_bulk)] == [
        [],
        ["Tanpa gula"],
        ["Level 5"],
    ]
    assert lines_of(in_bulk) == lines_of(by_oscar)
    assert line_prices_of(in_bulk) == line_prices_of(by_oscar)
    assert allocated(world) == [6, 10, 4]


PLACE = {"consumer checkout": (consumer_order, UnableToPlaceOrder), "company order": (company_order, ValidationError)}


@pytest.mark.parametrize(("place", "refusal"), PLACE.values(), ids=PLACE.keys())
def test_a_line_whose_stock_went_meanwhile_refuses_the_whole_order_and_reserves_nothing(
    world, monkeypatch, place, refusal
):
    # given the basket passed its checks, and another buyer takes all but 1 jar of sambal as the order
    # is being written (after the order row, before any stock is reserved)
    sambal = world["records"][1]
    original = OrderCreator.create_order_model

    def then_sold_elsewhere(self, *args, **kwargs):
        order = original(self, *args, **kwargs)
        StockRecord.objects.filter(pk=sambal.pk).update(num_allocated=99)
        return order

    monkeypatch.setattr(OrderCreator, "create_order_model", then_sold_elsewhere)

    # when the order for 5 jars (and two lines that have their stock) is placed
    with pytest.raises(refusal, match="Sambal Roa"):
        place(world, world["items"])

    # then nothing of it is saved, and no stock is reserved for the lines that had theirs
    assert not Order.objects.exists()
    assert not Line.objects.exists() and not LinePrice.objects.exists()
    assert not CompanyOrder.objects.exists() and not SellerOrder.objects.exists()
    assert allocated(world) == [0, 0, 0]


@pytest.mark.parametrize(("place", "refusal"), PLACE.values(), ids=PLACE.keys())
def test_a_line_over_the_stock_refuses_the_order_whichever_way_it_is_placed(world, place, refusal):
    # the consumer basket is filled without availability checks: the reservation is the last guard
    items = [(world["records"][0], 3), (world["records"][1], 101)]

    with pytest.raises(refusal, match="Sambal Roa"):
        place(world, items)

    assert not Order.objects.exists()
    assert allocated(world) == [0, 0, 0]


def test_a_company_order_writes_its_lines_and_reserves_their_stock_in_as_many_queries_for_30_lines_as_for_3(
    world,
):
    near, far = (world["records"][0].partner.seller, world["records"][2].partner.seller)
    products = [make_seller_product(near if n % 2 else far, price="10000", stock=50) for n in range(30)]
    # as the bulk order forms read them: with their product and pesantren
    records = list(
        StockRecord.objects.filter(product__in=products)
        .select_related("product__product_class", "partner__seller")
        .order_by("pk")
    )

    def queries_to_place(count):
        with CaptureQueriesContext(connection) as captured:
            company_order(world, [(record, 2) for record in records[:count]])
        return len(captured)

    queries_to_place(3)  # the first order also creates what every order reuses (the payment source type)
    assert queries_to_place(30) == queries_to_place(3)
    assert [StockRecord.objects.get(pk=record.pk).num_allocated for record in records] == [6] * 3 + [2] * 27
