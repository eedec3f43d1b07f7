"""The public open data: stable columns, exact aggregates, no personal data, safe CSV, brief caching."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import open_data
from reports.tests.conftest import in_kecamatan
from tests.factories import make_seller

pytestmark = pytest.mark.django_db

REGION_FIELDS = [
    "pesantren_mapped",
    "pesantren_registered",
    "pesantren_verified",
    "pesantren_selling",
    "pesantren_nominated",
    "cohort_year",
    "cohort_participants",
    "cohort_champions",
    "products_listed",
]
COLUMNS = {
    "kabupaten": ["kabupaten_code", "kabupaten_name", "kecamatan_count", "kecamatan_with_verified_pesantren"]
    + REGION_FIELDS,
    "kecamatan": ["kecamatan_code", "kecamatan_name", "kabupaten_code", "kabupaten_name"] + REGION_FIELDS,
    "pesantren": [
        "name",
        "kabupaten_code",
        "kabupaten_name",
        "kecamatan_code",
        "kecamatan_name",
        "sector",
        "sector_label",
        "product_count",
        "storefront_url",
    ],
}


def read_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def file_url(slug: str, fmt: str) -> str:
    return reverse("open-data:file", args=[slug, fmt])


@pytest.mark.parametrize("slug", list(COLUMNS))
def test_every_file_is_public_with_the_documented_columns_in_csv_and_json(client, world, slug):
    csv_response = client.get(file_url(slug, "csv"))
    json_response = client.get(file_url(slug, "json"))

    assert csv_response.status_code == 200 and json_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert json_response["Content-Type"] == "application/json"
    assert csv_response["Cache-Control"].startswith("public, max-age=")
    rows = read_csv(csv_response.content)
    assert rows[0] == COLUMNS[slug]
    document = json.loads(json_response.content)
    assert set(document) == {"dataset", "licence", "licence_url", "attribution", "generated_at", "fields", "rows"}
    assert document["dataset"] == slug and document["licence"] == "CC-BY-4.0"
    assert document["fields"] == COLUMNS[slug]
    assert all(list(row) == COLUMNS[slug] for row in document["rows"])
    assert len(document["rows"]) == len(rows) - 1


def test_the_documentation_describes_every_column():
    from django.conf import settings

    doc = (settings.BASE_DIR / "docs" / "open-data.md").read_text()

    for columns in COLUMNS.values():
        for column in columns:
            assert f"`{column}`" in doc, column
    assert "CC BY 4.0" in doc
    for slug in COLUMNS:
        assert file_url(slug, "csv") in doc and file_url(slug, "json") in doc


def test_the_aggregates_are_exact(client, world):
    kabupaten = json.loads(client.get(file_url("kabupaten", "json")).content)["rows"]
    kecamatan = json.loads(client.get(file_url("kecamatan", "json")).content)["rows"]

    assert kabupaten == [
        {
            "kabupaten_code": "32.02",
            "kabupaten_name": "Kabupaten Sukabumi",
            "kecamatan_count": 3,
            "kecamatan_with_verified_pesantren": 1,
            "pesantren_mapped": 2,
            "pesantren_registered": 2,
            "pesantren_verified": 1,
            "pesantren_selling": 1,
            "pesantren_nominated": 2,
            "cohort_year": 2027,
            "cohort_participants": 1,
            "cohort_champions": 1,
            "products_listed": 1,
        },
        {
            "kabupaten_code": "32.04",
            "kabupaten_name": "Kabupaten Bandung",
            "kecamatan_count": 2,
            "kecamatan_with_verified_pesantren": 1,
            "pesantren_mapped": 1,
            "pesantren_registered": 1,
            "pesantren_verified": 1,
            "pesantren_selling": 1,
            "pesantren_nominated": 1,
            "cohort_year": 2027,
            "cohort_participants": 1,
            "cohort_champions": 0,
            "products_listed": 1,
        },
    ]
    assert [(row["kecamatan_code"], row["pesantren_registered"], row["pesantren_mapped"]) for row in kecamatan] == [
        ("32.02.01", 1, 1),
        ("32.02.02", 1, 0),
        ("32.02.03", 0, 1),
        ("32.04.01", 1, 1),
        ("32.04.02", 0, 0),
    ]
    assert kecamatan[0]["kabupaten_code"] == "32.02" and kecamatan[0]["cohort_champions"] == 1


def test_the_pesantren_list_holds_verified_pesantren_only_with_their_listed_products(client, world):
    rows = json.loads(client.get(file_url("pesantren", "json")).content)["rows"]

    assert [(row["name"], row["kecamatan_code"], row["sector"], row["product_count"]) for row in rows] == [
        ("Pesantren Lele", "32.02.01", "food", 1),
        ("Pesantren Kopi Bandung", "32.04.01", "drinks", 1),
    ]
    assert rows[0]["sector_label"] == "Makanan olahan"
    assert rows[0]["storefront_url"].endswith(world["lele"].get_absolute_url())


def test_no_file_holds_personal_or_bank_data(client, world):
    lele = world["lele"]
    secrets = [
        lele.email,
        lele.owner.email,
        lele.contact_name,
        lele.whatsapp,
        lele.bank_name,
        lele.bank_account_number,
        lele.bank_account_holder,
        lele.address_line,
        lele.nspp,
        world["officer"].email,
        world["mentor"].email,
        world["provincial"].email,
        "pembeli@example.com",
        "Siti Aminah",
        "Kemasan",  # a mentor visit's topics
    ]
    for slug in COLUMNS:
        for fmt in ("csv", "json"):
            body = client.get(file_url(slug, fmt)).content.decode("utf-8")
            leaked = [secret for secret in secrets if secret and secret in body]
            assert not leaked, (slug, fmt, leaked)
            assert "@example.com" not in body


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(client, world):
    hostile = ['=HYPERLINK("http://jahat.example")', "+6281234", "-1+1", "@SUM(A1:A9)"]
    for index, name in enumerate(hostile):
        make_seller(name=name, regions=in_kecamatan(world["bandung"], 1), slug=f"jahat-{index}")

    rows = read_csv(client.get(file_url("pesantren", "csv")).content)
    names = [row[0] for row in rows[1:]]
    document = json.loads(client.get(file_url("pesantren", "json")).content)

    for name in hostile:
        assert f"'{name}" in names
        assert name not in names
    # JSON is no spreadsheet: names are given as they are
    assert set(hostile) <= {row["name"] for row in document["rows"]}


def test_the_files_are_cached_briefly_and_built_in_a_fixed_number_of_queries(client, world, settings):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [file_url(slug, fmt) for slug in COLUMNS for fmt in ("csv", "json")]
    built = {url: queries(url) for url in urls}
    assert max(built.values()) <= 10

    settings.MARKETPLACE_OPEN_DATA_CACHE_SECONDS = 300
    keys = [f"{open_data.CACHE_PREFIX}{slug}.{fmt}" for slug in COLUMNS for fmt in ("csv", "json")]
    cache.delete_many(keys)
    try:
        first = client.get(file_url("kabupaten", "csv"))
        make_seller(name="Pesantren Sesudahnya", regions=in_kecamatan(world["bandung"], 1))
        assert queries(file_url("kabupaten", "csv")) == 0
        again = client.get(file_url("kabupaten", "csv"))
        assert again.content == first.content  # served from the cache until it expires
        assert again["Cache-Control"] == "public, max-age=300"
    finally:
        cache.delete_many(keys)


def test_the_open_data_page_lists_every_file_and_the_licence(client, world):
    response = client.get(reverse("open-data:index"))

    body = response.content.decode()
    assert response.status_code == 200
    for slug in COLUMNS:
        assert file_url(slug, "csv") in body and file_url(slug, "json") in body
    assert open_data.LICENCE_URL in body and "CC BY 4.0" in body


def test_unknown_files_are_not_found(client, world):
    assert client.get("/data-terbuka/penjual.csv").status_code == 404
    assert client.get("/data-terbuka/kabupaten.xlsx").status_code == 404
