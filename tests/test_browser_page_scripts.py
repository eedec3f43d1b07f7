"""The pages whose scripts left inline blocks for static files still work, under the Content-Security-Policy.

Each test drives the scripts of a few pages in Chromium; the `context` fixture (tests/fixtures/browser.py)
fails any of them on a policy violation or an uncaught script error.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from companies.access import verified_company_for_user
from dashboard.catalogue.models import ImportJob, ImportJobStatus
from quotes.models import RequestForQuotation, RfqStatus
from quotes.tests.helpers import make_rfq
from sellers.models import Seller, SellerStatus
from tests.factories import make_region_tree, make_shipping_address, place_order
from tests.fixtures.browser import pay_by_card, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONSUMER = "konsumen@demo.pasarpesantren.id"
STAFF = "pesantren1@demo.pasarpesantren.id"
APPROVER = "katering@demo.pasarpesantren.id"


def in_stock_records(count: int):
    StockRecord = get_model("partner", "StockRecord")
    return list(
        StockRecord.objects.filter(
            num_in_stock__gte=3, product__is_public=True, partner__seller__status=SellerStatus.VERIFIED
        )
        .select_related("product")
        .order_by("pk")[:count]
    )


def test_the_basket_script_removes_a_line_and_a_card_pays_through_3d_secure(
    page: Page, live_server, localstripe, demo_world
):
    localstripe.register_webhook(f"{live_server.url}{reverse('payments:webhook')}")
    first, second = in_stock_records(2)
    consumer = get_user_model().objects.get(email=CONSUMER)

    # Oscar's basket script (set up by js/page-init.js) removes a line without leaving the page
    sign_in(page, live_server, CONSUMER)
    for record in (first, second):
        page.goto(live_server.url + record.product.get_absolute_url())
        page.locator("#add_to_basket_form .pp-buy-add").click()
    page.goto(live_server.url + reverse("basket:summary"))
    remove_links = page.locator("#basket_formset a[data-behaviours~='remove']")
    expect(remove_links).to_have_count(2)
    remove_links.first.click()
    expect(remove_links).to_have_count(1)
    expect(page).to_have_url(re.compile(re.escape(reverse("basket:summary")) + "$"))

    # a card asking for 3-D Secure pays an order: Stripe.js (localstripe's) opens its dialog and calls its API
    order = place_order(
        items=[(first.product, 1)], shipping_address=make_shipping_address(regions=make_region_tree()), user=consumer
    )
    page.goto(live_server.url + reverse("checkout:pay", kwargs={"order_number": order.number}))
    pay_by_card(page, "4000002760003184")
    page.get_by_role("button", name="Complete authentication").click()
    expect(page).to_have_url(re.compile(rf"/accounts/orders/{order.number}/"), timeout=30000)
    order.refresh_from_db()
    assert order.status == "Paid"


def test_business_scripts_quick_order_grid_confirmed_cancel_and_language_switch(page: Page, live_server, demo_world):
    approver = get_user_model().objects.get(email=APPROVER)
    company = verified_company_for_user(approver)
    (record,) = in_stock_records(1)
    sign_in(page, live_server, APPROVER)

    # the quick-order grid adds rows without a round trip and looks up a typed SKU
    page.goto(live_server.url + reverse("purchasing:bulk-order"))
    rows = page.locator("#quick-order-grid tbody tr")
    first_count = rows.count()
    page.click("#quick-order-add-rows")
    expect(rows).to_have_count(first_count + 10)
    expect(page).to_have_url(re.compile(re.escape(reverse("purchasing:bulk-order")) + "$"))
    page.fill("#quick-order-grid input[name$='-0-sku']", record.partner_sku)
    expect(rows.first.locator(".quick-order-product")).to_contain_text(record.product.get_title())

    # cancelling a request for quotation asks first; saying no keeps it open
    rfq = make_rfq(company=company, user=approver, title="Kerupuk kulit untuk katering", seller=record.partner.seller)
    page.goto(live_server.url + reverse("quotes:detail", kwargs={"pk": rfq.pk}))
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name=re.compile("Batalkan permintaan|Cancel request")).click()
    expect(page.locator("[data-rfq-status]")).to_have_attribute("data-rfq-status", RfqStatus.OPEN)
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name=re.compile("Batalkan permintaan|Cancel request")).click()
    expect(page.locator("[data-rfq-status]")).to_have_attribute("data-rfq-status", RfqStatus.CANCELLED)
    assert len(questions) == 2 and questions[0] == questions[1] != ""
    assert RequestForQuotation.objects.get(pk=rfq.pk).status == RfqStatus.CANCELLED

    # the language switcher posts to Django's set_language and comes back to the page
    page.click("#language_selector button[value='en']")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/offtaker/rfq/{rfq.pk}/$"))


def test_pesantren_dashboard_scripts_charts_tier_rows_and_import_progress(page: Page, live_server, demo_world):
    seller = Seller.objects.select_related("partner").get(owner__email=STAFF)
    record = seller.partner.stockrecords.order_by("pk").first()
    sign_in(page, live_server, STAFF)

    # the sales report draws its three charts
    page.goto(live_server.url + reverse("dashboard:seller-sales"))
    for chart in ("chart-weeks", "chart-months", "chart-statuses"):
        assert page.evaluate("id => Boolean(window.Chart.getChart(id))", chart), chart

    # (Oscar's bulk-action product table is the platform staff's; a pesantren's product list is the
    # seller centre's, whose photo script tests/test_browser_seller_centre.py drives.)

    # wholesale prices: "Add a row" adds an empty tier row
    page.goto(live_server.url + reverse("wholesale:stockrecord-wholesale", kwargs={"pk": record.pk}))
    tiers = page.locator("#tier_table tbody tr")
    tier_count = tiers.count()
    page.click("#add_tier_row")
    expect(tiers).to_have_count(tier_count + 1)

    # a running product import: the page follows its progress and reloads when it ends
    job = ImportJob.objects.create(
        seller=seller,
        created_by=seller.owner,
        file_name="produk.csv",
        content="sku,title\n",
        status=ImportJobStatus.SAVING,
        total_rows=10,
        processed_rows=4,
    )
    page.goto(live_server.url + reverse("dashboard:product-import-job", kwargs={"pk": job.pk}))
    expect(page.locator("#job-progress")).to_have_text("40%")
    poller = page.locator("script[src$='dashboard/product-import-job.js']")
    expect(poller).to_have_count(1)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.DONE, processed_rows=10, finished_at=timezone.now()
    )
    expect(poller).to_have_count(0, timeout=10000)
    expect(page.locator("#job-progress")).to_have_text("100%")


def test_staff_dashboard_scripts_run_on_oscars_pages(page: Page, live_server, demo_world):
    Order = get_model("order", "Order")
    order = Order.objects.order_by("pk").first()
    sign_in(page, live_server, "admin@demo.pasarpesantren.id")

    # jQuery is ours: no page waits on a CDN
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + reverse("dashboard:index"))
    assert not [url for url in requested if not url.startswith(live_server.url)]

    # the order page's tabs (set up by js/page-init.js) switch, and the link to a tab opens it
    page.goto(live_server.url + reverse("dashboard:order-detail", kwargs={"number": order.number}) + "#payment")
    expect(page.locator("#payment")).to_be_visible()

    # the product type form's cancel link goes back, without an inline handler
    page.goto(live_server.url + reverse("dashboard:catalogue-class-list"))
    page.goto(live_server.url + reverse("dashboard:catalogue-class-create"))
    page.locator(".fixed-actions-group a[data-history-back]").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("dashboard:catalogue-class-list")) + "$"))

    # reports and offers, whose set-ups also moved to js/page-init.js
    page.goto(live_server.url + reverse("dashboard:reports-index"))
    page.goto(live_server.url + reverse("dashboard:offer-list"))
    page.goto(live_server.url + reverse("dashboard:range-list"))
