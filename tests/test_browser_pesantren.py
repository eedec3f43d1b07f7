"""A pesantren's staff member adds a product with an image, sees it on the storefront, and ships an order."""

import re

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from fulfilment.models import SellerOrderStatus
from fulfilment.services import order_payment_succeeded
from sellers.models import Seller
from tests.factories import make_shipping_address, place_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = "pesantren1@demo.pasarpesantren.id"


def sign_in(page: Page, live_server, email: str) -> None:
    page.goto(live_server.url + reverse("customer:login"))
    page.fill("input[name='login-username']", email)
    page.fill("input[name='login-password']", "pesantren123")
    page.click("button[name='login_submit']")
    expect(page).not_to_have_url(re.compile(reverse("customer:login")))


def test_pesantren_adds_a_product_with_an_image_and_ships_an_order(page: Page, live_server, demo_world, tmp_path):
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    seller = Seller.objects.get(owner__email=STAFF)
    photo = tmp_path / "dodol.png"
    Image.new("RGB", (400, 400), (180, 120, 60)).save(photo)
    category = Category.objects.filter(depth=2).order_by("path").first()

    # signs in and adds a product with price, stock and a photo, in the seller centre's product form
    sign_in(page, live_server, STAFF)
    page.goto(live_server.url + reverse("dashboard:seller-product-create"))
    page.fill("input[name='title']", "Dodol Garut Wijen Istimewa")
    page.select_option("select[name='category']", str(category.pk))
    page.fill("input[name='price']", "27500")
    page.fill("input[name='num_in_stock']", "40")
    page.fill("input[name='weight_grams']", "300")
    page.set_input_files("input[name='photos']", str(photo))
    # the preview shows before saving (js/sellercentre.js)
    expect(page.locator("#photo-list .sc-photo-new img")).to_have_count(1)
    page.locator("#save-product").click()
    expect(page.locator(".sc-message-success")).to_be_visible()

    # sees it on the storefront, with its photo and price
    page.goto(live_server.url + seller.get_absolute_url())
    card = page.locator(".product_pod", has_text="Dodol Garut Wijen Istimewa")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Rp 27.500")
    expect(card.locator("img")).to_have_count(1)

    # ships a paid order from its dashboard
    product = seller.partner.stockrecords.get(product__title="Dodol Garut Wijen Istimewa").product
    order = place_order(items=[(product, 2)], shipping_address=make_shipping_address(regions=_regions_of(seller)))
    order_payment_succeeded(order_id=order.pk)
    seller_order = order.seller_orders.get()
    page.goto(live_server.url + reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": seller_order.pk}))
    page.locator("form:has(input[name='action'][value='accept']) button").click()
    page.locator("form:has(input[name='action'][value='pack']) button").click()
    page.fill("#ship-form input[name='courier']", "JNE")
    page.fill("#ship-form input[name='tracking_number']", "JNE0099887766")
    page.locator("#ship-form button[type='submit']").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", SellerOrderStatus.SHIPPED)
    seller_order.refresh_from_db()
    assert (seller_order.status, seller_order.tracking_number) == (SellerOrderStatus.SHIPPED, "JNE0099887766")


def _regions_of(seller):
    return {
        "province": seller.province,
        "kabupaten": seller.kabupaten,
        "kecamatan": [seller.kecamatan],
        "desa": [seller.desa],
    }
