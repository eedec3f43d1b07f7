"""In a real browser, a product page whose description carries script payloads runs none of them.

Each payload would set `window.__xss` or open a dialog. The `context` fixture also fails the test on
any Content-Security-Policy violation, so a payload that reached the page and was only stopped by the
policy fails it too: the policy is the second wall, not the first.
"""

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from tests.factories import make_region_tree, make_seller, make_seller_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Product = get_model("catalogue", "Product")

PAYLOADS = (
    "<p><strong>Dodol legit</strong> dari Garut</p>"
    "<script>window.__xss = 'script'; alert(1)</script>"
    "<img src=x onerror=\"window.__xss = 'img'; alert(1)\">"
    "<svg onload=\"window.__xss = 'svg'; alert(1)\"></svg>"
    "<svg><script>window.__xss = 'svg-script'</script></svg>"
    "<iframe srcdoc=\"<script>parent.__xss = 'iframe'</script>\"></iframe>"
    '"><script>window.__xss = "breakout"</script>'
    '<a id="xss-link" href="javascript:window.__xss = \'link\'; alert(1)">klik</a>'
    '<p onmouseover="window.__xss = \'hover\'" id="xss-hover">arahkan</p>'
)


@pytest.mark.parametrize("written", ["through the model", "behind the model's back"])
def test_no_payload_in_a_product_description_runs(page: Page, live_server, written):
    seller = make_seller(regions=make_region_tree())
    product = make_seller_product(seller, title="Dodol Garut", description=PAYLOADS)
    if written == "behind the model's back":
        # a row the save-time sanitiser never saw: the page's own filter must still hold
        Product.objects.filter(pk=product.pk).update(description=PAYLOADS)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(live_server.url + product.get_absolute_url())
    expect(page.locator("strong", has_text="Dodol legit")).to_be_visible()  # allowed formatting stays
    page.get_by_text("klik", exact=True).click()
    page.get_by_text("arahkan", exact=True).hover()
    page.wait_for_timeout(300)  # let any onerror / onload handler fire

    assert page.evaluate("window.__xss === undefined")
    assert dialogs == []
    assert page.locator("script:not([src]):not([type='application/json']), svg, iframe").count() == 0
