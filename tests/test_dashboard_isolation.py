"""Pesantren A against pesantren B's objects on every dashboard URL in the URLconf.

The URL patterns are discovered from the URLconf, not listed: a page added later is covered
automatically. Each pattern's path kwargs are filled with ids of B's objects (by kwarg name and
URL name, falling back to every kind of B object), and A requests it with GET and POST (empty and
plausible data). A must get 403/404/405 and never see B's data; afterwards B's data is unchanged.
Pages without B's objects in the URL are either allowlisted as A's own pages (200) or refused.
"""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from oscar.core.loading import get_model
from PIL import Image

from dashboard.catalogue.models import ImportJob
from fulfilment.models import SellerOrderStatus
from fulfilment.services import (
    order_payment_succeeded,
    seller_order_accept,
    seller_order_complete,
    seller_order_deliver,
    seller_order_pack,
    seller_order_ship,
)
from payouts.models import LedgerEntry, Payout
from payouts.services import create_weekly_payouts
from sellers.models import SellerDocument
from sellers.team_models import TeamInvitation, TeamMembership, TeamRole
from tests.factories import (
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)
from wholesale.services import price_tiers_set, wholesale_moq_set

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")
StockAlert = get_model("partner", "StockAlert")
StockRecord = get_model("partner", "StockRecord")

B_PESANTREN = "Pondok Bravo Tersembunyi"
B_TITLE = "Kerupuk Rahasia Bravo"
B_VARIANT_PARENT = "Sirup Induk Bravo"
B_CUSTOMER = "Zubaidah Pelanggan Bravo"
B_SKU = "BRAVO-SKU-777"
B_RFQ = "Permintaan Rahasia Bravo"
B_EVENT = "Pelatihan Rahasia Bravo"
B_SECRETS = [B_PESANTREN, B_TITLE, B_VARIANT_PARENT, B_CUSTOMER, B_SKU, B_RFQ, B_EVENT, "bravo-undangan@example.com"]

# Dashboard pages a pesantren user may open for its own data (200 on GET), with the reason.
# Every other dashboard page without B's objects in its URL must refuse a pesantren (403/404/405).
SELLER_PAGES = {
    "dashboard:index": "the pesantren's own sales overview",
    "dashboard:login": "signing in; shows no shop data",
    "dashboard:logout": "signing out (POST only)",
    "dashboard:catalogue-product-list": "its own products, filtered by dashboard.selectors",
    "dashboard:catalogue-product-create": "creating a product of a chosen product type",
    "dashboard:seller-product-create": "the seller centre's product form, adding to its own shop",
    "dashboard:catalogue-product-lookup": "product picker, limited to its own products",
    "dashboard:catalogue-product-bulk-action": "bulk actions on its own selected products",
    "dashboard:stock-alert-list": "its own stock alerts",
    "dashboard:product-import": "CSV import of its own products",
    "dashboard:product-export": "CSV export of its own products",
    "dashboard:seller-profile": "its own storefront profile",
    "dashboard:seller-bank-account": "its own payout bank account (owners only)",
    "dashboard:team": "its own team (owners only)",
    "dashboard:seller-sales": "its own sales report (charts of its own SellerOrders)",
    "fulfilment-dashboard:seller-order-list": "its own SellerOrders, in status tabs",
    "fulfilment-dashboard:seller-order-bulk-accept": "accepts its own ticked SellerOrders (POST); others are not found",
    "fulfilment-dashboard:seller-order-slips": "packing slips of its own ticked SellerOrders (400 with none ticked)",
    "shipping-dashboard:rates": "its own shipping rates",
    "couriers-dashboard:settings": "its own couriers (couriers.selectors.offered_couriers, keyed on its seller)",
    "couriers-dashboard:labels": "labels of its own parts only (fulfilment.selectors.packing_slips)",
    "couriers-dashboard:book": "booking a courier for its own part (fulfilment.selectors.seller_order_for_seller)",
    "couriers-dashboard:cancel": "cancelling its own part's courier (fulfilment.selectors.seller_order_for_seller)",
    "payouts-dashboard:my-ledger": "redirects to its own ledger",
    "ratings-dashboard:seller-review-list": "reviews of its own products, to reply to",
    "quotes-dashboard:rfq-list": "requests for quotation its pesantren was invited to",
    "wholesale:stockrecord-list": "wholesale prices of its own stock records",
    "events-dashboard:registrations": "its own event registrations and meetings (events.selectors)",
    "competitions-seller:entries": "its own competition entries, and entering its own products",
}
# Pesantren pages for its owners only (sellers.access.PesantrenOwnerRequiredMixin): staff get 403.
OWNER_PAGES = {
    "dashboard:seller-bank-account": "where payouts go: redirecting them is the classic insider fraud",
    "dashboard:team": "who works in the dashboard",
    "dashboard:team-remove": "taking someone off the team",
    "dashboard:team-revoke": "withdrawing an invitation",
}
# Pages whose successful answer is a redirect for a signed-in pesantren.
REDIRECTING_PAGES = {
    "dashboard:login": "a signed-in user is sent on",
    "dashboard:logout": "signing out redirects home",
    "dashboard:catalogue-product-create": "without a product type it redirects to the form",
    "dashboard:catalogue-product-bulk-action": "an empty selection goes back to the list",
    "payouts-dashboard:my-ledger": "redirects to /dashboard/keuangan/pesantren/<own pk>/",
}
# Kwargs that do not name a pesantren's object.
NEUTRAL_KWARGS = {"product_class_slug", "parent"}
# Path kwargs of both route syntaxes: <int:pk> and (?P<pk>...).
KWARG_RE = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, namespace, entry


def dashboard_patterns() -> list[tuple[str, str, list[str]]]:
    """(route, full URL name, kwarg names) of every dashboard page in the URLconf."""
    found = []
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        in_dashboard = route.lstrip("^").startswith("dashboard/") or "dashboard" in namespace
        in_dashboard = in_dashboard or "dashboard" in (pattern.name or "")
        if not in_dashboard:
            continue
        assert pattern.name, f"dashboard URL {route} has no name, so it cannot be checked"
        kwargs = {name for pair in KWARG_RE.findall(route) for name in pair if name}
        found.append((route, f"{namespace}{pattern.name}", sorted(kwargs)))
    return found


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    regions = make_region_tree()
    a = make_seller(name="Pondok Alfa Terbuka", regions=regions)
    b = make_seller(
        name=B_PESANTREN,
        regions=regions,
        bank_name="BSI",
        bank_account_number="7001234567",
        bank_account_holder=B_PESANTREN,
    )
    a_product = make_seller_product(a, title="Keripik Alfa", price="60000")
    b_product = make_seller_product(b, title=B_TITLE, price="150000", stock=3)
    b_record = b_product.stockrecords.get()
    b_record.partner_sku = B_SKU
    b_record.low_stock_threshold = 5
    b_record.save()
    price_tiers_set(stockrecord=b_record, tiers=[(10, 140000)])
    wholesale_moq_set(stockrecord=b_record, moq=5)
    b_alert = StockAlert.objects.filter(stockrecord=b_record).first() or StockAlert.objects.create(
        stockrecord=b_record, threshold=5
    )
    b_parent = make_seller_product(b, title=B_VARIANT_PARENT, price="20000")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    b_image = ProductImage.objects.create(
        product=b_product, original=SimpleUploadedFile("bravo.png", buffer.getvalue(), content_type="image/png")
    )
    # B's own customer, and a customer who buys from both (A legitimately sees that one).
    b_order = place_order(
        items=[(b_product, 1)],
        shipping_address=make_shipping_address(regions=regions, name=B_CUSTOMER),
        email="zubaidah@example.com",
    )
    shared_order = place_order(
        items=[(a_product, 1), (b_product, 1)], shipping_address=make_shipping_address(regions=regions)
    )
    order_payment_succeeded(order_id=b_order.pk)
    b_part = b_order.seller_orders.get()
    b_part = seller_order_accept(seller_order=b_part, actor=b.owner)
    b_part = seller_order_pack(seller_order=b_part, actor=b.owner)
    b_part = seller_order_ship(seller_order=b_part, actor=b.owner, courier="JNE", tracking_number="BRAVO1")
    b_part = seller_order_deliver(seller_order=b_part, actor=b.owner)
    b_part = seller_order_complete(seller_order=b_part)
    create_weekly_payouts()
    b_staff = make_user(email="bravo-staf@example.com")
    TeamMembership.objects.create(seller=b, user=b_staff, role=TeamRole.STAFF)
    b.partner.users.add(b_staff)
    invitation = TeamInvitation.objects.create(
        seller=b, email="bravo-undangan@example.com", expires_at="2099-01-01T00:00:00Z", invited_by=b.owner
    )
    import_job = ImportJob.objects.create(seller=b, file_name="bravo.csv", content=f"sku\n{B_SKU}\n")
    document = SellerDocument.objects.create(
        seller=b,
        kind="other",
        file=SimpleUploadedFile("bravo.pdf", b"%PDF-1.4"),
        content_type="application/pdf",
        size=8,
    )
    b_line = b_order.lines.get()
    # An off-taker's request for quotation to B only, with B's quote and a message in their thread.
    from quotes.services import message_post
    from quotes.tests.helpers import make_company, make_quote, make_rfq, member_of

    b_rfq = make_rfq(company=make_company(), seller=b, title=B_RFQ)
    b_quote = make_quote(rfq=b_rfq, seller=b, unit_price=133333)
    message_post(rfq=b_rfq, seller=b, user=member_of(b_rfq.company), body=B_RFQ)
    # B's registration for a programme event (A is not registered), checked in with a certificate.
    from events import services as event_services
    from events.tests.helpers import make_event

    b_event = make_event(kabupaten=regions["kabupaten"], title=B_EVENT)
    b_registration = event_services.register(event=b_event, seller=b, actor=b.owner)
    b_registration = event_services.check_in(
        event=b_event, token=event_services.checkin_token(b_registration), actor=None
    )
    # B's entry in a competition being judged.
    from competitions import services as competition_services
    from competitions.tests.helpers import make_competition
    from programme.access import scope_for
    from programme.tests.helpers import make_provincial_officer

    office = make_provincial_officer()
    competition = make_competition(office)
    b_entry = competition_services.entry_submit(
        seller=b, competition=competition, product=b_product, entered_by=b.owner
    )
    competition_round = competition_services.judging_start(
        scope=scope_for(office), competition=competition, actor=office
    )
    open_competition = make_competition(office, name="Lomba Terbuka")
    objects = {
        "product": b_product.pk,
        "parent_product": b_parent.pk,
        "stockrecord": b_record.pk,
        "image": b_image.pk,
        "seller_order": b_part.pk,
        "shared_seller_order": shared_order.seller_orders.get(seller=b).pk,
        "ledger_entry": LedgerEntry.objects.filter(seller=b).first().pk,
        "payout": Payout.objects.get(seller=b).pk,
        "batch": Payout.objects.get(seller=b).batch_id,
        "seller": b.pk,
        "partner": b.partner_id,
        "import_job": import_job.pk,
        "invitation": invitation.pk,
        "document": document.pk,
        "stock_alert": b_alert.pk,
        "line": b_line.pk,
        "b_owner": b.owner_id,
        "b_staff": b_staff.pk,
        "order": b_order.pk,
        "rfq": b_rfq.pk,
        "quote": b_quote.pk,
        "event_registration": b_registration.pk,
        "event": b_event.pk,
        "competition": competition.pk,
        "competition_round": competition_round.pk,
        "competition_entry": b_entry.pk,
        "open_competition": open_competition.pk,
    }
    return {
        "a": a,
        "b": b,
        "b_product": b_product,
        "b_record": b_record,
        "b_part": b_part,
        "b_order": b_order,
        "invitation": invitation,
        "b_quote": b_quote,
        "b_registration": b_registration,
        "b_entry": b_entry,
        "ids": objects,
        "numbers": [b_order.number, b_part.number, shared_order.number],
    }


# URL name (without namespace) → which of B's objects its `pk` names. Unknown ones get every kind.
PK_OBJECTS = {
    "catalogue-product": ["product", "parent_product"],
    "catalogue-product-delete": ["product", "parent_product"],
    "seller-product-edit": ["product", "parent_product"],
    "seller-order-detail": ["seller_order", "shared_seller_order"],
    "product-import-job": ["import_job"],
    "product-import-status": ["import_job"],
    "team-revoke": ["invitation"],
    "batch-detail": ["batch"],
    "batch-export": ["batch"],
    "batch-mark-paid": ["batch"],
    "payout-mark-paid": ["payout"],
    "payout-mark-failed": ["payout"],
    "seller-review": ["seller"],
    "document": ["document"],
    "rfq-detail": ["rfq"],
    "stockrecord-wholesale": ["stockrecord"],
    "registration": ["event_registration"],
    "registration-cancel": ["event_registration"],
    "registration-certificate": ["event_registration"],
    "competitions:detail": ["competition"],
    "competitions:judge-assign": ["competition"],
    "competitions:conflict-declare": ["competition"],
    "competitions:judging-start": ["competition"],
    "competitions:ranking": ["competition_round"],
    "competitions:round-close": ["competition_round"],
    "competitions:score": ["competition_entry"],
    "competitions:recuse": ["competition_entry"],
}


def kwarg_candidates(url_name: str, kwarg: str, world) -> list:
    ids = world["ids"]
    short_name = url_name.rpartition(":")[2]
    if kwarg == "pk":
        kinds = PK_OBJECTS.get(url_name) or PK_OBJECTS.get(short_name, list(ids))
        return [ids[kind] for kind in kinds]
    by_name = {
        "seller_pk": [ids["seller"]],
        "partner_pk": [ids["partner"]],
        "parent_pk": [ids["product"], ids["parent_product"]],
        "user_pk": [ids["b_owner"], ids["b_staff"]],
        "token": [world["invitation"].token],
        "number": world["numbers"],
        "order_number": world["numbers"],
        "line_id": [ids["line"]],
        "note_id": [1],
        "product_class_slug": [world["product_class_slug"]],
        "parent": [world["category_pk"]],
    }
    if kwarg in by_name:
        return by_name[kwarg]
    # Fallback for a kwarg added later: every id of B's objects and B's reference strings.
    return [*ids.values(), *world["numbers"]]


def url_variants(url_name: str, kwargs: list[str], world):
    """Each way to fill the kwargs: one value per kwarg at a time, the others at their first value."""
    candidates = {kwarg: kwarg_candidates(url_name, kwarg, world) for kwarg in kwargs}
    if not kwargs:
        yield {}
        return
    seen = set()
    for kwarg in kwargs:
        for value in candidates[kwarg]:
            filled = {name: values[0] for name, values in candidates.items()}
            filled[kwarg] = value
            key = tuple(sorted(filled.items()))
            if key not in seen:
                seen.add(key)
                yield filled


def plausible_post(world) -> dict:
    ids = world["ids"]
    return {
        "action": "cancel",
        "reason": "taken over",
        "courier": "JNE",
        "tracking_number": "HIJACK",
        "title": "Hijacked",
        "price": "1",
        "num_in_stock": "0",
        "partner": ids["partner"],
        "product": ids["product"],
        "selected_product": [ids["product"], ids["parent_product"]],
        "stockrecords-0-id": ids["stockrecord"],
        "images-0-id": ids["image"],
        "seller": ids["seller"],
        "seller_order": ids["seller_order"],
        "status": "Cancelled",
        "new_status": "Cancelled",
        "selected_line": [ids["line"]],
        "line_action": "change_line_statuses",
        "email": "hijack@example.com",
        "role": "owner",
        "name": "Hijacked",
        "q": B_TITLE,
        "reference": "HIJACK",
        "bank_name": "Bank Pembajak",
        "bank_account_number": "9999999999",
        "bank_account_holder": "Hijacked",
        "competition": ids["open_competition"],
    }


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_dashboard_urls_are_discovered_from_the_urlconf():
    names = {name for _route, name, _kwargs in dashboard_patterns()}

    # Oscar's, the forked apps' and our own namespaces are all found, not listed by hand.
    assert {"dashboard:order-detail", "dashboard:catalogue-product", "dashboard:product-import"} <= names
    assert {"fulfilment-dashboard:seller-order-detail", "payouts-dashboard:seller-ledger"} <= names
    assert {"sellers-dashboard:seller-review", "shipping-dashboard:rates", "bank_transfers:dashboard-detail"} <= names
    assert not set(SELLER_PAGES) - names, "an allowlisted page no longer exists"


def test_pesantren_a_reaches_nothing_of_pesantren_b(client, world):
    # given
    from oscar.core.loading import get_model as load

    category = load("catalogue", "Category").add_root(name="Makanan Ringan")
    product_class = world["b_product"].get_product_class()
    world["product_class_slug"] = product_class.slug
    world["category_pk"] = category.pk
    a_user = world["a"].owner
    failures = []
    checked = 0

    # when
    for _route, url_name, kwargs in dashboard_patterns():
        object_kwargs = [kwarg for kwarg in kwargs if kwarg not in NEUTRAL_KWARGS]
        for filled in url_variants(url_name, kwargs, world):
            try:
                url = reverse(url_name, kwargs=filled)
            except NoReverseMatch:
                continue  # e.g. an order number offered to an <int:> kwarg by the fallback
            for method, data in (("get", None), ("post", {}), ("post", plausible_post(world))):
                client.force_login(a_user)
                response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
                checked += 1
                status = response.status_code
                body = _body(response)
                leaked = [secret for secret in B_SECRETS if secret in body]
                if leaked:
                    failures.append(f"{method.upper()} {url} ({url_name}) shows B's {leaked}")
                if object_kwargs:
                    if status not in (403, 404, 405):
                        failures.append(f"{method.upper()} {url} ({url_name}) with B's object answered {status}")
                elif url_name in SELLER_PAGES:
                    allowed = {200, 302, 405} if url_name in REDIRECTING_PAGES else {200, 400, 405}
                    if method == "post":
                        allowed |= {302, 400, 403}
                    if status not in allowed:
                        failures.append(f"{method.upper()} {url} ({url_name}) is A's own page but answered {status}")
                elif status not in (403, 404, 405):
                    failures.append(
                        f"{method.upper()} {url} ({url_name}) is not a pesantren page but answered {status}; "
                        "refuse pesantren users, or add it to SELLER_PAGES with a reason"
                    )
                if status == 302 and any(str(v) in response["Location"] for v in world["numbers"]):
                    failures.append(f"{method.upper()} {url} redirects to B's order: {response['Location']}")

    # then
    assert checked > 300
    assert not failures, "\n".join(failures)
    b_product, b_record, b_part = world["b_product"], world["b_record"], world["b_part"]
    b_product.refresh_from_db()
    b_record.refresh_from_db()
    b_part.refresh_from_db()
    world["b"].refresh_from_db()
    assert b_product.title == B_TITLE and b_product.is_public
    assert (b_record.partner_id, b_record.price, b_record.partner_sku) == (
        world["b"].partner_id,
        Decimal("150000.00"),
        B_SKU,
    )
    assert ProductImage.objects.filter(pk=world["ids"]["image"]).exists()
    assert list(b_record.price_tiers.values_list("min_quantity", "unit_price")) == [(10, 140000)]
    assert b_record.wholesale_terms.moq == 5
    assert b_part.status == SellerOrderStatus.COMPLETED
    b_quote = world["b_quote"]
    b_quote.refresh_from_db()
    assert (b_quote.status, b_quote.unit_price, b_quote.rfq.messages.count()) == ("submitted", 133333, 1)
    assert world["b"].name == B_PESANTREN
    assert (world["b"].bank_name, world["b"].bank_account_number) == ("BSI", "7001234567")
    assert world["b"].partner.users.filter(pk=world["ids"]["b_staff"]).exists()
    assert TeamInvitation.objects.get(pk=world["invitation"].pk).revoked_at is None
    assert not TeamInvitation.objects.filter(seller=world["b"], email="hijack@example.com").exists()
    b_registration = world["b_registration"]
    b_registration.refresh_from_db()
    assert b_registration.status == "attended" and b_registration.certificate_code
    assert b_registration.event.registrations.count() == 1
    b_entry = world["b_entry"]
    b_entry.refresh_from_db()
    assert (b_entry.status, b_entry.product_id, b_entry.seller_id) == ("entered", b_product.pk, world["b"].pk)
    assert not b_entry.scorecards.exists() and b_entry.competition.entries.count() == 1
    assert not b_product.competition_entries.filter(competition_id=world["ids"]["open_competition"]).exists()


def test_dashboard_owner_pages_exist():
    names = {name for _route, name, _kwargs in dashboard_patterns()}

    assert not set(OWNER_PAGES) - names, "an owner-only page no longer exists"


def test_staff_who_are_not_owners_reach_no_owner_page_of_their_own_pesantren(client, world):
    # given: a staff member of A (not an owner) with dashboard access, and an open invitation of A's
    from django.contrib.auth.models import Permission

    a = world["a"]
    a.bank_name, a.bank_account_number, a.bank_account_holder = "BRI", "1234567890", "Pondok Alfa"
    a.save()
    staff = make_user(email="alfa-staf@example.com")
    TeamMembership.objects.create(seller=a, user=staff, role=TeamRole.STAFF)
    a.partner.users.add(staff)
    staff.user_permissions.add(Permission.objects.get(content_type__app_label="partner", codename="dashboard_access"))
    own_invitation = TeamInvitation.objects.create(
        seller=a, email="alfa-undangan@example.com", expires_at="2099-01-01T00:00:00Z", invited_by=a.owner
    )
    own_kwargs = {"pk": own_invitation.pk, "user_pk": a.owner_id}
    client.force_login(staff)
    failures = []

    # when: every owner page, with A's own objects, by GET and POST
    for _route, url_name, kwargs in dashboard_patterns():
        if url_name not in OWNER_PAGES:
            continue
        url = reverse(url_name, kwargs={kwarg: own_kwargs[kwarg] for kwarg in kwargs})
        for method, data in (("get", None), ("post", {}), ("post", plausible_post(world))):
            response = getattr(client, method)(url) if data is None else getattr(client, method)(url, data)
            if response.status_code not in (403, 405):
                failures.append(f"{method.upper()} {url} ({url_name}) answered staff {response.status_code}")
    # and the pages staff may use: their menu lists no owner page, and the profile takes no bank fields
    index = client.get(reverse("dashboard:index"))
    profile = client.post(
        reverse("dashboard:seller-profile"),
        {"name": a.name, "contact_name": "Staf", "whatsapp": "6281234567890", **plausible_post(world)},
    )

    # then
    assert not failures, "\n".join(failures)
    assert index.status_code == 200
    for url_name in ("dashboard:seller-bank-account", "dashboard:team"):
        assert reverse(url_name) not in index.content.decode()
    assert profile.status_code == 302
    a.refresh_from_db()
    assert (a.bank_name, a.bank_account_number, a.bank_account_holder) == ("BRI", "1234567890", "Pondok Alfa")
    assert not a.events.filter(kind="bank_account").exists()
    assert TeamInvitation.objects.get(pk=own_invitation.pk).revoked_at is None
    assert a.partner.users.filter(pk=a.owner_id).exists()
    assert not TeamInvitation.objects.filter(seller=a, email="hijack@example.com").exists()


def test_pesantren_cannot_use_oscars_order_dashboard_even_for_its_own_orders(client, world):
    client.force_login(world["a"].owner)
    own_part = world["a"].seller_orders.get()
    shared = world["numbers"][2]

    assert client.get(reverse("dashboard:order-list")).status_code == 403
    assert client.get(reverse("dashboard:order-detail", kwargs={"number": shared})).status_code == 403
    response = client.post(reverse("dashboard:order-detail", kwargs={"number": shared}), {"new_status": "Cancelled"})
    assert response.status_code == 403
    own_part.refresh_from_db()
    own_part.order.refresh_from_db()
    assert own_part.status == SellerOrderStatus.PENDING_PAYMENT
    assert own_part.order.status == "Pending payment"


def test_pesantren_own_pages_show_its_part_of_a_shared_order_without_bs_lines(client, world):
    client.force_login(world["a"].owner)
    a_part = world["a"].seller_orders.get()
    pages = [
        reverse("dashboard:index"),
        reverse("fulfilment-dashboard:seller-order-list"),
        reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": a_part.pk}),
        reverse("fulfilment-dashboard:seller-order-slips") + f"?seller_order={a_part.pk}",
        reverse("dashboard:catalogue-product-list"),
        reverse("dashboard:stock-alert-list"),
        reverse("dashboard:product-export"),
    ]

    for page in pages:
        response = client.get(page)
        body = _body(response)
        assert response.status_code == 200, page
        assert B_TITLE not in body and B_PESANTREN not in body, page


def test_seller_centre_bulk_accept_and_packing_slips_never_touch_bs_parts(client, world):
    # given: the shared order is paid, so both A's and B's parts of it wait to be accepted
    a_part = world["a"].seller_orders.get()
    order_payment_succeeded(order_id=a_part.order_id)
    b_part = a_part.order.seller_orders.get(seller=world["b"])
    client.force_login(world["a"].owner)

    # when
    slips = client.get(reverse("fulfilment-dashboard:seller-order-slips"), {"seller_order": [b_part.pk]})
    mixed = client.get(
        reverse("fulfilment-dashboard:seller-order-slips"), {"seller_order": [a_part.pk, b_part.pk, world["b_part"].pk]}
    )
    accepted = client.post(
        reverse("fulfilment-dashboard:seller-order-bulk-accept"), {"seller_order": [a_part.pk, b_part.pk]}, follow=True
    )

    # then
    assert slips.status_code == 404
    assert [slip.pk for slip in mixed.context["slips"]] == [a_part.pk]
    for response in (slips, mixed, accepted):
        body = _body(response)
        assert not [secret for secret in B_SECRETS if secret in body]
        assert b_part.number not in body and world["b_part"].number not in body
    a_part.refresh_from_db()
    b_part.refresh_from_db()
    assert (a_part.status, b_part.status) == (SellerOrderStatus.ACCEPTED, SellerOrderStatus.PAID)
