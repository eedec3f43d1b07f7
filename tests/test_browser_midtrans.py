"""On a 390 × 844 phone, a consumer of the demo pays two pesantren's order by BCA virtual account:
the number is shown with a countdown and how to pay, the "bank" is the local Midtrans server's
simulator, and its signed notification marks the order paid while our page waits."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from fulfilment.models import SellerOrder, SellerOrderStatus
from midtrans.models import MidtransCharge
from tests.test_browser_checkout import CONSUMER, products_of_two_pesantren

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_consumer_pays_by_bca_virtual_account_in_the_simulator_on_a_phone(
    page: Page, live_server, localmidtrans, demo_world, settings
):
    settings.MARKETPLACE_MIDTRANS_PAYMENTS = True
    localmidtrans.set_notification_url(f"{live_server.url}/payments/midtrans/notification/")
    first, second = products_of_two_pesantren()

    page.goto(live_server.url + reverse("customer:login"))
    page.fill("input[name='login-username']", CONSUMER)
    page.fill("input[name='login-password']", "pesantren123")
    page.click("button[name='login_submit']")
    expect(page).not_to_have_url(re.compile(reverse("customer:login")))
    for record in (first, second):
        page.goto(live_server.url + record.product.get_absolute_url())
        page.locator("#add_to_basket_form .pp-buy-add").click()

    page.goto(live_server.url + reverse("checkout:index"))
    seller = first.partner.seller
    page.fill("input[name='first_name']", "Siti Aminah")
    page.fill("input[name='phone_number']", "0812 3456 7890")
    page.fill("input[name='line1']", "Jl. Merdeka No. 5")
    page.select_option("select[name='province']", seller.province_id)
    expect(page.locator(f"select[name='kabupaten'] option[value='{seller.kabupaten_id}']")).to_be_attached()
    page.select_option("select[name='kabupaten']", seller.kabupaten_id)
    expect(page.locator(f"select[name='kecamatan'] option[value='{seller.kecamatan_id}']")).to_be_attached()
    page.select_option("select[name='kecamatan']", seller.kecamatan_id)
    expect(page.locator("select[name='desa'] option").nth(1)).to_be_attached()
    page.select_option("select[name='desa']", index=1)
    page.locator("#new_shipping_address button.btn-primary[type='submit']").click()

    # chooses the BCA virtual account among the grouped methods, and places the order
    expect(page).to_have_url(re.compile(reverse("checkout:payment-method")))
    expect(page.get_by_text("Virtual account", exact=False).first).to_be_visible()
    page.locator("label[for]", has_text="BCA Virtual Account").click()
    page.locator("#payment-method-form button[type='submit']").click()
    expect(page).to_have_url(re.compile(reverse("checkout:preview")))
    page.click("#place-order")

    # sees the VA number, the amount, a running countdown and how to pay, all within the phone's width
    expect(page).to_have_url(re.compile("/pembayaran/midtrans/"))
    number = page.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    charge = MidtransCharge.objects.get(order__number=number)
    expect(page.locator("#va-number")).to_have_text(charge.va_number)
    expect(page.locator("#countdown")).to_have_text(re.compile(r"\d+:\d\d:\d\d"))
    expect(page.locator("details.mt-steps").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="var/screenshots/midtrans-va-390.png", full_page=True)
    pay_page = page.url

    # pays it in the simulator, as at a bank: VA number first, then confirm
    page.goto(localmidtrans.simulator_url)
    page.select_option("#bank", "bca")
    page.fill("#va_number", charge.va_number)
    page.get_by_role("button", name="Cek tagihan").click()
    page.get_by_role("button", name=re.compile(r"^Bayar Rp")).click()

    # back on our page, it notices the payment and lands on the order, paid, one part per pesantren
    page.goto(pay_page)
    expect(page).to_have_url(re.compile(r"/accounts/orders/\d+/"), timeout=30000)
    parts = SellerOrder.objects.filter(order__number=number)
    assert sorted(parts.values_list("status", flat=True)) == [SellerOrderStatus.PAID, SellerOrderStatus.PAID]
    expect(page.locator("[data-order-status]")).to_have_attribute("data-order-status", "Paid")
