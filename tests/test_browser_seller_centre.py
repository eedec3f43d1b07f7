"""On a phone-sized screen (390×844), a pesantren takes an order from the seller centre's tabs to shipped."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from fulfilment.models import SellerOrderStatus
from fulfilment.services import order_payment_succeeded
from sellers.models import Seller
from tests.factories import make_shipping_address, place_order
from tests.fixtures.browser import PHONE, fits_the_screen, open_centre_page, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = "pesantren1@demo.pasarpesantren.id"
# Screenshots for people to look at, when MARKETPLACE_SCREENSHOTS names a directory.
SHOTS = os.environ.get("MARKETPLACE_SCREENSHOTS", "")


def test_a_pesantren_takes_an_order_from_the_tabs_to_shipped_on_a_phone(page: Page, live_server, demo_world):
    seller = Seller.objects.get(owner__email=STAFF)
    product = seller.partner.stockrecords.filter(num_in_stock__gte=5).order_by("pk").first().product
    regions = {
        "province": seller.province,
        "kabupaten": seller.kabupaten,
        "kecamatan": [seller.kecamatan],
        "desa": [seller.desa],
    }
    order = place_order(
        items=[(product, 2)], shipping_address=make_shipping_address(regions=regions, name="Nur Hidayah")
    )
    order_payment_succeeded(order_id=order.pk)
    part = order.seller_orders.get()
    page.set_viewport_size(PHONE)

    # the home of the seller centre: today's work, with the new order counted
    sign_in(page, live_server, STAFF)
    page.goto(live_server.url + reverse("dashboard:index"))
    expect(page.locator("[data-testid='shop-name']")).to_have_text(seller.name)
    expect(page.locator("[data-card='new-orders']")).to_be_visible()
    assert fits_the_screen(page)
    shoot(page, "home")

    # the Baru tab lists it; tick it and accept
    page.locator("[data-card='new-orders']").click()
    expect(page.locator("[data-tab='baru']")).to_have_attribute("aria-current", "page")
    card = page.locator(f"[data-seller-order='{part.pk}']")
    expect(card).to_be_visible()
    assert fits_the_screen(page)
    shoot(page, "tab-baru")
    card.locator("input[name='seller_order']").check()
    page.locator("#bulk-accept").click()
    expect(page.locator(".sc-message-success")).to_contain_text(part.number)
    part.refresh_from_db()
    assert part.status == SellerOrderStatus.ACCEPTED

    # Perlu dikirim: open it, pack, ship with a courier and a tracking number
    page.locator("[data-tab='perlu-dikirim']").click()
    card = page.locator(f"[data-seller-order='{part.pk}']")
    expect(card).to_have_attribute("data-status", SellerOrderStatus.ACCEPTED)
    shoot(page, "tab-perlu-dikirim")
    card.locator("a.sc-btn").click()
    expect(page).to_have_url(re.compile(rf"/dashboard/pesanan/{part.pk}/$"))
    assert fits_the_screen(page)
    shoot(page, "order-accepted")
    page.locator("form:has(input[name='action'][value='pack']) button").click()
    page.fill("#ship-form input[name='courier']", "JNE")
    page.fill("#ship-form input[name='tracking_number']", "JNE0012345678")
    assert fits_the_screen(page)
    shoot(page, "order-ship-form")
    page.locator("#ship-form button[type='submit']").click()
    expect(page.locator("#history [data-status='shipped']")).to_contain_text("JNE0012345678")
    shoot(page, "order-shipped")

    # and sees it under Dikirim
    page.goto(live_server.url + reverse("fulfilment-dashboard:seller-order-list") + "?tab=dikirim")
    card = page.locator(f"[data-seller-order='{part.pk}']")
    expect(card).to_have_attribute("data-status", SellerOrderStatus.SHIPPED)
    expect(card).to_contain_text("JNE0012345678")
    part.refresh_from_db()
    assert (part.status, part.courier, part.tracking_number) == (SellerOrderStatus.SHIPPED, "JNE", "JNE0012345678")
    shoot(page, "tab-dikirim")

    # the packing slip prints the buyer's full address, without prices
    page.goto(live_server.url + reverse("fulfilment-dashboard:seller-order-slips") + f"?seller_order={part.pk}")
    slip = page.locator(f".sc-slip[data-seller-order='{part.pk}']")
    expect(slip).to_contain_text("Nur Hidayah")
    expect(slip).to_contain_text(str(seller.kecamatan))
    expect(slip).not_to_contain_text("Rp")
    expect(page.locator("[data-print]")).to_be_visible()  # static/js/sellercentre.js shows the print button
    assert fits_the_screen(page)
    shoot(page, "packing-slip")
    page.emulate_media(media="print")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / "packing-slip-print.png"), full_page=True)
    assert page.locator(".sc-print-bar").is_hidden()
    page.emulate_media(media="screen")

    # cancelling another order asks for the reason first, and the browser holds an empty one back
    second = place_order(items=[(product, 1)], shipping_address=make_shipping_address(regions=regions))
    order_payment_succeeded(order_id=second.pk)
    second_part = second.seller_orders.get()
    page.goto(live_server.url + reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": second_part.pk}))
    page.locator("#start-cancel").click()
    expect(page.locator("#cancel-form textarea[name='reason']")).to_have_attribute("required", "")
    page.locator("#cancel-form button[type='submit']").click()
    second_part.refresh_from_db()
    assert second_part.status == SellerOrderStatus.PAID
    assert fits_the_screen(page)
    shoot(page, "order-cancel-confirm")


def test_a_pesantren_adds_a_product_with_a_camera_photo_and_ships_its_order_on_a_phone(
    page: Page, live_server, demo_world, tmp_path
):
    from oscar.core.loading import get_model
    from PIL import Image

    Category = get_model("catalogue", "Category")
    seller = Seller.objects.get(owner__email=STAFF)
    category = Category.objects.filter(depth=2).order_by("path").first()
    front, back = tmp_path / "dodol-depan.jpg", tmp_path / "dodol-belakang.png"
    Image.new("RGB", (640, 480), (180, 120, 60)).save(front, "JPEG")
    Image.new("RGB", (640, 480), (60, 120, 180)).save(back, "PNG")
    not_a_photo = tmp_path / "catatan.jpg"
    not_a_photo.write_text("bukan foto")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, STAFF)

    # from the product list, "Add a product" opens the seller centre's form: no SKU, no product type
    page.goto(live_server.url + reverse("dashboard:catalogue-product-list"))
    page.locator("#add-product").click()
    expect(page).to_have_url(re.compile(reverse("dashboard:seller-product-create") + "$"))
    camera = page.locator("input[type='file'][name='photos']")
    expect(camera).to_have_attribute("capture", "environment")
    expect(camera).to_have_attribute("accept", "image/*")
    assert page.locator("input[name*='sku'], select[name='product_class'], input[name='upc']").count() == 0

    # a file that is no photo is refused by the server, with its name, and nothing is saved
    page.fill("#id_title", "Dodol Garut Wijen Istimewa")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_price", "27500")
    page.fill("#id_num_in_stock", "40")
    page.fill("#id_weight_grams", "250")
    camera.set_input_files(str(not_a_photo))
    page.locator("#save-product").click()
    expect(page.locator("#photo-errors")).to_contain_text("catatan.jpg")
    assert not seller.partner.stockrecords.filter(product__title="Dodol Garut Wijen Istimewa").exists()
    assert fits_the_screen(page)
    shoot(page, "product-form-error")

    # two photos, taken one after the other, both preview; the second is moved first
    page.fill("#id_description", "Dodol ketan, gula aren dan wijen.\n\nTahan dua minggu.")
    camera.set_input_files(str(front))
    camera.set_input_files(str(back))
    previews = page.locator("#photo-list .sc-photo-new")
    expect(previews).to_have_count(2)
    previews.nth(1).locator("[data-move='-1']").click()
    expect(page.locator("#photo-order")).to_have_value("new-0,new-1")
    expect(previews.first.locator("img")).to_have_attribute("alt", "dodol-belakang.png")
    assert fits_the_screen(page)
    shoot(page, "product-form")
    page.locator("#save-product").click()

    # it is in the list, with its photo, price and stock
    expect(page.locator(".sc-message-success")).to_contain_text("Dodol Garut Wijen Istimewa")
    record = seller.partner.stockrecords.select_related("product").get(product__title="Dodol Garut Wijen Istimewa")
    product = record.product
    card = page.locator(f"[data-product='{product.pk}']")
    expect(card).to_contain_text("Rp 27.500")
    expect(card.locator("img")).to_have_count(1)
    assert fits_the_screen(page)
    shoot(page, "product-list")
    images = list(product.images.order_by("display_order"))
    assert len(images) == 2 and "belakang" in images[0].original.name
    assert (record.price, record.num_in_stock, product.weight_grams) == (27500, 40, 250)
    assert "<p>Tahan dua minggu.</p>" in product.description

    # editing it shows the saved photos; the main photo is deleted
    card.locator("a.sc-btn").click()
    expect(page.locator("#photo-list .sc-photo")).to_have_count(2)
    page.locator(f"#photo-list [data-photo='{images[0].pk}'] input[name='delete_photo']").check()
    page.fill("#id_num_in_stock", "38")
    shoot(page, "product-edit")
    page.locator("#save-product").click()
    expect(page.locator(".sc-message-success")).to_be_visible()
    assert list(product.images.values_list("pk", flat=True)) == [images[1].pk]

    # a customer orders it; the pesantren takes the order from the tabs to shipped
    regions = {
        "province": seller.province,
        "kabupaten": seller.kabupaten,
        "kecamatan": [seller.kecamatan],
        "desa": [seller.desa],
    }
    order = place_order(items=[(product, 3)], shipping_address=make_shipping_address(regions=regions, name="Ahmad"))
    order_payment_succeeded(order_id=order.pk)
    part = order.seller_orders.get()
    page.goto(live_server.url + reverse("dashboard:index"))
    page.locator("[data-card='new-orders']").click()
    page.locator(f"[data-seller-order='{part.pk}'] input[name='seller_order']").check()
    page.locator("#bulk-accept").click()
    expect(page.locator(".sc-message-success")).to_contain_text(part.number)
    page.locator("[data-tab='perlu-dikirim']").click()
    page.locator(f"[data-seller-order='{part.pk}'] a.sc-btn").click()
    page.locator("form:has(input[name='action'][value='pack']) button").click()
    page.fill("#ship-form input[name='courier']", "SiCepat")
    page.fill("#ship-form input[name='tracking_number']", "SCP000111222")
    page.locator("#ship-form button[type='submit']").click()
    expect(page.locator("#history [data-status='shipped']")).to_contain_text("SCP000111222")
    part.refresh_from_db()
    assert (part.status, part.tracking_number) == (SellerOrderStatus.SHIPPED, "SCP000111222")


def test_a_pesantren_adds_a_product_with_two_variants_and_edits_them_on_a_phone(page: Page, live_server, demo_world):
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    seller = Seller.objects.get(owner__email=STAFF)
    category = Category.objects.filter(depth=2).order_by("path").first()
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, STAFF)

    # the product's own price and stock give way to the variants' as soon as one is named
    page.goto(live_server.url + reverse("dashboard:seller-product-create"))
    page.fill("#id_title", "Kopi Arabika Garut")
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_weight_grams", "250")
    page.locator("#variants summary").click()
    expect(page.locator("#id_price")).to_be_visible()
    page.fill("#id_variant-0-label", "250 g")
    expect(page.locator("#id_price")).to_be_hidden()
    page.fill("#id_variant-0-price", "45000")
    page.fill("#id_variant-0-num_in_stock", "12")
    page.locator("#add-variant").click()
    expect(page.locator("#id_variant-1-label")).to_be_focused()
    page.fill("#id_variant-1-label", "500 g")
    page.fill("#id_variant-1-price", "85000")
    page.fill("#id_variant-1-num_in_stock", "4")
    page.fill("#id_variant-1-weight_grams", "520")
    assert page.locator("input[name*='sku'], select[name='product_class'], input[name='upc']").count() == 0
    assert fits_the_screen(page)
    shoot(page, "product-variants")
    page.locator("#save-product").click()

    # both are saved with their own price and stock, in the pesantren's name
    expect(page.locator(".sc-message-success")).to_contain_text("Kopi Arabika Garut")
    product = Product.objects.get(title="Kopi Arabika Garut", parent=None)
    variants = {child.title: child.stockrecords.get() for child in product.children.all()}
    assert {title: (r.price, r.num_in_stock) for title, r in variants.items()} == {
        "Kopi Arabika Garut – 250 g": (45000, 12),
        "Kopi Arabika Garut – 500 g": (85000, 4),
    }
    assert {r.partner_id for r in variants.values()} == {seller.partner_id}
    card = page.locator(f"[data-product='{product.pk}']")
    expect(card).to_be_visible()
    assert fits_the_screen(page)

    # editing: the 500 g costs more, the 250 g goes
    card.locator("a.sc-btn").click()
    expect(page.locator("#variants")).to_have_attribute("open", "")
    page.fill("#id_variant-1-price", "87000")
    page.locator("#id_variant-0-DELETE").check()
    assert fits_the_screen(page)
    page.locator("#save-product").click()
    expect(page.locator(".sc-message-success")).to_be_visible()
    (child,) = product.children.all()
    assert (child.title, child.stockrecords.get().price) == ("Kopi Arabika Garut – 500 g", 87000)


# Every page a pesantren reaches from the seller centre's navigation and menu.
SELLER_CENTRE_PAGES = [
    ("home", "dashboard:index", {}),
    ("orders", "fulfilment-dashboard:seller-order-list", {}),
    ("products", "dashboard:catalogue-product-list", {}),
    ("product-new", "dashboard:seller-product-create", {}),
    ("product-edit", "dashboard:seller-product-edit", {"pk": "product"}),
    ("product-delete", "dashboard:catalogue-product-delete", {"pk": "product"}),
    ("stock", "dashboard:stock-alert-list", {}),
    ("import", "dashboard:product-import", {}),
    ("wholesale", "wholesale:stockrecord-list", {}),
    ("wholesale-edit", "wholesale:stockrecord-wholesale", {"pk": "stockrecord"}),
    ("competitions", "competitions-seller:entries", {}),
    ("reviews", "ratings-dashboard:seller-review-list", {}),
    ("rfqs", "quotes-dashboard:rfq-list", {}),
    ("balance", "payouts-dashboard:my-ledger", {}),
    ("sales", "dashboard:seller-sales", {}),
    ("shipping-rates", "shipping-dashboard:rates", {}),
    ("profile", "dashboard:seller-profile", {}),
    ("bank-account", "dashboard:seller-bank-account", {}),
    ("team", "dashboard:team", {}),
    ("order", "fulfilment-dashboard:seller-order-detail", {"pk": "seller_order"}),
]


def test_every_seller_centre_page_has_its_look_and_fits_a_phone(page: Page, live_server, demo_world):
    seller = Seller.objects.get(owner__email=STAFF)
    record = seller.partner.stockrecords.order_by("pk").first()
    order = place_order(items=[(record.product, 1)], shipping_address=_address_near(seller))
    order_payment_succeeded(order_id=order.pk)
    objects = {"product": record.product_id, "stockrecord": record.pk, "seller_order": order.seller_orders.get().pk}
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, STAFF)
    problems = []
    for name, url_name, kwargs in SELLER_CENTRE_PAGES:
        url = reverse(url_name, kwargs={key: objects[value] for key, value in kwargs.items()})
        opened, found = open_centre_page(page, live_server.url + url, name, body_class="sc")
        problems += found
        if not opened:
            continue
        if page.locator(".sc-nav [aria-current='page']").count() != 1:
            problems.append(f"{name}: no navigation entry marked current")
        shoot(page, f"page-{name}")
    assert not problems, problems


def _address_near(seller):
    regions = {
        "province": seller.province,
        "kabupaten": seller.kabupaten,
        "kecamatan": [seller.kecamatan],
        "desa": [seller.desa],
    }
    return make_shipping_address(regions=regions)
