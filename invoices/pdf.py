"""The invoice as a PDF (reportlab), in the marketplace's language (Indonesian).

Everything printed comes from the invoice's own snapshot (buyer, sections with their PPN split) and
the order's lines, so a later change to a company or pesantren does not change an issued invoice.
"""

from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from bank_transfers.services import marketplace_bank_account
from core.identifiers import format_npwp
from core.money import format_rupiah
from invoices.models import Invoice
from invoices.selectors import section_lines
from invoices.tax import PpnSplit, tax_totals

DEFAULT_ISSUER = {"name": "Pasar Pesantren", "address": "", "npwp": ""}


def issuer() -> dict[str, str]:
    configured = getattr(settings, "MARKETPLACE_INVOICE_ISSUER", None) or {}
    return {key: str(configured.get(key) or default) for key, default in DEFAULT_ISSUER.items()}


def rate_label(rate: Decimal) -> str:
    percent = (Decimal(rate) * 100).normalize()
    return f"{percent:f}".replace(".", ",") + "%"


def _styles():
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], alignment=TA_RIGHT, fontSize=18, spaceAfter=2),
        "h": ParagraphStyle("h", parent=base["Heading3"], spaceBefore=8, spaceAfter=2),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontSize=9, leading=12),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontSize=8, leading=10, textColor=colors.grey),
        "right": ParagraphStyle("right", parent=base["BodyText"], fontSize=9, leading=12, alignment=TA_RIGHT),
    }


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(rows, widths, *, header=False, bold_last=0) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    commands = [
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands += [
            ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ]
    if bold_last:
        commands += [
            ("FONTNAME", (0, -bold_last), (-1, -1), "Helvetica-Bold"),
            ("LINEABOVE", (0, -bold_last), (-1, -bold_last), 0.5, colors.black),
        ]
    table.setStyle(TableStyle(commands))
    return table


def render_invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as PDF bytes. Pass an invoice from `selectors.invoice_with_details` (no N+1)."""
    with translation.override(settings.LANGUAGE_CODE):
        buffer = BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=_("Invoice %(number)s") % {"number": invoice.number},
            author=issuer()["name"],
        )
        document.build(_story(invoice, _styles()))
        return buffer.getvalue()


def _story(invoice: Invoice, s) -> list:
    me = issuer()
    width = A4[0] - 36 * mm
    story = []

    seller_block = [_p(me["name"], ParagraphStyle("n", parent=s["body"], fontName="Helvetica-Bold", fontSize=12))]
    if me["address"]:
        seller_block.append(_p(me["address"], s["body"]))
    if me["npwp"]:
        seller_block.append(_p(f"NPWP: {format_npwp(me['npwp'])}", s["body"]))
    title_block = [_p(_("Invoice"), s["title"]), _p(invoice.number, s["right"])]
    header = Table([[seller_block, title_block]], colWidths=[width * 0.6, width * 0.4])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [header, Spacer(1, 6 * mm)]

    facts = [
        [_("Invoice number"), invoice.number],
        [_("Issue date"), date_format(invoice.issue_date, "j F Y")],
        [_("Due date"), date_format(invoice.due_date, "j F Y")],
        [_("Payment terms"), _("Net %(days)s days") % {"days": invoice.payment_terms_days}],
        [_("Order number"), invoice.order.number],
    ]
    if invoice.po_number:
        facts.append([_("Purchase order number"), invoice.po_number])
    bill_to = [
        _p(_("Bill to"), ParagraphStyle("b", parent=s["body"], fontName="Helvetica-Bold")),
        _p(invoice.buyer_legal_name, s["body"]),
        _p(f"NPWP: {format_npwp(invoice.buyer_npwp)}", s["body"]),
        _p(invoice.buyer_address, s["body"]),
    ]
    facts_table = Table(facts, colWidths=[width * 0.22, width * 0.25], hAlign="LEFT")
    facts_table.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 9), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    top = Table([[bill_to, facts_table]], colWidths=[width * 0.5, width * 0.5])
    top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [top, Spacer(1, 4 * mm)]

    widths = [width * 0.46, width * 0.1, width * 0.2, width * 0.24]
    splits = []
    for section, lines in section_lines(invoice):
        heading = [_p(section.seller_name, s["h"])]
        if section.seller_npwp:
            heading.append(_p(f"NPWP: {format_npwp(section.seller_npwp)}", s["body"]))
        heading.append(
            _p(_("VAT-registered (PKP)") if section.is_vat_registered else _("Not VAT-registered: no PPN"), s["small"])
        )
        rows = [[_("Product"), _("Qty"), _("Unit price"), _("Amount")]]
        for line in lines:
            rows.append(
                [
                    _p(line.title, s["body"]),
                    str(line.quantity),
                    format_rupiah(line.unit_price_incl_tax),
                    format_rupiah(line.line_price_incl_tax),
                ]
            )
        rows.append([_("Shipping"), "", "", format_rupiah(section.shipping_charge)])
        rows.append([_("Total for this pesantren"), "", "", format_rupiah(section.gross)])
        bold = 1
        if section.is_vat_registered:
            rows.append([_("Tax base (DPP)"), "", "", format_rupiah(section.dpp)])
            ppn_label = _("PPN %(rate)s (included)") % {"rate": rate_label(section.ppn_rate)}
            rows.append([ppn_label, "", "", format_rupiah(section.ppn)])
            splits.append(PpnSplit(gross=section.gross, dpp=section.dpp, ppn=section.ppn))
            bold = 3
        story.append(KeepTogether([*heading, Spacer(1, 1 * mm), _table(rows, widths, header=True, bold_last=bold)]))

    credits = list(invoice.credits.all())
    credited_ppn = sum((credit.ppn for credit in credits if credit.ppn is not None), Decimal(0))
    if credits:
        story.append(_credit_notes(credits, s, width))

    totals = [[_("Grand total"), format_rupiah(invoice.total)]]
    original_ppn = tax_totals(splits).ppn if splits else None
    if original_ppn is not None:
        totals.append([_("of which PPN"), format_rupiah(original_ppn)])
    if credits:
        totals.append([_("Credit notes"), "– " + format_rupiah(invoice.amount_credited)])
        if credited_ppn:
            totals.append([_("of which PPN"), "– " + format_rupiah(credited_ppn)])
        totals.append([_("Total after credit notes"), format_rupiah(invoice.net_total)])
        if original_ppn is not None:
            totals.append([_("of which PPN"), format_rupiah(original_ppn - credited_ppn)])
    totals.append([_("Amount paid"), format_rupiah(invoice.amount_paid)])
    if invoice.to_refund:
        totals.append([_("Overpaid, to be refunded"), format_rupiah(invoice.to_refund)])
    else:
        totals.append([_("Balance due"), format_rupiah(invoice.balance)])
    totals_table = Table(totals, colWidths=[width * 0.3, width * 0.24], hAlign="RIGHT")
    totals_table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
            ]
        )
    )
    story += [Spacer(1, 4 * mm), totals_table, Spacer(1, 6 * mm)]

    if invoice.balance <= 0:
        story += [Spacer(1, 3 * mm), _p(_("All prices include PPN where the pesantren is VAT-registered."), s["small"])]
        return story
    bank = marketplace_bank_account()
    pay_url = settings.MARKETPLACE_SITE_URL.rstrip("/") + reverse("invoices:detail", kwargs={"pk": invoice.pk})
    story += [
        _p(_("Payment instructions"), s["h"]),
        _p(
            _("Transfer %(amount)s by %(due)s to %(bank)s, account %(account)s in the name of %(holder)s.")
            % {
                "amount": format_rupiah(invoice.balance),
                "due": date_format(invoice.due_date, "j F Y"),
                "bank": bank["bank_name"],
                "account": bank["account_number"],
                "holder": bank["account_holder"],
            },
            s["body"],
        ),
        _p(_("Write the invoice number %(number)s as the transfer reference.") % {"number": invoice.number}, s["body"]),
        _p(_("Or pay by card: %(url)s") % {"url": pay_url}, s["body"]),
        Spacer(1, 3 * mm),
        _p(_("All prices include PPN where the pesantren is VAT-registered."), s["small"]),
    ]
    return story


def _credit_notes(credits, s, width) -> KeepTogether:
    """The credit notes as issued: each one's amount and, for a VAT-registered pesantren, the DPP and PPN
    it takes back. The sections above stay as issued."""
    rows = [[_("Credit note"), _("Date"), _("Pesantren"), _("DPP"), _("PPN"), _("Amount")]]
    for credit in credits:
        section = credit.seller_order.invoice_section
        rows.append(
            [
                _p(credit.number, s["body"]),
                date_format(timezone.localtime(credit.created_at), "j M Y"),
                _p(f"{section.seller_name}\n{credit.reason}", s["body"]),
                "– " + format_rupiah(credit.dpp) if credit.dpp is not None else "",
                "– " + format_rupiah(credit.ppn) if credit.ppn is not None else "",
                "– " + format_rupiah(credit.amount),
            ]
        )
    widths = [width * 0.2, width * 0.12, width * 0.26, width * 0.14, width * 0.12, width * 0.16]
    return KeepTogether([_p(_("Credit notes"), s["h"]), _table(rows, widths, header=True)])
