"""QR codes drawn as inline SVG from Midtrans's `qr_string`, so the page needs no image from elsewhere.

Uses the QR encoder that ships with reportlab (already used for invoice PDFs).
"""

from django.utils.html import format_html
from reportlab.graphics.barcode.qr import QrCodeWidget

QUIET_ZONE = 4


def qr_svg(text: str, *, label: str = "") -> str:
    """An SVG QR code of `text`, one path, scaled by its container (safe HTML)."""
    widget = QrCodeWidget(text)
    widget.qr.make()
    modules = widget.qr.modules
    size = len(modules) + 2 * QUIET_ZONE
    runs = []
    for row_index, row in enumerate(modules):
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                runs.append(f"M{start + QUIET_ZONE} {row_index + QUIET_ZONE}h{column - start}v1h-{column - start}z")
            else:
                column += 1
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" aria-label="{label}" '
        'shape-rendering="crispEdges" class="mt-qr"><rect width="{size}" height="{size}" fill="#fff"/>'
        '<path d="{path}" fill="#000"/></svg>',
        size=size,
        label=label,
        path="".join(runs),
    )
