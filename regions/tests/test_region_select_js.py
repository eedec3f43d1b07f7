"""region-select.js in a real headless Chromium, against the real JSON endpoint."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls("regions.tests.urls")]


def _values(page: Page, name: str) -> list[str]:
    return page.locator(f"select[name='{name}'] option").evaluate_all("options => options.map(o => o.value)")


def test_choosing_a_region_fetches_the_next_level_and_fills_the_postal_code(page: Page, live_server, region_tree):
    page.goto(live_server.url + "/address/")

    # the no-JavaScript refresh button is hidden once the script runs
    expect(page.locator("button[name='refresh_regions']")).to_be_hidden()

    page.select_option("select[name='kabupaten']", "32.04")
    expect(page.locator("select[name='kecamatan'] option")).to_have_count(3)
    assert _values(page, "kecamatan") == ["", "32.04.13", "32.04.05"]

    page.select_option("select[name='kecamatan']", "32.04.05")
    expect(page.locator("select[name='desa'] option")).to_have_count(3)
    page.select_option("select[name='desa']", "32.04.05.2002")
    expect(page.locator("input[name='postal_code']")).to_have_value("40622")

    # a new kabupaten clears the levels below it, including the postal code the script filled in
    page.select_option("select[name='kabupaten']", "32.73")
    expect(page.locator("select[name='kecamatan'] option")).to_have_count(2)
    assert _values(page, "desa") == [""]
    expect(page.locator("input[name='postal_code']")).to_have_value("")


def test_a_postal_code_typed_by_the_user_is_not_overwritten(page: Page, live_server, region_tree):
    page.goto(live_server.url + "/address/")
    page.fill("input[name='postal_code']", "40999")

    page.select_option("select[name='kabupaten']", "32.04")
    page.select_option("select[name='kecamatan']", "32.04.05")
    page.select_option("select[name='desa']", "32.04.05.2001")

    expect(page.locator("input[name='postal_code']")).to_have_value("40999")


def test_without_javascript_the_refresh_button_lists_the_next_level(browser, live_server, region_tree):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/address/")

    page.select_option("select[name='kabupaten']", "32.04")
    page.click("button[name='refresh_regions']")

    expect(page.locator("select[name='kabupaten']")).to_have_value("32.04")
    assert _values(page, "kecamatan") == ["", "32.04.13", "32.04.05"]
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    context.close()
