import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from fulfilment.models import SellerOrderStatus
from invoices.models import Invoice, InvoiceEvent, InvoiceStatus
from invoices.pdf import render_invoice_pdf
from invoices.selectors import invoice_with_details
from invoices.services import invoice_issue
from invoices.tests.conftest import place_on_invoice

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_an_invoice_order_is_confirmed_and_invoiced_with_ppn_for_the_vat_registered_pesantren(world, invoice_order):
    invoice = Invoice.objects.get(order=invoice_order)

    today = timezone.localdate()
    assert re.fullmatch(rf"INV/{today:%Y}/{today:%m}/\d{{5}}", invoice.number)
    assert (invoice.status, invoice.total, invoice.amount_paid) == (InvoiceStatus.OPEN, Decimal(1_260_000), 0)
    assert (invoice.issue_date, invoice.due_date) == (today, today + timedelta(days=30))
    assert (invoice.buyer_legal_name, invoice.buyer_npwp, invoice.po_number) == (
        "PT Katering Barokah",
        "012345674901000",
        "PO-2026-118",
    )
    pkp, plain = invoice.sections.order_by("pk")
    assert (pkp.seller_name, pkp.is_vat_registered, pkp.gross, pkp.dpp, pkp.ppn, pkp.ppn_rate) == (
        "Pondok Pesantren Al-Ikhlas",
        True,
        Decimal(1_110_000),
        Decimal(1_000_000),
        Decimal(110_000),
        Decimal("0.11"),
    )
    assert (plain.is_vat_registered, plain.gross, plain.dpp, plain.ppn) == (False, Decimal(150_000), None, None)
    assert pkp.gross + plain.gross == invoice.total
    # the marketplace carries the credit: the pesantren are told to fulfil at once
    assert set(invoice_order.seller_orders.values_list("status", flat=True)) == {SellerOrderStatus.PAID}
    assert InvoiceEvent.objects.filter(invoice=invoice, kind="issued").count() == 1


def test_issuing_again_for_the_same_order_returns_the_same_invoice(world, invoice_order):
    first = Invoice.objects.get(order=invoice_order)

    again = invoice_issue(order=invoice_order, company=world["company"])

    assert again.pk == first.pk and again.number == first.number
    assert Invoice.objects.count() == 1


def test_numbers_run_in_sequence_within_the_month_and_a_rolled_back_order_leaves_no_gap(world):
    def order():
        return place_on_invoice(
            company=world["company"], user=world["approver"], regions=world["regions"], items=[(world["kopi"], 1)]
        )

    first = Invoice.objects.get(order=order())
    with pytest.raises(RuntimeError), transaction.atomic():
        order()
        raise RuntimeError("the request failed after placing")
    second = Invoice.objects.get(order=order())

    prefix, number = first.number.rsplit("/", 1)
    assert second.number == f"{prefix}/{int(number) + 1:05d}"


def test_the_ppn_rate_comes_from_settings(world, settings):
    settings.MARKETPLACE_PPN_RATE = Decimal("0.12")

    order = place_on_invoice(
        company=world["company"], user=world["approver"], regions=world["regions"], items=[(world["rendang"], 1)]
    )

    section = Invoice.objects.get(order=order).sections.get()
    # 1.110.000 × 100 / 112 = 991.071,43
    assert (section.ppn_rate, section.dpp, section.ppn) == (Decimal("0.12"), Decimal(991_071), Decimal(118_929))


def test_the_invoice_keeps_the_buyer_and_pesantren_as_they_were_when_issued(world, invoice_order):
    company, pkp = world["company"], world["pkp"]
    company.legal_name, company.npwp = "PT Katering Baru", "111111111111111"
    company.save()
    pkp.is_vat_registered = False
    pkp.save()

    invoice = invoice_with_details(pk=Invoice.objects.get(order=invoice_order).pk)

    assert (invoice.buyer_legal_name, invoice.buyer_npwp) == ("PT Katering Barokah", "012345674901000")
    assert invoice.sections.all()[0].ppn == Decimal(110_000)


def test_the_pdf_invoice_is_generated_with_both_npwps_the_ppn_and_the_total(world, invoice_order):
    invoice = invoice_with_details(pk=Invoice.objects.get(order=invoice_order).pk)

    content = render_invoice_pdf(invoice)

    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert invoice.number in text
    assert "PT Katering Barokah" in text
    assert "01.234.567.4-901.000" in text  # the buyer's NPWP
    assert "99.887.766.6-544.000" in text  # the VAT-registered pesantren's NPWP
    assert "Pondok Pesantren Al-Ikhlas" in text and "Pondok Pesantren Darul Ulum" in text
    assert "Rendang Santri 1 kg" in text and "Kopi Arabika Pangalengan" in text
    assert "Rp 1.000.000" in text  # DPP
    assert "Rp 110.000" in text  # PPN
    assert "Rp 1.260.000" in text  # grand total and balance due
    assert "PO-2026-118" in text
    assert "7000000000" in text  # the marketplace's account for the transfer
    # one PPN line only: the pesantren that is not VAT-registered has none
    assert len(re.findall(r"PPN 11%", text)) == 1


def test_the_pdf_shows_what_was_paid_and_what_is_left(world, invoice_order, finance_user):
    from invoices.services import invoice_record_payment

    invoice = Invoice.objects.get(order=invoice_order)
    invoice_record_payment(
        invoice=invoice, amount=260_000, reference="BSI-001", paid_on=timezone.localdate(), recorded_by=finance_user
    )

    text = pdf_text(render_invoice_pdf(invoice_with_details(pk=invoice.pk)))

    assert "Rp 260.000" in text and "Rp 1.000.000" in text


def test_members_download_the_pdf_and_others_get_404(client, world, invoice_order):
    invoice = Invoice.objects.get(order=invoice_order)
    url = reverse("invoices:pdf", kwargs={"pk": invoice.pk})

    client.force_login(world["buyer"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert invoice.number.replace("/", "-") in response["Content-Disposition"]
    assert invoice.number in pdf_text(response.content)

    client.force_login(world["outsider"])
    assert client.get(url).status_code == 404
