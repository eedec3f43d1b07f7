"""The programme's open data: public aggregates and the list of verified pesantren, as CSV and JSON.

Column names are stable English identifiers (docs/open-data.md describes each one); they are not
translated, so scripts keep working whatever the site's language. Nothing personal is published: no
staff or contact names, emails, phone numbers, addresses or bank data, and no sales figures (in a
kabupaten with one selling pesantren they would be one business's turnover).

CSV files are written by programme.exports.to_csv: UTF-8 with a byte order mark, and text cells a
spreadsheet would run as a formula (starting with = + - @) are prefixed with an apostrophe.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from programme.exports import to_csv
from reports import selectors
from sellers.models import Sector

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "Pasar Pesantren, program One Pesantren One Product (OPOP) Jawa Barat"
CACHE_PREFIX = "open-data:v1:"

REGION_FIELDS = [
    "kecamatan_count",
    "kecamatan_with_verified_pesantren",
    "pesantren_mapped",
    "pesantren_registered",
    "pesantren_verified",
    "pesantren_selling",
    "pesantren_nominated",
    "cohort_year",
    "cohort_participants",
    "cohort_champions",
    "products_listed",
]


def _region_values(row: selectors.ProgressRow, cohort) -> list:
    return [
        row.kecamatan_total,
        row.kecamatan_covered,
        row.mapped,
        row.registered,
        row.verified,
        row.selling,
        row.nominated,
        cohort.year if cohort else None,
        row.in_cohort,
        row.champions,
        row.products,
    ]


def kabupaten_rows() -> tuple[list[str], list[list]]:
    progress = selectors.kabupaten_progress(period=None)
    header = ["kabupaten_code", "kabupaten_name", *REGION_FIELDS]
    return header, [[row.code, row.name, *_region_values(row, progress.cohort)] for row in progress.rows]


def kecamatan_rows() -> tuple[list[str], list[list]]:
    progress = selectors.kecamatan_progress(period=None)
    header = ["kecamatan_code", "kecamatan_name", "kabupaten_code", "kabupaten_name", *REGION_FIELDS[2:]]
    rows = [
        [row.code, row.name, row.kabupaten_code, row.kabupaten_name, *_region_values(row, progress.cohort)[2:]]
        for row in progress.rows
    ]
    return header, rows


def pesantren_rows() -> tuple[list[str], list[list]]:
    header = [
        "name",
        "kabupaten_code",
        "kabupaten_name",
        "kecamatan_code",
        "kecamatan_name",
        "sector",
        "sector_label",
        "product_count",
        "storefront_url",
    ]
    labels = dict(Sector.choices)
    site = settings.MARKETPLACE_SITE_URL.rstrip("/")
    rows = [
        [
            seller.name,
            seller.kabupaten.code,
            seller.kabupaten.name,
            seller.kecamatan.code,
            seller.kecamatan.name,
            seller.sector,
            str(labels.get(seller.sector, seller.sector)),
            seller.product_count,
            site + seller.get_absolute_url(),
        ]
        for seller in selectors.verified_pesantren()
    ]
    return header, rows


@dataclass(frozen=True)
class Dataset:
    slug: str
    build: Callable[[], tuple[list[str], list[list]]]


DATASETS = {
    "kabupaten": Dataset("kabupaten", kabupaten_rows),
    "kecamatan": Dataset("kecamatan", kecamatan_rows),
    "pesantren": Dataset("pesantren", pesantren_rows),
}
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def render(dataset: Dataset, fmt: str) -> bytes:
    """The file's bytes; labels (the sector's) in the site's language whatever the visitor's."""
    with translation.override(settings.LANGUAGE_CODE):
        header, rows = dataset.build()
    if fmt == "csv":
        return to_csv(header, rows)
    document = {
        "dataset": dataset.slug,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "fields": header,
        "rows": [dict(zip(header, row, strict=True)) for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def cache_seconds() -> int:
    return settings.MARKETPLACE_OPEN_DATA_CACHE_SECONDS


def cached_file(slug: str, fmt: str) -> bytes:
    """The file, cached for `MARKETPLACE_OPEN_DATA_CACHE_SECONDS` (0: built on every request).

    The cache degrades to misses while Redis is down (core.cache), so the file is then built anew."""
    dataset = DATASETS[slug]
    seconds = cache_seconds()
    if not seconds:
        return render(dataset, fmt)
    key = f"{CACHE_PREFIX}{slug}.{fmt}"
    content = cache.get(key)
    if content is None:
        content = render(dataset, fmt)
        cache.set(key, content, seconds)
    return content
