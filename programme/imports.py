"""Reading a district office's CSV of mapped pesantren: every row checked, every error with its row.

The file is checked as a whole before anything is saved (programme.services.mapping_import saves
all rows or none). Accepts comma, semicolon (Excel in the Indonesian locale) or tab separators,
UTF-8 with or without a byte order mark, header names in any case; blank lines are skipped.
"""

import csv
import dataclasses
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.identifiers import compact_nspp, validate_nspp
from programme.models import MappedPesantren
from regions.models import Region

MAX_FILE_BYTES = 512 * 1024
MAX_ROWS = 500
# The template's columns, in order. `nama`, `nspp` and `kecamatan` are required.
COLUMNS = ["nama", "nspp", "kecamatan", "unit_usaha", "produk", "nama_kontak", "email"]
REQUIRED_COLUMNS = ["nama", "nspp", "kecamatan"]
FIELD_OF_COLUMN = {
    "nama": "name",
    "nspp": "nspp",
    "unit_usaha": "business_units",
    "produk": "products",
    "nama_kontak": "contact_name",
    "email": "email",
}
MAX_LENGTHS = {"nama": 128, "nama_kontak": 128, "email": 254, "unit_usaha": 2000, "produk": 2000}


@dataclasses.dataclass
class RowError:
    row: int
    message: str

    def __str__(self):
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class MappingImportInvalid(Exception):
    """The file cannot be imported; `errors` lists every problem found, each with its row (0: the file)."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


@dataclasses.dataclass
class MappingRow:
    row: int
    values: dict  # model field → value, kecamatan as a Region


def template_csv() -> bytes:
    """The download offered on the import page: the header and one example row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "Pondok Pesantren Contoh",
            "510032020001",
            "32.02.01",
            "Kolam lele; koperasi",
            "Lele segar, abon lele",
            "Ustadz Ahmad",
            "pesantren@example.com",
        ]
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _file_error(message: str) -> MappingImportInvalid:
    return MappingImportInvalid([RowError(row=0, message=message)])


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return max([",", ";", "\t"], key=first_line.count)


def read_text(upload) -> str:
    """The upload as text, or MappingImportInvalid for a file too large, not UTF-8 or binary."""
    if upload is None:
        raise _file_error(_("Choose a CSV file to upload."))
    too_large = _("The file is larger than %(size)s; split it into smaller files.") % {"size": "512 KB"}
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise _file_error(too_large)
    raw = upload.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise _file_error(too_large)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”.")
        raise _file_error(message) from error
    if "\x00" in text:
        raise _file_error(_("The file is not a CSV text file. In Excel, save it as “CSV UTF-8 (Comma delimited)”."))
    return text


def parse(text: str, *, kabupaten: Region) -> list[MappingRow]:
    """Every row of `text` checked against `kabupaten`'s kecamatan and the mapped NSPPs.

    Raises MappingImportInvalid with all the row errors at once; returns the rows when none.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise _file_error(_("The file is empty. Download the template and fill in one pesantren per row."))
        names = [cell.strip().lower() for cell in header]
        missing = [column for column in REQUIRED_COLUMNS if column not in names]
        if missing:
            raise MappingImportInvalid(
                [
                    RowError(
                        row=1,
                        message=_("The header lacks the column(s) %(columns)s. Use the template’s header.")
                        % {"columns": ", ".join(missing)},
                    )
                ]
            )
        index = {column: names.index(column) for column in COLUMNS if column in names}
        raw_rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(raw_rows) == MAX_ROWS:
                raise _file_error(
                    _("A file may hold at most %(count)d pesantren; split it into smaller files.") % {"count": MAX_ROWS}
                )
            values = {column: cells[i].strip() if i < len(cells) else "" for column, i in index.items()}
            raw_rows.append((reader.line_num, values))
    except csv.Error as error:
        raise _file_error(
            _("Row %(row)d cannot be read as CSV: %(error)s") % {"row": reader.line_num, "error": error}
        ) from error
    if not raw_rows:
        raise MappingImportInvalid([RowError(row=1, message=_("The file has no pesantren rows under its header."))])
    return _check_rows(raw_rows, kabupaten=kabupaten)


def _kecamatan_lookup(kabupaten: Region) -> dict[str, Region]:
    """The kabupaten's kecamatan by code and by lower-case name (with and without "Kecamatan ")."""
    lookup = {}
    for region in Region.objects.filter(parent=kabupaten).order_by("code"):
        lookup[region.code] = region
        name = region.name.strip().lower()
        lookup.setdefault(name, region)
        lookup.setdefault(name.removeprefix("kecamatan ").strip(), region)
    return lookup


def _check_rows(raw_rows: list[tuple[int, dict]], *, kabupaten: Region) -> list[MappingRow]:
    kecamatan = _kecamatan_lookup(kabupaten)
    nspps = [compact_nspp(values.get("nspp", "")) for _row, values in raw_rows]
    taken = set(MappedPesantren.objects.filter(nspp__in=nspps).values_list("nspp", flat=True))
    first_row_of = {}
    errors, rows = [], []
    for row, values in raw_rows:
        problems = []
        for column in REQUIRED_COLUMNS:
            if not values.get(column):
                problems.append(_("%(column)s is required.") % {"column": column})
        for column, limit in MAX_LENGTHS.items():
            if len(values.get(column, "")) > limit:
                problems.append(
                    _("%(column)s is longer than %(limit)d characters.") % {"column": column, "limit": limit}
                )
        nspp = compact_nspp(values.get("nspp", ""))
        if nspp:
            try:
                validate_nspp(nspp)
            except ValidationError as error:
                problems.append(" ".join(error.messages))
            else:
                if nspp in taken:
                    problems.append(_("NSPP %(nspp)s is already mapped.") % {"nspp": nspp})
                elif nspp in first_row_of:
                    problems.append(
                        _("NSPP %(nspp)s is also on row %(row)d.") % {"nspp": nspp, "row": first_row_of[nspp]}
                    )
                else:
                    first_row_of[nspp] = row
        region = None
        if typed := values.get("kecamatan", ""):
            region = kecamatan.get(typed) or kecamatan.get(typed.lower())
            if region is None:
                problems.append(
                    _("Kecamatan “%(kecamatan)s” is not in %(kabupaten)s.")
                    % {"kecamatan": typed, "kabupaten": kabupaten.name}
                )
        if email := values.get("email", ""):
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("“%(email)s” is not a valid email address.") % {"email": email})
        if problems:
            errors.extend(RowError(row=row, message=problem) for problem in problems)
            continue
        fields = {field: values.get(column, "") for column, field in FIELD_OF_COLUMN.items()}
        fields.update(nspp=nspp, email=fields["email"].lower(), kabupaten=kabupaten, kecamatan=region)
        rows.append(MappingRow(row=row, values=fields))
    if errors:
        raise MappingImportInvalid(errors)
    return rows
