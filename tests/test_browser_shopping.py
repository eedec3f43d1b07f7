"""Mobile-first shopping, done-when of issue 12.2: a consumer on a 390×844 phone.

She finds a product by a misspelt search from the header box, puts products of two pesantren in the
basket with the product page's sticky bar and its quantity stepper, checks out with one hand (the
primary buttons within the screen), pays by card on localstripe, and reads that the payment went
through and the order's status. Once both pesantren have shipped their parts (through the fulfilment
service, as their seller centre does), the order page says the order is on its way.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.order_status import ORDER_STATUS_LABELS
from fulfilment.services import seller_order_accept, seller_order_pack, seller_order_ship
from sellers.models import SellerStatus
from tests.fixtures.browser import pay_by_card, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONSUMER = "konsumen@demo.pasarpesantren.id"
PHONE = {"width": 390, "height": 844}

StockRecord = get_model("partner", "StockRecord")


def on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def label(status: str) -> str:
    with translation.override("id"):
        return str(ORDER_STATUS_LABELS[status])


def another_pesantren_product(partner_id: int):
    return (
        StockRecord.objects.filter(
            num_in_stock__gte=5, product__is_public=True, partner__seller__status=SellerStatus.VERIFIED
        )
        .exclude(partner_id=partner_id)
        .select_related("product", "partner__seller")
        .order_by("pk")
        .first()
    )


def test_a_phone_shopper_buys_from_two_pesantren_with_the_sticky_bar_and_follows_the_order(
    page: Page, live_server, localstripe, demo_world
):
    localstripe.register_webhook(f"{live_server.url}{reverse('payments:webhook')}")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, CONSUMER)

    # finds a product by a misspelt search, typed in the header box on the home page's first screen
    page.goto(live_server.url + "/")
    box = page.locator("#id_q")
    assert on_first_screen(box)
    box.fill("keripk")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=keripk"))
    first_card = page.locator(".product_pod").first
    expect(first_card).to_contain_text(re.compile("Keripik", re.I))
    # the filters are folded above the results, which start on the first screen, two to a row
    expect(page.locator(".pp-filter-panel summary")).to_be_visible()
    expect(page.locator(".pp-facets")).to_be_hidden()
    assert on_first_screen(page.locator(".pp-result-count"))
    cards = page.locator(".pp-product-grid > li")
    if cards.count() > 1:
        assert cards.nth(0).bounding_box()["y"] == cards.nth(1).bounding_box()["y"]
        assert cards.nth(1).bounding_box()["x"] + cards.nth(1).bounding_box()["width"] <= PHONE["width"]
    fits_the_phone(page)
    first_card.locator(".pp-product-title a").click()

    # on the product page the bar sits at the bottom of the screen; the stepper counts to 3
    bar = page.locator("#add_to_basket_form")
    add = bar.locator(".pp-buy-add")
    quantity = bar.locator("input[name='quantity']")
    fewer, more = bar.locator("[data-step='-1']"), bar.locator("[data-step='1']")
    assert on_first_screen(add) and on_first_screen(more)
    assert add.bounding_box()["y"] > PHONE["height"] - 100
    expect(quantity).to_have_value("1")
    expect(fewer).to_be_disabled()  # not below the minimum of 1
    more.click()
    expect(quantity).to_have_value("2")
    more.focus()
    page.keyboard.press("Enter")  # the buttons work from the keyboard too
    expect(quantity).to_have_value("3")
    fewer.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Space")
    page.keyboard.press("Space")
    expect(quantity).to_have_value("1")
    expect(fewer).to_be_disabled()
    more.click()
    more.click()
    expect(quantity).to_have_value("3")
    fits_the_phone(page)
    first_url = page.url
    add.click()
    expect(page).to_have_url(first_url)
    expect(page.locator(".pp-basket-btn .pp-badge").first).to_have_text("3")

    # a product of another pesantren: two with the stepper, then "Buy now" goes straight to checkout
    first_record = StockRecord.objects.filter(product__in=_products_at(first_url)).select_related("partner").first()
    second = another_pesantren_product(first_record.partner_id)
    page.goto(live_server.url + second.product.get_absolute_url())
    page.locator("#add_to_basket_form [data-step='1']").click()
    expect(page.locator("#add_to_basket_form input[name='quantity']")).to_have_value("2")
    page.locator("#add_to_basket_form .pp-buy-now").click()

    # one-hand checkout: the address form's button stays within the screen while the form is in view
    expect(page).to_have_url(re.compile(re.escape(reverse("checkout:shipping-address")) + "$"))
    fits_the_phone(page)
    seller_region = second.partner.seller
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
    desa = page.locator("select[name='desa'] option:checked").inner_text().strip()
    continue_button = page.locator("#new_shipping_address button.pp-primary-btn")
    assert on_first_screen(continue_button)
    assert continue_button.bounding_box()["height"] >= 44
    continue_button.click()

    expect(page).to_have_url(re.compile(reverse("checkout:payment-method")))
    page.locator("input[name='method'][value='card']").check()
    page.locator("#payment-method-form button[type='submit']").click()

    # the preview shows the full address, and the place-order button is under the thumb at once
    expect(page).to_have_url(re.compile(reverse("checkout:preview")))
    expect(page.locator("body")).to_contain_text(desa)
    expect(page.locator("body")).to_contain_text(f"Kec. {seller_region.kecamatan.name}")
    place = page.locator("#place-order")
    assert on_first_screen(place)
    fits_the_phone(page)
    place.click()

    # pays with a test card; the order page says the payment went through, with the order's status
    expect(page).to_have_url(re.compile("/checkout/bayar/"))
    fits_the_phone(page)
    pay_by_card(page, "4242424242424242")
    expect(page).to_have_url(re.compile(r"/accounts/orders/\d+/\?paid=1"), timeout=30000)
    expect(page.locator("[data-payment-success]")).to_be_visible()
    expect(page.locator("[data-order-status]")).to_have_attribute("data-order-status", "Paid")
    expect(page.locator("[data-order-status]")).to_have_text(label("Paid"))
    expect(page.locator("[data-seller-order]")).to_have_count(2)
    expect(page.locator("[data-shipping-address]")).to_contain_text(desa)
    fits_the_phone(page)
    number = re.search(r"/accounts/orders/([^/]+)/", page.url).group(1)
    order = get_model("order", "Order").objects.get(number=number)
    assert sorted(line.quantity for line in order.lines.all()) == [2, 3]

    # when both pesantren ship their parts, the order is "Dikirim", each part showing its own status
    parts = list(SellerOrder.objects.filter(order=order).select_related("seller__owner").order_by("pk"))
    assert {part.status for part in parts} == {SellerOrderStatus.PAID}
    seller_order_accept(seller_order=parts[0], actor=parts[0].seller.owner)
    seller_order_pack(seller_order=parts[0], actor=parts[0].seller.owner)
    seller_order_ship(seller_order=parts[0], actor=parts[0].seller.owner, courier="JNE", tracking_number="JNE0001")
    page.reload()
    expect(page.locator("[data-order-status]")).to_have_attribute("data-order-status", "Partly shipped")
    expect(page.locator("[data-order-status]")).to_have_text(label("Partly shipped"))
    for part in parts[1:]:
        seller_order_accept(seller_order=part, actor=part.seller.owner)
        seller_order_pack(seller_order=part, actor=part.seller.owner)
        seller_order_ship(seller_order=part, actor=part.seller.owner, courier="SiCepat", tracking_number="SC0002")
    page.goto(live_server.url + reverse("customer:order", kwargs={"order_number": number}))
    expect(page.locator("[data-order-status]")).to_have_attribute("data-order-status", "Shipped")
    expect(page.locator("[data-order-status]")).to_have_text(label("Shipped"))
    expect(page.locator("[data-seller-order] [data-status='shipped']")).to_have_count(2)
    expect(page.locator("[data-payment-success]")).to_have_count(0)
    expect(page.locator("[data-payment-received]")).to_be_visible()
    fits_the_phone(page)

    # and the order history says the same
    page.goto(live_server.url + reverse("customer:order-list"))
    card = page.locator(f"[data-order='{number}']")
    expect(card.locator("[data-order-status]")).to_have_attribute("data-order-status", "Shipped")
    expect(card.locator("[data-status='shipped']")).to_have_count(2)
    fits_the_phone(page)


def _products_at(url: str):
    """The product whose page is at `url` (its slug and pk end the path)."""
    pk = int(re.search(r"_(\d+)/?$", url.split("?")[0]).group(1))
    return get_model("catalogue", "Product").objects.filter(pk=pk)
