"""Credit notes: a pesantren cancelling or refunding its part of an invoice order lowers what the company owes."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from fulfilment.models import SellerOrderEvent, SellerOrderStatus
from invoices.models import Invoice, InvoiceCredit, InvoiceEvent, InvoiceStatus
from invoices.pdf import render_invoice_pdf
from invoices.selectors import company_credit_used, invoice_with_details, reminder_candidates
from invoices.services import invoice_credit, invoice_record_payment
from invoices.tasks import send_overdue_reminders
from invoices.tests.conftest import PKP_NPWP, place_on_invoice
from invoices.tests.test_issue_and_pdf import pdf_text
from payments.refunds import refund_seller_order_part
from payouts.services import seller_balance
from purchasing.ordering import CreditLimitExceeded
from tests.factories import make_company, make_region_tree, make_seller, make_seller_product, make_user

S = SellerOrderStatus


def build_world():
    """Rp 1.000.000 credit. One order on invoice: a VAT-registered pesantren's Rp 550.000 part (Rp 540.000
    + Rp 10.000 shipping: DPP 495.495, PPN 54.505) and another pesantren's Rp 300.000 part: Rp 850.000."""
    regions = make_region_tree()
    pkp = make_seller(regions=regions, name="Pondok Pesantren Al-Ikhlas", npwp=PKP_NPWP, is_vat_registered=True)
    plain = make_seller(regions=regions, name="Pondok Pesantren Darul Ulum")
    approver = make_user()
    company = make_company(legal_name="PT Katering Barokah", credit_limit=1_000_000, members=[(approver, "approver")])
    products = {
        "rendang": make_seller_product(pkp, title="Rendang Santri", price="540000", stock=20),
        "kopi": make_seller_product(plain, title="Kopi Arabika", price="290000", stock=20),
    }
    order = place_on_invoice(
        company=company, user=approver, regions=regions, items=[(products["rendang"], 1), (products["kopi"], 1)]
    )
    invoice = Invoice.objects.get(order=order)
    parts = {so.seller_id: so for so in order.seller_orders.all()}
    return {
        "regions": regions,
        "company": company,
        "approver": approver,
        "pkp": pkp,
        "plain": plain,
        "products": products,
        "order": order,
        "invoice": invoice,
        "pkp_part": parts[pkp.pk],
        "plain_part": parts[plain.pk],
    }


@pytest.fixture
def world(db):
    world = build_world()
    assert world["invoice"].total == Decimal(850_000)
    assert (world["pkp_part"].total, world["plain_part"].total) == (Decimal(550_000), Decimal(300_000))
    assert world["pkp_part"].status == world["plain_part"].status == S.PAID
    return world


def detail_url(seller_order):
    return reverse("fulfilment-dashboard:seller-order-detail", kwargs={"pk": seller_order.pk})


def post_as_pesantren(client, seller, seller_order, data):
    client.force_login(seller.owner)
    return client.post(detail_url(seller_order), data)


def snapshot(invoice):
    invoice.refresh_from_db()
    return (
        invoice.status,
        invoice.amount_credited,
        invoice.amount_paid,
        InvoiceCredit.objects.filter(invoice=invoice).count(),
        InvoiceEvent.objects.filter(invoice=invoice).count(),
    )


def refund(amount: int) -> dict:
    """The refund form's post: the amount and the reason it now asks for."""
    return {"action": "refund", "amount": amount, "reason": "Kemasan penyok"}


def test_a_pesantren_cancelling_its_part_reduces_the_invoice_and_frees_the_companys_credit(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    company, invoice, part = world["company"], world["invoice"], world["plain_part"]
    assert company_credit_used(company=company) == Decimal(850_000)
    # a further Rp 300.000 on invoice is over the Rp 150.000 still available
    with pytest.raises(CreditLimitExceeded):
        place_on_invoice(
            company=company, user=world["approver"], regions=world["regions"], items=[(world["products"]["kopi"], 1)]
        )

    # when the pesantren cancels its part from its dashboard
    response = post_as_pesantren(client, world["plain"], part, {"action": "cancel", "reason": "Kopi habis dipanen"})

    # then the invoice carries a credit note for the whole part and the company owes Rp 300.000 less
    assert response.status_code == 302
    assert any(
        m.level_tag == "info" and "Rp 300.000" in m.message and "invoice" in m.message
        for m in get_messages(response.wsgi_request)
    )
    invoice.refresh_from_db()
    (credit,) = invoice.credits.all()
    assert (credit.amount, credit.seller_order, credit.reason) == (Decimal(300_000), part, "Kopi habis dipanen")
    assert (credit.created_by, credit.dpp, credit.ppn) == (world["plain"].owner, None, None)  # not VAT-registered
    assert credit.number == "CN/" + invoice.number.removeprefix("INV/") + "-1"
    assert (invoice.status, invoice.amount_credited, invoice.balance) == (
        InvoiceStatus.OPEN,
        Decimal(300_000),
        Decimal(550_000),
    )
    assert company_credit_used(company=company) == Decimal(550_000)
    # the part is cancelled and refunded in full; its pesantren earns nothing from it
    part.refresh_from_db()
    assert (part.status, part.refunded_amount) == (S.REFUNDED, Decimal(300_000))
    assert SellerOrderEvent.objects.filter(seller_order=part, note__contains=credit.number).exists()
    assert not SellerOrderEvent.objects.filter(seller_order=part, note__contains="manual-").exists()
    assert seller_balance(seller=world["plain"]) == Decimal(0)
    assert invoice.events.filter(kind="credited", amount=300_000, note__contains=credit.number).exists()

    # and the freed credit lets the same Rp 300.000 order through
    place_on_invoice(
        company=company, user=world["approver"], regions=world["regions"], items=[(world["products"]["kopi"], 1)]
    )
    assert company_credit_used(company=company) == Decimal(850_000)


def test_cancelling_the_same_part_again_is_refused_and_changes_nothing(client, world):
    invoice, part = world["invoice"], world["plain_part"]
    post_as_pesantren(client, world["plain"], part, {"action": "cancel", "reason": "Stok habis"})
    before = snapshot(invoice)

    again = post_as_pesantren(client, world["plain"], part, {"action": "cancel", "reason": "Stok habis"})
    refund_again = post_as_pesantren(client, world["plain"], part, refund(1))

    assert (again.status_code, refund_again.status_code) == (409, 409)
    assert snapshot(invoice) == before
    part.refresh_from_db()
    assert (part.status, part.refunded_amount) == (S.REFUNDED, Decimal(300_000))
    assert company_credit_used(company=world["company"]) == Decimal(550_000)


def test_a_partial_refund_then_cancelling_credits_the_rest_and_a_fully_credited_invoice_is_void(client, world):
    invoice, part, pkp = world["invoice"], world["pkp_part"], world["pkp"]

    # more than the part is refused and changes nothing
    before = snapshot(invoice)
    too_much = post_as_pesantren(client, pkp, part, refund(550_001))
    assert too_much.status_code == 409
    assert "Rp 550.000" in too_much.content.decode()
    assert snapshot(invoice) == before

    # when the pesantren refunds Rp 100.000 of its part
    assert post_as_pesantren(client, pkp, part, refund(100_000)).status_code == 302

    # then the credit note takes back its PPN at the section's rate: 100.000 = DPP 90.090 + PPN 9.910
    first = InvoiceCredit.objects.get(invoice=invoice)
    assert (first.amount, first.dpp, first.ppn) == (Decimal(100_000), Decimal(90_090), Decimal(9_910))
    invoice.refresh_from_db()
    assert invoice.balance == Decimal(750_000)
    assert company_credit_used(company=world["company"]) == Decimal(750_000)

    # when it then cancels the part: the rest, Rp 450.000, is credited
    assert post_as_pesantren(client, pkp, part, {"action": "cancel", "reason": "Rusak di gudang"}).status_code == 302

    second = InvoiceCredit.objects.filter(invoice=invoice).order_by("pk").last()
    assert second.amount == Decimal(450_000)
    assert second.number.endswith("-2")
    # the section's credit notes add up exactly to the section as issued
    section = invoice.sections.get(seller_order=part)
    assert (first.dpp + second.dpp, first.ppn + second.ppn) == (section.dpp, section.ppn)
    invoice.refresh_from_db()
    assert (invoice.amount_credited, invoice.balance, invoice.status) == (
        Decimal(550_000),
        Decimal(300_000),
        InvoiceStatus.OPEN,
    )

    # when the other pesantren cancels too: nothing is owed and nothing was paid, so the invoice is void
    post_as_pesantren(client, world["plain"], world["plain_part"], {"action": "cancel", "reason": "Stok habis"})
    invoice.refresh_from_db()
    assert (invoice.status, invoice.balance, invoice.to_refund) == (InvoiceStatus.VOID, 0, 0)
    assert company_credit_used(company=world["company"]) == 0
    assert invoice.events.filter(kind="voided").count() == 1


def test_cancelling_after_a_part_payment_leaves_an_overpayment_that_finance_sees(client, world, finance_user):
    invoice = world["invoice"]
    invoice_record_payment(
        invoice=invoice, amount=700_000, reference="BSI-77", paid_on=timezone.localdate(), recorded_by=finance_user
    )

    post_as_pesantren(client, world["plain"], world["plain_part"], {"action": "cancel", "reason": "Stok habis"})

    # the company paid Rp 700.000 of the Rp 550.000 it now owes: the invoice is paid, Rp 150.000 goes back
    invoice.refresh_from_db()
    assert (invoice.status, invoice.net_total, invoice.to_refund) == (
        InvoiceStatus.PAID,
        Decimal(550_000),
        Decimal(150_000),
    )
    assert company_credit_used(company=world["company"]) == 0
    assert invoice.events.filter(kind="overpaid", amount=150_000).count() == 1

    client.force_login(finance_user)
    page = client.get(reverse("invoices-dashboard:detail", kwargs={"pk": invoice.pk})).content.decode()
    alert = page[page.index('id="to-refund"') :]
    assert "Rp 150.000" in alert[: alert.index("</div>")]
    assert "credit-notes" in page and "Stok habis" in page
    listing = client.get(reverse("invoices-dashboard:list"), {"state": "to_refund"})
    assert [i.pk for i in listing.context["invoices"]] == [invoice.pk]
    assert not list(client.get(reverse("invoices-dashboard:list"), {"state": "open"}).context["invoices"])


def test_the_company_sees_the_credit_note_and_the_reduced_balance(client, world):
    invoice = world["invoice"]
    post_as_pesantren(client, world["plain"], world["plain_part"], {"action": "cancel", "reason": "Stok habis"})

    client.force_login(world["approver"])
    page = client.get(reverse("invoices:detail", kwargs={"pk": invoice.pk})).content.decode()

    credit = InvoiceCredit.objects.get(invoice=invoice)
    assert credit.number in page and "Stok habis" in page
    assert 'data-testid="credited">− Rp 300.000' in page
    assert 'data-testid="balance">Rp 550.000' in page


def test_the_pdf_lists_the_credit_notes_with_their_ppn_and_the_adjusted_balance(client, world):
    invoice = world["invoice"]
    post_as_pesantren(client, world["pkp"], world["pkp_part"], refund(100_000))
    post_as_pesantren(client, world["plain"], world["plain_part"], {"action": "cancel", "reason": "Stok habis"})

    text = pdf_text(render_invoice_pdf(invoice_with_details(pk=invoice.pk)))

    for credit in InvoiceCredit.objects.filter(invoice=invoice):
        assert credit.number in text
    assert "Stok habis" in text
    assert "Rp 54.505" in text  # the section's PPN as issued stays
    assert "Rp 9.910" in text  # the PPN the refund's credit note takes back
    assert "Rp 44.595" in text  # PPN after credit notes: 54.505 − 9.910
    assert "Rp 400.000" in text  # credit notes in all
    assert "Rp 450.000" in text  # balance due: 850.000 − 400.000


def test_reminders_show_the_credited_balance_and_skip_a_void_invoice(client, world):
    invoice = world["invoice"]
    Invoice.objects.filter(pk=invoice.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    post_as_pesantren(client, world["plain"], world["plain_part"], {"action": "cancel", "reason": "Stok habis"})

    assert send_overdue_reminders() == 1
    assert "Rp 300.000" in mail.outbox[0].body and "Rp 550.000" in mail.outbox[0].body

    post_as_pesantren(client, world["pkp"], world["pkp_part"], {"action": "cancel", "reason": "Rusak"})
    Invoice.objects.filter(pk=invoice.pk).update(due_date=timezone.localdate() - timedelta(days=7))
    assert not reminder_candidates(today=timezone.localdate(), days_before_due=3).filter(pk=invoice.pk).exists()
    assert send_overdue_reminders() == 0


@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [
        (Decimal("0"), "x", "more than Rp 0"),
        (Decimal("100.50"), "x", "whole rupiah"),
        (Decimal("300001"), "x", "At most Rp 300.000"),
        (Decimal("1000"), "  ", "reason"),
    ],
)
def test_bad_credit_notes_are_refused_and_change_nothing(world, amount, reason, message):
    invoice = world["invoice"]
    before = snapshot(invoice)

    with pytest.raises(ValidationError) as error:
        invoice_credit(invoice=invoice, amount=amount, seller_order=world["plain_part"], reason=reason, actor=None)

    assert message in " ".join(error.value.messages)
    assert snapshot(invoice) == before


def test_a_credit_note_is_only_for_a_part_of_the_same_invoice(world):
    other = build_world()
    with pytest.raises(ValidationError):
        invoice_credit(invoice=world["invoice"], amount=1000, seller_order=other["plain_part"], reason="x", actor=None)
    with pytest.raises(TypeError):
        invoice_credit(
            invoice=world["invoice"], amount=1000.0, seller_order=world["plain_part"], reason="x", actor=None
        )
    assert not InvoiceCredit.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_credit_each_part_once():
    # given two refunds of the whole Rp 300.000 part and one of the other part, at the same moment
    world = build_world()
    invoice = world["invoice"]
    staff = make_user(is_staff=True)
    jobs = [(world["plain_part"], Decimal(300_000)), (world["plain_part"], Decimal(300_000))]
    jobs.append((world["pkp_part"], Decimal(550_000)))
    start = threading.Barrier(len(jobs))
    outcomes = []

    def refund(seller_order, amount):
        try:
            start.wait(timeout=30)
            outcomes.append(refund_seller_order_part(seller_order=seller_order, amount=amount, actor=staff).method)
        except (ValidationError, ValueError):
            outcomes.append("refused")
        except Exception as error:  # a deadlock or anything else must fail the test loudly
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=refund, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then each part is credited exactly once, with distinct numbers, and the invoice is void
    assert sorted(outcomes) == ["invoice", "invoice", "refused"]
    credits = InvoiceCredit.objects.filter(invoice=invoice)
    assert sorted(c.amount for c in credits) == [Decimal(300_000), Decimal(550_000)]
    assert len({c.number for c in credits}) == 2
    invoice.refresh_from_db()
    assert (invoice.amount_credited, invoice.status) == (Decimal(850_000), InvoiceStatus.VOID)
    world["plain_part"].refresh_from_db()
    assert world["plain_part"].refunded_amount == Decimal(300_000)
