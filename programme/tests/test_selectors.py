"""The programme's numbers against a world whose answers are known (see conftest.world)."""

from decimal import Decimal

import pytest

from programme import selectors
from programme.models import ProgrammeTarget, TargetMeasure
from sellers.models import Sector
from tests.factories import make_seller, make_seller_product

pytestmark = pytest.mark.django_db


def test_programme_counts_follow_the_definitions(world):
    assert selectors.programme_counts() == {"registered": 6, "verified": 3, "selling": 2, "suspended": 1}


def test_selling_means_public_stock_or_a_paid_order(world):
    flags = dict(selectors.sellers_with_selling_flag().values_list("name", "is_selling"))

    assert flags == {
        "Pesantren Kopi": True,  # sold out (all allocated), but has a paid order
        "Pesantren Anyaman": False,  # verified, nothing to sell yet
        "Pesantren Baru": False,
        "Pesantren Batik": True,  # in stock
        "Pesantren Ditangguhkan": False,
        "Pesantren Ditolak": False,
    }


def test_a_hidden_or_sold_out_product_does_not_make_a_pesantren_selling(world):
    hidden = make_seller(name="Pesantren Tersembunyi", regions=world["bandung"])
    make_seller_product(hidden, title="Draft", is_public=False)
    sold_out = make_seller(name="Pesantren Habis", regions=world["bandung"])
    make_seller_product(sold_out, title="Habis", stock=0)

    flags = dict(selectors.sellers_with_selling_flag().values_list("name", "is_selling"))

    assert flags["Pesantren Tersembunyi"] is False
    assert flags["Pesantren Habis"] is False


def test_the_default_targets_are_seeded_by_the_data_migration():
    assert list(ProgrammeTarget.objects.values_list("target_count", "measure")) == [
        (1250, TargetMeasure.VERIFIED),
        (5000, TargetMeasure.VERIFIED),
    ]
    first, five = ProgrammeTarget.objects.all()
    assert (five.deadline.year - first.deadline.year) == 4


def test_target_progress_uses_each_targets_measure(world):
    ProgrammeTarget.objects.all().delete()
    ProgrammeTarget.objects.create(name="Selling", target_count=4, deadline="2027-12-31", measure=TargetMeasure.SELLING)
    ProgrammeTarget.objects.create(name="Many", target_count=1250, deadline="2028-12-31")
    ProgrammeTarget.objects.create(name="Done", target_count=5, deadline="2029-12-31", measure="registered")

    progress = selectors.target_progress(counts=selectors.programme_counts())

    assert [(p.target.name, p.current, p.percent, p.remaining) for p in progress] == [
        ("Selling", 2, 50, 2),
        ("Many", 3, 0, 1247),
        ("Done", 6, 100, 0),  # past the target: the bar stops at 100 %
    ]


def test_sales_by_sector_sums_paid_subtotals_and_lists_every_sector(world):
    rows = selectors.sales_by_sector()

    assert [(row["sector"], row["orders"], row["total"]) for row in rows[:2]] == [
        (Sector.FOOD, 1, Decimal("300000")),
        (Sector.FASHION, 1, Decimal("90000")),  # its unpaid order of 270,000 is not a sale
    ]
    assert {row["sector"] for row in rows} == set(Sector.values)
    assert all(row["total"] == 0 and row["orders"] == 0 for row in rows[2:])


def test_sales_by_kabupaten_lists_kabupaten_with_sales(world):
    assert selectors.sales_by_kabupaten() == [
        {"code": "32.04", "name": "Kabupaten Bandung", "orders": 1, "total": Decimal("300000")},
        {"code": "32.05", "name": "Kabupaten Garut", "orders": 1, "total": Decimal("90000")},
    ]


def test_kabupaten_table_counts_pesantren_and_kecamatan_coverage(world):
    rows = [
        (r.code, r.registered, r.verified, r.selling, r.suspended, r.kecamatan_total, r.kecamatan_uncovered)
        for r in selectors.kabupaten_table()
    ]

    assert rows == [
        ("32.04", 3, 2, 1, 0, 3, 1),
        ("32.05", 3, 1, 1, 1, 2, 1),
    ]


def test_kecamatan_table_and_the_kecamatan_without_pesantren(world):
    bandung = world["bandung"]["kabupaten"]

    rows = [(r.code, r.registered, r.verified, r.selling) for r in selectors.kecamatan_table(kabupaten=bandung)]
    uncovered = selectors.kecamatan_without_pesantren()

    assert rows == [("32.04.01", 1, 1, 1), ("32.04.02", 1, 1, 0), ("32.04.03", 1, 0, 0)]
    # an application or a rejected pesantren does not cover its kecamatan
    assert [r.code for r in uncovered] == ["32.04.03", "32.05.02"]


def test_map_counts_cover_every_kecamatan_of_the_province(world):
    data = selectors.map_counts()

    assert data["total"] == 5
    assert data["uncovered"] == 2
    assert data["max_verified"] == 1
    assert data["kecamatan"]["32.05.01"] == {
        "name": world["garut"]["kecamatan"][0].name,
        "kabupaten": "Kabupaten Garut",
        "registered": 2,
        "verified": 1,
        "selling": 1,
        "mapped": 0,
        "nominated": 0,
    }
    assert data["kecamatan"]["32.05.02"]["verified"] == 0
    assert data["without_nominee"] == 5


def test_directory_filters_by_status_kabupaten_and_sector(world):
    def names(**filters):
        return [seller.name for seller in selectors.directory(**filters)]

    assert names(status="verified") == ["Pesantren Anyaman", "Pesantren Batik", "Pesantren Kopi"]
    assert names(kabupaten_code="32.05") == ["Pesantren Batik", "Pesantren Ditangguhkan", "Pesantren Ditolak"]
    assert names(sector="fashion", status="suspended") == ["Pesantren Ditangguhkan"]
    assert names(query="kopi") == ["Pesantren Kopi"]
    assert len(names(status="nonsense", sector="nonsense")) == 6  # unknown values filter nothing


def test_the_shipped_boundaries_are_valid_geojson_keyed_by_kemendagri_code():
    import json

    from regions.models import RegionLevel

    content, etag = selectors.boundaries(RegionLevel.DISTRICT)
    shapes = json.loads(content)

    assert shapes["type"] == "FeatureCollection"
    assert len(shapes["features"]) == 627
    assert all(feature["properties"]["kode"].startswith("32.") for feature in shapes["features"])
    assert len(etag) == 16
