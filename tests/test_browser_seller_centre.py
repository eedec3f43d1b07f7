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
from tests.fixtures.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF = "pesantren1@demo.pasarpesantren.id"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# Screenshots for people to look at, when MARKETPLACE_SCREENSHOTS names a directory.
SHOTS = os.environ.get("MARKETPLACE_SCREENSHOTS", "")


def shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for label, size in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def fits_the_screen(page: Page) -> bool:
    """Nothing wider than the phone: no sideways scrolling of the page."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


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
