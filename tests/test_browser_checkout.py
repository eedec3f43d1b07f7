"""A consumer buys from two pesantren of the demo and pays by card on the real checkout page.

localstripe serves its stand-in Stripe.js, and its signed webhook marks the order paid.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from fulfilment.models import SellerOrder, SellerOrderStatus
from sellers.models import SellerStatus
from tests.fixtures.browser import pay_by_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONSUMER = "konsumen@demo.pasarpesantren.id"


def products_of_two_pesantren():
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    records = (
        StockRecord.objects.filter(
            num_in_stock__gte=3, product__is_public=True, partner__seller__status=SellerStatus.VERIFIED
        )
        .select_related("product", "partner__seller")
        .order_by("partner_id", "pk")
    )
    picked = {}
    for record in records:
        picked.setdefault(record.partner_id, record)
        if len(picked) == 2:
            return list(picked.values())
    raise AssertionError("the demo should have in-stock products from two pesantren")


def test_consumer_buys_from_two_pesantren_and_pays_by_card(page: Page, live_server, localstripe, demo_world):
    localstripe.register_webhook(f"{live_server.url}{reverse('payments:webhook')}")
    first, second = products_of_two_pesantren()

    # signs in
    page.goto(live_server.url + reverse("customer:login"))
    page.fill("input[name='login-username']", CONSUMER)
    page.fill("input[name='login-password']", "pesantren123")
    page.click("button[name='login_submit']")
    expect(page).not_to_have_url(re.compile(reverse("customer:login")))

    # puts a product of each pesantren in the basket
    for record in (first, second):
        page.goto(live_server.url + record.product.get_absolute_url())
        page.locator("#add_to_basket_form .pp-buy-add").click()
    page.goto(live_server.url + reverse("basket:summary"))
    for record in (first, second):
        expect(page.get_by_text(record.partner.seller.name).first).to_be_visible()

    # gives an Indonesian address, choosing the regions in the chained selects
    page.goto(live_server.url + reverse("checkout:index"))
    expect(page).to_have_url(re.compile(re.escape(reverse("checkout:shipping-address")) + "$"))
    seller_region = first.partner.seller
    page.fill("input[name='first_name']", "Siti Aminah")
    page.fill("input[name='phone_number']", "0812 3456 7890")
    page.fill("input[name='line1']", "Jl. Merdeka No. 5")
    page.select_option("select[name='province']", seller_region.province_id)
    expect(page.locator(f"select[name='kabupaten'] option[value='{seller_region.kabupaten_id}']")).to_be_attached()
    page.select_option("select[name='kabupaten']", seller_region.kabupaten_id)
    expect(page.locator(f"select[name='kecamatan'] option[value='{seller_region.kecamatan_id}']")).to_be_attached()
    page.select_option("select[name='kecamatan']", seller_region.kecamatan_id)
    expect(page.locator("select[name='desa'] option").nth(1)).to_be_attached()
    page.select_option("select[name='desa']", index=1)
    expect(page.locator("input[name='postcode']")).to_have_value(re.compile(r"^\d{5}$"))
    page.locator("#new_shipping_address button.btn-primary[type='submit']").click()

    # chooses card payment, reviews and places the order
    expect(page).to_have_url(re.compile(reverse("checkout:payment-method")))
    page.locator("input[name='method'][value='card']").check()
    page.locator("#payment-method-form button[type='submit']").click()
    expect(page).to_have_url(re.compile(reverse("checkout:preview")))
    page.click("#place-order")

    # pays with a test card on our page, through Stripe.js
    expect(page).to_have_url(re.compile("/checkout/bayar/"))
    expect(page.locator("[data-testid='amount']")).to_have_text(re.compile(r"Rp \d{1,3}(\.\d{3})+"))
    pay_by_card(page, "4242424242424242")

    # lands on its order once Stripe's webhook has marked it paid, with one shipment per pesantren
    expect(page).to_have_url(re.compile(r"/accounts/orders/\d+/"), timeout=30000)
    number = re.search(r"/accounts/orders/(\d+)/", page.url).group(1)
    parts = SellerOrder.objects.filter(order__number=number)
    assert sorted(parts.values_list("status", flat=True)) == [SellerOrderStatus.PAID, SellerOrderStatus.PAID]
    expect(page.locator("[data-seller-order]")).to_have_count(2)
    expect(page.locator("[data-order-status]")).to_have_attribute("data-order-status", "Paid")
