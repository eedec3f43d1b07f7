"""Stored XSS across tenants: what a pesantren, a company or a buyer types never runs on anyone's page.

Each form that takes tenant text is driven through its real view with the test client, with script
payloads in every text field; then every page, email and PDF that shows that text is rendered and
parsed. No tenant script, event handler, javascript: URL, SVG or frame may survive, while the
formatting a rich-text field allows (<strong>) still does.
"""

import csv
import io
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_class, get_model
from pypdf import PdfReader

from companies.models import Company
from dashboard.tests.helpers import product_page_data
from invoices.models import Invoice
from quotes.models import Message, Quote, RequestForQuotation
from ratings.models import LineReview, ReviewReply
from ratings.tests.conftest import buy, deliver
from sellers.models import Seller
from tests.factories import make_company, make_region_tree, make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")
ProductAlert = get_model("customer", "ProductAlert")

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example/"></iframe>',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
]
# Everything at once, for the text fields long enough to take it ...
PAYLOAD = " ".join(PAYLOADS)
# ... and a shorter mix for names and titles.
SHORT = '"><script>alert(1)</script><img src=x onerror=alert(1)><svg onload=alert(1)>'
# The formatting a rich-text field keeps.
FORMATTING = "<p><strong>Dodol legit</strong> dari Garut</p>"

FORBIDDEN_TAGS = {"svg", "iframe", "frame", "object", "embed", "math", "base"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}


class ExecutableMarkupFinder(HTMLParser):
    """Collects what would run in a browser that our own templates do not put there."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            is_data = (attributes.get("type") or "") == "application/json"
            is_our_file = (attributes.get("src") or "").startswith(settings.STATIC_URL)
            if not (is_data or is_our_file):
                self.problems.append(f"<script {attributes}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            normalised = "".join((value or "").split()).lower()
            if name in URL_ATTRIBUTES and normalised.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def executable_markup(html: str) -> list[str]:
    finder = ExecutableMarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def assert_page_is_inert(client, url, *, shows=(), status=200):
    """GET `url`: the page renders, shows each text in `shows` (escaped), and holds no executable markup."""
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    html = response.content.decode()
    assert executable_markup(html) == [], url
    for text in shows:
        assert text in html, f"{url} does not show {text!r}"
    return html


def assert_emails_are_inert(messages):
    assert messages, "expected the flow to send email"
    for message in messages:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert executable_markup(content) == [], message.subject


# An escaped payload shows as text: this is how a page that escapes shows SHORT's first tag.
SHORT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run what a request queued on commit (emails, imports, search indexing), as production would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world():
    regions = make_region_tree()
    seller = make_seller(name="Pesantren Alfa", regions=regions)
    product_class = ProductClass.objects.create(name="Produk Pesantren", track_stock=True, requires_shipping=True)
    category = Category.add_root(name="Makanan", description=FORMATTING + PAYLOAD)
    programme_staff = make_user("program@example.com", is_staff=True, is_superuser=True)
    return {
        "regions": regions,
        "seller": seller,
        "product_class": product_class,
        "category": category,
        "programme_staff": programme_staff,
    }


def public_pages(product) -> list[str]:
    seller = Seller.objects.get(partner__stockrecords__product=product)
    return [
        product.get_absolute_url(),
        reverse("catalogue:index"),
        reverse("search:search") + "?q=Dodol",
        reverse("sellers:storefront", kwargs={"slug": seller.slug}),
        reverse("sellers:directory"),
        reverse("home"),
    ]


# Rich text: product and category descriptions


def test_a_category_description_is_sanitised_on_save_and_at_render(client, world):
    category = world["category"]

    assert "<script" not in category.description and "<strong>Dodol legit</strong>" in category.description
    # a row written behind the model's back is still sanitised on the page
    Category.objects.filter(pk=category.pk).update(description=FORMATTING + PAYLOAD)
    assert_page_is_inert(client, category.get_absolute_url(), shows=["<strong>Dodol legit</strong>"])


def test_the_product_form_create_and_edit_sanitise_the_description(client, world, capture):
    seller, category = world["seller"], world["category"]
    client.force_login(seller.owner)
    url = reverse("dashboard:catalogue-product-create", kwargs={"product_class_slug": world["product_class"].slug})
    data = product_page_data(
        client.get(url).context,
        title=f"Dodol {SHORT}",
        description=FORMATTING + PAYLOAD,
        **{
            "stockrecords-0-partner_sku": "DODOL-1",
            "stockrecords-0-price": "35000",
            "stockrecords-0-num_in_stock": "40",
            "stockrecords-0-price_currency": "IDR",
            "productcategory_set-0-category": category.pk,
        },
    )

    with capture():
        response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    product = Product.objects.get(stockrecords__partner_sku="DODOL-1")
    assert product.description.startswith(FORMATTING) and "<script" not in product.description
    for page in public_pages(product):
        assert_page_is_inert(client, page)
    detail = assert_page_is_inert(client, product.get_absolute_url(), shows=["<strong>Dodol legit</strong>"])
    assert SHORT_ESCAPED in detail  # the title is text, escaped
    dashboard_page = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    assert_page_is_inert(client, reverse("dashboard:catalogue-product-list"))

    # when the pesantren edits it with new payloads
    edit = product_page_data(client.get(dashboard_page).context, description=PAYLOAD + "<p><em>baru</em></p>")
    with capture():
        assert client.post(dashboard_page, edit).status_code == 302

    product.refresh_from_db()
    assert product.description == "<p><em>baru</em></p>" or "<em>baru</em>" in product.description
    assert "onerror" not in product.description and "javascript" not in product.description
    assert_page_is_inert(client, product.get_absolute_url(), shows=["<em>baru</em>"])
    assert_page_is_inert(client, dashboard_page)


def test_the_csv_import_sanitises_descriptions_and_the_pages_escape_titles(client, world, capture):
    seller = world["seller"]
    client.force_login(seller.owner)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["sku", "title", "description", "category", "price", "stock"])
    writer.writerow(["IMPOR-1", f"Dodol {SHORT}", FORMATTING + PAYLOAD, "Makanan", "15000", "10"])
    upload = SimpleUploadedFile("produk.csv", buffer.getvalue().encode("utf-8"), content_type="text/csv")

    with capture():
        response = client.post(reverse("dashboard:product-import"), {"file": upload})

    assert response.status_code == 302
    product = Product.objects.get(stockrecords__partner_sku="IMPOR-1")
    assert product.description.startswith(FORMATTING) and "<svg" not in product.description
    for page in public_pages(product):
        assert_page_is_inert(client, page)
    assert_page_is_inert(client, product.get_absolute_url(), shows=["<strong>Dodol legit</strong>", SHORT_ESCAPED])
    assert_page_is_inert(client, response["Location"])  # the import job page


def test_a_rich_text_attribute_is_sanitised_when_set_and_shown(client, world):
    ProductAttribute = get_model("catalogue", "ProductAttribute")
    attribute = ProductAttribute.objects.create(
        product_class=world["product_class"], name="Komposisi", code="komposisi", type="richtext"
    )
    product = make_seller_product(world["seller"], title="Keripik", product_class=world["product_class"])
    product.attr.komposisi = FORMATTING + PAYLOAD
    product.save()
    value = product.attribute_values.get(attribute=attribute)

    assert "<script" not in value.value_richtext and "<strong>Dodol legit</strong>" in value.value_richtext
    type(value).objects.filter(pk=value.pk).update(value_richtext=PAYLOAD)  # behind the model's back
    assert_page_is_inert(client, product.get_absolute_url())


# Plain text: storefront, application, company, reviews, RFQs


def test_the_storefront_profile_is_escaped_everywhere_it_shows(client, world):
    seller = world["seller"]
    make_seller_product(seller, title="Dodol Garut")
    client.force_login(seller.owner)
    data = {
        "name": f"Pesantren {SHORT}",
        "tagline": SHORT,
        "story": PAYLOAD,
        "contact_name": SHORT,
        "whatsapp": "081234567890",
        "email": "toko@example.com",
    }

    assert client.post(reverse("dashboard:seller-profile"), data).status_code == 302

    seller.refresh_from_db()
    assert seller.story == PAYLOAD  # plain text is kept as typed, and escaped on every page
    client.logout()
    storefront = assert_page_is_inert(client, seller.get_absolute_url(), shows=[SHORT_ESCAPED])
    assert "&lt;svg onload=alert(1)&gt;" in storefront
    assert_page_is_inert(client, reverse("sellers:directory"), shows=[SHORT_ESCAPED])
    assert_page_is_inert(client, reverse("search:search") + "?q=Dodol")
    assert_page_is_inert(client, Product.objects.get(title="Dodol Garut").get_absolute_url(), shows=[SHORT_ESCAPED])
    client.force_login(world["programme_staff"])
    assert_page_is_inert(client, reverse("sellers-dashboard:seller-list"))
    assert_page_is_inert(client, reverse("sellers-dashboard:seller-review", args=[seller.pk]), shows=[SHORT_ESCAPED])
    assert_page_is_inert(client, reverse("programme:directory"))


def application_data(regions) -> dict:
    return {
        "account-account_email": "santri@example.com",
        "account-password1": "Bismillah-2026",
        "account-password2": "Bismillah-2026",
        "name": f"Pondok {SHORT}",
        "nspp": "5100 3204 0042",
        "sector": "food",
        "tagline": SHORT,
        "story": PAYLOAD,
        "address_line": SHORT,
        "kabupaten": regions["kabupaten"].code,
        "kecamatan": regions["kecamatan"][0].code,
        "desa": regions["desa"][0].code,
        "postal_code": "40395",
        "contact_name": SHORT,
        "whatsapp": "0812-3456-7890",
        "email": "alfalah@example.com",
        "bank_name": "BSI",
        "bank_account_number": "7123456789",
        "bank_account_holder": SHORT,
        "nspp_certificate": SimpleUploadedFile(
            "nspp.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
        ),
    }


def test_a_pesantren_application_is_escaped_for_programme_staff_and_in_emails(client, world, capture):
    with capture():
        response = client.post(reverse("sellers:apply"), application_data(world["regions"]))

    assert response.status_code == 302, response.content.decode()[:2000]
    seller = Seller.objects.get(nspp="510032040042")
    assert_page_is_inert(client, reverse("sellers:application-status"), shows=[SHORT_ESCAPED])
    client.force_login(world["programme_staff"])
    assert_page_is_inert(client, reverse("sellers-dashboard:application-list"), shows=[SHORT_ESCAPED])
    review_page = reverse("sellers-dashboard:seller-review", args=[seller.pk])
    assert_page_is_inert(client, review_page, shows=[SHORT_ESCAPED])
    with capture():
        client.post(review_page, {"action": "decide", "decision": "approve"})
    assert_emails_are_inert(mail.outbox)
    client.logout()
    assert_page_is_inert(client, seller.get_absolute_url(), shows=[SHORT_ESCAPED])


def test_a_company_registration_is_escaped_in_the_programme_dashboard(client, world, capture):
    client.force_login(make_user())
    data = {
        "legal_name": f"CV {SHORT}",
        "npwp": "3273 0145 0590 0001",
        "business_type": "retailer",
        "address": PAYLOAD,
        "contact_name": SHORT,
        "contact_phone": "081299988877",
        "contact_email": "dewi@amanah.id",
    }

    with capture():
        response = client.post(reverse("companies:register"), data)

    assert response.status_code == 302
    company = Company.objects.get()
    assert_page_is_inert(client, response["Location"], shows=[SHORT_ESCAPED])
    client.force_login(world["programme_staff"])
    assert_page_is_inert(client, reverse("companies-dashboard:company-list"), shows=[SHORT_ESCAPED])
    assert_page_is_inert(
        client, reverse("companies-dashboard:company-detail", args=[company.pk]), shows=[SHORT_ESCAPED]
    )
    for message in mail.outbox:
        assert_emails_are_inert([message])


def test_reviews_and_replies_are_escaped_on_every_page_that_lists_them(client, world):
    seller = world["seller"]
    product = make_seller_product(seller, title="Kopi Arabika", price="150000")
    buyer = make_user("siti@example.com", first_name=SHORT[:30])
    order, parts = buy(buyer=buyer, items=[(product, 1)], regions=world["regions"])
    deliver(parts[seller.pk])
    line = order.lines.get()
    client.force_login(buyer)

    response = client.post(
        reverse("ratings:write", kwargs={"line_id": line.pk}),
        {"product_rating": "5", "seller_rating": "4", "title": SHORT[:120], "body": PAYLOAD},
    )

    assert response.status_code == 302
    review = LineReview.objects.get()
    client.force_login(seller.owner)
    assert (
        client.post(reverse("ratings-dashboard:reply", kwargs={"pk": review.pk}), {"body": PAYLOAD}).status_code == 302
    )
    assert ReviewReply.objects.get().body == PAYLOAD
    assert_page_is_inert(client, reverse("ratings-dashboard:seller-review-list"), shows=["&lt;svg onload"])
    client.force_login(buyer)
    assert_page_is_inert(client, reverse("customer:order", kwargs={"order_number": order.number}))
    client.logout()
    for page in (
        product.get_absolute_url(),
        seller.get_absolute_url(),
        reverse("ratings:product-reviews", kwargs={"pk": product.pk}),
        reverse("ratings:seller-reviews", kwargs={"slug": seller.slug}),
    ):
        assert_page_is_inert(client, page, shows=["&lt;svg onload"])
    client.force_login(world["programme_staff"])
    assert_page_is_inert(client, reverse("ratings-dashboard:moderation-list"))
    assert_page_is_inert(client, reverse("ratings-dashboard:moderation-detail", kwargs={"pk": review.pk}))


def test_an_rfq_its_quote_and_its_messages_are_escaped_for_both_sides(client, world, capture):
    seller = world["seller"]
    member = make_user("rina@example.com")
    company = make_company(legal_name=f"PT {SHORT}", members=[(member, "approver")])
    client.force_login(member)
    data = {
        "title": SHORT,
        "kind": "private_label",
        "quantity": "500",
        "unit": "botol",
        "specification": PAYLOAD,
        "target_unit_price": "12000",
        "delivery_date": "2099-01-31",
        "quotes_due": "2099-01-10",
        "audience": "seller",
        "seller": seller.pk,
    }

    with capture():
        response = client.post(reverse("quotes:create"), data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    rfq = RequestForQuotation.objects.get(company=company)
    thread = reverse("quotes:thread", kwargs={"pk": rfq.pk, "seller_pk": seller.pk})
    with capture():
        assert client.post(thread, {"body": PAYLOAD}).status_code == 302
    client.force_login(seller.owner)
    seller_page = reverse("quotes-dashboard:rfq-detail", kwargs={"pk": rfq.pk})
    terms = {"action": "quote", "quantity": "500", "lead_time_days": "7", "valid_until": "2099-01-20"}
    with capture():
        assert client.post(seller_page, {**terms, "unit_price": "11000", "note": PAYLOAD}).status_code == 302
        assert client.post(seller_page, {"action": "message", "body": PAYLOAD}).status_code == 302

    assert Quote.objects.get(rfq=rfq).note == PAYLOAD and Message.objects.filter(rfq=rfq).count() == 2
    assert_page_is_inert(client, reverse("quotes-dashboard:rfq-list"), shows=[SHORT_ESCAPED])
    assert_page_is_inert(client, seller_page, shows=[SHORT_ESCAPED, "&lt;svg onload"])
    client.force_login(member)
    assert_page_is_inert(client, reverse("quotes:list"), shows=[SHORT_ESCAPED])
    assert_page_is_inert(client, reverse("quotes:detail", kwargs={"pk": rfq.pk}), shows=["&lt;svg onload"])
    assert_page_is_inert(client, thread, shows=["&lt;svg onload"])
    assert_emails_are_inert(mail.outbox)
    client.force_login(world["programme_staff"])
    assert_page_is_inert(
        client, reverse("companies-dashboard:company-list") + "?status=verified", shows=[SHORT_ESCAPED]
    )


# Emails with an HTML part, and the invoice PDF


def test_oscars_stock_alert_emails_and_notifications_escape_the_product_title(client, world):
    product = make_seller_product(world["seller"], title=f"Dodol {SHORT}")
    AlertsDispatcher = get_class("customer.alerts.utils", "AlertsDispatcher")
    unconfirmed = ProductAlert.objects.create(product=product, email="a@example.com", key="k1")
    subscriber = make_user("pelanggan@example.com")
    active = ProductAlert.objects.create(product=product, user=subscriber, status=ProductAlert.ACTIVE)
    dispatcher = AlertsDispatcher()

    dispatcher.send_product_alert_confirmation_email_for_user(unconfirmed)
    back_in_stock = dispatcher.dispatcher.get_messages(
        dispatcher.PRODUCT_ALERT_EVENT_CODE, dispatcher.get_extra_context_for_alert(active, False)
    )

    sent = [content for message in mail.outbox for content, kind in message.alternatives if kind == "text/html"]
    html_parts = [*sent, back_in_stock["html"]]
    assert len(html_parts) == 2
    for html in html_parts:
        assert executable_markup(html) == [] and SHORT_ESCAPED in html

    # the site notification a signed-in subscriber gets (Oscar shows its subject and body |safe)
    dispatcher.notify_user_about_product_alert(subscriber, dispatcher.get_extra_context_for_alert(active, False))
    notification = subscriber.notifications.get()
    client.force_login(subscriber)
    assert_page_is_inert(client, reverse("customer:notifications-inbox"), shows=[SHORT_ESCAPED])
    assert_page_is_inert(client, reverse("customer:notifications-detail", kwargs={"pk": notification.pk}))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_invoice_pdf_prints_tenant_markup_literally(client, world):
    from invoices.tests.conftest import place_on_invoice

    product = make_seller_product(world["seller"], title='Kopi <font size=80>X</font> & "Teh"', price="140000")
    approver = make_user()
    company = make_company(
        legal_name='PT <font size=80>X</font> & <a href="javascript:alert(1)">Mitra</a>',
        address="Jl. <b>Braga</b> & Co\nBandung",
        credit_limit=5_000_000,
        payment_terms_days=30,
        members=[(approver, "approver")],
    )
    order = place_on_invoice(company=company, user=approver, regions=world["regions"], items=[(product, 1)])
    invoice = Invoice.objects.get(order=order)
    client.force_login(approver)

    response = client.get(reverse("invoices:pdf", kwargs={"pk": invoice.pk}))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())  # long names wrap onto several lines
    assert '<font size=80>X</font> & <a href="javascript:alert(1)">Mitra</a>' in text
    assert "Jl. <b>Braga</b> & Co Bandung" in text
    assert 'Kopi <font size=80>X</font> & "Teh"' in text
    assert_page_is_inert(client, reverse("invoices:detail", kwargs={"pk": invoice.pk}))
    client.force_login(world["programme_staff"])
    world["programme_staff"].user_permissions.add(
        Permission.objects.get(codename="manage_invoices", content_type__app_label="invoices")
    )
    assert_page_is_inert(client, reverse("invoices-dashboard:detail", kwargs={"pk": invoice.pk}))


def test_the_dashboard_category_search_escapes_the_name_it_highlights(client, world):
    Category.add_root(name="Kue <img src=x onerror=alert(1)> kering")
    client.force_login(world["programme_staff"])

    html = assert_page_is_inert(client, reverse("dashboard:catalogue-category-list") + "?name=kering")

    assert "Kue &lt;img src=x onerror=alert(1)&gt; <strong>kering</strong>" in html
