import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation
from oscar.core.loading import get_model

from companies.models import MembershipRole
from fulfilment.models import SellerOrder
from purchasing.models import CompanyOrder, PurchasePaymentMethod, PurchaseRequestStatus
from purchasing.ordering import purchase_request_approve, purchase_request_reject
from quotes.models import (
    Message,
    MessageSide,
    Quote,
    QuoteStatus,
    RfqAudience,
    RfqEvent,
    RfqEventKind,
    RfqKind,
    RfqStatus,
)
from quotes.services import message_post, quote_accept, quote_withdraw, rfq_cancel
from quotes.tests.helpers import in_days, make_company, make_quote, make_rfq, member_of
from sellers.models import SellerStatus
from sellers.team_models import TeamMembership, TeamRole
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, make_user

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
Line = get_model("order", "Line")


@pytest.fixture
def world():
    bandung = make_region_tree()
    kota = make_region_tree(kabupaten_code="32.73", kabupaten_name="Kota Bandung")
    alfa = make_seller(name="Pondok Alfa", regions=bandung)
    bravo = make_seller(name="Pondok Bravo", regions=bandung)
    charlie = make_seller(name="Pondok Charlie", regions=kota)
    applicant = make_seller(name="Pondok Pelamar", regions=bandung, status=SellerStatus.APPLIED)
    company = make_company()
    return {
        "bandung": bandung,
        "kota": kota,
        "alfa": alfa,
        "bravo": bravo,
        "charlie": charlie,
        "applicant": applicant,
        "company": company,
        "buyer": member_of(company),
    }


def invited(rfq) -> set[str]:
    return set(rfq.invitations.values_list("seller__name", flat=True))


def accept(quote, user, regions, method=PurchasePaymentMethod.BANK_TRANSFER, **kwargs):
    return quote_accept(
        quote=quote,
        user=user,
        shipping_address=make_shipping_address(regions=regions),
        payment_method=method,
        **kwargs,
    )


# Asking


def test_rfq_to_one_pesantren_invites_only_that_pesantren(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"])

    assert invited(rfq) == {"Pondok Alfa"}
    assert rfq.status == RfqStatus.OPEN
    assert RfqEvent.objects.filter(rfq=rfq, kind=RfqEventKind.CREATED).count() == 1


def test_rfq_to_a_kabupaten_invites_its_verified_pesantren_only(world):
    rfq = make_rfq(company=world["company"], audience=RfqAudience.REGION, region=world["bandung"]["kabupaten"])

    # Charlie is elsewhere and the applicant is not verified.
    assert invited(rfq) == {"Pondok Alfa", "Pondok Bravo"}
    assert rfq.seller is None


def test_rfq_to_a_category_invites_pesantren_selling_in_it_or_below(world):
    food = Category.add_root(name="Makanan")
    snacks = food.add_child(name="Keripik")
    drinks = Category.add_root(name="Minuman")
    make_seller_product(world["alfa"]).categories.add(snacks)
    make_seller_product(world["charlie"]).categories.add(food)
    make_seller_product(world["bravo"]).categories.add(drinks)
    hidden = make_seller_product(world["bravo"], is_public=False)
    hidden.categories.add(snacks)

    rfq = make_rfq(company=world["company"], audience=RfqAudience.CATEGORY, category=food)

    assert invited(rfq) == {"Pondok Alfa", "Pondok Charlie"}
    snacks_rfq = make_rfq(company=world["company"], audience=RfqAudience.CATEGORY, category=snacks)
    assert invited(snacks_rfq) == {"Pondok Alfa"}


def test_an_audience_without_verified_pesantren_is_refused_and_nothing_is_saved(world):
    empty = make_region_tree(kabupaten_code="32.01", kabupaten_name="Kabupaten Bogor")
    category = Category.add_root(name="Kerajinan")

    with pytest.raises(ValidationError) as region_error:
        make_rfq(company=world["company"], audience=RfqAudience.REGION, region=empty["kabupaten"])
    with pytest.raises(ValidationError) as category_error:
        make_rfq(company=world["company"], audience=RfqAudience.CATEGORY, category=category)
    with pytest.raises(ValidationError) as seller_error:
        make_rfq(company=world["company"], seller=world["applicant"])

    assert "No verified pesantren is in Kabupaten Bogor yet" in region_error.value.message_dict["region"][0]
    assert "No verified pesantren sells in Kerajinan yet" in category_error.value.message_dict["category"][0]
    assert "seller" in seller_error.value.message_dict
    assert not world["company"].rfqs.exists()


def test_only_members_of_a_verified_company_may_ask(world):
    applied = make_company(status="applied")

    with pytest.raises(PermissionDenied):
        make_rfq(company=world["company"], user=make_user(), seller=world["alfa"])
    with pytest.raises(ValidationError, match="verified"):
        make_rfq(company=applied, seller=world["alfa"])


def test_the_delivery_date_must_be_in_the_future_and_after_the_quotes(world):
    with pytest.raises(ValidationError) as error:
        make_rfq(company=world["company"], seller=world["alfa"], delivery_date=in_days(0), quotes_due=in_days(-1))

    assert set(error.value.message_dict) == {"delivery_date", "quotes_due"}
    with pytest.raises(ValidationError) as late:
        make_rfq(company=world["company"], seller=world["alfa"], delivery_date=in_days(5), quotes_due=in_days(6))
    assert "quotes_due" in late.value.message_dict


# Quoting


def test_only_an_invited_pesantren_s_staff_may_quote(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"])
    alfa_staff = make_user()
    TeamMembership.objects.create(seller=world["alfa"], user=alfa_staff, role=TeamRole.STAFF)
    world["alfa"].partner.users.add(alfa_staff)

    with pytest.raises(PermissionDenied):
        make_quote(rfq=rfq, seller=world["bravo"])  # not invited
    with pytest.raises(PermissionDenied):
        make_quote(rfq=rfq, seller=world["alfa"], user=world["bravo"].owner)  # someone else's staff
    with pytest.raises(PermissionDenied):
        make_quote(rfq=rfq, seller=world["alfa"], user=world["buyer"])
    quote = make_quote(rfq=rfq, seller=world["alfa"], user=alfa_staff)

    assert (quote.status, quote.quantity, quote.version) == (QuoteStatus.SUBMITTED, 10, 1)
    assert list(Quote.objects.values_list("seller__name", flat=True)) == ["Pondok Alfa"]


def test_a_quote_needs_a_positive_price_and_a_validity_from_today(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"])

    with pytest.raises(ValidationError) as error:
        make_quote(rfq=rfq, seller=world["alfa"], unit_price=0, valid_until=in_days(-1))

    assert set(error.value.message_dict) == {"unit_price", "valid_until"}
    assert not Quote.objects.exists()


def test_a_quote_from_stock_must_be_the_pesantren_s_own_product_in_stock(world):
    rfq = make_rfq(company=world["company"], audience=RfqAudience.REGION, region=world["bandung"]["kabupaten"])
    bravo_record = make_seller_product(world["bravo"], stock=100).stockrecords.get()
    small = make_seller_product(world["alfa"], stock=3).stockrecords.get()

    with pytest.raises(ValidationError, match="your own catalogue products"):
        make_quote(rfq=rfq, seller=world["alfa"], stockrecord=bravo_record)
    with pytest.raises(ValidationError, match="Only 3 in stock"):
        make_quote(rfq=rfq, seller=world["alfa"], stockrecord=small)


def test_no_quotes_after_the_due_date_or_once_cancelled(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"])
    type(rfq).objects.filter(pk=rfq.pk).update(quotes_due=in_days(-1))

    with pytest.raises(ValidationError, match="no longer accepts quotes"):
        make_quote(rfq=rfq, seller=world["alfa"])

    other = make_rfq(company=world["company"], seller=world["alfa"])
    rfq_cancel(rfq=other, user=world["buyer"])
    with pytest.raises(ValidationError, match="no longer accepts quotes"):
        make_quote(rfq=other, seller=world["alfa"])


def test_revising_supersedes_the_previous_version_and_keeps_one_live_quote(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"])
    first = make_quote(rfq=rfq, seller=world["alfa"], unit_price=23000)

    second = make_quote(rfq=rfq, seller=world["alfa"], unit_price=21500)

    first.refresh_from_db()
    assert (first.status, second.status, second.version) == (QuoteStatus.SUPERSEDED, QuoteStatus.SUBMITTED, 2)
    assert list(RfqEvent.objects.filter(rfq=rfq).values_list("kind", flat=True)) == [
        RfqEventKind.CREATED,
        RfqEventKind.QUOTE_SUBMITTED,
        RfqEventKind.QUOTE_SUPERSEDED,  # the first version's own status change
        RfqEventKind.QUOTE_REVISED,
    ]
    # The company cannot accept the old price it may still have on screen.
    with pytest.raises(ValidationError, match="revised this quote"):
        accept(first, world["buyer"], world["bandung"])


def test_withdrawing_a_quote(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"])
    quote = make_quote(rfq=rfq, seller=world["alfa"])

    with pytest.raises(PermissionDenied):
        quote_withdraw(quote=quote, user=world["bravo"].owner)
    quote = quote_withdraw(quote=quote, user=world["alfa"].owner)

    assert quote.status == QuoteStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="withdrawn"):
        accept(quote, world["buyer"], world["bandung"])


# Accepting


def test_accepting_a_quote_orders_at_the_quoted_price_and_closes_the_others(world):
    # given a request to a kabupaten, and quotes from both of its pesantren
    product = make_seller_product(world["alfa"], price="25000", stock=50)
    record = product.stockrecords.get()
    rfq = make_rfq(company=world["company"], audience=RfqAudience.REGION, region=world["bandung"]["kabupaten"])
    chosen = make_quote(rfq=rfq, seller=world["alfa"], unit_price=21000, stockrecord=record)
    other = make_quote(rfq=rfq, seller=world["bravo"], unit_price=20500)

    # when the company accepts Alfa's (not the cheapest: it ships from stock)
    acceptance = accept(chosen, world["buyer"], world["bandung"], po_number="PO-77")

    # then an order exists at the quoted price, not the catalogue price
    order = acceptance.order
    line = order.lines.get()
    assert (line.quantity, line.unit_price_incl_tax, line.line_price_incl_tax) == (
        10,
        Decimal("21000.00"),
        Decimal("210000.00"),
    )
    assert line.stockrecord_id == record.pk
    assert order.shipping_incl_tax > 0
    assert order.total_incl_tax == Decimal("210000.00") + order.shipping_incl_tax
    part = SellerOrder.objects.get(order=order)
    assert (part.seller_id, part.subtotal, part.shipping_charge) == (world["alfa"].pk, 210000, order.shipping_incl_tax)
    company_order = CompanyOrder.objects.get(order=order)
    assert (company_order.company_id, company_order.po_number, company_order.payment_method) == (
        world["company"].pk,
        "PO-77",
        PurchasePaymentMethod.BANK_TRANSFER,
    )
    record.refresh_from_db()
    assert record.num_allocated == 10
    # and the request is awarded, the other quote closed
    chosen.refresh_from_db()
    other.refresh_from_db()
    rfq.refresh_from_db()
    assert (chosen.status, chosen.order_id, chosen.accepted_by_id) == (
        QuoteStatus.ACCEPTED,
        order.pk,
        world["buyer"].pk,
    )
    assert other.status == QuoteStatus.CLOSED
    assert rfq.status == RfqStatus.AWARDED
    assert RfqEvent.objects.get(rfq=rfq, kind=RfqEventKind.QUOTE_ACCEPTED).note == str(order.number)


def test_goods_made_to_order_become_a_hidden_product_of_the_pesantren(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"], kind=RfqKind.PRIVATE_LABEL, quantity=200)
    quote = make_quote(rfq=rfq, seller=world["alfa"], unit_price=9500, unit_weight_grams=250)

    order = accept(quote, world["buyer"], world["bandung"]).order

    line = order.lines.select_related("product__product_class", "stockrecord").get()
    assert (line.quantity, line.unit_price_incl_tax) == (200, Decimal("9500.00"))
    assert line.partner_id == world["alfa"].partner_id
    assert not line.product.is_public
    assert line.product.weight_grams == 250
    assert line.product.product_class.track_stock
    assert (line.stockrecord.num_in_stock, line.stockrecord.num_allocated) == (200, 200)
    assert rfq.reference in line.product.title
    part = SellerOrder.objects.get(order=order)
    assert part.total_weight_grams == 200 * 250


def test_a_hidden_product_is_not_for_sale_without_the_quoted_price(world):
    from purchasing.ordering import PurchaseItem, submit_purchase

    rfq = make_rfq(company=world["company"], seller=world["alfa"], kind=RfqKind.CONTRACT, quantity=5)
    quote = make_quote(rfq=rfq, seller=world["alfa"])
    record = accept(quote, world["buyer"], world["bandung"]).order.lines.get().stockrecord
    record.num_in_stock += 5
    record.save()

    with pytest.raises(ValidationError, match="not for sale"):
        submit_purchase(
            company=world["company"],
            user=world["buyer"],
            items=[PurchaseItem(stockrecord=record, quantity=1)],
            shipping_address=make_shipping_address(regions=world["bandung"]),
            payment_method=PurchasePaymentMethod.BANK_TRANSFER,
        )


def test_a_second_accept_is_refused(world):
    rfq = make_rfq(company=world["company"], audience=RfqAudience.REGION, region=world["bandung"]["kabupaten"])
    first = make_quote(rfq=rfq, seller=world["alfa"])
    second = make_quote(rfq=rfq, seller=world["bravo"])
    accept(first, world["buyer"], world["bandung"])

    with pytest.raises(ValidationError, match="already been accepted"):
        accept(second, world["buyer"], world["bandung"])
    with pytest.raises(ValidationError, match="already been accepted"):
        accept(first, world["buyer"], world["bandung"])

    assert CompanyOrder.objects.filter(company=world["company"]).count() == 1


def test_only_the_company_s_members_may_accept(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"])
    quote = make_quote(rfq=rfq, seller=world["alfa"])
    rival = make_company()

    with pytest.raises(PermissionDenied):
        accept(quote, member_of(rival), world["bandung"])
    with pytest.raises(PermissionDenied):
        accept(quote, world["alfa"].owner, world["bandung"])
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SUBMITTED


def test_an_expired_quote_cannot_be_accepted(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"])
    quote = make_quote(rfq=rfq, seller=world["alfa"])
    Quote.objects.filter(pk=quote.pk).update(valid_until=in_days(-1))
    quote.refresh_from_db()

    # before the beat job ran, the date alone refuses it
    with pytest.raises(ValidationError, match="can no longer be accepted"):
        accept(quote, world["buyer"], world["bandung"])

    from quotes.services import quotes_expire

    assert quotes_expire() == 1
    quote.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        accept(quote, world["buyer"], world["bandung"])
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.OPEN
    assert not CompanyOrder.objects.exists()


def test_a_failed_order_changes_nothing(world):
    # The pesantren sold its stock elsewhere after quoting: placing the order fails, the quote stays open.
    record = make_seller_product(world["alfa"], stock=10).stockrecords.get()
    rfq = make_rfq(company=world["company"], seller=world["alfa"])
    quote = make_quote(rfq=rfq, seller=world["alfa"], stockrecord=record)
    record.num_in_stock = 4
    record.save()

    with pytest.raises(ValidationError):
        accept(quote, world["buyer"], world["bandung"])

    quote.refresh_from_db()
    rfq.refresh_from_db()
    assert (quote.status, rfq.status) == (QuoteStatus.SUBMITTED, RfqStatus.OPEN)


def test_invoice_payment_needs_credit(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"])
    quote = make_quote(rfq=rfq, seller=world["alfa"])

    with pytest.raises(ValidationError, match="no invoice credit"):
        accept(quote, world["buyer"], world["bandung"], method=PurchasePaymentMethod.INVOICE)


def test_accepting_on_invoice_confirms_the_order_within_credit(world):
    world["company"].credit_limit = 5_000_000
    world["company"].save()
    rfq = make_rfq(company=world["company"], seller=world["alfa"])
    quote = make_quote(rfq=rfq, seller=world["alfa"], unit_price=21000)

    order = accept(quote, world["buyer"], world["bandung"], method=PurchasePaymentMethod.INVOICE).order

    order.refresh_from_db()
    assert order.status == "Paid"
    assert order.lines.get().unit_price_incl_tax == Decimal("21000.00")
    assert order.invoice.company_id == world["company"].pk
    assert order.invoice.total == order.total_incl_tax


def test_a_buyer_over_the_threshold_waits_for_an_approver_and_may_accept_again_after_a_rejection(world):
    # given a buyer whose purchases above Rp 100.000 need an approver
    company = world["company"]
    company.approval_threshold = 100_000
    company.save()
    buyer = make_user()
    company.memberships.create(user=buyer, role=MembershipRole.BUYER)
    approver = member_of(company)
    rfq = make_rfq(company=company, user=buyer, seller=world["alfa"], kind=RfqKind.CONTRACT)
    quote = make_quote(rfq=rfq, seller=world["alfa"], unit_price=21000)

    # when the buyer accepts, the quote is accepted with a purchase request, and no order yet
    acceptance = accept(quote, buyer, world["bandung"])
    assert acceptance.needs_approval
    quote.refresh_from_db()
    rfq.refresh_from_db()
    assert (quote.status, quote.order_id, rfq.status) == (QuoteStatus.ACCEPTED, None, RfqStatus.AWARDED)
    line = acceptance.purchase_request.lines.get()
    assert (line.unit_price, line.is_price_fixed, line.quantity) == (Decimal("21000.00"), True, 10)

    # an approver rejects it; the award lapsed, so the same quote may be accepted again
    purchase_request_reject(purchase_request=acceptance.purchase_request, approver=approver, reason="Over budget")
    again = accept(quote, approver, world["bandung"])

    assert again.order is not None
    quote.refresh_from_db()
    assert quote.order_id == again.order.pk
    assert again.order.lines.get().unit_price_incl_tax == Decimal("21000.00")


def test_an_approved_purchase_request_keeps_the_quoted_price(world):
    company = world["company"]
    company.approval_threshold = 100_000
    company.save()
    buyer = make_user()
    company.memberships.create(user=buyer, role=MembershipRole.BUYER)
    rfq = make_rfq(company=company, user=buyer, seller=world["alfa"], kind=RfqKind.CONTRACT)
    quote = make_quote(rfq=rfq, seller=world["alfa"], unit_price=21000)
    acceptance = accept(quote, buyer, world["bandung"])

    order = purchase_request_approve(purchase_request=acceptance.purchase_request, approver=member_of(company))

    quote.refresh_from_db()
    assert quote.purchase_request.status == PurchaseRequestStatus.PLACED
    assert quote.resulting_order == order
    assert order.lines.get().unit_price_incl_tax == Decimal("21000.00")


def test_an_order_cancelled_unpaid_lets_the_company_accept_the_same_quote_again(world):
    from fulfilment.services import order_expire_unpaid

    rfq = make_rfq(company=world["company"], seller=world["alfa"], kind=RfqKind.CONTRACT, quantity=20)
    quote = make_quote(rfq=rfq, seller=world["alfa"], unit_price=9000)
    first = accept(quote, world["buyer"], world["bandung"], method=PurchasePaymentMethod.CARD).order
    assert order_expire_unpaid(order_id=first.pk)

    second = accept(quote, world["buyer"], world["bandung"], method=PurchasePaymentMethod.CARD).order

    # the same hidden product is ordered again, its stock released by the cancellation
    assert second.pk != first.pk
    assert second.lines.get().stockrecord_id == first.lines.get().stockrecord_id
    record = second.lines.get().stockrecord
    assert (record.num_in_stock, record.num_allocated) == (20, 20)
    quote.refresh_from_db()
    assert (quote.status, quote.order_id) == (QuoteStatus.ACCEPTED, second.pk)
    # while the new order stands, there is nothing to accept again
    with pytest.raises(ValidationError, match="already been accepted"):
        accept(quote, world["buyer"], world["bandung"])


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_accepts_of_one_request_make_one_order():
    # given two quotes and two members of the company clicking "Accept" at the same moment
    regions = make_region_tree()
    alfa, bravo = make_seller(regions=regions), make_seller(regions=regions)
    company = make_company()
    second_member = make_user()
    company.memberships.create(user=second_member, role=MembershipRole.APPROVER)
    rfq = make_rfq(company=company, audience=RfqAudience.REGION, region=regions["kabupaten"])
    quotes = [make_quote(rfq=rfq, seller=alfa), make_quote(rfq=rfq, seller=bravo)]
    users = [member_of(company), second_member]
    start = threading.Barrier(2)
    outcomes = []

    def click(quote, user):
        try:
            start.wait(timeout=30)
            with translation.override("en"):
                accept(quote, user, regions)
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        except Exception as error:  # a deadlock, say, must fail loudly
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=pair) for pair in zip(quotes, users, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then one wins, the other is told it is too late
    assert sorted(outcomes) == ["A quote for this request has already been accepted.", "accepted"]
    assert CompanyOrder.objects.count() == 1
    assert sorted(Quote.objects.values_list("status", flat=True)) == [QuoteStatus.ACCEPTED, QuoteStatus.CLOSED]


# Messages


def test_the_thread_is_between_the_company_and_the_invited_pesantren_only(world):
    rfq = make_rfq(company=world["company"], seller=world["alfa"])

    from_company = message_post(rfq=rfq, seller=world["alfa"], user=world["buyer"], body="Bisa 1.000 pak?")
    from_pesantren = message_post(rfq=rfq, seller=world["alfa"], user=world["alfa"].owner, body="Bisa, 3 minggu.")
    with pytest.raises(PermissionDenied):
        message_post(rfq=rfq, seller=world["alfa"], user=world["bravo"].owner, body="Kami lebih murah")
    with pytest.raises(PermissionDenied):
        message_post(rfq=rfq, seller=world["bravo"], user=world["bravo"].owner, body="Kami juga bisa")
    with pytest.raises(PermissionDenied):
        message_post(rfq=rfq, seller=world["alfa"], user=make_user(), body="Halo")
    with pytest.raises(ValidationError):
        message_post(rfq=rfq, seller=world["alfa"], user=world["buyer"], body="   ")

    assert (from_company.side, from_pesantren.side) == (MessageSide.COMPANY, MessageSide.PESANTREN)
    assert Message.objects.count() == 2


# Emails


def test_each_side_is_told_by_email(world, django_capture_on_commit_callbacks):
    world["alfa"].email = "alfa@example.com"
    world["alfa"].save()

    with django_capture_on_commit_callbacks(execute=True):
        rfq = make_rfq(company=world["company"], seller=world["alfa"])
    with django_capture_on_commit_callbacks(execute=True):
        quote = make_quote(rfq=rfq, seller=world["alfa"])
    with django_capture_on_commit_callbacks(execute=True):
        message_post(rfq=rfq, seller=world["alfa"], user=world["buyer"], body="Bisa kirim lebih cepat?")
    with django_capture_on_commit_callbacks(execute=True):
        order = accept(quote, world["buyer"], world["bandung"]).order

    # Subjects are rendered in Indonesian once translated: check who got what, by reference.
    by_recipient = {}
    for message in mail.outbox:
        for address in message.to:
            by_recipient.setdefault(address, []).append(message)
    to_pesantren = by_recipient["alfa@example.com"]
    to_company = by_recipient[world["buyer"].email]
    assert rfq.title in to_pesantren[0].subject and "/dashboard/penawaran/" in to_pesantren[0].body
    assert "Bisa kirim lebih cepat?" in to_pesantren[1].body
    assert str(order.number) in to_pesantren[2].body and rfq.reference in to_pesantren[2].subject
    assert len(to_pesantren) == 3
    assert len(to_company) == 1 and "Pondok Alfa" in to_company[0].subject
    assert "Rp 21.000" in to_company[0].body
    assert rfq.invitations.get().notified_at is not None
