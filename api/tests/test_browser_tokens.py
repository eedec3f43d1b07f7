"""A company approver creates an API token in the browser, copies it once and their program uses it."""

import json
import re
import urllib.request

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from api.tests.conftest import make_product
from tests.factories import make_company, make_region_tree, make_seller, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-123"


def api_get(live_server, path: str, secret: str):
    request = urllib.request.Request(live_server.url + path, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_an_approver_creates_uses_and_revokes_a_token(page: Page, live_server):
    seller = make_seller(regions=make_region_tree(), slug="pp-al-falah")
    make_product(seller, sku="KOPI-250", title="Kopi Arabika", tiers=[(10, 22000)])
    approver = make_user(email="pengadaan@mitra.example")
    make_company(members=[(approver, "approver")], legal_name="PT Mitra Niaga")

    page.goto(live_server.url + reverse("customer:login"))
    page.fill("input[name='login-username']", approver.email)
    page.fill("input[name='login-password']", PASSWORD)
    page.click("button[name='login_submit']")
    expect(page).not_to_have_url(re.compile(reverse("customer:login")))

    page.goto(live_server.url + reverse("api:tokens"))
    page.fill("input[name='name']", "ERP gudang")
    page.click("#token-form button[type='submit']")
    secret = page.locator("#new-token-secret").inner_text().strip()

    status, body = api_get(live_server, "/api/v1/products/", secret)
    assert status == 200
    assert body["results"][0]["price_tiers"] == [{"min_quantity": 10, "unit_price": 22000}]

    # The secret is not shown again; the table keeps only its first characters.
    page.goto(live_server.url + reverse("api:tokens"))
    expect(page.locator("#new-token-secret")).to_have_count(0)
    expect(page.locator("#token-table")).to_contain_text(secret[:8])
    page.click("#token-table button[name='revoke']")
    expect(page.locator("#token-table .badge-secondary")).to_have_count(1)

    status, _body = api_get(live_server, "/api/v1/products/", secret)
    assert status == 401
