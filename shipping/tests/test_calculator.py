from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.test.factories import create_product

from sellers.models import Seller
from shipping.calculator import (
    ShippingZone,
    line_weight_grams,
    prefetch_shipping_rates,
    rate_for,
    seller_shipping_charge,
    seller_shipping_charges,
    zone_for,
)
from shipping.services import seller_shipping_rates_update
from tests.factories import make_seller

pytestmark = pytest.mark.django_db


def test_zone_for_same_kabupaten_same_province_elsewhere_and_unknown(bandung, kota_bandung, jakarta):
    seller = make_seller(regions=bandung)

    assert zone_for(seller=seller, destination_kabupaten=bandung["kabupaten"]) == ShippingZone.SAME_KABUPATEN
    assert zone_for(seller=seller, destination_kabupaten=kota_bandung["kabupaten"]) == ShippingZone.SAME_PROVINCE
    assert zone_for(seller=seller, destination_kabupaten=jakarta["kabupaten"]) == ShippingZone.ELSEWHERE
    assert zone_for(seller=seller, destination_kabupaten=None) == ShippingZone.ELSEWHERE


@pytest.mark.parametrize(
    ("grams", "expected"),
    [(0, 10000), (1, 10000), (1000, 10000), (1001, 15000), (2000, 15000), (2001, 20000), (10500, 60000)],
)
def test_charge_counts_each_started_kilogram_after_the_first(bandung, grams, expected):
    seller = make_seller(regions=bandung)

    charge = seller_shipping_charge(seller=seller, weight_grams=grams, destination_kabupaten=bandung["kabupaten"])

    assert charge == Decimal(expected)


def test_charge_per_zone_uses_that_zones_default(bandung, kota_bandung, jakarta):
    seller = make_seller(regions=bandung)

    def charge(destination):
        return seller_shipping_charge(seller=seller, weight_grams=1001, destination_kabupaten=destination)

    assert charge(bandung["kabupaten"]) == Decimal("15000")
    assert charge(kota_bandung["kabupaten"]) == Decimal("23000")
    assert charge(jakarta["kabupaten"]) == Decimal("40000")


def test_line_weight_uses_the_default_weight_when_the_product_has_none():
    weighed = create_product(weight_grams=1200)
    unweighed = create_product(weight_grams=None)

    assert line_weight_grams(weighed, 3) == 3600
    assert line_weight_grams(unweighed, 3) == 1500


def test_a_sellers_own_rate_overrides_the_default_for_that_zone_only(bandung, jakarta):
    # given
    seller = make_seller(regions=bandung)
    other = make_seller(regions=bandung)
    seller_shipping_rates_update(seller=seller, rates={"elsewhere": (20000, 9000)})

    # then
    assert rate_for(seller=seller, zone="elsewhere") == (20000, 9000)
    assert rate_for(seller=seller, zone="same_kabupaten") == (10000, 5000)
    assert rate_for(seller=other, zone="elsewhere") == (25000, 15000)
    assert seller_shipping_charge(
        seller=seller, weight_grams=2500, destination_kabupaten=jakarta["kabupaten"]
    ) == Decimal("38000")


def test_clearing_a_zone_returns_it_to_the_default(bandung):
    seller = make_seller(regions=bandung)
    seller_shipping_rates_update(seller=seller, rates={"same_kabupaten": (7000, 3000)})

    seller_shipping_rates_update(seller=seller, rates={"same_kabupaten": None})

    assert rate_for(seller=seller, zone="same_kabupaten") == (10000, 5000)
    assert not seller.shipping_rates.exists()


def test_prefetched_rates_cost_no_query_per_seller(bandung, jakarta):
    sellers = [make_seller(regions=bandung) for _ in range(4)]
    seller_shipping_rates_update(seller=sellers[0], rates={"elsewhere": (1000, 500)})

    fresh = list(Seller.objects.filter(pk__in=[s.pk for s in sellers]).order_by("pk"))

    with CaptureQueriesContext(connection) as queries:
        charges = seller_shipping_charges(
            weights={seller: 1500 for seller in fresh}, destination_kabupaten=jakarta["kabupaten"]
        )

    assert len(queries) == 1
    assert [charges[seller] for seller in fresh] == [Decimal("1500"), *[Decimal("40000")] * 3]


def test_prefetch_shipping_rates_skips_missing_sellers(bandung):
    seller = make_seller(regions=bandung)

    prefetch_shipping_rates([seller, None])

    assert rate_for(seller=seller, zone="elsewhere") == (25000, 15000)
