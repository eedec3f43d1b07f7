"""The province's summary report as a PDF (reportlab), in the marketplace's language (Indonesian).

One or two landscape A4 pages: the period and the generation time, the headline figures, the
targets, and one table row per kabupaten/kota with the province's total. Only aggregates are
printed, no pesantren or person.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.money import format_rupiah
from reports.selectors import Progress

PAGE = landscape(A4)
MARGIN = 14 * mm


def _styles() -> dict:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontSize=16, spaceAfter=2, alignment=0),
        "h": ParagraphStyle("h", parent=base["Heading3"], spaceBefore=6, spaceAfter=3),
        "body": ParagraphStyle("body", parent=base["BodyText"], fontSize=9, leading=12),
        "small": ParagraphStyle("small", parent=base["BodyText"], fontSize=7.5, leading=9.5, textColor=colors.grey),
    }


def _text(value, style) -> Paragraph:
    return Paragraph(escape(str(value)), style)


def _grid(rows: list[list], widths: list[float], *, total_row: bool = False, font_size: float = 8) -> Table:
    grid = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1)
    commands = [
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f7f5")]),
    ]
    if total_row:
        commands += [
            ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
            ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, -1), (-1, -1), colors.white),
        ]
    grid.setStyle(TableStyle(commands))
    return grid


def period_label(period) -> str:
    return _("%(start)s to %(end)s") % {
        "start": date_format(period.start, "j F Y"),
        "end": date_format(period.end, "j F Y"),
    }


def headline_figures(progress: Progress) -> list[tuple[str, str]]:
    """The figures the PDF and the province page lead with, as (label, value) pairs."""
    total = progress.total
    figures = [
        (_("Pesantren mapped"), total.mapped),
        (_("Pesantren registered"), total.registered),
        (_("Pesantren verified"), total.verified),
        (_("Pesantren selling"), total.selling),
        (_("Pesantren nominated"), total.nominated),
    ]
    if progress.cohort is not None:
        figures += [
            (_("In the cohort %(cohort)s") % {"cohort": progress.cohort.name}, total.in_cohort),
            (_("Champions"), total.champions),
        ]
    figures += [
        (_("Products listed"), total.products),
        (_("Paid orders in the period"), total.orders),
        (_("Sales in the period"), format_rupiah(total.sales)),
        (_("Mentor visits in the period"), total.visits),
    ]
    return [(label, str(value)) for label, value in figures]


def render_province_summary(*, progress: Progress, province_name: str) -> bytes:
    """The summary as PDF bytes, from `reports.selectors.kabupaten_progress` (with a period)."""
    with translation.override(settings.LANGUAGE_CODE):
        buffer = BytesIO()
        title = _("OPOP programme summary: %(province)s") % {"province": province_name}
        document = SimpleDocTemplate(
            buffer,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=12 * mm,
            bottomMargin=12 * mm,
            title=title,
            author="Pasar Pesantren",
        )
        document.build(_story(progress, title, _styles()))
        return buffer.getvalue()


def _story(progress: Progress, title: str, s: dict) -> list:
    width = PAGE[0] - 2 * MARGIN
    generated = date_format(timezone.localtime(), "j F Y H:i")
    story = [
        _text(title, s["title"]),
        _text(_("Period: %(period)s") % {"period": period_label(progress.period)}, s["body"]),
        _text(_("Generated on %(date)s") % {"date": generated}, s["body"]),
        Spacer(1, 3 * mm),
    ]

    figures = headline_figures(progress)
    half = (len(figures) + 1) // 2
    left, right = figures[:half], figures[half:]
    pairs = [[*left[i], *(right[i] if i < len(right) else ("", ""))] for i in range(half)]
    summary = Table(pairs, colWidths=[width * 0.3, width * 0.17, width * 0.3, width * 0.17], hAlign="LEFT")
    summary.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
                ("FONTNAME", (1, 0), (1, -1), "Helvetica-Bold"),
                ("FONTNAME", (3, 0), (3, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    story += [_text(_("Headline figures"), s["h"]), summary]

    if progress.targets:
        rows = [[_("Target"), _("Deadline"), _("Reached"), _("Target count"), _("Progress")]]
        for item in progress.targets:
            rows.append(
                [
                    _text(f"{item.target.name} ({item.target.get_measure_display()})", s["body"]),
                    date_format(item.target.deadline, "j M Y"),
                    str(item.current),
                    str(item.target.target_count),
                    f"{item.percent}%",
                ]
            )
        story += [
            _text(_("Targets"), s["h"]),
            _grid(rows, [width * 0.46, width * 0.14, width * 0.13, width * 0.13, width * 0.14], font_size=8.5),
        ]

    header = [
        _("Kabupaten/kota"),
        _("Mapped"),
        _("Registered"),
        _("Verified"),
        _("Nominated"),
        _("In the cohort"),
        _("Champions"),
        _("Products"),
        _("Orders"),
        _("Sales"),
        _("Visits"),
    ]
    rows = [header]
    for row in [*progress.rows, progress.total]:
        rows.append(
            [
                row.name or _("Total"),
                row.mapped,
                row.registered,
                row.verified,
                row.nominated,
                row.in_cohort,
                row.champions,
                row.products,
                row.orders,
                format_rupiah(row.sales),
                row.visits,
            ]
        )
    narrow = width * 0.065
    widths = [width * 0.2, *[narrow] * 8, width * 0.16, width * 0.12]
    widths[-1] = width - sum(widths[:-1])
    story += [
        _text(_("Per kabupaten/kota"), s["h"]),
        _grid([[str(cell) for cell in row] for row in rows], widths, total_row=True),
        Spacer(1, 3 * mm),
        _text(
            _(
                "Sales are the goods subtotals of pesantren orders paid in the period and not cancelled or "
                "refunded, without shipping. Champions are the cohort's pesantren at its last stage."
            ),
            s["small"],
        ),
    ]
    return story
