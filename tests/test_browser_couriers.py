"""In Chromium: a buyer chooses a courier service at checkout, and a pesantren books couriers and
prints the labels of two orders as one PDF. The local Biteship server quotes and books."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from couriers.models import SellerCourierSettings, Shipment
from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.services import order_payment_succeeded, seller_order_accept
from tests.factories import make_region_tree, make_seller, make_seller_product, make_user
from tests.fixtures.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "rahasia-123"
SHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"


@pytest.fixture
def shop(localbiteship):
    regions = make_region_tree("32.04", "Kabupaten Bandung")
    seller = make_seller(name="Pesantren Kopi Cibiru", regions=regions)  # postal code 40377
    SellerCourierSettings.objects.create(seller=seller, couriers=["jne", "sicepat"])
    product = make_seller_product(seller, title="Kopi Arabika", price="150000", stock=20, weight_grams=1200)
    return {"regions": regions, "seller": seller, "product": product, "buyer": make_user("siti@example.com")}


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fill_address(page: Page, regions: dict) -> None:
    page.fill("input[name='first_name']", "Siti Aminah")
    page.fill("input[name='phone_number']", "0812 3456 7890")
    page.fill("input[name='line1']", "Jl. Merdeka No. 5")
    page.select_option("select[name='province']", regions["province"].code)
    expect(page.locator(f"select[name='kabupaten'] option[value='{regions['kabupaten'].code}']")).to_be_attached()
    page.select_option("select[name='kabupaten']", regions["kabupaten"].code)
    kecamatan = regions["kecamatan"][0].code
    expect(page.locator(f"select[name='kecamatan'] option[value='{kecamatan}']")).to_be_attached()
    page.select_option("select[name='kecamatan']", kecamatan)
    expect(page.locator("select[name='desa'] option").nth(1)).to_be_attached()
    page.select_option("select[name='desa']", index=1)
    page.fill("input[name='postcode']", "40111")
    page.locator("#new_shipping_address button.btn-primary[type='submit']").click()


def test_the_buyer_chooses_sicepat_best_and_pays_its_price(page: Page, live_server, localstripe, shop):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, shop["buyer"].email, PASSWORD)
    page.goto(live_server.url + shop["product"].get_absolute_url())
    page.locator("#add_to_basket_form .pp-buy-add").click()
    page.goto(live_server.url + reverse("checkout:index"))
    fill_address(page, shop["regions"])

    # the shipping step lists the pesantren's couriers' services, cheapest first, with days
    expect(page).to_have_url(re.compile(reverse("checkout:shipping-method")))
    parcel = page.locator(f"[data-parcel='{shop['seller'].pk}']")
    expect(parcel.get_by_text("SiCepat BEST")).to_be_visible()
    expect(parcel.get_by_text("J&T")).to_have_count(0)  # not offered by this pesantren
    prices = [
        int(value) for value in parcel.locator("[data-price]").evaluate_all("els => els.map(e => e.dataset.price)")
    ]
    assert prices == sorted(prices) and 35000 in prices
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "couriers-checkout-390")

    parcel.get_by_text("SiCepat BEST").click()
    page.click("#courier-continue")
    expect(page).to_have_url(re.compile(reverse("checkout:payment-method")))
    page.locator("input[name='method'][value='card']").check()
    page.locator("#payment-method-form button[type='submit']").click()
    expect(page.locator("#preview-couriers")).to_contain_text("SiCepat BEST")
    expect(page.locator("#preview-couriers")).to_contain_text("Rp 35.000")
    page.click("#place-order")
    expect(page).to_have_url(re.compile("/checkout/bayar/"))

    part = SellerOrder.objects.get(seller=shop["seller"])
    assert part.shipping_charge == Decimal(35000)
    assert part.order.total_incl_tax == Decimal(150000 + 35000)


def paid_accepted_part(shop, courier_key: str) -> SellerOrder:
    from django.test import Client

    client = Client()
    client.force_login(shop["buyer"])
    client.post(reverse("basket:add", kwargs={"pk": shop["product"].pk}), {"quantity": 1})
    regions = shop["regions"]
    client.post(
        reverse("checkout:shipping-address"),
        {
            "first_name": "Siti Aminah",
            "phone_number": "081234567890",
            "line1": "Jl. Merdeka No. 5",
            "province": regions["province"].code,
            "kabupaten": regions["kabupaten"].code,
            "kecamatan": regions["kecamatan"][0].code,
            "desa": regions["desa"][0].code,
            "postcode": "40111",
        },
    )
    client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:shipping-method"), {f"courier-{shop['seller'].pk}": courier_key})
    client.post(reverse("checkout:payment-method"), {"method": "card"})
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    part = SellerOrder.objects.filter(seller=shop["seller"]).latest("pk")
    order_payment_succeeded(order_id=part.order_id, reference="pi_browser")
    return seller_order_accept(seller_order=SellerOrder.objects.get(pk=part.pk), actor=None)


def test_the_pesantren_books_two_couriers_and_prints_both_labels_as_one_pdf(page: Page, live_server, shop):
    parts = [paid_accepted_part(shop, "biteship:jne:reg"), paid_accepted_part(shop, "biteship:sicepat:best")]
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, shop["seller"].owner.email, PASSWORD)

    # books each order's courier from its page: pickup for one, drop-off for the other
    for part, method in zip(parts, ("pickup", "drop_off"), strict=True):
        page.goto(live_server.url + reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": part.pk}))
        panel = page.locator("#courier-panel")
        expect(panel).to_contain_text("JNE Reguler" if method == "pickup" else "SiCepat BEST")
        panel.locator(f"input[name='collection_method'][value='{method}']").check()
        if method == "pickup":
            shoot(page, "couriers-book-390")
        panel.locator("button[type='submit']").click()
        waybill = Shipment.objects.get(seller_order=part).waybill_id
        expect(page.locator("#waybill")).to_have_text(waybill)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert SellerOrder.objects.filter(pk__in=[p.pk for p in parts], status=SellerOrderStatus.PACKED).count() == 2

    # ticks both in the "to ship" tab and prints the labels: one PDF, one A6 page each
    page.goto(live_server.url + reverse("fulfilment-dashboard:seller-order-list") + "?tab=perlu-dikirim")
    for part in parts:
        page.locator(f"input[name='seller_order'][value='{part.pk}']").check()
    shoot(page, "couriers-orders-390")
    with page.expect_popup() as popup_info:
        page.click("#print-labels")
    popup = popup_info.value
    assert "/dashboard/kurir/label/" in popup.url
    # The PDF as the browser got it, with the pesantren's session (the viewer itself is not scripted).
    response = page.request.get(popup.url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    assert len(reader.pages) == 2
    text = " ".join(pdf_page.extract_text() for pdf_page in reader.pages)
    for part in parts:
        assert Shipment.objects.get(seller_order=part).waybill_id in text and part.number in text


def test_the_pesantren_books_a_pickup_in_a_slot_cancels_it_and_books_again(page: Page, live_server, shop):
    part = paid_accepted_part(shop, "biteship:jne:reg")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, shop["seller"].owner.email, PASSWORD)
    page.goto(live_server.url + reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": part.pk}))

    # picks the second pickup window offered and books
    panel = page.locator("#courier-panel")
    panel.locator("input[name='collection_method'][value='pickup']").check()
    slots = panel.locator("#pickup-slots input[name='pickup_slot']")
    expect(slots.first).to_be_checked()
    assert slots.count() >= 2
    chosen = slots.nth(1).get_attribute("value")
    slots.nth(1).check()
    shoot(page, "couriers-pickup-slot-390")
    panel.locator("#book-courier-form button[type='submit']").click()
    first = Shipment.objects.get(seller_order=part)
    expect(page.locator("#waybill")).to_have_text(first.waybill_id)
    expect(page.locator("#pickup-time")).to_contain_text(chosen.split("T")[1])
    assert first.pickup_date.isoformat() == chosen.split("T")[0]

    # cancels before pickup: the booking form is back
    first_waybill = first.waybill_id
    page.locator("#cancel-courier-form button[type='submit']").click()
    expect(page.locator("#courier-cancelled")).to_be_visible()
    expect(page.locator("#book-courier-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "couriers-cancelled-390")

    # books again, in the first window: a new airway bill
    page.locator("#book-courier-form button[type='submit']").click()
    again = Shipment.objects.get(seller_order=part)
    assert again.status == "booked" and again.attempt == 2 and again.waybill_id != first_waybill
    expect(page.locator("#waybill")).to_have_text(again.waybill_id)
