"""An off-taker asks a pesantren for a private-label quote, which the pesantren answers and the off-taker accepts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from companies.access import verified_company_for_user
from purchasing.models import CompanyOrder
from quotes.models import Quote, QuoteStatus, RfqStatus
from quotes.tests.helpers import in_days, make_company
from sellers.models import Seller

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFTAKER = "offtaker@demo.pasarpesantren.id"
STAFF = "pesantren1@demo.pasarpesantren.id"


def sign_in(page: Page, live_server, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("customer:login"))
    page.fill("input[name='login-username']", email)
    page.fill("input[name='login-password']", "pesantren123")
    page.click("button[name='login_submit']")
    expect(page).not_to_have_url(re.compile(reverse("customer:login")))


def choose(page: Page, name: str, value: str) -> None:
    """Click the label of a radio button, as a person does (Bootstrap's custom radios hide the input)."""
    radio_id = page.get_attribute(f"input[name='{name}'][value='{value}']", "id")
    page.click(f"label[for='{radio_id}']")


def test_an_rfq_from_request_to_order(page: Page, live_server, demo_world):
    from django.contrib.auth import get_user_model

    offtaker = get_user_model().objects.get(email=OFFTAKER)
    company = verified_company_for_user(offtaker) or make_company(member=offtaker, legal_name="PT Mitra Pangan")
    seller = Seller.objects.get(owner__email=STAFF)

    # the off-taker asks one pesantren for sambal under its own label
    sign_in(page, live_server, OFFTAKER)
    page.goto(live_server.url + reverse("quotes:create"))
    page.fill("input[name='title']", "Sambal bawang merek Mitra")
    choose(page, "kind", "private_label")
    page.fill("input[name='quantity']", "100")
    page.select_option("select[name='unit']", "botol")
    page.fill("textarea[name='specification']", "Botol kaca 150 ml, label kami, halal.")
    page.fill("input[name='target_unit_price']", "15000")
    page.fill("input[name='delivery_date']", in_days(30).isoformat())
    page.fill("input[name='quotes_due']", in_days(7).isoformat())
    choose(page, "audience", "seller")
    expect(page.locator("select[name='region']")).to_be_hidden()
    page.select_option("select[name='seller']", str(seller.pk))
    page.click("#send-rfq")
    expect(page).to_have_url(re.compile(r"/offtaker/rfq/\d+/$"))
    expect(page.locator("#no-quotes")).to_be_visible()
    rfq = company.rfqs.get()

    # the pesantren finds it in its dashboard, asks a question and quotes
    sign_in(page, live_server, STAFF)
    page.goto(live_server.url + reverse("quotes-dashboard:rfq-list"))
    page.click(f"#seller-rfq-list a[href='{reverse('quotes-dashboard:rfq-detail', kwargs={'pk': rfq.pk})}']")
    expect(page.locator("#rfq-summary")).to_contain_text("Botol kaca 150 ml")
    page.fill("#message-form textarea[name='body']", "Label dikirim dari Anda atau kami cetak?")
    page.locator("#message-form button[type='submit']").click()
    expect(page.locator("[data-message]")).to_have_count(1)
    page.fill("#quote-form input[name='unit_price']", "14500")
    page.fill("#quote-form input[name='lead_time_days']", "10")
    page.fill("#quote-form input[name='unit_weight_grams']", "300")
    page.fill("#quote-form textarea[name='note']", "Termasuk cetak label.")
    page.click("#send-quote")
    expect(page.locator("#live-quote")).to_have_attribute("data-quote-status", "submitted")

    # the off-taker compares, reads the thread and accepts, paying by bank transfer
    sign_in(page, live_server, OFFTAKER)
    page.goto(live_server.url + reverse("quotes:detail", kwargs={"pk": rfq.pk}))
    row = page.locator("#quote-comparison tr[data-quote]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Rp 14.500")
    expect(row).to_contain_text("Rp 1.450.000")
    page.goto(live_server.url + reverse("quotes:thread", kwargs={"pk": rfq.pk, "seller_pk": seller.pk}))
    expect(page.locator("[data-thread]")).to_contain_text("Label dikirim dari Anda atau kami cetak?")
    page.fill("textarea[name='body']", "Kami kirim file label lewat email.")
    page.locator("#message-form button[type='submit']").click()
    expect(page.locator("[data-message]")).to_have_count(2)
    page.goto(live_server.url + reverse("quotes:detail", kwargs={"pk": rfq.pk}))
    page.click("[data-accept-quote]")
    page.fill("input[name='first_name']", "Budi Santoso")
    page.fill("input[name='phone_number']", "0812 3456 7890")
    page.fill("input[name='line1']", "Jl. Soekarno-Hatta No. 100")
    page.select_option("select[name='province']", seller.province_id)
    expect(page.locator(f"select[name='kabupaten'] option[value='{seller.kabupaten_id}']")).to_be_attached()
    page.select_option("select[name='kabupaten']", seller.kabupaten_id)
    expect(page.locator(f"select[name='kecamatan'] option[value='{seller.kecamatan_id}']")).to_be_attached()
    page.select_option("select[name='kecamatan']", seller.kecamatan_id)
    expect(page.locator("select[name='desa'] option").nth(1)).to_be_attached()
    page.select_option("select[name='desa']", index=1)
    expect(page.locator("input[name='postcode']")).to_have_value(re.compile(r"^\d{5}$"))
    choose(page, "payment_method", "bank_transfer")
    page.fill("input[name='po_number']", "PO-MITRA-001")
    page.click("#confirm-accept")

    # lands on the transfer instructions of the new order, then finds the order from the request
    expect(page).to_have_url(re.compile(r"/pembayaran/transfer/\d+/$"))
    number = page.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator("body")).to_contain_text(number)
    page.goto(live_server.url + reverse("quotes:detail", kwargs={"pk": rfq.pk}))
    expect(page.locator("[data-rfq-status]")).to_have_attribute("data-rfq-status", RfqStatus.AWARDED)
    page.click("#rfq-order-link")
    expect(page).to_have_url(re.compile(rf"/accounts/orders/{number}/$"))
    expect(page.locator("body")).to_contain_text("Sambal bawang merek Mitra")

    # and the order is at the quoted price, for the pesantren that quoted
    company_order = CompanyOrder.objects.select_related("order").get(company=company)
    line = company_order.order.lines.get()
    assert (str(company_order.order.number), company_order.po_number) == (number, "PO-MITRA-001")
    assert (line.quantity, line.unit_price_incl_tax, line.partner_id) == (100, Decimal("14500.00"), seller.partner_id)
    quote = Quote.objects.get(rfq=rfq)
    assert (quote.status, quote.order_id) == (QuoteStatus.ACCEPTED, company_order.order_id)
