import pytest
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model

from regions.models import Region, RegionLevel
from tests.factories import make_region_tree

Basket = get_model("basket", "Basket")


@pytest.fixture(autouse=True)
def default_shipping_rates(settings):
    """The rates the tests' rupiah amounts are worked out from."""
    settings.MARKETPLACE_DEFAULT_SHIPPING_RATES = {
        "same_kabupaten": {"first_kg": 10000, "next_kg": 5000},
        "same_province": {"first_kg": 15000, "next_kg": 8000},
        "elsewhere": {"first_kg": 25000, "next_kg": 15000},
    }
    settings.MARKETPLACE_DEFAULT_PRODUCT_WEIGHT_GRAMS = 500


@pytest.fixture
def bandung():
    """Kabupaten Bandung (32.04), Jawa Barat."""
    return make_region_tree("32.04", "Kabupaten Bandung")


@pytest.fixture
def kota_bandung():
    """Kota Bandung (32.73): same province as Kabupaten Bandung, another kabupaten/kota."""
    return make_region_tree("32.73", "Kota Bandung")


@pytest.fixture
def jakarta():
    """Jakarta Selatan (31.71), another province."""
    province = Region.objects.create(code="31", name="DKI Jakarta", level=RegionLevel.PROVINCE)
    kabupaten = Region.objects.create(
        code="31.71", name="Kota Jakarta Selatan", level=RegionLevel.REGENCY, parent=province
    )
    kecamatan = Region.objects.create(code="31.71.01", name="Tebet", level=RegionLevel.DISTRICT, parent=kabupaten)
    desa = Region.objects.create(
        code="31.71.01.1001", name="Tebet Barat", level=RegionLevel.VILLAGE, parent=kecamatan, postal_code="12810"
    )
    return {"province": province, "kabupaten": kabupaten, "kecamatan": [kecamatan], "desa": [desa]}


def make_basket(*products_and_quantities, owner=None):
    basket = Basket.objects.create(owner=owner)
    basket.strategy = Default()
    for product, quantity in products_and_quantities:
        basket.add_product(product, quantity)
    # A fresh instance, as a request would load it: no lines cached yet.
    basket = Basket.objects.get(pk=basket.pk)
    basket.strategy = Default()
    return basket
