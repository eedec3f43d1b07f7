"""CSV exports of the programme dashboard's tables.

Files open in spreadsheets: UTF-8 with a byte order mark (so Excel reads Indonesian names right),
and text cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

import csv
import io
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import rupiah_int
from programme import selectors
from regions.models import Region

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return rupiah_int(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def to_csv(header: list[str], rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _date(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def directory_csv(*, filters: dict) -> bytes:
    header = [
        _("Pesantren"),
        _("NSPP"),
        _("Status"),
        _("Sector"),
        _("Kabupaten/kota"),
        _("Kecamatan"),
        _("Selling"),
        _("Applied"),
        _("Verified"),
    ]
    rows = (
        [
            seller.name,
            seller.nspp,
            seller.get_status_display(),
            seller.get_sector_display(),
            seller.kabupaten.name,
            seller.kecamatan.name,
            seller.is_selling,
            _date(seller.created_at),
            _date(seller.verified_at),
        ]
        for seller in selectors.directory(**filters).iterator(chunk_size=500)
    )
    return to_csv(header, rows)


def kabupaten_csv() -> bytes:
    header = [
        _("Code"),
        _("Kabupaten/kota"),
        _("Registered"),
        _("Verified"),
        _("Selling"),
        _("Suspended"),
        _("Kecamatan"),
        _("Kecamatan without a verified pesantren"),
        _("Mapped pesantren"),
        _("Kecamatan without a nominee"),
    ]
    rows = (
        [
            row.code,
            row.name,
            row.registered,
            row.verified,
            row.selling,
            row.suspended,
            row.kecamatan_total,
            row.kecamatan_uncovered,
            row.mapped,
            row.kecamatan_without_nominee,
        ]
        for row in selectors.kabupaten_table()
    )
    return to_csv(header, rows)


def kecamatan_csv(*, kabupaten: Region | None = None) -> bytes:
    header = [
        _("Code"),
        _("Kecamatan"),
        _("Kabupaten/kota"),
        _("Registered"),
        _("Verified"),
        _("Selling"),
        _("Mapped pesantren"),
        _("Nominated"),
    ]
    rows = (
        [row.code, row.name, row.parent.name, row.registered, row.verified, row.selling, row.mapped, row.nominated]
        for row in selectors.kecamatan_table(kabupaten=kabupaten)
    )
    return to_csv(header, rows)


def sales_by_sector_csv() -> bytes:
    header = [_("Sector"), _("Paid orders"), _("Sales (IDR)")]
    return to_csv(header, ([row["label"], row["orders"], row["total"]] for row in selectors.sales_by_sector()))


def sales_by_kabupaten_csv() -> bytes:
    header = [_("Code"), _("Kabupaten/kota"), _("Paid orders"), _("Sales (IDR)")]
    return to_csv(
        header, ([row["code"], row["name"], row["orders"], row["total"]] for row in selectors.sales_by_kabupaten())
    )


EXPORTS: dict[str, Callable[..., bytes]] = {
    "kabupaten": kabupaten_csv,
    "sales-sector": sales_by_sector_csv,
    "sales-kabupaten": sales_by_kabupaten_csv,
}
