"""Read-side queries of the programme office dashboard.

Every table is one aggregate query in the database, whatever the number of regions or pesantren:
region rows get their counts from correlated subqueries, never from a query per row.

Definitions shown on the dashboard:
- registered: every pesantren that applied, whatever its status;
- verified: status verified (live);
- selling: verified, and either offers at least one public product in stock or has at least one
  paid order (a sold SellerOrder, as `fulfilment.selectors.sold_seller_orders` defines it);
- a kecamatan is covered when at least one verified pesantren is in it;
- a kecamatan is nominated when one of its mapped pesantren holds a standing nomination.

Scope (which kabupaten a user may see) is decided by programme/access.py; selectors take the
`kabupaten_codes` it allows (None: the whole province).
"""

import datetime
import functools
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from fulfilment.models import SellerOrder
from fulfilment.selectors import sold_seller_orders
from programme.models import (
    ActionItem,
    Cohort,
    MappedPesantren,
    Nomination,
    NominationStatus,
    Participant,
    ProgrammeTarget,
    Stage,
    TargetMeasure,
)
from ratings.selectors import published_reviews
from regions.models import Region, RegionLevel
from sellers.models import Sector, Seller, SellerStatus

StockRecord = get_model("partner", "StockRecord")

BOUNDARY_FILES = {
    RegionLevel.REGENCY: "jawa-barat-kabkota.geojson",
    RegionLevel.DISTRICT: "jawa-barat-kecamatan.geojson",
}


def programme_province_code() -> str:
    return settings.MARKETPLACE_PROGRAMME_PROVINCE_CODE


def sellers_with_selling_flag() -> QuerySet[Seller]:
    """Pesantren annotated with `is_selling` (see the module docstring)."""
    in_stock = StockRecord.objects.filter(
        partner_id=OuterRef("partner_id"),
        product__is_public=True,
        num_in_stock__gt=Coalesce("num_allocated", Value(0)),
    )
    paid = sold_seller_orders().filter(seller_id=OuterRef("pk"))
    return Seller.objects.annotate(
        is_selling=Q(status=SellerStatus.VERIFIED) & (Exists(in_stock) | Exists(paid)),
    )


def programme_counts() -> dict[str, int]:
    """Registered, verified, selling and suspended pesantren across the programme, in one query."""
    verified = Q(status=SellerStatus.VERIFIED)
    return sellers_with_selling_flag().aggregate(
        registered=Count("pk"),
        verified=Count("pk", filter=verified),
        selling=Count("pk", filter=verified & Q(is_selling=True)),
        suspended=Count("pk", filter=Q(status=SellerStatus.SUSPENDED)),
    )


@dataclass(frozen=True)
class TargetProgress:
    target: ProgrammeTarget
    current: int

    @property
    def percent(self) -> int:
        return min(100, int(self.current * 100 / self.target.target_count))

    @property
    def remaining(self) -> int:
        return max(0, self.target.target_count - self.current)


def target_progress(*, counts: dict[str, int]) -> list[TargetProgress]:
    measures = {
        TargetMeasure.REGISTERED: counts["registered"],
        TargetMeasure.VERIFIED: counts["verified"],
        TargetMeasure.SELLING: counts["selling"],
    }
    return [TargetProgress(target=target, current=measures[target.measure]) for target in ProgrammeTarget.objects.all()]


def _sales() -> QuerySet[SellerOrder]:
    return sold_seller_orders().order_by()


def sales_by_sector() -> list[dict]:
    """Paid sales per OPOP sector, every sector listed (zero when none), largest first."""
    rows = {
        row["seller__sector"]: row
        for row in _sales().values("seller__sector").annotate(orders=Count("pk"), total=Sum("subtotal"))
    }
    result = [
        {
            "sector": value,
            "label": str(label),
            "orders": rows.get(value, {}).get("orders", 0),
            "total": rows.get(value, {}).get("total") or Decimal(0),
        }
        for value, label in Sector.choices
    ]
    return sorted(result, key=lambda row: (-row["total"], row["label"]))


def sales_by_kabupaten() -> list[dict]:
    """Paid sales per kabupaten/kota of the selling pesantren, only those with sales, largest first."""
    rows = (
        _sales()
        .values("seller__kabupaten_id", "seller__kabupaten__name")
        .annotate(orders=Count("pk"), total=Sum("subtotal"))
        .order_by("-total", "seller__kabupaten__name")
    )
    return [
        {"code": row["seller__kabupaten_id"], "name": row["seller__kabupaten__name"], **_money_row(row)} for row in rows
    ]


def _money_row(row: dict) -> dict:
    return {"orders": row["orders"], "total": row["total"] or Decimal(0)}


def _count_by(field: str, *, sellers: QuerySet[Seller], distinct: str | None = None):
    """A correlated subquery: how many of `sellers` have `field` equal to the outer region."""
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    subquery = sellers.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=counted).values("n")[:1]
    return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))


def _region_counts(field: str) -> dict:
    flagged = sellers_with_selling_flag()
    return {
        "registered": _count_by(field, sellers=Seller.objects.all()),
        "verified": _count_by(field, sellers=Seller.objects.verified()),
        "selling": _count_by(field, sellers=flagged.filter(is_selling=True)),
        "suspended": _count_by(field, sellers=Seller.objects.filter(status=SellerStatus.SUSPENDED)),
    }


def _standing_nominations() -> QuerySet[Nomination]:
    return Nomination.objects.filter(status=NominationStatus.NOMINATED)


def kabupaten_table(*, province_code: str | None = None, kabupaten_codes=None) -> QuerySet[Region]:
    """The province's kabupaten/kota with pesantren counts, kecamatan coverage and nominations, in one
    query; only `kabupaten_codes` when given."""
    province_code = province_code or programme_province_code()
    kecamatan_total = (
        Region.objects.filter(parent_id=OuterRef("pk"), level=RegionLevel.DISTRICT)
        .order_by()
        .values("parent_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        Region.objects.filter(parent_id=province_code, level=RegionLevel.REGENCY)
        .annotate(
            **_region_counts("kabupaten_id"),
            kecamatan_total=Coalesce(Subquery(kecamatan_total, output_field=IntegerField()), Value(0)),
            kecamatan_covered=_count_by("kabupaten_id", sellers=Seller.objects.verified(), distinct="kecamatan_id"),
            mapped=_count_by("kabupaten_id", sellers=MappedPesantren.objects.all()),
            kecamatan_nominated=_count_by(
                "kecamatan__parent_id", sellers=_standing_nominations(), distinct="kecamatan_id"
            ),
        )
        .annotate(
            kecamatan_uncovered=F("kecamatan_total") - F("kecamatan_covered"),
            kecamatan_without_nominee=F("kecamatan_total") - F("kecamatan_nominated"),
        )
        .filter(**({"code__in": sorted(kabupaten_codes)} if kabupaten_codes is not None else {}))
        .order_by("code")
    )


def kabupaten_for_mapping(*, code: str, province_code: str | None = None) -> Region | None:
    province_code = province_code or programme_province_code()
    return Region.objects.filter(code=code, parent_id=province_code, level=RegionLevel.REGENCY).first()


def kecamatan_table(
    *, kabupaten: Region | None = None, province_code: str | None = None, kabupaten_codes=None
) -> QuerySet[Region]:
    """Kecamatan with pesantren, mapping and nomination counts, in one query: of one kabupaten, of
    `kabupaten_codes`, or of the whole province.

    A kecamatan whose `verified` is 0 is uncovered, and one whose `nominated` is 0 has no nominee yet:
    the programme's to-do list.
    """
    districts = Region.objects.filter(level=RegionLevel.DISTRICT)
    if kabupaten is not None:
        districts = districts.filter(parent=kabupaten)
    else:
        districts = districts.filter(parent__parent_id=province_code or programme_province_code())
    if kabupaten_codes is not None:
        districts = districts.filter(parent_id__in=sorted(kabupaten_codes))
    return (
        districts.select_related("parent")
        .annotate(
            **_region_counts("kecamatan_id"),
            mapped=_count_by("kecamatan_id", sellers=MappedPesantren.objects.all()),
            nominated=_count_by("kecamatan_id", sellers=_standing_nominations()),
        )
        .order_by("parent_id", "code")
    )


def kecamatan_without_pesantren(*, kabupaten: Region | None = None) -> list[Region]:
    return [row for row in kecamatan_table(kabupaten=kabupaten) if row.verified == 0]


def map_counts(*, kabupaten_codes=None) -> dict:
    """Counts per kecamatan code for the map (of `kabupaten_codes` only, when given), from one query."""
    rows = kecamatan_table(kabupaten_codes=kabupaten_codes).values(
        "code", "name", "parent__name", "registered", "verified", "selling", "mapped", "nominated"
    )
    kecamatan = {
        row["code"]: {
            "name": row["name"],
            "kabupaten": row["parent__name"],
            "registered": row["registered"],
            "verified": row["verified"],
            "selling": row["selling"],
            "mapped": row["mapped"],
            "nominated": row["nominated"],
        }
        for row in rows
    }
    return {
        "kecamatan": kecamatan,
        "total": len(kecamatan),
        "uncovered": sum(1 for row in kecamatan.values() if row["verified"] == 0),
        "without_nominee": sum(1 for row in kecamatan.values() if row["nominated"] == 0),
        "max_verified": max((row["verified"] for row in kecamatan.values()), default=0),
    }


@functools.cache
def boundaries(level: int) -> tuple[bytes, str]:
    """The shipped GeoJSON boundaries of a region level, and an ETag; read once per process."""
    path = Path(apps.get_app_config("regions").path) / "data" / BOUNDARY_FILES[level]
    content = path.read_bytes()
    return content, hashlib.sha256(content).hexdigest()[:16]


def directory(
    *, status: str = "", kabupaten_code: str = "", sector: str = "", query: str = "", kabupaten_codes=None
) -> QuerySet[Seller]:
    """Every pesantren for the programme directory, filtered; unknown filter values are ignored."""
    sellers = sellers_with_selling_flag().select_related("kabupaten", "kecamatan")
    if kabupaten_codes is not None:
        sellers = sellers.filter(kabupaten_id__in=sorted(kabupaten_codes))
    if status in SellerStatus.values:
        sellers = sellers.filter(status=status)
    if kabupaten_code:
        sellers = sellers.filter(kabupaten_id=kabupaten_code)
    if sector in Sector.values:
        sellers = sellers.filter(sector=sector)
    for term in query.split():
        sellers = sellers.filter(Q(name__icontains=term) | Q(nspp__icontains=term))
    return sellers.order_by("name", "pk")


# --- Mapping, nominations and cohorts -------------------------------------------------------------


def mapped_list(records: QuerySet[MappedPesantren], *, kecamatan_code: str = "", query: str = "") -> QuerySet:
    """Mapped pesantren (already limited by programme.access) with their standing nomination flag."""
    standing = _standing_nominations().filter(pesantren_id=OuterRef("pk"))
    records = records.select_related("kecamatan", "seller").annotate(is_nominated=Exists(standing))
    if kecamatan_code:
        records = records.filter(kecamatan_id=kecamatan_code)
    for term in query.split():
        records = records.filter(Q(name__icontains=term) | Q(nspp__icontains=term) | Q(products__icontains=term))
    return records.order_by("kecamatan_id", "name", "pk")


def nomination_history(*, pesantren: MappedPesantren) -> list:
    from programme.models import NominationEvent

    return list(
        NominationEvent.objects.filter(nomination__pesantren=pesantren)
        .select_related("actor", "nomination")
        .order_by("created_at", "pk")
    )


def current_cohort() -> Cohort | None:
    return Cohort.objects.order_by("-year").first()


def cohort_stages(cohort: Cohort) -> list[Stage]:
    return list(cohort.stages.order_by("position"))


@dataclass
class FunnelRow:
    code: str
    name: str
    counts: list[int]  # participants at each stage, in stage order

    @property
    def total(self) -> int:
        return sum(self.counts)


def funnel(*, cohort: Cohort, stages: list[Stage], kabupaten: QuerySet[Region]) -> list[FunnelRow]:
    """Participants of the cohort at each stage, per kabupaten in `kabupaten` (two queries in all).

    Only kabupaten with participants are listed; the last row is the total.
    """
    kabupaten_names = dict(kabupaten.values_list("code", "name"))
    counts = (
        Participant.objects.filter(cohort=cohort, pesantren__kabupaten_id__in=list(kabupaten_names))
        .order_by()
        .values("pesantren__kabupaten_id", "stage_id")
        .annotate(n=Count("pk"))
    )
    position = {stage.pk: index for index, stage in enumerate(stages)}
    rows: dict[str, FunnelRow] = {}
    for row in counts:
        code = row["pesantren__kabupaten_id"]
        funnel_row = rows.setdefault(code, FunnelRow(code=code, name=kabupaten_names[code], counts=[0] * len(stages)))
        funnel_row.counts[position[row["stage_id"]]] += row["n"]
    ordered = [rows[code] for code in sorted(rows)]
    total = FunnelRow(code="", name="", counts=[sum(r.counts[i] for r in ordered) for i in range(len(stages))])
    return [*ordered, total]


# --- Mentoring: the marketplace's own figures before and since the mentor came --------------------

PROGRESS_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Figures:
    """A pesantren's marketplace figures over a period: paid sales (IDR), orders and pesantren rating."""

    sales: Decimal
    orders: int
    rating: Decimal | None
    reviews: int


NO_FIGURES = Figures(sales=Decimal(0), orders=0, rating=None, reviews=0)


@dataclass(frozen=True)
class MentoringProgress:
    """One assignment on the mentor's dashboard. `before` covers the `window_days` days before the
    first visit, `since` the days from the first visit to today; both None until a first visit, and
    for a pesantren not registered on the marketplace yet (it has no figures)."""

    assignment: object
    first_visit: datetime.date | None
    last_visit: datetime.date | None
    open_actions: int
    window_days: int
    since_days: int
    before: Figures | None
    since: Figures | None

    @property
    def registered(self) -> bool:
        return self.assignment.pesantren.seller_id is not None

    @property
    def sales_change(self) -> Decimal | None:
        if self.before is None or self.since is None:
            return None
        return self.since.sales - self.before.sales


def _periods(first_visits: dict[int, datetime.date], *, field: str, days: int) -> Case:
    """'before' or 'since' for a row of seller `seller_id` by its `field` date, per seller's first visit."""
    whens = []
    for seller_id, first in first_visits.items():
        start = first - datetime.timedelta(days=days)
        whens.append(When(seller_id=seller_id, **{f"{field}__gte": start, f"{field}__lt": first}, then=Value("before")))
        whens.append(When(seller_id=seller_id, **{f"{field}__gte": first}, then=Value("since")))
    return Case(*whens, default=Value(""), output_field=CharField())


def mentoring_progress(
    assignments: QuerySet, *, today: datetime.date | None = None, days: int = PROGRESS_WINDOW_DAYS
) -> list[MentoringProgress]:
    """The assignments (from programme.access) with last visit, open actions and before/since figures.

    Three queries whatever the number of assignments: the assignments with their visit dates, the
    sales and orders of every pesantren grouped by period, and their ratings grouped by period.
    """
    today = today or timezone.localdate()
    open_actions = (
        ActionItem.objects.filter(visit__assignment_id=OuterRef("pk"), done_at__isnull=True)
        .order_by()
        .values("visit__assignment_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = list(
        assignments.select_related("pesantren__kecamatan", "pesantren__kabupaten", "pesantren__seller")
        .annotate(
            first_visit=Min("visits__visited_on"),
            last_visit=Max("visits__visited_on"),
            open_actions=Coalesce(Subquery(open_actions, output_field=IntegerField()), 0),
        )
        .order_by("pesantren__name", "pk")
    )
    # A pesantren mentored twice (two assignments) is measured from the earliest first visit.
    first_visits: dict[int, datetime.date] = {}
    for row in rows:
        seller_id = row.pesantren.seller_id
        if seller_id and row.first_visit:
            first_visits[seller_id] = min(row.first_visit, first_visits.get(seller_id, row.first_visit))
    sales, ratings = {}, {}
    if first_visits:
        sales = {
            (row["seller_id"], row["period"]): row
            for row in sold_seller_orders()
            .filter(seller_id__in=first_visits)
            .annotate(period=_periods(first_visits, field="paid_at__date", days=days))
            .exclude(period="")
            .order_by()
            .values("seller_id", "period")
            .annotate(total=Sum("subtotal"), orders=Count("pk"))
        }
        ratings = {
            (row["seller_id"], row["period"]): row
            for row in published_reviews()
            .filter(seller_id__in=first_visits)
            .annotate(period=_periods(first_visits, field="created_at__date", days=days))
            .exclude(period="")
            .order_by()
            .values("seller_id", "period")
            .annotate(average=Avg("seller_rating"), reviews=Count("pk"))
        }

    def figures(seller_id: int, period: str) -> Figures:
        sold, rated = sales.get((seller_id, period), {}), ratings.get((seller_id, period), {})
        average = rated.get("average")
        return Figures(
            sales=sold.get("total") or Decimal(0),
            orders=sold.get("orders", 0),
            rating=Decimal(str(average)) if average is not None else None,
            reviews=rated.get("reviews", 0),
        )

    result = []
    for row in rows:
        seller_id = row.pesantren.seller_id
        measured = seller_id in first_visits
        first = first_visits.get(seller_id) if measured else row.first_visit
        result.append(
            MentoringProgress(
                assignment=row,
                first_visit=row.first_visit,
                last_visit=row.last_visit,
                open_actions=row.open_actions,
                window_days=days,
                since_days=(today - first).days + 1 if first else 0,
                before=figures(seller_id, "before") if measured else None,
                since=figures(seller_id, "since") if measured else None,
            )
        )
    return result


def next_action_items(items: QuerySet, *, limit: int = 10) -> list:
    """Open action items (from programme.access) soonest due first, with their pesantren: one query."""
    return list(
        items.filter(done_at__isnull=True)
        .select_related("visit__assignment__pesantren")
        .order_by("due_on", "pk")[:limit]
    )
