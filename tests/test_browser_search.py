"""A shopper searches the demo in a real headless Chromium: suggestions, results, a facet."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def result_count(page: Page) -> int:
    return int(re.search(r"(\d+) product", page.locator(".pp-result-count").inner_text()).group(1))


def facet_counts(page: Page, facet: str) -> dict[str, int]:
    options = page.locator(f"[data-facet='{facet}'] .pp-facet-option")
    counts = {}
    for index in range(options.count()):
        option = options.nth(index)
        value = option.locator("a").get_attribute("data-facet-value")
        counts[value] = int(option.locator(".pp-facet-count").inner_text())
    return counts


def test_shopper_gets_suggestions_searches_and_narrows_by_kabupaten(page: Page, live_server, demo_world):
    # seed_demo rebuilt the search index at its end
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/")

    # typing in the header search box shows suggestions, reachable by keyboard
    box = page.locator("#id_q")
    box.press_sequentially("kerud", delay=60)
    suggestions = page.get_by_role("listbox")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("option").first).to_contain_text(re.compile("Kerudung", re.I))
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(suggestions.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(suggestions).to_be_hidden()

    # a typo still finds the kerudung products
    box.fill("kerudng")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=kerudng"))
    expect(page.locator(".product_pod").first).to_contain_text(re.compile("Kerudung|Pashmina", re.I))

    # the catalogue, narrowed to one kabupaten: results and the other facets' counts change
    page.goto(live_server.url + "/catalogue/")
    total = result_count(page)
    kabupaten = facet_counts(page, "kabupaten")
    sellers_before = facet_counts(page, "seller")
    code, expected = min(kabupaten.items(), key=lambda item: item[1])
    assert expected < total

    page.locator(f"[data-facet='kabupaten'] a[data-facet-value='{code}']").click()

    expect(page).to_have_url(re.compile(rf"kabupaten={re.escape(code)}"))
    expect(page.locator(".pp-result-count")).to_contain_text(f"{expected} product")
    expect(page.locator(f"[data-facet='kabupaten'] a[data-facet-value='{code}']")).to_have_attribute(
        "aria-current", "true"
    )
    sellers_after = facet_counts(page, "seller")
    assert sum(sellers_after.values()) == expected
    assert sellers_after != sellers_before

    # sorting keeps the filter
    page.locator("#pp-sort").select_option("price_asc")
    expect(page).to_have_url(re.compile(r"sort=price_asc"))
    expect(page).to_have_url(re.compile(rf"kabupaten={re.escape(code)}"))
    expect(page.locator(".pp-result-count")).to_contain_text(f"{expected} product")


def test_a_phone_shopper_finds_a_product_by_a_misspelt_search(page: Page, live_server, demo_world):
    # given a phone-sized window and the site in English (the default Indonesian copy may not be compiled)
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/")

    # when the shopper searches a misspelt word from the header box, on the first screen of the phone
    box = page.locator("#id_q")
    expect(box).to_be_visible()
    assert box.bounding_box()["y"] + box.bounding_box()["height"] < 844
    box.fill("kerudng")
    box.press("Enter")

    # then kerudung products are listed, under "Did you mean kerudung?"
    expect(page).to_have_url(re.compile(r"/search/\?q=kerudng"))
    spelling = page.locator(".pp-spelling:visible")  # on a phone, the copy above the filters
    expect(spelling).to_have_attribute("data-suggestion", "kerudung")
    assert spelling.bounding_box()["y"] < 844  # seen without scrolling
    first = page.locator(".product_pod").first
    expect(first).to_contain_text(re.compile("Kerudung", re.I))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    # and following the suggestion keeps finding them
    spelling.get_by_role("link", name="kerudung").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=kerudung"))
    expect(page.locator(".pp-spelling")).to_have_count(0)

    # a regional spelling finds the product too, and the shopper reaches its page
    expect(box).to_be_visible()
    box.fill("kripik")
    box.press("Enter")
    product = page.locator(".product_pod").first
    expect(product).to_contain_text(re.compile("Keripik", re.I))
    title = product.locator(".pp-product-title a")
    name = title.get_attribute("title")
    title.click()
    expect(page.locator("h1")).to_contain_text(name)
