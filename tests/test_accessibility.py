"""axe-core finds no critical or serious accessibility violation on the main pages of every role.

The demo world is walked in a real Chromium, signed in as each role: the anonymous shopper, a
signed-in consumer through to checkout, pesantren staff in the seller centre, an off-taker
company's buyer, the programme's staff and finance. Consumer pages are checked at a phone's
390×844 and a desktop's 1280×800 (their layouts differ most); the back-office pages at one size,
the phone's for the seller centre (pesantren staff work on phones) and the desktop's for the rest.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from oscar.core.loading import get_model
from playwright.sync_api import Browser, Page, expect

from bank_transfers.models import BankTransfer
from companies.models import Company
from curation.models import Curation, CurationStatus
from events.models import Event, Registration
from fulfilment.models import SellerOrder
from invoices.models import Invoice
from programme.models import MentorAssignment
from quotes.models import RequestForQuotation
from sellers.models import Seller, SellerStatus
from tests.fixtures.axe import AxeReport, axe_violations, format_violations
from tests.fixtures.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Order = get_model("order", "Order")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
BOTH = (PHONE, DESKTOP)
DOMAIN = "demo.pasarpesantren.id"
# Screenshots of every checked page, for people to look at, when MARKETPLACE_SCREENSHOTS names a directory.
SHOTS = os.environ.get("MARKETPLACE_SCREENSHOTS", "")


def _email(role: str) -> str:
    return f"{role}@{DOMAIN}"


class Walker:
    """One browser context per role (one sign-in each), checking each page at the given sizes."""

    def __init__(self, browser: Browser, live_server, report: AxeReport):
        self.browser = browser
        self.live_server = live_server
        self.report = report
        self.page: Page | None = None
        self.role = ""
        self.shots = 0

    def sign_in_as(self, role: str) -> Page:
        if self.page:
            self.page.context.close()
        context = self.browser.new_context(viewport=PHONE, locale="id-ID")
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": self.live_server.url}])
        self.page = context.new_page()
        self.role = role
        if role:
            sign_in(self.page, self.live_server, _email(role))
            context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "id", "url": self.live_server.url}])
        return self.page

    def check(self, path: str, sizes=BOTH) -> None:
        response = self.page.goto(self.live_server.url + path)
        assert response.ok, (self.role, path, response.status)
        self.check_current(path, sizes)

    def check_current(self, label: str, sizes=BOTH) -> None:
        """Check the page as it is now (say after filling a form), without loading it again."""
        self.page.wait_for_load_state("load")
        assert "/accounts/login/" not in self.page.url or "login" in label, (self.role, label, self.page.url)
        for size in sizes:
            self.page.set_viewport_size(size)
            self.report.check(self.page, f"{self.role or 'anonymous'} {label} at {size['width']}×{size['height']}")
            if SHOTS:
                self.shots += 1
                name = re.sub(r"[^a-z0-9]+", "-", f"{self.role or 'anonymous'} {label}".lower()).strip("-")[:60]
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                self.page.screenshot(path=str(Path(SHOTS) / f"a11y-{self.shots:03d}-{name}-{size['width']}.png"))
        self.page.set_viewport_size(PHONE)

    def close(self) -> None:
        if self.page:
            self.page.context.close()


@pytest.fixture
def walker(browser, live_server, demo_world):
    report = AxeReport()
    walker = Walker(browser, live_server, report)
    yield walker
    walker.close()


def _consumer_pages():
    product = Product.objects.filter(is_public=True, stockrecords__num_in_stock__gt=0).order_by("pk").first()
    category = Category.objects.filter(depth=1).order_by("pk").first()
    storefront = product.stockrecords.first().partner.seller
    return product, [
        "/",
        "/pesantren/",
        f"/pesantren/{storefront.slug}/",
        "/catalogue/",
        category.get_absolute_url(),
        product.get_absolute_url(),
        "/search/?q=kopi",
        "/search/?q=kripik",
    ]


def _event_pages() -> list[str]:
    """The public calendar, each demo event, the exhibition's showcase and a certificate check."""
    pages = ["/acara/", "/acara/sertifikat/"]
    for event in Event.objects.order_by("pk"):
        pages.append(f"/acara/{event.pk}/")
        if event.is_exhibition:
            pages.append(f"/acara/{event.pk}/etalase/")
    return pages


def _walk_the_checkout(walker: Walker, product) -> None:
    """Address (with the chained region selects), payment method and review, each page checked; then
    the order is placed by bank transfer and its payment instructions are checked."""
    page = walker.page
    page.goto(walker.live_server.url + "/checkout/")
    expect(page).to_have_url(re.compile(r"/checkout/shipping-address/$"))
    walker.check_current("/checkout/shipping-address/")
    seller = product.stockrecords.first().partner.seller
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
    walker.check_current("/checkout/shipping-address/ (filled in)", sizes=(PHONE,))
    page.locator("#new_shipping_address button.btn-primary[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/checkout/payment-method/$"))
    walker.check_current("/checkout/payment-method/")
    page.locator("input[name='method'][value='bank_transfer']").check(force=True)
    page.locator("#payment-method-form button[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/checkout/preview/$"))
    walker.check_current("/checkout/preview/")
    page.click("#place-order")
    expect(page).to_have_url(re.compile(r"/pembayaran/transfer/[^/]+/$"))
    walker.check_current("/pembayaran/transfer/<order>/ (bank transfer instructions)")


def test_main_pages_of_every_role_have_no_serious_accessibility_violations(walker):
    product, browse_pages = _consumer_pages()

    # the anonymous shopper: browse, an empty basket, sign-in and registration
    walker.sign_in_as("")
    for path in [
        *browse_pages,
        "/basket/",
        "/accounts/login/",
        "/pesantren/daftar/",
        "/data-terbuka/",
        *_event_pages(),
    ]:
        walker.check(path)

    # the signed-in consumer: account pages, an order, and the checkout with a product in the basket
    page = walker.sign_in_as("konsumen")
    order = Order.objects.filter(user__email=_email("konsumen")).order_by("-pk").first()
    for path in ["/accounts/profile/", "/accounts/orders/", "/accounts/addresses/", "/offtaker/daftar/"]:
        walker.check(path)
    if order:
        walker.check(f"/accounts/orders/{order.number}/")
    page.goto(walker.live_server.url + product.get_absolute_url())
    page.locator("#add_to_basket_form .pp-buy-add").click()
    page.wait_for_load_state("load")
    walker.check("/basket/")
    _walk_the_checkout(walker, product)

    # pesantren staff in the seller centre, on a phone
    walker.sign_in_as("pesantren1")
    seller = Seller.objects.get(owner__email=_email("pesantren1"))
    seller_pages = [
        "/dashboard/",
        "/dashboard/pesanan/",
        *(f"/dashboard/pesanan/?tab={tab}" for tab in ("baru", "perlu-dikirim", "dikirim", "selesai", "dibatalkan")),
        "/dashboard/catalogue/",
        "/dashboard/toko/penjualan/",
        "/dashboard/penawaran/",
        "/dashboard/ulasan/",
        "/dashboard/keuangan/saya/",
        "/dashboard/lomba/",
    ]
    part = SellerOrder.objects.filter(seller=seller).order_by("-pk").first()
    if part:
        seller_pages.append(f"/dashboard/pesanan/{part.pk}/")
    own_product = Product.objects.filter(stockrecords__partner=seller.partner).order_by("pk").first()
    seller_pages.append(f"/dashboard/catalogue/products/{own_product.pk}/")
    rfq = RequestForQuotation.objects.filter(invitations__seller=seller).order_by("pk").first()
    if rfq:
        seller_pages.append(f"/dashboard/penawaran/{rfq.pk}/")
    registration = Registration.objects.filter(seller=seller).order_by("pk").first()
    seller_pages.append("/dashboard/acara/")
    if registration:
        seller_pages.append(f"/dashboard/acara/{registration.pk}/")
    for path in seller_pages:
        walker.check(path, sizes=(PHONE,))

    # an off-taker company's buyer
    walker.sign_in_as("katering")
    company = Company.objects.get(memberships__user__email=_email("katering"))
    company_pages = [
        "/offtaker/",
        "/offtaker/pesanan/",
        "/offtaker/persetujuan/",
        "/offtaker/rfq/",
        "/offtaker/rfq/baru/",
        "/offtaker/faktur/",
        "/offtaker/pesan-massal/",
        "/offtaker/acara/",
    ]
    company_order = company.orders.order_by("-pk").first()
    if company_order:
        company_pages.append(f"/offtaker/pesanan/{company_order.order.number}/")
    company_rfq = RequestForQuotation.objects.filter(company=company).order_by("pk").first()
    if company_rfq:
        company_pages.append(f"/offtaker/rfq/{company_rfq.pk}/")
    invoice = Invoice.objects.filter(company=company).order_by("pk").first()
    if invoice:
        company_pages.append(f"/offtaker/faktur/{invoice.pk}/")
    for path in company_pages:
        walker.check(path, sizes=(DESKTOP,))

    # the programme's staff: dashboard, the review queue of applications and one application, the map
    walker.sign_in_as("program")
    programme_pages = [
        "/dashboard/program/",
        "/dashboard/program/wilayah/",
        "/dashboard/program/pesantren/",
        "/dashboard/program/laporan/",
        "/dashboard/program/laporan/32.02/",
        "/dashboard/pesantren/",
        "/dashboard/pesantren/pengajuan/",
        "/dashboard/offtaker/",
        "/dashboard/ulasan/moderasi/",
    ]
    application = Seller.objects.filter(status=SellerStatus.APPLIED).order_by("pk").first()
    if application:
        programme_pages.append(f"/dashboard/pesantren/{application.pk}/")
    programme_pages += ["/dashboard/program/kurasi/", "/dashboard/program/kurasi/rubrik/"]
    programme_pages += ["/dashboard/program/kurasi/rubrik/ubah/", "/dashboard/program/kurasi/ajukan/"]
    finalised = Curation.objects.filter(status=CurationStatus.FINALISED).order_by("pk").first()
    if finalised:
        programme_pages.append(f"/dashboard/program/kurasi/{finalised.pk}/")
    from competitions.models import Competition, Entry

    competitions = list(Competition.objects.order_by("year"))
    programme_pages.append("/dashboard/program/lomba/")
    for competition in competitions:
        programme_pages.append(f"/dashboard/program/lomba/{competition.pk}/")
        programme_pages.append(f"/dashboard/program/lomba/babak/{competition.rounds.order_by('position')[0].pk}/")
    programme_pages += ["/dashboard/program/peran/", "/dashboard/program/pendampingan/"]
    programme_pages += ["/dashboard/program/acara/", "/dashboard/program/acara/tambah/"]
    for event in Event.objects.order_by("pk"):
        programme_pages += [f"/dashboard/program/acara/{event.pk}/", f"/dashboard/program/acara/{event.pk}/checkin/"]
        if event.is_business_meeting:
            programme_pages.append(f"/dashboard/program/acara/{event.pk}/pertemuan/")
        if event.is_exhibition:
            programme_pages.append(f"/dashboard/program/acara/{event.pk}/etalase/")
    for path in programme_pages:
        walker.check(path, sizes=(DESKTOP,))

    # the curator: the queue, a queued product, and the scoring form of one taken from it
    walker.sign_in_as("kurator")
    walker.check("/dashboard/program/kurasi/", sizes=(DESKTOP,))
    queued = Curation.objects.filter(status=CurationStatus.QUEUED).order_by("pk").first()
    if queued:
        walker.check(f"/dashboard/program/kurasi/{queued.pk}/", sizes=(DESKTOP,))
        walker.page.get_by_role("button", name="Ambil produk ini").click()
        walker.check_current("curation score form", sizes=BOTH)

    # a judge, on a phone: their competitions, the entries to score (blind), a score form, a ranking
    walker.sign_in_as("juri")
    judge_pages = ["/dashboard/program/lomba/"]
    for competition in competitions:
        judge_pages.append(f"/dashboard/program/lomba/{competition.pk}/")
    waiting = Entry.objects.filter(competition__status="judging").order_by("code").first()
    if waiting:
        judge_pages.append(f"/dashboard/program/lomba/entri/{waiting.pk}/nilai/")
        judge_pages.append(f"/dashboard/program/lomba/babak/{waiting.round_id}/")
    for path in judge_pages:
        walker.check(path, sizes=(PHONE,))
    # the winner's badge on its storefront and product page
    walker.sign_in_as("")
    winner = Entry.objects.filter(award="juara_1").select_related("seller", "product").first()
    if winner:
        walker.check(winner.seller.get_absolute_url(), sizes=(PHONE,))
        walker.check(winner.product.get_absolute_url(), sizes=(PHONE,))

    # the mentor, on a phone: the dashboard (due actions, figures) and one pesantren's visits with photos
    walker.sign_in_as("mentor")
    assignment = MentorAssignment.objects.filter(mentor__email=_email("mentor")).order_by("pk").first()
    walker.check("/dashboard/program/mentor/", sizes=(PHONE,))
    walker.check(f"/dashboard/program/mentor/{assignment.pk}/kunjungan/", sizes=(PHONE,))

    # finance: invoices, payouts, balances and the bank transfers to confirm (one of them open)
    walker.sign_in_as("keuangan")
    finance_pages = [
        "/dashboard/faktur/",
        "/dashboard/keuangan/",
        "/dashboard/keuangan/pencairan/",
        "/dashboard/keuangan/saldo/",
        "/pembayaran/transfer/dashboard/",
    ]
    if invoice:
        finance_pages.append(f"/dashboard/faktur/{invoice.pk}/")
    transfer = BankTransfer.objects.order_by("-pk").first()
    if transfer:
        finance_pages.append(f"/pembayaran/transfer/dashboard/{transfer.pk}/")
    for path in finance_pages:
        walker.check(path, sizes=(DESKTOP,))

    walker.report.assert_clean()


def test_the_check_reports_a_serious_violation_readably(page: Page):
    # given a page with an image without alt text and a button without a name
    page.set_content(
        "<html lang='id'><head><title>Uji</title></head><body><main>"
        "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='><button id='kosong'></button>"
        "</main></body></html>"
    )

    # when
    violations = axe_violations(page)

    # then
    assert {v["id"] for v in violations} >= {"image-alt", "button-name"}
    message = format_violations("uji", violations)
    assert "[critical] image-alt" in message
    assert "#kosong" in message
