from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation
from oscar.core.loading import get_model

from companies.models import Company, CompanyStatus, MembershipRole
from curation.models import CriterionScore, Curation, CurationStatus, Rubric
from invoices.models import Invoice, InvoiceEventKind, InvoiceStatus
from marketplace.demo.services import PROGRAMME_OFFICERS_GROUP
from programme.models import AccessEvent, ActionItem, MentorAssignment, MentorVisit, VisitPhoto
from purchasing.models import CompanyOrder, PurchasePaymentMethod, PurchaseRequest, PurchaseRequestStatus
from quotes.models import Message, MessageSide, Quote, QuoteStatus, RequestForQuotation, RfqStatus
from regions.models import RegionLevel
from sellers.models import Seller, SellerEvent, SellerStatus
from wholesale.models import PriceTier, WholesaleTerms

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")
Order = get_model("order", "Order")
User = get_user_model()

pytestmark = pytest.mark.django_db

DOMAIN = "demo.pasarpesantren.id"


@pytest.fixture
def jawa_barat():
    call_command("load_regions", province="32", verbosity=0, stdout=StringIO())


def _seed(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "sellers": Seller.objects.count(),
        "events": SellerEvent.objects.count(),
        "partners": Partner.objects.count(),
        "products": Product.objects.count(),
        "stock records": StockRecord.objects.count(),
        "images": ProductImage.objects.count(),
        "groups": Group.objects.count(),
        "companies": Company.objects.count(),
        "price tiers": PriceTier.objects.count(),
        "orders": Order.objects.count(),
        "invoices": Invoice.objects.count(),
        "purchase requests": PurchaseRequest.objects.count(),
        "requests for quotation": RequestForQuotation.objects.count(),
        "quotes": Quote.objects.count(),
        "messages": Message.objects.count(),
        "pesantren with an NPWP": Seller.objects.exclude(npwp="").count(),
        "rubrics": Rubric.objects.count(),
        "curations": Curation.objects.count(),
        "criterion scores": CriterionScore.objects.count(),
        "mentor assignments": MentorAssignment.objects.count(),
        "mentor visits": MentorVisit.objects.count(),
        "action items": ActionItem.objects.count(),
        "visit photos": VisitPhoto.objects.count(),
        "programme access events": AccessEvent.objects.count(),
        **_programme_event_counts(),
    }


def _programme_event_counts() -> dict[str, int]:
    from events.models import Event, Meeting, Registration, RegistrationEvent, ShowcaseItem

    return {
        "programme events": Event.objects.count(),
        "event registrations": Registration.objects.count(),
        "registration events": RegistrationEvent.objects.count(),
        "meetings": Meeting.objects.count(),
        "showcase items": ShowcaseItem.objects.count(),
    }


def test_seed_demo_without_regions_fails_clearly_and_creates_nothing():
    with pytest.raises(CommandError, match="load_regions"):
        _seed("--quick")

    assert not User.objects.exists()
    assert not Seller.objects.exists()


def test_quick_seed_creates_demo_users_with_their_roles(jawa_barat):
    # when
    output = _seed("--quick")

    # then every demo login works with the shared password and is listed in the output
    for local_part in ("konsumen", "pesantren1", "pesantren2", "offtaker", "program", "admin"):
        email = f"{local_part}@{DOMAIN}"
        assert authenticate(username=email, password="pesantren123") is not None, email
        assert email in output
    assert "pesantren123" in output

    consumer = User.objects.get(email=f"konsumen@{DOMAIN}")
    assert not consumer.is_staff and not consumer.is_superuser
    offtaker = User.objects.get(email=f"offtaker@{DOMAIN}")
    assert not offtaker.is_staff and not offtaker.sellers.exists()

    officer = User.objects.get(email=f"program@{DOMAIN}")
    assert officer.is_staff and not officer.is_superuser
    assert officer.groups.filter(name=PROGRAMME_OFFICERS_GROUP).exists()
    for permission in ("sellers.review_seller", "order.view_order", "catalogue.view_product", "partner.view_partner"):
        assert officer.has_perm(permission), permission

    admin = User.objects.get(email=f"admin@{DOMAIN}")
    assert admin.is_staff and admin.is_superuser

    for local_part in ("pesantren1", "pesantren2"):
        staff = User.objects.get(email=f"{local_part}@{DOMAIN}")
        seller = Seller.objects.get(owner=staff)
        assert seller.status == SellerStatus.VERIFIED
        assert seller.partner.users.filter(pk=staff.pk).exists()
        assert staff.has_perm("partner.dashboard_access")
        assert not staff.is_staff


def test_quick_seed_creates_verified_pesantren_with_real_history_and_regions(jawa_barat):
    # when
    _seed("--quick")

    # then
    verified = Seller.objects.verified().select_related("partner", "kabupaten", "kecamatan", "desa")
    assert verified.count() == 6
    officer = User.objects.get(email=f"program@{DOMAIN}")
    for seller in verified:
        seller.full_clean()
        assert seller.partner is not None and seller.partner.name == seller.name
        assert seller.nspp.startswith("510032")
        assert seller.kabupaten.level == RegionLevel.REGENCY and seller.kabupaten.parent_id == "32"
        assert seller.kecamatan.parent_id == seller.kabupaten.code
        assert seller.desa.parent_id == seller.kecamatan.code
        assert seller.postal_code == seller.desa.postal_code
        assert seller.logo.name and seller.banner.name and seller.story and seller.tagline
        assert list(seller.events.values_list("to_status", "actor")) == [
            (SellerStatus.APPLIED, seller.owner_id),
            (SellerStatus.VERIFIED, officer.pk),
        ]
        assert seller.documents.count() == 1
    # The applicants are fictional, so their status e-mails are marked as already sent.
    assert not SellerEvent.objects.filter(notified_at__isnull=True).exists()


def test_quick_seed_leaves_applications_to_review(jawa_barat):
    _seed("--quick")

    pending = Seller.objects.exclude(status=SellerStatus.VERIFIED)
    assert sorted(pending.values_list("status", flat=True)) == [
        SellerStatus.APPLIED,
        SellerStatus.APPLIED,
        SellerStatus.CHANGES_REQUESTED,
    ]
    assert all(seller.partner_id is None for seller in pending)
    changes_requested = pending.get(status=SellerStatus.CHANGES_REQUESTED)
    assert changes_requested.status_reason
    assert changes_requested.status_changed_by.email == f"program@{DOMAIN}"


def test_quick_seed_creates_public_products_each_sold_by_one_verified_pesantren(jawa_barat):
    _seed("--quick")

    products = Product.objects.prefetch_related("stockrecords__partner__seller", "images", "categories")
    assert products.count() == 30
    for product in products:
        product.full_clean()  # licence numbers and expiry dates pass catalogue's validators
        assert product.is_public and product.weight_grams and product.description
        assert product.categories.count() == 1
        assert product.images.count() == 1
        (record,) = product.stockrecords.all()
        assert record.partner.seller.status == SellerStatus.VERIFIED
        assert record.price == record.price.to_integral_value() and record.price >= Decimal("12000")
        assert record.partner_sku
    food = products.filter(categories__name="Keripik") | products.filter(categories__name="Sambal")
    assert all(p.pirt_number or p.bpom_number for p in food)
    assert len({product.title for product in products}) == 30
    # Every verified pesantren has something to sell.
    assert set(StockRecord.objects.values_list("partner__seller", flat=True)) == set(
        Seller.objects.verified().values_list("pk", flat=True)
    )


def test_seed_demo_twice_creates_nothing_new(jawa_barat):
    # given
    _seed("--quick")
    before = _counts()

    # when
    output = _seed("--quick")

    # then
    assert _counts() == before
    assert "nothing to create" in output
    assert before["programme events"] == 3 and before["meetings"] >= 2 and before["showcase items"] >= 1


def test_quick_seed_gives_the_mentor_a_visit_with_an_action_item_and_a_photo(jawa_barat, settings, tmp_path):
    settings.MARKETPLACE_PRIVATE_MEDIA_ROOT = tmp_path
    _seed("--quick")

    visits = MentorVisit.objects.filter(assignment__mentor__email=f"mentor@{DOMAIN}", assignment__ended_at=None)

    assert visits.count() == 3
    assert visits.filter(assignment__pesantren__seller__owner__email=f"pesantren1@{DOMAIN}").exists()
    for visit in visits:
        assert visit.action_items.exists()
        photo = visit.photos.get()
        assert photo.content_type == "image/jpeg" and photo.image.size == photo.size
    assert AccessEvent.objects.filter(action="mentor_assigned", user__email=f"mentor@{DOMAIN}").count() == 3


def test_default_seed_meets_the_demo_numbers_and_extends_the_quick_world(jawa_barat):
    # given
    _seed("--quick")
    quick_nspps = set(Seller.objects.values_list("nspp", flat=True))
    quick_upcs = set(Product.objects.values_list("upc", flat=True))

    # when
    _seed()

    # then
    verified = Seller.objects.verified()
    assert verified.count() >= 40
    assert verified.values("kabupaten").distinct().count() >= 15
    assert Product.objects.filter(is_public=True).count() >= 300
    assert StockRecord.objects.count() == Product.objects.count()
    assert StockRecord.objects.filter(num_in_stock=0).exists()
    assert Seller.objects.filter(status=SellerStatus.APPLIED).exists()
    assert Seller.objects.filter(status=SellerStatus.CHANGES_REQUESTED).exists()
    # The full world keeps what the quick run made: same natural keys, nothing duplicated.
    assert quick_nspps < set(Seller.objects.values_list("nspp", flat=True))
    assert quick_upcs < set(Product.objects.values_list("upc", flat=True))
    assert Product.objects.values("title").distinct().count() == Product.objects.count()


def test_quick_seed_creates_business_buyers_with_their_logins(jawa_barat):
    # when
    output = _seed("--quick")

    # then the caterer is verified with invoice terms, an approver and a buyer under its threshold
    katering = Company.objects.get(legal_name="PT Katering Barokah Nusantara")
    katering.full_clean()
    assert katering.status == CompanyStatus.VERIFIED and len(katering.npwp) == 15
    assert "Bandung" in katering.address
    assert (katering.credit_limit, katering.payment_terms_days, katering.approval_threshold) == (
        50_000_000,
        30,
        5_000_000,
    )
    roles = dict(katering.memberships.values_list("user__email", "role"))
    assert roles == {f"katering@{DOMAIN}": MembershipRole.APPROVER, f"katering.pembeli@{DOMAIN}": MembershipRole.BUYER}
    retailer = Company.objects.get(legal_name="CV Oleh-Oleh Priangan")
    assert retailer.status == CompanyStatus.VERIFIED and retailer.credit_limit == 0
    assert Company.objects.filter(status=CompanyStatus.APPLIED).count() == 1

    for local_part in ("katering", "katering.pembeli", "oleholeh", "sarirasa", "keuangan"):
        email = f"{local_part}@{DOMAIN}"
        assert authenticate(username=email, password="pesantren123") is not None, email
        assert email in output
    assert User.objects.get(email=f"program@{DOMAIN}").has_perm("companies.verify_company")
    finance = User.objects.get(email=f"keuangan@{DOMAIN}")
    assert finance.is_staff and not finance.is_superuser
    assert finance.has_perm("invoices.manage_invoices") and finance.has_perm("bank_transfers.review_transfer")


def test_quick_seed_gives_pesantren_tax_details_and_wholesale_prices(jawa_barat):
    _seed("--quick")

    with_npwp = Seller.objects.verified().exclude(npwp="")
    assert with_npwp.count() == 6  # the first eight pesantren; the quick world has six
    assert with_npwp.filter(is_vat_registered=True).count() == 3
    for seller in with_npwp:
        seller.full_clean()

    tiered = StockRecord.objects.filter(price_tiers__isnull=False).distinct()
    assert tiered.count() == 12  # two per pesantren
    assert tiered.values("partner").distinct().count() == 6
    for record in tiered:
        tiers = list(record.price_tiers.values_list("min_quantity", "unit_price"))
        assert [quantity for quantity, _price in tiers] == [10, 50]
        (_ten, ten_price), (_fifty, fifty_price) = tiers
        assert fifty_price <= ten_price < record.price
        assert ten_price % 100 == 0 and fifty_price % 100 == 0
        assert record.wholesale_terms.moq in (5, 10)
    assert WholesaleTerms.objects.count() == 12


def test_quick_seed_places_the_caterers_orders_invoices_and_purchase_request(jawa_barat):
    _seed("--quick")

    katering = Company.objects.get(legal_name="PT Katering Barokah Nusantara")
    company_orders = CompanyOrder.objects.filter(company=katering).select_related("order__invoice")
    assert {(co.po_number, co.payment_method) for co in company_orders} == {
        ("KBN/PO/0042", PurchasePaymentMethod.INVOICE),
        ("KBN/PO/0107", PurchasePaymentMethod.INVOICE),
    }
    invoices = {co.po_number: co.order.invoice for co in company_orders}
    overdue, current = invoices["KBN/PO/0042"], invoices["KBN/PO/0107"]
    assert overdue.status == current.status == InvoiceStatus.OPEN
    assert overdue.is_overdue and not current.is_overdue
    assert overdue.number.startswith(f"INV/{overdue.issue_date:%Y/%m}/")
    assert overdue.events.filter(kind=InvoiceEventKind.REMINDER).exists()
    # Sold by a VAT-registered pesantren and by one that is not: one section with PPN, one without.
    assert sorted(current.sections.values_list("is_vat_registered", flat=True)) == [False, True]
    assert katering.credit_limit > overdue.total + current.total

    request = PurchaseRequest.objects.get(company=katering)
    assert request.status == PurchaseRequestStatus.PENDING
    assert request.requested_by.email == f"katering.pembeli@{DOMAIN}"
    assert request.estimated_total > katering.approval_threshold
    assert request.order is None


def test_quick_seed_leaves_an_open_request_for_quotation_with_two_quotes(jawa_barat):
    _seed("--quick")

    rfq = RequestForQuotation.objects.get(company__legal_name="PT Katering Barokah Nusantara")
    assert rfq.status == RfqStatus.OPEN and rfq.is_accepting_quotes
    quotes = list(rfq.quotes.all())
    assert len(quotes) == 2
    assert {quote.status for quote in quotes} == {QuoteStatus.SUBMITTED}
    assert len({quote.seller_id for quote in quotes}) == 2
    assert all(quote.valid_until >= rfq.quotes_due for quote in quotes)
    invited = set(rfq.invitations.values_list("seller__owner__email", flat=True))
    assert f"pesantren2@{DOMAIN}" in invited
    assert set(rfq.messages.values_list("side", flat=True)) == {MessageSide.COMPANY, MessageSide.PESANTREN}


def test_quick_seed_curates_products_and_leaves_one_in_the_queue(jawa_barat):
    output = _seed("--quick")

    curator = User.objects.get(email=f"kurator@{DOMAIN}")
    assert authenticate(username=curator.email, password="pesantren123") is not None
    assert curator.email in output
    assert curator.programme_roles.filter(kind="curator").exists()
    rubric = Rubric.objects.get()
    assert sum(rubric.criteria.values_list("max_points", flat=True)) == 100
    finalised = Curation.objects.filter(status=CurationStatus.FINALISED).select_related("product", "seller__owner")
    assert sorted(c.stars for c in finalised) == [3, 4, 4, 5]
    assert {c.seller.owner.email for c in finalised} == {f"pesantren1@{DOMAIN}", f"pesantren2@{DOMAIN}"}
    for curation in finalised:
        assert curation.product.current_curation_stars == curation.stars
        assert curation.scores.count() == rubric.criteria.count()
    queued = Curation.objects.get(status=CurationStatus.QUEUED)
    assert queued.curator is None and queued.seller.owner.email == f"pesantren2@{DOMAIN}"
