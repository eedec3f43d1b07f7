"""Certificates of attendance as one-page PDFs (reportlab), with the public verification code and address."""

from io import BytesIO

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)


def verification_url(registration) -> str:
    return settings.MARKETPLACE_SITE_URL + reverse(
        "events:certificate-verify", kwargs={"code": registration.certificate_code}
    )


def certificate_pdf(registration) -> bytes:
    """The certificate of an attended registration of a pesantren."""
    event = registration.event
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    pdf.setTitle(_("Certificate of attendance"))
    pdf.setLineWidth(2)
    pdf.rect(12 * mm, 12 * mm, PAGE_WIDTH - 24 * mm, PAGE_HEIGHT - 24 * mm)
    centre = PAGE_WIDTH / 2
    pdf.setFont("Helvetica", 12)
    pdf.drawCentredString(centre, PAGE_HEIGHT - 35 * mm, _("One Pesantren One Product · Jawa Barat"))
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(centre, PAGE_HEIGHT - 55 * mm, _("Certificate of attendance"))
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(centre, PAGE_HEIGHT - 75 * mm, _("This certifies that"))
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(centre, PAGE_HEIGHT - 90 * mm, registration.party_name[:70])
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(
        centre, PAGE_HEIGHT - 105 * mm, _("took part in the %(kind)s") % {"kind": event.get_kind_display().lower()}
    )
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawCentredString(centre, PAGE_HEIGHT - 117 * mm, event.title[:90])
    pdf.setFont("Helvetica", 12)
    starts = timezone.localtime(event.starts_at)
    pdf.drawCentredString(
        centre,
        PAGE_HEIGHT - 129 * mm,
        f"{event.venue[:80]}, {event.kabupaten.name} · {starts:%d-%m-%Y}",
    )
    url = verification_url(registration)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(20 * mm, 30 * mm, _("Certificate code: %(code)s") % {"code": registration.certificate_code})
    pdf.drawString(20 * mm, 24 * mm, _("Check it at %(url)s") % {"url": url})
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    size = 30 * mm
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, PAGE_WIDTH - 20 * mm - size, 18 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
