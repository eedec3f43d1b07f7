"""A visitor walks the demo in a real headless Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from sellers.models import Seller, SellerStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_browses_home_storefront_product_and_application_form(page: Page, live_server, demo_world):
    seller = Seller.objects.filter(status=SellerStatus.VERIFIED).order_by("name").first()

    # the home page features pesantren and categories, in Indonesian
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Pasar Pesantren"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("link", name=seller.name).first).to_be_visible()

    # the directory filters by kabupaten and leads to the storefront
    page.goto(f"{live_server.url}/pesantren/?kabupaten={seller.kabupaten_id}")
    page.get_by_role("link", name=seller.name).first.click()
    expect(page).to_have_url(re.compile(re.escape(seller.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", name=seller.name).first).to_be_visible()
    expect(page.get_by_text(seller.kabupaten.name).first).to_be_visible()

    # a product card opens the product page, which names the pesantren and shows a rupiah price
    page.locator(".product_pod a[href*='/catalogue/']").first.click()
    expect(page.locator("body")).to_contain_text(seller.name)
    expect(page.locator("body")).to_contain_text(re.compile(r"Rp \d{1,3}(\.\d{3})+"))

    # the application form shows the chained region selects
    page.goto(live_server.url + "/pesantren/daftar/")
    kabupaten = page.locator("select[name='kabupaten']")
    expect(kabupaten).to_be_visible()
    kabupaten.select_option(seller.kabupaten_id)
    kecamatan_options = page.locator("select[name='kecamatan'] option")
    expect(kecamatan_options.nth(1)).to_be_attached()
    assert kecamatan_options.count() > 2
