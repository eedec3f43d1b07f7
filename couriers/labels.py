"""Shipping labels as one PDF, an A6 page per parcel, with the airway bill as a Code128 barcode (reportlab)."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Frame, Paragraph

PAGE_WIDTH, PAGE_HEIGHT = A6  # 105 × 148 mm
MARGIN = 5 * mm

_BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=8, leading=10)
_BOLD = ParagraphStyle("bold", parent=_BODY, fontName="Helvetica-Bold", fontSize=9, leading=11)


def _p(text, style=_BODY) -> Paragraph:
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _address_text(address) -> str:
    rows = [address.name, ", ".join(str(part) for part in (address.line1, address.line2) if part)]
    regions = []
    if address.desa_id:
        regions.append(f"{_('Desa/Kel.')} {address.desa.name}")
    if address.kecamatan_id:
        regions.append(f"{_('Kec.')} {address.kecamatan.name}")
    rows.append(", ".join(regions))
    city = address.kabupaten.name if address.kabupaten_id else address.line4
    rows.append(f"{city}, {address.state} {address.postcode}".strip(", "))
    if address.phone_number:
        rows.append(f"{_('Phone')}: {address.phone_number}")
    return "\n".join(row for row in rows if row)


def _seller_text(seller) -> str:
    rows = [seller.name, seller.address_line]
    rows.append(", ".join(part.name for part in (seller.kecamatan, seller.kabupaten) if part is not None))
    rows.append(seller.postal_code)
    if seller.whatsapp:
        rows.append(f"{_('Phone')}: {seller.whatsapp}")
    return "\n".join(row for row in rows if row)


def _draw_label(pdf: canvas.Canvas, label) -> None:
    """One label: courier and service, airway bill barcode, recipient, sender, order and contents."""
    part = label.seller_order
    top = PAGE_HEIGHT - MARGIN
    width = PAGE_WIDTH - 2 * MARGIN

    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(MARGIN, top - 12, label.courier[:40])
    pdf.setFont("Helvetica", 8)
    pdf.drawRightString(PAGE_WIDTH - MARGIN, top - 10, part.number)
    if label.collection:
        pdf.drawRightString(PAGE_WIDTH - MARGIN, top - 20, label.collection[:40])

    barcode_top = top - 26
    barcode = Code128(label.waybill, barHeight=16 * mm, barWidth=0.9, humanReadable=False)
    if barcode.width > width:  # long numbers: narrower bars so the code still fits the page
        barcode = Code128(label.waybill, barHeight=16 * mm, barWidth=0.9 * width / barcode.width, humanReadable=False)
    barcode.drawOn(pdf, MARGIN + (width - barcode.width) / 2, barcode_top - 16 * mm)
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawCentredString(PAGE_WIDTH / 2, barcode_top - 16 * mm - 12, label.waybill)
    pdf.line(MARGIN, barcode_top - 16 * mm - 18, PAGE_WIDTH - MARGIN, barcode_top - 16 * mm - 18)

    frame_top = barcode_top - 16 * mm - 20
    flow = [
        _p(_("To"), _BOLD),
        _p(_address_text(part.order.shipping_address)),
        _p(" "),
        _p(_("From"), _BOLD),
        _p(_seller_text(part.seller)),
        _p(" "),
        _p(f"{_('Order')}: {part.number} · {_('Weight')}: {part.total_weight_grams} g"),
        _p(", ".join(f"{line.quantity}× {line.title}" for line in label.lines)[:400], _BODY),
    ]
    if part.order.shipping_address.notes:
        flow.append(_p(f"{_('Buyer note')}: {part.order.shipping_address.notes}"[:200]))
    frame = Frame(
        MARGIN,
        MARGIN,
        width,
        frame_top - MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        showBoundary=0,
    )
    frame.addFromList(flow, pdf)


def render_labels_pdf(labels: list) -> bytes:
    """One A6 page per label (see `couriers.selectors.labels_for`), in the order given."""
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A6)
    pdf.setTitle(_("Shipping labels"))
    for label in labels:
        _draw_label(pdf, label)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
