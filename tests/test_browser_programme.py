"""A programme officer approves an application and sees the map and the kecamatan table change."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from marketplace.demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from sellers.models import Seller, SellerStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZERO_COLOR = "#f97316"  # programme/static/programme/map.js: kecamatan without a verified pesantren
ONE_COLOR = "#99f6e4"


def application_in_an_uncovered_kecamatan() -> Seller:
    covered = set(Seller.objects.verified().values_list("kecamatan_id", flat=True))
    for seller in Seller.objects.filter(status=SellerStatus.APPLIED).select_related("kabupaten", "kecamatan"):
        if seller.kecamatan_id not in covered:
            return seller
    raise AssertionError("the demo should have an application in a kecamatan without a verified pesantren")


def test_programme_officer_approves_an_application_and_the_map_and_table_change(page: Page, live_server, demo_world):
    seller = application_in_an_uncovered_kecamatan()
    kecamatan = seller.kecamatan_id
    drill_down = live_server.url + reverse("programme:kabupaten", args=[seller.kabupaten_id])

    # signs in as the demo's programme officer (not a superuser)
    page.goto(live_server.url + reverse("customer:login"))
    page.fill("input[name='login-username']", f"program@{DEMO_EMAIL_DOMAIN}")
    page.fill("input[name='login-password']", DEMO_PASSWORD)
    page.click("button[name='login_submit']")
    expect(page).not_to_have_url(re.compile(reverse("customer:login")))

    # the kabupaten's kecamatan table and map show the kecamatan without a pesantren
    page.goto(drill_down)
    row = page.locator(f"#kecamatan-table tr[data-code='{kecamatan}']")
    expect(row.locator("[data-col='verified']")).to_have_text("0")
    expect(row).to_have_attribute("data-uncovered", "true")
    expect(page.locator("#programme-map")).to_have_attribute("data-ready", "true", timeout=15000)
    shape = page.locator(f"#programme-map path[data-kode='{kecamatan}']")
    expect(shape).to_have_attribute("data-verified", "0")
    expect(shape).to_have_attribute("fill", ZERO_COLOR)
    expect(page.locator(".programme-map-legend")).to_be_visible()
    shape.hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text(seller.kecamatan.name)

    # approves the application on the review page
    page.goto(live_server.url + reverse("sellers-dashboard:seller-review", args=[seller.pk]))
    page.select_option("#decision-form select[name='decision']", "approve")
    page.click("#decision-form button[type='submit']")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", SellerStatus.VERIFIED)

    # the kecamatan now has one verified pesantren, in the table and on the map
    page.goto(drill_down)
    row = page.locator(f"#kecamatan-table tr[data-code='{kecamatan}']")
    expect(row.locator("[data-col='verified']")).to_have_text("1")
    expect(row).not_to_have_attribute("data-uncovered", "true")
    expect(page.locator("#programme-map")).to_have_attribute("data-ready", "true", timeout=15000)
    shape = page.locator(f"#programme-map path[data-kode='{kecamatan}']")
    expect(shape).to_have_attribute("data-verified", "1")
    expect(shape).to_have_attribute("fill", ONE_COLOR)

    # and the province table counts it in its kabupaten
    page.goto(live_server.url + reverse("programme:mapping"))
    verified = Seller.objects.verified().filter(kabupaten_id=seller.kabupaten_id).count()
    kabupaten_row = page.locator(f"#kabupaten-table tr[data-code='{seller.kabupaten_id}']")
    expect(kabupaten_row.locator("[data-col='verified']")).to_have_text(str(verified))
