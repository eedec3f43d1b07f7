"""Read-side queries of the programme reports and the open data.

Every table is built from a fixed number of aggregate queries, whatever the number of regions or
pesantren: the region rows come from programme.selectors (`kabupaten_table`, `kecamatan_table`:
one query each), then one grouped query per measure (nominations, cohort stages, products, sales,
orders, mentor visits) fills every row at once. No query is made per row.

Definitions (the programme's, see programme/selectors.py for registered, verified and selling):
- mapped: pesantren a district office recorded (programme.MappedPesantren), registered or not;
- nominated: mapped pesantren holding a standing nomination;
- in the cohort: participants of the current cohort (the latest year), per stage; the champions
  are those at the cohort's last stage;
- products listed: public products (a product with variants counts once) with a stock record at a
  verified pesantren;
- sales and orders: the goods subtotals and number of pesantren orders paid in the period and not
  cancelled or refunded since (`fulfilment.selectors.sold_seller_orders`), without shipping;
- mentor visits: visits logged with a visit date in the period.

Scope is programme/access.py's: selectors take the kabupaten codes it allows.
"""

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from fulfilment.selectors import sold_seller_orders
from programme import selectors as programme_selectors
from programme.models import (
    Cohort,
    MappedPesantren,
    MentorVisit,
    Nomination,
    NominationStatus,
    Participant,
    ProgrammeTarget,
    Stage,
)
from programme.selectors import TargetProgress
from regions.models import Region
from sellers.models import Seller, SellerStatus

StockRecord = get_model("partner", "StockRecord")


@dataclasses.dataclass(frozen=True)
class Period:
    """A reporting period, both days included (local dates)."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def year_to_date(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(start=today.replace(month=1, day=1), end=today)


@dataclasses.dataclass
class ProgressRow:
    """One region's progress: a kabupaten/kota, a kecamatan, or the total of a table."""

    code: str
    name: str
    stage_count: int
    kabupaten_code: str = ""  # a kecamatan's kabupaten/kota
    kabupaten_name: str = ""
    kecamatan_total: int = 0
    kecamatan_covered: int = 0
    mapped: int = 0
    registered: int = 0
    verified: int = 0
    selling: int = 0
    nominated: int = 0
    products: int = 0
    orders: int = 0
    sales: Decimal = Decimal(0)
    visits: int = 0
    stages: list[int] = dataclasses.field(default_factory=list)

    def __post_init__(self):
        if not self.stages:
            self.stages = [0] * self.stage_count

    @property
    def in_cohort(self) -> int:
        return sum(self.stages)

    @property
    def champions(self) -> int:
        return self.stages[-1] if self.stages else 0


@dataclasses.dataclass
class Progress:
    """A progress table: its rows, their total, the cohort and its stages, and the targets."""

    rows: list[ProgressRow]
    total: ProgressRow
    cohort: Cohort | None
    stages: list[Stage]
    targets: list[TargetProgress]
    period: Period | None


# The paths from each counted model to a pesantren's region fields (`…kabupaten_id`, `…kecamatan_id`).
_SELLER = ""
_NOMINATION = "pesantren__"
_PARTICIPANT = "pesantren__"
_STOCK = "partner__seller__"
_SOLD = "seller__"
_VISIT = "assignment__pesantren__"

SUMMED = ("kecamatan_total", "kecamatan_covered", "mapped", "registered", "verified", "selling", "nominated")
SUMMED += ("products", "orders", "sales", "visits")


def _grouped(queryset, key: str, **aggregates) -> dict:
    """{region code: {aggregate: value}} from one GROUP BY query."""
    return {row[key]: row for row in queryset.order_by().values(key).annotate(**aggregates)}


def _fill(
    rows: list[ProgressRow], *, level: str, kabupaten_codes: list[str], stages: list[Stage], cohort, period
) -> None:
    """Fill the rows' other measures, one grouped query each, limited to `kabupaten_codes`."""
    by_code = {row.code: row for row in rows}

    def limit(queryset, path: str):
        return queryset.filter(**{f"{path}kabupaten_id__in": kabupaten_codes})

    def add(queryset, path: str, **aggregates):
        key = f"{path}{level}_id"
        for code, values in _grouped(limit(queryset, path), key, **aggregates).items():
            row = by_code.get(code)
            if row is not None:
                for name in aggregates:
                    setattr(row, name, values[name] or getattr(row, name))

    add(Nomination.objects.filter(status=NominationStatus.NOMINATED), _NOMINATION, nominated=Count("pk"))
    add(
        StockRecord.objects.filter(product__is_public=True, partner__seller__status=SellerStatus.VERIFIED),
        _STOCK,
        products=Count(Coalesce("product__parent_id", "product_id"), distinct=True),
    )
    if period is not None:
        sold = sold_seller_orders().filter(paid_at__date__gte=period.start, paid_at__date__lte=period.end)
        add(sold, _SOLD, orders=Count("pk"), sales=Sum("subtotal"))
        visits = MentorVisit.objects.filter(visited_on__gte=period.start, visited_on__lte=period.end)
        add(visits, _VISIT, visits=Count("pk"))
    if cohort is not None and stages:
        position = {stage.pk: index for index, stage in enumerate(stages)}
        key = f"{_PARTICIPANT}{level}_id"
        counts = (
            limit(Participant.objects.filter(cohort=cohort), _PARTICIPANT)
            .order_by()
            .values(key, "stage_id")
            .annotate(n=Count("pk"))
        )
        for entry in counts:
            row = by_code.get(entry[key])
            if row is not None and entry["stage_id"] in position:
                row.stages[position[entry["stage_id"]]] += entry["n"]


def _total(rows: list[ProgressRow], stage_count: int) -> ProgressRow:
    total = ProgressRow(code="", name="", stage_count=stage_count)
    for row in rows:
        for name in SUMMED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.stages = [a + b for a, b in zip(total.stages, row.stages, strict=True)]
    return total


def _targets(total: ProgressRow) -> list[TargetProgress]:
    """The programme's targets (of every cohort, and those without one) against the table's total."""
    measures = {"registered": total.registered, "verified": total.verified, "selling": total.selling}
    return [
        TargetProgress(target=target, current=measures.get(target.measure, 0))
        for target in ProgrammeTarget.objects.select_related("cohort")
    ]


def _cohort() -> tuple[Cohort | None, list[Stage]]:
    cohort = programme_selectors.current_cohort()
    return cohort, (programme_selectors.cohort_stages(cohort) if cohort else [])


def _row(region: Region, stages: list[Stage], **extra) -> ProgressRow:
    """A row from a region of programme.selectors' tables, with the counts they annotate."""
    counts = {name: getattr(region, name) for name in ("mapped", "registered", "verified", "selling")}
    return ProgressRow(code=region.code, name=region.name, stage_count=len(stages), **counts, **extra)


def kabupaten_progress(*, kabupaten_codes=None, period: Period | None) -> Progress:
    """Progress per kabupaten/kota of the province (only `kabupaten_codes` when given).

    With `period` None (the open data), sales, orders and mentor visits are left out."""
    cohort, stages = _cohort()
    rows = [
        _row(region, stages, kecamatan_total=region.kecamatan_total, kecamatan_covered=region.kecamatan_covered)
        for region in programme_selectors.kabupaten_table(kabupaten_codes=kabupaten_codes)
    ]
    codes = [row.code for row in rows]
    _fill(rows, level="kabupaten", kabupaten_codes=codes, stages=stages, cohort=cohort, period=period)
    total = _total(rows, len(stages))
    return Progress(rows=rows, total=total, cohort=cohort, stages=stages, targets=_targets(total), period=period)


def kecamatan_progress(*, kabupaten: Region | None = None, period: Period | None) -> Progress:
    """Progress per kecamatan of one kabupaten/kota (or of the whole province when None)."""
    cohort, stages = _cohort()
    regions = list(programme_selectors.kecamatan_table(kabupaten=kabupaten))
    rows = [
        _row(
            region,
            stages,
            kecamatan_total=1,
            kecamatan_covered=1 if region.verified else 0,
            kabupaten_code=region.parent_id,
            kabupaten_name=region.parent.name,
        )
        for region in regions
    ]
    codes = sorted({region.parent_id for region in regions})
    _fill(rows, level="kecamatan", kabupaten_codes=codes, stages=stages, cohort=cohort, period=period)
    total = _total(rows, len(stages))
    return Progress(rows=rows, total=total, cohort=cohort, stages=stages, targets=_targets(total), period=period)


def verified_pesantren():
    """The open data's list of verified pesantren with their listed products (one query)."""
    products = (
        StockRecord.objects.filter(partner_id=OuterRef("partner_id"), product__is_public=True)
        .order_by()
        .values("partner_id")
        .annotate(n=Count(Coalesce("product__parent_id", "product_id"), distinct=True))
        .values("n")[:1]
    )
    return (
        Seller.objects.verified()
        .filter(kabupaten__parent_id=programme_selectors.programme_province_code())
        .select_related("kabupaten", "kecamatan")
        .annotate(product_count=Coalesce(Subquery(products, output_field=IntegerField()), Value(0)))
        .only("name", "slug", "sector", "kabupaten__code", "kabupaten__name", "kecamatan__code", "kecamatan__name")
        .order_by("kabupaten_id", "kecamatan_id", "name", "pk")
    )


@dataclasses.dataclass
class PesantrenRow:
    """One pesantren of a kecamatan: its mapping record and its registration, either of which may be missing."""

    name: str
    record: MappedPesantren | None = None
    seller: Seller | None = None
    is_nominated: bool = False
    stage: Stage | None = None
    products: int = 0
    orders: int = 0
    sales: Decimal = Decimal(0)
    visits: int = 0

    @property
    def is_verified(self) -> bool:
        return self.seller is not None and self.seller.status == SellerStatus.VERIFIED

    @property
    def is_selling(self) -> bool:
        return self.seller is not None and bool(self.seller.is_selling)


@dataclasses.dataclass
class KecamatanDetail:
    kecamatan: Region
    rows: list[PesantrenRow]
    total: ProgressRow
    cohort: Cohort | None
    stages: list[Stage]
    period: Period


def kecamatan_detail(*, kecamatan: Region, period: Period) -> KecamatanDetail:
    """The pesantren of one kecamatan, mapped or registered, with their measures (seven queries in all).

    The total row is summed from the pesantren rows, by the same definitions as the tables above."""
    cohort, stages = _cohort()
    stage_by_pk = {stage.pk: stage for stage in stages}
    participation = Participant.objects.filter(cohort=cohort, pesantren_id=OuterRef("pk")).values("stage_id")[:1]
    standing = Nomination.objects.filter(status=NominationStatus.NOMINATED, pesantren_id=OuterRef("pk"))
    records = list(
        MappedPesantren.objects.filter(kecamatan=kecamatan)
        .annotate(is_nominated=Exists(standing), stage_pk=Subquery(participation))
        .order_by("name", "pk")
    )
    sellers = {
        seller.pk: seller
        for seller in programme_selectors.sellers_with_selling_flag().filter(kecamatan=kecamatan).order_by("name", "pk")
    }
    products = _grouped(
        StockRecord.objects.filter(product__is_public=True, partner__seller__kecamatan=kecamatan),
        "partner__seller__id",
        n=Count(Coalesce("product__parent_id", "product_id"), distinct=True),
    )
    sold = sold_seller_orders().filter(
        seller__kecamatan=kecamatan, paid_at__date__gte=period.start, paid_at__date__lte=period.end
    )
    sales = _grouped(sold, "seller_id", orders=Count("pk"), sales=Sum("subtotal"))
    visits = _grouped(
        MentorVisit.objects.filter(
            assignment__pesantren__kecamatan=kecamatan, visited_on__gte=period.start, visited_on__lte=period.end
        ),
        "assignment__pesantren_id",
        n=Count("pk"),
    )

    rows = []
    for record in records:
        rows.append(
            PesantrenRow(
                name=record.name,
                record=record,
                seller=sellers.pop(record.seller_id, None),
                is_nominated=record.is_nominated,
                stage=stage_by_pk.get(record.stage_pk),
                visits=visits.get(record.pk, {}).get("n", 0),
            )
        )
    rows += [PesantrenRow(name=seller.name, seller=seller) for seller in sellers.values()]
    for row in rows:
        if row.seller is not None:
            row.products = products.get(row.seller.pk, {}).get("n", 0) if row.is_verified else 0
            row.orders = sales.get(row.seller.pk, {}).get("orders", 0)
            row.sales = sales.get(row.seller.pk, {}).get("sales") or Decimal(0)
    rows.sort(key=lambda row: (row.name, row.record.pk if row.record else 0))
    return KecamatanDetail(
        kecamatan=kecamatan,
        rows=rows,
        total=_pesantren_total(rows, stages),
        cohort=cohort,
        stages=stages,
        period=period,
    )


def _pesantren_total(rows: list[PesantrenRow], stages: list[Stage]) -> ProgressRow:
    position = {stage.pk: index for index, stage in enumerate(stages)}
    total = ProgressRow(code="", name="", stage_count=len(stages), kecamatan_total=1)
    for row in rows:
        total.mapped += row.record is not None
        total.registered += row.seller is not None
        total.verified += row.is_verified
        total.selling += row.is_selling
        total.nominated += row.is_nominated
        total.products += row.products
        total.orders += row.orders
        total.sales += row.sales
        total.visits += row.visits
        if row.stage is not None:
            total.stages[position[row.stage.pk]] += 1
    total.kecamatan_covered = 1 if total.verified else 0
    return total
