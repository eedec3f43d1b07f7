"""The business-buyer (off-taker) part of the demo world.

Pesantren tax details, wholesale prices, three companies (a caterer on invoice terms, a retailer,
one waiting for verification), the caterer's orders with their invoices (one overdue), a purchase
waiting for approval and an open request for quotation with two quotes and a message thread.

Everything goes through the services the site itself uses, so the demo shows what real use
produces, and each part is found again by a natural key (NSPP, UPC, NPWP, PO number, request
title): a second run writes nothing, and a part the demo user changed since is left alone.
"""

import datetime
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Exists, OuterRef, Q
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model
from stdnum import luhn

from companies.models import Company, MembershipRole
from companies.services import (
    company_member_add,
    company_register,
    company_set_approval_threshold,
    company_set_credit_terms,
    company_verify,
)
from core.identifiers import compact_npwp
from core.money import round_rupiah
from fulfilment.models import SellerOrder
from fulfilment.services import seller_order_accept, seller_order_deliver, seller_order_pack, seller_order_ship
from invoices.models import Invoice, InvoiceCounter
from invoices.services import _next_number
from invoices.tasks import send_invoice_reminder
from marketplace.demo import data
from marketplace.demo.services import DemoSeedError, DemoUser, PesantrenPlan, SeedResult, _email, _ensure_user
from purchasing.models import CompanyOrder, PurchasePaymentMethod, PurchaseRequest
from purchasing.ordering import PurchaseItem, submit_purchase
from quotes.models import RequestForQuotation, RfqAudience, RfqKind
from quotes.selectors import sellers_for_audience
from quotes.services import message_post, quote_submit, rfq_create
from regions.models import Region, RegionLevel
from sellers.models import Seller
from shipping.services import indonesia
from wholesale.models import PriceTier, WholesaleTerms
from wholesale.services import price_tiers_set, wholesale_moq_set

StockRecord = get_model("partner", "StockRecord")
ShippingAddress = get_model("order", "ShippingAddress")
Order = get_model("order", "Order")

# Pesantren 1 to 8 have an NPWP; every other one of them is VAT-registered (PKP).
PESANTREN_WITH_NPWP = 8
# Volume prices and an MOQ on the best-stocked products: two per pesantren, 60 in all.
WHOLESALE_PRODUCTS = 60
WHOLESALE_PER_PESANTREN = 2
WHOLESALE_MIN_STOCK = 40
TIER_DISCOUNTS = ((10, Decimal("0.08")), (50, Decimal("0.15")))

KATERING_APPROVER = DemoUser(
    gettext_lazy("caterer approver (orders on invoice, approvals, quotes)"),
    _email("katering"),
    "Neneng",
    "Rohayati",
)
KATERING_BUYER = DemoUser(
    gettext_lazy("caterer buyer (orders over Rp 5 million need approval)"),
    _email("katering.pembeli"),
    "Asep",
    "Sunandar",
)
OLEH_OLEH_APPROVER = DemoUser(
    gettext_lazy("retailer approver (wholesale prices, card or transfer)"), _email("oleholeh"), "Dadang", "Hermawan"
)
APPLICANT = DemoUser(
    gettext_lazy("company applicant (waiting for verification)"), _email("sarirasa"), "Rudi", "Hartono"
)
BUSINESS_USERS = [KATERING_APPROVER, KATERING_BUYER, OLEH_OLEH_APPROVER, APPLICANT]


@contextmanager
def _fictional_mail() -> Iterator[None]:
    """The companies and pesantren are invented: their notification e-mails (sent by eager tasks when each
    step commits) go nowhere instead of filling the console. Their once-only keys are still recorded."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


# --- Pesantren: tax details and wholesale prices -----------------------------------------------------


def _pesantren_npwp(nspp: str) -> str:
    """A made-up 15-digit NPWP derived from the NSPP: type, serial, check digit, tax office, branch."""
    serial = nspp[-6:]
    return f"02{serial}{luhn.calc_check_digit('02' + serial)}4{nspp[6:8]}000"


def _set_tax_details(plans: list[PesantrenPlan], *, result: SeedResult) -> None:
    for index, plan in enumerate(plans[:PESANTREN_WITH_NPWP]):
        # Only a pesantren without an NPWP: one entered on the dashboard since is kept.
        result.npwp_created += Seller.objects.filter(nspp=plan.nspp, npwp="").update(
            npwp=_pesantren_npwp(plan.nspp), is_vat_registered=index % 2 == 0
        )


def _wholesale_upcs(plans: list[PesantrenPlan]) -> list[str]:
    upcs = []
    for plan in plans:
        stocked = sorted(
            (product for product in plan.products if product.num_in_stock >= WHOLESALE_MIN_STOCK),
            key=lambda product: (-product.num_in_stock, product.upc),
        )
        upcs.extend(product.upc for product in stocked[:WHOLESALE_PER_PESANTREN])
    return upcs[:WHOLESALE_PRODUCTS]


def tier_price(price: Decimal, discount: Decimal) -> int:
    """The retail price less `discount`, rounded to Rp 100, never above the retail price."""
    rounded = int(round_rupiah(price * (1 - discount), step=100))
    return max(100, min(rounded, int(price)))


def _set_wholesale_prices(plans: list[PesantrenPlan], *, result: SeedResult, progress) -> None:
    # A product whose pesantren set its own tiers or MOQ since is left as it is.
    records = list(
        StockRecord.objects.filter(product__upc__in=_wholesale_upcs(plans))
        .exclude(Exists(PriceTier.objects.filter(stockrecord=OuterRef("pk"))))
        .exclude(Exists(WholesaleTerms.objects.filter(stockrecord=OuterRef("pk"))))
        .order_by("pk")
    )
    if not records:
        return
    bar = progress(_("Wholesale prices"), len(records))
    with transaction.atomic():
        for record in records:
            price_tiers_set(
                stockrecord=record,
                tiers=[(quantity, tier_price(record.price, discount)) for quantity, discount in TIER_DISCOUNTS],
            )
            wholesale_moq_set(stockrecord=record, moq=10 if record.price < 30000 else 5)
            result.wholesale_created += 1
            bar.update()
    bar.close()


# --- Companies ----------------------------------------------------------------------------------------


def _company(spec: dict) -> Company | None:
    # By legal name too: databases seeded before the NPWPs got valid check digits hold the old numbers.
    return Company.objects.filter(Q(npwp=compact_npwp(spec["npwp"])) | Q(legal_name=spec["legal_name"])).first()


def _create_companies(*, users: dict, officer, result: SeedResult) -> Company:
    """The caterer (verified, invoice terms, a buyer under an approval threshold), the retailer (verified,
    no invoice credit) and an applicant for the staff queue. Returns the caterer."""
    approver, buyer = users[KATERING_APPROVER.email], users[KATERING_BUYER.email]
    katering = _company(data.KATERING_COMPANY)
    if katering is None:
        with transaction.atomic():
            katering = company_register(user=approver, data=data.KATERING_COMPANY)
            katering = company_verify(company=katering, verified_by=officer)
            katering = company_set_credit_terms(
                company=katering,
                credit_limit=data.KATERING_CREDIT_LIMIT,
                payment_terms_days=data.KATERING_PAYMENT_TERMS_DAYS,
                set_by=officer,
            )
            katering = company_set_approval_threshold(
                company=katering, threshold=data.KATERING_APPROVAL_THRESHOLD, set_by=approver
            )
            company_member_add(company=katering, email=buyer.email, role=MembershipRole.BUYER, added_by=approver)
        result.companies_created += 1
    if _company(data.OLEH_OLEH_COMPANY) is None:
        with transaction.atomic():
            oleh_oleh = company_register(user=users[OLEH_OLEH_APPROVER.email], data=data.OLEH_OLEH_COMPANY)
            company_verify(company=oleh_oleh, verified_by=officer)
        result.companies_created += 1
    if _company(data.APPLIED_COMPANY) is None:
        company_register(user=users[APPLICANT.email], data=data.APPLIED_COMPANY)
        result.companies_created += 1
    return katering


# --- The caterer's purchases --------------------------------------------------------------------------


def _kitchen_address(user):
    """The caterer's kitchen in Buahbatu, Kota Bandung, as the business checkout would save it."""
    province = Region.objects.get(code=settings.MARKETPLACE_PROGRAMME_PROVINCE_CODE)
    regencies = Region.objects.filter(parent=province, level=RegionLevel.REGENCY).order_by("code")
    kabupaten = regencies.filter(name=data.KATERING_KABUPATEN).first() or regencies.first()
    districts = Region.objects.filter(parent=kabupaten, level=RegionLevel.DISTRICT).order_by("code")
    kecamatan = districts.filter(name=data.KATERING_KECAMATAN).first() or districts.first()
    villages = Region.objects.filter(parent=kecamatan, level=RegionLevel.VILLAGE, postal_code__gt="")
    desa = villages.filter(name=data.KATERING_DESA).first() or villages.order_by("code").first()
    return ShippingAddress(
        first_name=user.first_name,
        last_name=user.last_name,
        line1=data.KATERING_STREET,
        line4=kabupaten.name,
        state=province.name,
        postcode=desa.postal_code,
        country=indonesia(),
        phone_number="+6281322004590",
        kabupaten=kabupaten,
        kecamatan=kecamatan,
        desa=desa,
    )


def _supplier_items(
    suppliers: list[Seller], quantity_for: Callable[[object], int], *, avoid: set[int]
) -> list[PurchaseItem]:
    """One product from each supplier, in the quantity `quantity_for(stockrecord)` gives: one with wholesale
    prices and enough stock, preferably one not in `avoid` (the products of the caterer's other orders)."""
    tiered = Exists(PriceTier.objects.filter(stockrecord=OuterRef("pk")))
    items = []
    for seller in suppliers:
        records = (
            StockRecord.objects.filter(partner_id=seller.partner_id, product__is_public=True)
            .annotate(tiered=tiered)
            .select_related("product", "partner__seller")
            .order_by("-tiered", "-num_in_stock", "pk")
        )
        stocked = [record for record in records if (record.net_stock_level or 0) >= quantity_for(record)]
        if not stocked:
            raise DemoSeedError(f"{seller.name} has too little stock for the demo purchases.")
        record = next((record for record in stocked if record.pk not in avoid), stocked[0])
        avoid.add(record.pk)
        items.append(PurchaseItem(stockrecord=record, quantity=quantity_for(record)))
    return items


def _purchase(*, company, user, items, po_number: str):
    return submit_purchase(
        company=company,
        user=user,
        items=items,
        shipping_address=_kitchen_address(user),
        payment_method=PurchasePaymentMethod.INVOICE,
        po_number=po_number,
    )


def _deliver(order) -> None:
    for seller_order in SellerOrder.objects.filter(order=order).select_related("seller__owner").order_by("pk"):
        staff = seller_order.seller.owner
        seller_order_accept(seller_order=seller_order, actor=staff)
        seller_order_pack(seller_order=seller_order, actor=staff)
        seller_order_ship(
            seller_order=seller_order, actor=staff, courier="JNE", tracking_number=f"JNE-DEMO-{seller_order.pk:06d}"
        )
        seller_order_deliver(seller_order=seller_order, actor=staff)


def _renumber(number: str, *, issued: datetime.date) -> str:
    """A number of the back-dated month for a just-issued invoice; its number this month is given back
    (it was the last one issued), so neither month's sequence has a gap."""
    counter = InvoiceCounter.objects.select_for_update().get(period=f"{timezone.localdate():%Y/%m}")
    if number == f"INV/{counter.period}/{counter.last_number:05d}":
        counter.last_number -= 1
        counter.save(update_fields=["last_number"])
    return _next_number(issued)


def _create_overdue_order(*, company, approver, suppliers, avoid: set[int]) -> None:
    with transaction.atomic():
        result = _purchase(
            company=company,
            user=approver,
            items=_supplier_items(suppliers, lambda record: 10, avoid=avoid),
            po_number=data.OVERDUE_ORDER_PO,
        )
        _deliver(result.order)
        # Demo back-dating: the order and its invoice are shown as placed and issued weeks ago on net-30
        # terms, so the invoice is overdue and the overdue badge and reminders have something to show.
        today = timezone.localdate()
        issued = today - datetime.timedelta(days=data.OVERDUE_INVOICE_AGE_DAYS)
        invoice = Invoice.objects.get(order=result.order)
        Invoice.objects.filter(pk=invoice.pk).update(
            number=_renumber(invoice.number, issued=issued),
            issue_date=issued,
            due_date=issued + datetime.timedelta(days=invoice.payment_terms_days),
        )
        Order.objects.filter(pk=result.order.pk).update(
            date_placed=timezone.now() - datetime.timedelta(days=data.OVERDUE_INVOICE_AGE_DAYS)
        )
    # What the daily reminder task would have sent by now.
    send_invoice_reminder(invoice_id=invoice.pk, today=today)


def _create_purchase_request(*, company, buyer, suppliers) -> None:
    # Over the approval threshold even at the deepest tier discount.
    share = Decimal(data.KATERING_APPROVAL_THRESHOLD) * Decimal("1.3") / len(suppliers)
    with transaction.atomic():
        result = _purchase(
            company=company,
            user=buyer,
            items=_supplier_items(suppliers, lambda record: max(10, math.ceil(share / record.price)), avoid=set()),
            po_number=data.PURCHASE_REQUEST_PO,
        )
        if not result.needs_approval:
            raise DemoSeedError("The demo purchase request did not go over the approval threshold.")


def _create_orders(*, company, users: dict, suppliers: list[Seller], result: SeedResult, progress) -> None:
    placed = set(CompanyOrder.objects.filter(company=company).values_list("po_number", flat=True))
    requested = set(PurchaseRequest.objects.filter(company=company).values_list("po_number", flat=True))
    todo = [
        po
        for po in (data.OVERDUE_ORDER_PO, data.INVOICE_ORDER_PO, data.PURCHASE_REQUEST_PO)
        if po not in placed and po not in requested
    ]
    if not todo:
        return
    approver, buyer = users[KATERING_APPROVER.email], users[KATERING_BUYER.email]
    avoid = set(CompanyOrder.objects.filter(company=company).values_list("order__lines__stockrecord", flat=True))
    bar = progress(_("Company orders"), len(todo))
    if data.OVERDUE_ORDER_PO in todo:
        _create_overdue_order(company=company, approver=approver, suppliers=suppliers, avoid=avoid)
        result.business_created += 1
        bar.update()
    if data.INVOICE_ORDER_PO in todo:
        # By the approver: no approval needed, so it is placed at once and invoiced.
        with transaction.atomic():
            _purchase(
                company=company,
                user=approver,
                items=_supplier_items(suppliers, lambda record: 20, avoid=avoid),
                po_number=data.INVOICE_ORDER_PO,
            )
        result.business_created += 1
        bar.update()
    if data.PURCHASE_REQUEST_PO in todo:
        _create_purchase_request(company=company, buyer=buyer, suppliers=suppliers)
        result.business_created += 1
        bar.update()
    bar.close()


# --- The caterer's request for quotation --------------------------------------------------------------


def _rfq_category(categories: dict, *, first_quoter: Seller):
    """The category to ask: the preferred one if two pesantren sell in it, else the first that two pesantren
    sell in (one of them the demo pesantren, if possible). Returns (category, invited pesantren)."""
    paths = [data.RFQ_PREFERRED_CATEGORY, *sorted(categories)]
    fallback = None
    for path in paths:
        category = categories.get(path)
        if category is None:
            continue
        sellers = list(sellers_for_audience(audience=RfqAudience.CATEGORY, category=category))
        if len(sellers) < 2:
            continue
        if first_quoter in sellers:
            return category, sellers
        fallback = fallback or (category, sellers)
    if fallback is None:
        raise DemoSeedError("No category has two verified pesantren for the demo request for quotation.")
    return fallback


def _create_rfq(*, company, approver, categories: dict, first_quoter: Seller, kabupaten, result: SeedResult) -> None:
    # Found by its title, whichever category an earlier run asked.
    titles = {data.RFQ_TITLE.format(category=category.name.lower()) for category in categories.values()}
    if RequestForQuotation.objects.filter(company=company, title__in=titles).exists():
        return
    category, sellers = _rfq_category(categories, first_quoter=first_quoter)
    name = category.name.lower()
    in_category = StockRecord.objects.filter(product__categories=category)
    averages = in_category.aggregate(price=Avg("price"), weight=Avg("product__weight_grams"))
    average_price = Decimal(averages["price"])
    first_product = in_category.select_related("product").order_by("pk").first().product
    today = timezone.localdate()
    quoters = sorted(sellers, key=lambda seller: (seller.pk != first_quoter.pk, seller.nspp))[:2]
    with transaction.atomic():
        rfq = rfq_create(
            company=company,
            user=approver,
            data={
                "title": data.RFQ_TITLE.format(category=name),
                "kind": RfqKind.CONTRACT,
                "category": category,
                "quantity": data.RFQ_QUANTITY,
                "unit": first_product.unit,
                "specification": data.RFQ_SPECIFICATION.format(category=name),
                "target_unit_price": tier_price(average_price, Decimal("0.2")),
                "delivery_date": today + datetime.timedelta(days=30),
                "delivery_kabupaten": kabupaten,
                "audience": RfqAudience.CATEGORY,
                "quotes_due": today + datetime.timedelta(days=14),
            },
        )
        for seller, (share, lead_time_days, note) in zip(quoters, data.RFQ_QUOTES, strict=True):
            quote_submit(
                rfq=rfq,
                seller=seller,
                user=seller.owner,
                unit_price=tier_price(average_price, 1 - Decimal(str(share))),
                lead_time_days=lead_time_days,
                valid_until=today + datetime.timedelta(days=21),
                note=note,
                unit_weight_grams=round(averages["weight"] or 1000),
            )
        for side, body in data.RFQ_MESSAGES:
            author = approver if side == "company" else quoters[0].owner
            message_post(rfq=rfq, seller=quoters[0], user=author, body=body)
    result.business_created += 1


# --- Entry point --------------------------------------------------------------------------------------


def seed_business(
    *, verified: list[PesantrenPlan], officer, categories: dict, password_hash: str, result: SeedResult, progress
) -> None:
    """Add whatever part of the business-buyer demo is missing. Needs the verified pesantren and their products."""
    users = {}
    with transaction.atomic():
        for user in BUSINESS_USERS:
            users[user.email], created = _ensure_user(user, password_hash=password_hash)
            result.users_created += created
            result.logins.append((str(user.role), user.email))
    with _fictional_mail():
        with transaction.atomic():
            _set_tax_details(verified, result=result)
        _set_wholesale_prices(verified, result=result, progress=progress)
        katering = _create_companies(users=users, officer=officer, result=result)
        if len(verified) < 2:
            return
        suppliers = list(
            Seller.objects.filter(nspp__in=[verified[0].nspp, verified[1].nspp])
            .select_related("partner", "owner")
            .order_by("nspp")
        )
        suppliers.sort(key=lambda seller: seller.nspp != verified[0].nspp)
        _create_orders(company=katering, users=users, suppliers=suppliers, result=result, progress=progress)
        address = _kitchen_address(users[KATERING_APPROVER.email])
        _create_rfq(
            company=katering,
            approver=users[KATERING_APPROVER.email],
            categories=categories,
            first_quoter=suppliers[1],
            kabupaten=address.kabupaten,
            result=result,
        )
