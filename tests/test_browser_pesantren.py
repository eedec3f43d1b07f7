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
    ProductClass = get_model("catalogue", "ProductClass")
    seller = Seller.objects.get(owner__email=STAFF)
    photo = tmp_path / "dodol.png"
    Image.new("RGB", (400, 400), (180, 120, 60)).save(photo)
    category = Category.objects.filter(depth=2).order_by("path").first()

    # signs in and adds a product with price, stock and a photo
    sign_in(page, live_server, STAFF)
    product_class = ProductClass.objects.order_by("pk").first()
    page.goto(
        live_server.url
        + reverse("dashboard:catalogue-product-create", kwargs={"product_class_slug": product_class.slug})
    )
    page.fill("input[name='title']", "Dodol Garut Wijen Istimewa")
    page.click("a[href='#product_category']")
    # Oscar's category select is a select2 box: open it, type, pick the match.
    page.locator("#product_category .select2-selection").first.click()
    page.locator(".select2-search__field").fill(category.name)
    page.locator(".select2-results__option", has_text=category.name).first.click()
    page.click("a[href='#product_stock']")
    page.fill("input[name='stockrecords-0-partner_sku']", "DODOL-WIJEN-01")
    page.fill("input[name='stockrecords-0-price']", "27500")
    page.fill("input[name='stockrecords-0-num_in_stock']", "40")
    page.click("a[href='#product_images']")
    upload_button = page.locator("#upload_button_id_images-0-original-image")
    expect(upload_button).to_be_visible()
    page.set_input_files("input[name='images-0-original']", str(photo))
    # the preview shows and the button goes (js/page-init.js, in place of the widget's inline handler)
    expect(upload_button).to_be_hidden()
    page.locator("button[name='action'][value='save']").click()
    expect(page.locator(".alert-success")).to_be_visible()

    # sees it on the storefront, with its photo and price
    page.goto(live_server.url + seller.get_absolute_url())
    card = page.locator(".product_pod", has_text="Dodol Garut Wijen Istimewa")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Rp 27.500")
    expect(card.locator("img")).to_have_count(1)

    # ships a paid order from its dashboard
    product = seller.partner.stockrecords.get(partner_sku="DODOL-WIJEN-01").product
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
