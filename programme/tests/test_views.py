"""The programme office dashboard: who may see it, what each page and export shows, query budgets."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fulfilment.services import order_payment_succeeded
from programme.tests.conftest import in_kecamatan
from sellers.models import Sector, SellerStatus
from tests.factories import (
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)

pytestmark = pytest.mark.django_db

PAGES = [
    reverse("programme:overview"),
    reverse("programme:mapping"),
    reverse("programme:kabupaten", args=["32.04"]),
    reverse("programme:directory"),
    reverse("programme:map-counts"),
    reverse("programme:boundaries", args=["kecamatan"]),
    reverse("programme:export", args=["directory"]),
    reverse("programme:export", args=["kabupaten"]),
    reverse("programme:export", args=["kecamatan"]),
    reverse("programme:export", args=["sales-sector"]),
    reverse("programme:export", args=["sales-kabupaten"]),
]


def read_csv(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


@pytest.mark.parametrize("url", PAGES)
def test_a_programme_officer_and_a_superuser_see_every_page(client, world, officer, url):
    superuser = make_user(is_staff=True, is_superuser=True)

    client.force_login(officer)
    assert client.get(url).status_code == 200
    client.force_login(superuser)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_plain_staff_and_pesantren_users_get_403_and_visitors_the_login_page(client, world, url):
    staff = make_user(is_staff=True)

    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(world["kopi"].owner)
    assert client.get(url).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("customer:login") in response["Location"] or "/login" in response["Location"]


def test_the_overview_shows_counts_targets_and_chart_data(english, world, officer):
    english.force_login(officer)

    response = english.get(reverse("programme:overview"))

    assert response.context["counts"] == {"registered": 6, "verified": 3, "selling": 2, "suspended": 1}
    body = response.content.decode()
    # the charts draw what the page embeds
    embedded = re.search(r'<script id="programme-chart-data" type="application/json">(.*?)</script>', body, re.S)
    chart = json.loads(embedded.group(1))
    assert chart["status"] == {
        "labels": ["Verified, selling", "Verified, not selling yet", "Suspended", "Not verified"],
        "values": [2, 1, 1, 2],
    }
    assert chart["sector"]["labels"][:2] == ["Processed food", "Muslim fashion"]
    assert chart["sector"]["values"][:2] == [300000, 90000]
    assert sum(chart["sector"]["values"]) == 390000
    assert chart["kabupaten"] == {"labels": ["Kabupaten Bandung", "Kabupaten Garut"], "values": [300000, 90000]}
    assert "vendor/chartjs/chart.umd.min.js" in body
    assert "3 of 1250 verified pesantren" in body
    assert "Rp 300.000" in body


def test_the_mapping_page_lists_kabupaten_and_links_the_drill_down(english, world, officer):
    english.force_login(officer)

    response = english.get(reverse("programme:mapping"))

    body = response.content.decode()
    assert [row.code for row in response.context["rows"]] == ["32.04", "32.05"]
    assert (response.context["kecamatan_uncovered"], response.context["kecamatan_total"]) == (2, 5)
    assert reverse("programme:kabupaten", args=["32.04"]) in body
    assert "vendor/leaflet/leaflet.js" in body
    assert reverse("programme:map-counts") in body


def test_the_kabupaten_drill_down_highlights_kecamatan_without_pesantren(english, world, officer):
    english.force_login(officer)

    response = english.get(reverse("programme:kabupaten", args=["32.04"]))

    assert [row.code for row in response.context["uncovered"]] == ["32.04.03"]
    body = response.content.decode()
    assert body.count('data-uncovered="true"') == 1
    assert "No pesantren yet" in body
    assert english.get(reverse("programme:kabupaten", args=["32.04.01"])).status_code == 404  # not a kabupaten
    assert english.get(reverse("programme:kabupaten", args=["99"])).status_code == 404


def test_the_map_json_gives_counts_per_kecamatan(client, world, officer):
    client.force_login(officer)

    data = client.get(reverse("programme:map-counts")).json()

    assert sorted(data["kecamatan"]) == ["32.04.01", "32.04.02", "32.04.03", "32.05.01", "32.05.02"]
    assert [data["kecamatan"][code]["verified"] for code in sorted(data["kecamatan"])] == [1, 1, 0, 1, 0]
    assert data["kecamatan"]["32.04.03"]["registered"] == 1
    assert data["uncovered"] == 2


def test_the_boundaries_are_served_once_then_revalidated(client, officer):
    client.force_login(officer)

    first = client.get(reverse("programme:boundaries", args=["kecamatan"]))
    again = client.get(reverse("programme:boundaries", args=["kecamatan"]), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Content-Type"] == "application/geo+json"
    assert json.loads(first.content)["features"][0]["properties"]["kode"].startswith("32.")
    assert "max-age" in first["Cache-Control"]
    assert again.status_code == 304
    assert client.get(reverse("programme:boundaries", args=["desa"])).status_code == 404


def test_the_directory_filters_and_links_to_review_suspend_and_reinstate(english, world, officer):
    english.force_login(officer)

    response = english.get(reverse("programme:directory"), {"kabupaten": "32.05"})

    assert [s.name for s in response.context["sellers"]] == [
        "Pesantren Batik",
        "Pesantren Ditangguhkan",
        "Pesantren Ditolak",
    ]
    body = response.content.decode()
    review = reverse("sellers-dashboard:seller-review", args=[world["batik"].pk])
    assert f'href="{review}#suspend"' in body
    assert f'href="{reverse("sellers-dashboard:seller-review", args=[world["suspended"].pk])}#reinstate"' in body
    assert "Pesantren Kopi" not in body
    assert reverse("programme:export", args=["directory"]) + "?kabupaten=32.05" in body


def test_directory_csv_cell_by_cell_with_filters_and_formulas_neutralised(english, world, officer):
    make_seller(name="=HYPERLINK(1)", status=SellerStatus.APPLIED, regions=world["garut"], nspp="510032049999")
    english.force_login(officer)

    response = english.get(reverse("programme:export", args=["directory"]), {"kabupaten": "32.05", "sector": "food"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="programme-directory.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    header = ["Pesantren", "NSPP", "Status", "Sector", "Kabupaten/kota", "Kecamatan", "Selling", "Applied", "Verified"]
    assert rows[0] == header
    assert [row[:7] for row in rows[1:]] == [
        ["'=HYPERLINK(1)", "510032049999", "Applied", "Processed food", "Kabupaten Garut", rows[1][5], "no"],
        [
            "Pesantren Ditolak",
            world["rejected"].nspp,
            "Rejected",
            "Processed food",
            "Kabupaten Garut",
            world["garut"]["kecamatan"][1].name,
            "no",
        ],
    ]
    assert rows[1][5] == world["garut"]["kecamatan"][0].name
    assert rows[1][8] == ""  # never verified


def test_kabupaten_and_kecamatan_csv_cell_by_cell(english, world, officer):
    english.force_login(officer)

    kabupaten = read_csv(english.get(reverse("programme:export", args=["kabupaten"])))
    kecamatan = read_csv(english.get(reverse("programme:export", args=["kecamatan"]), {"kabupaten": "32.05"}))

    assert kabupaten == [
        [
            "Code",
            "Kabupaten/kota",
            "Registered",
            "Verified",
            "Selling",
            "Suspended",
            "Kecamatan",
            "Kecamatan without a verified pesantren",
            "Mapped pesantren",
            "Kecamatan without a nominee",
        ],
        ["32.04", "Kabupaten Bandung", "3", "2", "1", "0", "3", "1", "0", "3"],
        ["32.05", "Kabupaten Garut", "3", "1", "1", "1", "2", "1", "0", "2"],
    ]
    garut = world["garut"]["kecamatan"]
    assert kecamatan == [
        ["Code", "Kecamatan", "Kabupaten/kota", "Registered", "Verified", "Selling", "Mapped pesantren", "Nominated"],
        ["32.05.01", garut[0].name, "Kabupaten Garut", "2", "1", "1", "0", "0"],
        ["32.05.02", garut[1].name, "Kabupaten Garut", "1", "0", "0", "0", "0"],
    ]
    assert english.get(reverse("programme:export", args=["kecamatan"]), {"kabupaten": "32.04.01"}).status_code == 404
    assert english.get(reverse("programme:export", args=["nothing"])).status_code == 404


def test_sales_csv_cell_by_cell(english, world, officer):
    english.force_login(officer)

    by_sector = read_csv(english.get(reverse("programme:export", args=["sales-sector"])))
    by_kabupaten = read_csv(english.get(reverse("programme:export", args=["sales-kabupaten"])))

    assert by_sector[0] == ["Sector", "Paid orders", "Sales (IDR)"]
    assert by_sector[1:3] == [["Processed food", "1", "300000"], ["Muslim fashion", "1", "90000"]]
    assert len(by_sector) == 1 + len(Sector.values)
    assert all(row[1:] == ["0", "0"] for row in by_sector[3:])
    assert by_kabupaten == [
        ["Code", "Kabupaten/kota", "Paid orders", "Sales (IDR)"],
        ["32.04", "Kabupaten Bandung", "1", "300000"],
        ["32.05", "Kabupaten Garut", "1", "90000"],
    ]


def grow(world):
    """More of everything: a third kabupaten with kecamatan, pesantren in every status, more sales."""
    cianjur = make_region_tree("32.03", "Kabupaten Cianjur", kecamatan=4)
    address = make_shipping_address(regions=cianjur)
    for index in range(4):
        seller = make_seller(sector=Sector.HERBAL, regions=in_kecamatan(cianjur, index))
        order = place_order(items=[(make_seller_product(seller), 1)], shipping_address=address)
        order_payment_succeeded(order_id=order.pk)
    make_seller(status=SellerStatus.APPLIED, regions=in_kecamatan(world["garut"], 1))
    make_seller(status=SellerStatus.SUSPENDED, regions=in_kecamatan(cianjur, 0))


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_budgets_stay_constant_as_the_programme_grows(client, world, officer):
    client.force_login(officer)
    for url in PAGES:
        count_queries(client, url)  # warm per-process caches (content types, site, boundaries)
    before = {url: count_queries(client, url) for url in PAGES}

    grow(world)
    after = {url: count_queries(client, url) for url in PAGES}

    assert after == before
    assert max(before.values()) <= 15


def test_the_map_counts_come_from_one_query(client, world, officer):
    client.force_login(officer)
    client.get(reverse("programme:map-counts"))

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("programme:map-counts"))

    assert len([query for query in captured if "regions_region" in query["sql"]]) == 1
