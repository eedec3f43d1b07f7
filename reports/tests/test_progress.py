"""Progress per kabupaten and per kecamatan: exact figures, scope, and a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fulfilment.services import order_payment_succeeded
from programme import access, services
from programme.models import RoleKind
from programme.tests.helpers import make_mapped, make_role
from reports import selectors
from reports.tests.conftest import PERIOD, TODAY, add_variants, in_kecamatan
from tests.factories import make_seller, make_seller_product, make_shipping_address, make_user, place_order

pytestmark = pytest.mark.django_db

MEASURES = ("mapped", "registered", "verified", "selling", "nominated", "products", "orders", "sales", "visits")


def figures(row) -> dict:
    return {**{name: getattr(row, name) for name in MEASURES}, "stages": row.stages}


def period_query() -> str:
    return f"?start={PERIOD.start.isoformat()}&end={PERIOD.end.isoformat()}"


def test_the_province_table_counts_every_measure_per_kabupaten(world):
    progress = selectors.kabupaten_progress(period=PERIOD)

    rows = {row.code: row for row in progress.rows}
    assert list(rows) == ["32.02", "32.04"]
    assert figures(rows["32.02"]) == {
        "mapped": 2,
        "registered": 2,
        "verified": 1,
        "selling": 1,
        "nominated": 2,
        "products": 1,  # the hidden product does not count
        "orders": 1,  # the order paid a year ago and the unpaid one do not count
        "sales": Decimal("300000"),
        "visits": 1,  # the visit before the period does not count
        "stages": [0, 0, 1],
    }
    assert figures(rows["32.04"]) == {
        "mapped": 1,
        "registered": 1,
        "verified": 1,
        "selling": 1,
        "nominated": 1,
        "products": 1,  # two variants of one product
        "orders": 1,
        "sales": Decimal("90000"),
        "visits": 0,
        "stages": [1, 0, 0],
    }
    assert (rows["32.02"].kecamatan_total, rows["32.02"].kecamatan_covered) == (3, 1)
    assert (rows["32.02"].in_cohort, rows["32.02"].champions) == (1, 1)
    total = progress.total
    assert figures(total) == {
        "mapped": 3,
        "registered": 3,
        "verified": 2,
        "selling": 2,
        "nominated": 3,
        "products": 2,
        "orders": 2,
        "sales": Decimal("390000"),
        "visits": 1,
        "stages": [1, 0, 1],
    }
    assert [stage.name for stage in progress.stages] == ["Daftar", "Cek", "Juara"]
    # every target, the seeded ones included; ours counts verified pesantren
    ours = [item for item in progress.targets if item.target == world["target"]]
    assert [(item.current, item.percent, item.remaining) for item in ours] == [(2, 20, 8)]


def test_the_kabupaten_table_counts_per_kecamatan(world):
    progress = selectors.kecamatan_progress(kabupaten=world["sukabumi"]["kabupaten"], period=PERIOD)

    rows = {row.code: figures(row) for row in progress.rows}
    zero = dict.fromkeys(MEASURES, 0) | {"sales": Decimal(0), "stages": [0, 0, 0]}
    assert rows == {
        "32.02.01": {
            **zero,
            "mapped": 1,
            "registered": 1,
            "verified": 1,
            "selling": 1,
            "nominated": 1,
            "products": 1,
            "orders": 1,
            "sales": Decimal("300000"),
            "visits": 1,
            "stages": [0, 0, 1],
        },
        "32.02.02": {**zero, "registered": 1},
        "32.02.03": {**zero, "mapped": 1, "nominated": 1},
    }
    # the province's targets, against this kabupaten's contribution
    ours = [item for item in progress.targets if item.target == world["target"]]
    assert [(item.current, item.target.target_count) for item in ours] == [(1, 10)]


def test_a_period_without_activity_shows_no_sales_orders_or_visits(world):
    quiet = selectors.Period(start=TODAY - datetime.timedelta(days=900), end=TODAY - datetime.timedelta(days=800))

    total = selectors.kabupaten_progress(period=quiet).total

    assert (total.orders, total.sales, total.visits) == (0, Decimal(0), 0)
    assert (total.registered, total.verified, total.products) == (3, 2, 2)  # not tied to the period


def test_the_district_officer_sees_only_its_kabupaten(client, world):
    client.force_login(world["officer"])

    province = client.get(reverse("reports:province"))
    own = client.get(reverse("reports:kabupaten", args=["32.02"]) + period_query())
    other = client.get(reverse("reports:kabupaten", args=["32.04"]))
    summary = client.get(reverse("reports:province-pdf"))

    assert province.status_code == 302 and province["Location"] == reverse("reports:kabupaten", args=["32.02"])
    assert own.status_code == 200
    total = own.context["progress"].total
    assert (total.registered, total.verified, total.orders, total.sales) == (2, 1, 1, Decimal("300000"))
    assert [row.code for row in own.context["progress"].rows] == ["32.02.01", "32.02.02", "32.02.03"]
    assert "Rp 300.000" in own.content.decode()
    assert "Rp 390.000" not in own.content.decode() and "Rp 90.000" not in own.content.decode()
    assert other.status_code == 404
    assert summary.status_code == 403


def test_the_provincial_office_sees_the_province_and_every_kabupaten(client, world):
    client.force_login(world["provincial"])

    province = client.get(reverse("reports:province") + period_query())
    bandung = client.get(reverse("reports:kabupaten", args=["32.04"]) + period_query())

    assert province.status_code == 200
    body = province.content.decode()
    assert "Rp 390.000" in body and "Kabupaten Sukabumi" in body and "Kabupaten Bandung" in body
    assert reverse("reports:kabupaten", args=["32.04"]) in body
    assert reverse("reports:province-pdf") in body
    assert bandung.status_code == 200 and bandung.context["progress"].total.sales == Decimal("90000")


@pytest.mark.parametrize("kind", [RoleKind.MENTOR, RoleKind.CURATOR, RoleKind.JUDGE, "pesantren", "consumer"])
def test_other_users_reach_no_report(client, world, kind):
    if kind == "pesantren":
        user = world["lele"].owner
    elif kind == "consumer":
        user = make_user()
    else:
        user = make_role(kind)
    client.force_login(user)

    for url in (
        reverse("reports:province"),
        reverse("reports:province-pdf"),
        reverse("reports:kabupaten", args=["32.02"]),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("reports:province"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_a_bad_period_falls_back_to_this_year(client, world):
    client.force_login(world["provincial"])

    for query in ("?start=2026-13-01", "?start=2030-01-01&end=2029-01-01", "?start=1900-01-01", "?end=x" * 3):
        response = client.get(reverse("reports:province") + query)
        assert response.status_code == 200, query
        assert response.context["period"] == selectors.Period.year_to_date()


def _grow(world, index: int) -> None:
    """More data in every measure: a pesantren with products, paid orders, a mapping, a visit."""
    bandung = world["bandung"]
    province = access.scope_for(world["provincial"])
    seller = make_seller(name=f"Pesantren Tambahan {index}", regions=in_kecamatan(bandung, 1))
    product = make_seller_product(seller, price="20000", stock=50)
    add_variants(seller, title=f"Varian {index}", count=2)
    order = place_order(items=[(product, 1)], shipping_address=make_shipping_address(regions=bandung))
    order_payment_succeeded(order_id=order.pk)
    record = make_mapped(bandung, index=1, name=seller.name, nspp=seller.nspp, seller=seller)
    services.nominate(scope=province, pesantren=record, nominated_by=None)
    services.participant_enrol(scope=province, cohort=world["cohort"], pesantren=record, actor=None)
    assignment = services.mentor_assign(scope=province, mentor=world["mentor"], pesantren=record, assigned_by=None)
    services.mentor_visit_log(
        scope=access.scope_for(world["mentor"]),
        assignment=assignment,
        visited_on=TODAY,
        topics="Harga",
        notes="",
        actions=[],
    )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_reports_make_a_fixed_number_of_queries_whatever_the_data(client, world, django_assert_max_num_queries):
    client.force_login(world["provincial"])
    urls = [
        reverse("reports:province") + period_query(),
        reverse("reports:kabupaten", args=["32.04"]) + period_query(),
        reverse("reports:province-pdf") + period_query(),
    ]
    for url in urls:  # warm up: the session, the user and the content types
        client.get(url)
    before = {url: _queries(client, url) for url in urls}

    for index in range(3):
        _grow(world, index)
    after = {url: _queries(client, url) for url in urls}

    assert after == before
    for url in urls:
        with django_assert_max_num_queries(20):
            client.get(url)


def test_the_kecamatan_page_lists_its_pesantren_with_their_measures(client, world):
    client.force_login(world["officer"])

    lele = client.get(reverse("reports:kecamatan", args=["32.02.01"]) + period_query())
    pending = client.get(reverse("reports:kecamatan", args=["32.02.02"]) + period_query())
    unregistered = client.get(reverse("reports:kecamatan", args=["32.02.03"]) + period_query())
    bandung = client.get(reverse("reports:kecamatan", args=["32.04.01"]))

    assert lele.status_code == 200
    [row] = lele.context["detail"].rows
    assert (row.name, row.is_verified, row.is_selling, row.is_nominated, row.stage.name) == (
        "Pesantren Lele",
        True,
        True,
        True,
        "Juara",
    )
    assert (row.products, row.orders, row.sales, row.visits) == (1, 1, Decimal("300000"), 1)
    assert "Rp 300.000" in lele.content.decode()
    # the kecamatan's total is the kabupaten table's row for it
    kabupaten_row = next(
        r
        for r in selectors.kecamatan_progress(kabupaten=world["sukabumi"]["kabupaten"], period=PERIOD).rows
        if r.code == "32.02.01"
    )
    assert figures(lele.context["detail"].total) == figures(kabupaten_row)
    [waiting] = pending.context["detail"].rows
    assert (waiting.name, waiting.record, waiting.seller.status) == ("Pesantren Baru", None, "applied")
    [record] = unregistered.context["detail"].rows
    assert (record.name, record.seller, record.is_nominated) == ("Pondok Belum Daftar", None, True)
    assert bandung.status_code == 404


def test_the_kecamatan_page_makes_a_fixed_number_of_queries(client, world):
    client.force_login(world["provincial"])
    url = reverse("reports:kecamatan", args=["32.04.02"]) + period_query()
    client.get(url)
    before = _queries(client, url)

    for index in range(3):
        _grow(world, index)

    assert _queries(client, url) == before <= 20
