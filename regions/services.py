"""Loading the shipped Kemendagri region data into the Region table."""

import csv
import re
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.db import transaction
from django.db.models import Count, Q

from regions.models import Region, RegionLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_CSV = "wilayah.csv"
POSTAL_CODES_CSV = "kodepos.csv"

_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_POSTAL_CODE_RE = re.compile(r"^\d{5}$")
_NAME_MAX_LENGTH = Region._meta.get_field("name").max_length


class RegionDataError(Exception):
    """The shipped data files are missing or malformed; nothing was written."""


class RegionRow(NamedTuple):
    code: str
    name: str
    level: int
    parent_code: str | None
    postal_code: str


@dataclass
class RegionLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counts_by_level: dict[int, int] = field(default_factory=dict)


def _read_csv(path: Path, columns: tuple[str, str]) -> Iterable[tuple[int, str, str]]:
    if not path.is_file():
        raise RegionDataError(f"Region data file {path.name} is missing from {path.parent.name}/.")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if tuple(header or ()) != columns:
            raise RegionDataError(f"{path.name}: expected columns {','.join(columns)}, got {header}.")
        for line, record in enumerate(reader, start=2):
            if len(record) != 2:
                raise RegionDataError(f"{path.name} line {line}: expected 2 columns, got {len(record)}.")
            yield line, record[0].strip(), record[1].strip()


def region_rows_read(*, province_code: str | None = None, data_dir: Path = DATA_DIR) -> list[RegionRow]:
    """Rows of `wilayah.csv` with postal codes from `kodepos.csv`, parents before children.

    With `province_code`, only that province and its descendants. Raises RegionDataError on any
    malformed row, so a broken file never half-loads.
    """
    postal_codes: dict[str, str] = {}
    for line, code, postal_code in _read_csv(data_dir / POSTAL_CODES_CSV, ("kode", "kodepos")):
        if not _POSTAL_CODE_RE.match(postal_code):
            raise RegionDataError(f"{POSTAL_CODES_CSV} line {line}: {postal_code!r} is not a 5-digit postal code.")
        postal_codes[code] = postal_code

    prefix = f"{province_code}."
    rows: dict[str, RegionRow] = {}
    seen: set[str] = set()
    for line, code, name in _read_csv(data_dir / REGIONS_CSV, ("kode", "nama")):
        if not _CODE_RE.match(code):
            raise RegionDataError(f"{REGIONS_CSV} line {line}: {code!r} is not a Kemendagri region code.")
        if not name or len(name) > _NAME_MAX_LENGTH:
            raise RegionDataError(f"{REGIONS_CSV} line {line}: name of {code} is empty or too long.")
        if code in seen:
            raise RegionDataError(f"{REGIONS_CSV} line {line}: duplicate code {code}.")
        seen.add(code)
        if province_code and code != province_code and not code.startswith(prefix):
            continue
        level = Region.level_of(code)
        rows[code] = RegionRow(
            code=code,
            name=name,
            level=level,
            parent_code=Region.parent_code_of(code),
            # Postal codes are published per desa/kelurahan; a kecamatan spans several.
            postal_code=postal_codes.get(code, "") if level == RegionLevel.VILLAGE else "",
        )

    if province_code and province_code not in rows:
        raise RegionDataError(f"There is no province with code {province_code!r} in {REGIONS_CSV}.")
    for row in rows.values():
        if row.parent_code and row.parent_code not in rows:
            raise RegionDataError(f"{REGIONS_CSV}: {row.code} has no parent region {row.parent_code}.")
    return sorted(rows.values(), key=lambda row: (row.level, row.code))


def _scope_filter(province_code: str | None) -> Q:
    if not province_code:
        return Q()
    return Q(code=province_code) | Q(code__startswith=f"{province_code}.")


def region_counts_by_level(*, province_code: str | None = None) -> dict[int, int]:
    counts = dict(
        Region.objects.filter(_scope_filter(province_code))
        .order_by()
        .values_list("level")
        .annotate(count=Count("code"))
        .values_list("level", "count")
    )
    return {level: counts.get(level, 0) for level in RegionLevel.values}


def regions_load(
    *,
    rows: list[RegionRow],
    province_code: str | None = None,
    batch_size: int = 2000,
    on_progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> RegionLoadResult:
    """Create missing regions and update changed ones; unchanged rows cost nothing but a read.

    `rows` must be ordered parents first (as `region_rows_read` returns them). Regions absent
    from the data are kept: sellers reference them with PROTECT. Runs in one transaction.
    `on_total` gets the number of rows to write, `on_progress` each written batch's size.
    """
    result = RegionLoadResult()
    existing = {
        code: (name, level, parent_id, postal_code)
        for code, name, level, parent_id, postal_code in Region.objects.filter(_scope_filter(province_code))
        .order_by()
        .values_list("code", "name", "level", "parent_id", "postal_code")
        .iterator(chunk_size=10_000)
    }
    to_create: list[Region] = []
    to_update: list[Region] = []
    for row in rows:
        current = existing.get(row.code)
        if current == row[1:]:
            result.unchanged += 1
            continue
        region = Region(
            code=row.code, name=row.name, level=row.level, parent_id=row.parent_code, postal_code=row.postal_code
        )
        (to_create if current is None else to_update).append(region)

    if on_total:
        on_total(len(to_create) + len(to_update))
    with transaction.atomic() if (to_create or to_update) else nullcontext():
        # Rows are sorted by level, so every batch's parents already exist.
        for start in range(0, len(to_create), batch_size):
            batch = to_create[start : start + batch_size]
            Region.objects.bulk_create(batch, batch_size=batch_size)
            if on_progress:
                on_progress(len(batch))
        # bulk_update builds one CASE per field; smaller batches keep those statements cheap.
        update_batch_size = min(batch_size, 500)
        for start in range(0, len(to_update), update_batch_size):
            batch = to_update[start : start + update_batch_size]
            Region.objects.bulk_update(batch, ["name", "level", "parent", "postal_code"])
            if on_progress:
                on_progress(len(batch))

    result.created = len(to_create)
    result.updated = len(to_update)
    result.counts_by_level = region_counts_by_level(province_code=province_code)
    return result
