from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from shipping.repository import Repository
from shipping.selectors import basket_groups
from shipping.services import seller_shipping_rates_update
from shipping.tests.conftest import make_basket
from tests.factories import make_seller, make_seller_product

ShippingAddress = get_model("order", "ShippingAddress")
UserAddress = get_model("address", "UserAddress")

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_pesantren_basket(bandung, jakarta):
    """Al-Ikhlas (Kab. Bandung): 2 × 600 g at 25.000 + 1 × 400 g at 10.000; Baitul (Jakarta): 3 × default 500 g."""
    ikhlas = make_seller(name="Pondok Al-Ikhlas", regions=bandung)
    baitul = make_seller(name="Pesantren Baitul Hikmah", regions=jakarta)
    keripik = make_seller_product(ikhlas, title="Keripik", price="25000", weight_grams=600)
    sambal = make_seller_product(ikhlas, title="Sambal", price="10000", weight_grams=400)
    kopi = make_seller_product(baitul, title="Kopi", price="30000", weight_grams=None)
    basket = make_basket((kopi, 3), (keripik, 2), (sambal, 1))
    return basket, ikhlas, baitul


def test_groups_lines_by_pesantren_ordered_by_name_with_subtotals_and_weights(two_pesantren_basket):
    basket, ikhlas, baitul = two_pesantren_basket

    groups = basket_groups(basket=basket)

    assert [group.seller for group in groups] == [baitul, ikhlas]
    baitul_group, ikhlas_group = groups
    assert [line.product.title for line in ikhlas_group.lines] == ["Keripik", "Sambal"]
    assert ikhlas_group.subtotal == Decimal("60000")
    assert ikhlas_group.weight_grams == 1600
    assert baitul_group.subtotal == Decimal("90000")
    assert baitul_group.weight_grams == 1500
    # No destination yet: shipping is not known.
    assert [group.shipping_charge for group in groups] == [None, None]
    assert ikhlas_group.total is None


def test_groups_charge_shipping_by_destination(two_pesantren_basket, bandung):
    basket, ikhlas, baitul = two_pesantren_basket

    groups = basket_groups(basket=basket, destination_kabupaten=bandung["kabupaten"])

    charges = {group.seller: group.shipping_charge for group in groups}
    # 1.600 g within Kab. Bandung: 10.000 + 5.000; 1.500 g from Jakarta to Jawa Barat: 25.000 + 15.000.
    assert charges == {ikhlas: Decimal("15000"), baitul: Decimal("40000")}
    assert groups[1].total == Decimal("75000")


def test_empty_basket_has_no_groups():
    assert basket_groups(basket=make_basket()) == []


def test_query_count_does_not_grow_with_the_number_of_pesantren(bandung, jakarta):
    def queries_for(number_of_pesantren):
        products = []
        for _ in range(number_of_pesantren):
            seller = make_seller(regions=bandung)
            seller_shipping_rates_update(seller=seller, rates={"elsewhere": (20000, 10000)})
            products += [(make_seller_product(seller, weight_grams=700), 1), (make_seller_product(seller), 2)]
        basket = make_basket(*products)
        # Oscar prices the lines (the strategy's per-line look-ups) before any page shows the
        # basket; measure what grouping adds on top of that.
        assert basket.total_incl_tax > 0
        with CaptureQueriesContext(connection) as captured:
            groups = basket_groups(basket=basket, destination_kabupaten=jakarta["kabupaten"])
        assert len(groups) == number_of_pesantren
        assert {group.shipping_charge for group in groups} == {Decimal("30000")}
        return len(captured)

    # The pesantren rows and their rate tables: two queries, however many pesantren.
    assert queries_for(2) == queries_for(8) == 2


def test_repository_charge_with_a_destination_is_the_sum_over_pesantren(two_pesantren_basket, bandung):
    # given
    basket, ikhlas, _ = two_pesantren_basket
    seller_shipping_rates_update(seller=ikhlas, rates={"same_kabupaten": (8000, 2000)})
    address = ShippingAddress(kabupaten_id=bandung["kabupaten"].code, line4="Kabupaten Bandung")

    # when
    methods = Repository().get_shipping_methods(basket, shipping_addr=address, request=None)

    # then
    assert [method.code for method in methods] == ["per-pesantren"]
    charge = methods[0].calculate(basket)
    assert charge.currency == "IDR"
    # Al-Ikhlas' own rate for 1.600 g: 8.000 + 2.000; Baitul Hikmah's default: 40.000.
    assert charge.excl_tax == charge.incl_tax == Decimal("50000")
    assert charge.tax == Decimal("0")
    assert methods[0].destination_known


def test_repository_before_checkout_has_an_address_says_calculated_at_checkout(two_pesantren_basket, bandung):
    basket, _, _ = two_pesantren_basket
    # The basket page passes the user's address-book address, if any: that does not fix the charge.
    for shipping_addr in (None, UserAddress(line4="Bandung")):
        method = Repository().get_default_shipping_method(basket, shipping_addr=shipping_addr)

        assert not method.destination_known
        assert method.calculate(basket).incl_tax == Decimal("0")
        assert [group.shipping_charge for group in method.groups(basket)] == [None, None]


def test_repository_checkout_address_without_a_kabupaten_is_charged_as_elsewhere(two_pesantren_basket):
    # Matches fulfilment.services.split_order, which charges such an order the "elsewhere" rate.
    basket, _, _ = two_pesantren_basket

    method = Repository().get_default_shipping_method(basket, shipping_addr=ShippingAddress(line4="Bandung"))

    assert method.calculate(basket).incl_tax == Decimal("40000") + Decimal("40000")


def test_repository_charge_matches_the_fulfilment_breakdown(two_pesantren_basket, jakarta):
    from fulfilment.services import shipping_breakdown

    basket, _, _ = two_pesantren_basket
    address = ShippingAddress(kabupaten_id=jakarta["kabupaten"].code)

    charge = Repository().get_default_shipping_method(basket, shipping_addr=address).calculate(basket)

    lines = list(basket.all_lines())
    breakdown = shipping_breakdown(lines=lines, destination_kabupaten=jakarta["kabupaten"])
    assert charge.incl_tax == sum(amount for _, amount in breakdown.values())
