"""The competitions part of the demo world: a judge, a finished competition with winners, one being judged.

- a judge (`juri@`), assigned to both competitions, with no link to any entrant;
- Lomba Produk Unggulan OPOP of the previous year, finished: entries from several demo pesantren,
  the selection round scored and closed (the best three are finalists), the final scored and closed
  with juara 1–3 and an honourable mention, so the winner's storefront and product page show a badge;
- this year's competition in judging, blind, with entries and its first round open: the judge has
  scored one entry and the others wait for them.

Everything goes through competitions.services and is found again by (name, year): a second run
writes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from competitions import services
from competitions.models import Competition, CompetitionJudge, Entry
from marketplace.demo.services import DemoUser, SeedResult, _email, _ensure_user
from programme.access import scope_for
from programme.models import ProgrammeRole, RoleKind
from sellers.models import Seller

Product = get_model("catalogue", "Product")

JUDGE = DemoUser(gettext_lazy("judge (competitions, blind scoring)"), _email("juri"), "Dewi", "Lestari")
NAME = "Lomba Produk Unggulan OPOP"
CRITERIA = [
    ("Rasa dan mutu", 10, 30),
    ("Kemasan dan label", 10, 20),
    ("Legalitas (halal, P-IRT, BPOM)", 10, 20),
    ("Potensi pasar", 10, 30),
]
# Points per entry in the finished competition: (selection round, final), one row per entrant.
FINISHED_POINTS = [
    ((9, 8, 10, 9), (9, 9, 10, 9)),
    ((8, 9, 9, 8), (8, 8, 9, 9)),
    ((8, 7, 9, 8), (7, 8, 8, 8)),
    ((6, 7, 8, 6), None),
    ((5, 6, 7, 5), None),
]


def _entrants(count: int) -> list[tuple[Seller, object]]:
    """The first verified food pesantren with a product each (the demo pesantren 1 and 2 among them)."""
    found = []
    for seller in Seller.objects.verified().filter(partner__isnull=False).order_by("nspp"):
        product = Product.objects.filter(stockrecords__partner_id=seller.partner_id).order_by("pk").first()
        if product is not None:
            found.append((seller, product))
        if len(found) == count:
            break
    return found


def _points(competition, values) -> dict[int, int]:
    return dict(zip(competition.criteria.order_by("position").values_list("pk", flat=True), values, strict=True))


def _create(*, officer, judge, year: int, blind: bool, rounds, entrants) -> Competition:
    today = timezone.localdate()
    competition = services.competition_create(
        scope=scope_for(officer),
        name=NAME,
        year=year,
        sector="",
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=1),
        blind=blind,
        criteria=CRITERIA,
        rounds=rounds,
        harapan_count=1,
        created_by=officer,
    )
    CompetitionJudge.objects.create(competition=competition, judge=judge)
    for seller, product in entrants:
        services.entry_submit(seller=seller, competition=competition, product=product, entered_by=seller.owner)
    return competition


def seed_competitions(*, officer, password_hash: str, result: SeedResult) -> None:
    """Add the competitions' demo data that is missing. `officer` is the provincial office's login."""
    entrants = _entrants(len(FINISHED_POINTS))
    if len(entrants) < 3:
        return
    with transaction.atomic():
        judge, created = _ensure_user(JUDGE, password_hash=password_hash)
        result.users_created += created
        result.logins.append((str(JUDGE.role), JUDGE.email))
        ProgrammeRole.objects.get_or_create(user=judge, kind=RoleKind.JUDGE)
        office = scope_for(officer)
        judging = scope_for(judge)
        year = timezone.localdate().year

        if not Competition.objects.filter(name=NAME, year=year - 1).exists():
            finished = _create(
                officer=officer,
                judge=judge,
                year=year - 1,
                blind=True,
                rounds=[("Seleksi dan penjurian", 3), ("Final", None)],
                entrants=entrants,
            )
            selection = services.judging_start(scope=office, competition=finished, actor=officer)
            entries = list(Entry.objects.filter(competition=finished).order_by("code"))
            for entry, (first, _final) in zip(entries, FINISHED_POINTS, strict=False):
                services.scorecard_submit(scope=judging, entry=entry, points=_points(finished, first))
            services.round_close(scope=office, round_=selection, actor=officer)
            final = finished.rounds.get(position=2)
            for entry, (_first, last) in zip(entries, FINISHED_POINTS, strict=False):
                if last is not None:
                    entry.refresh_from_db()
                    services.scorecard_submit(scope=judging, entry=entry, points=_points(finished, last))
            services.round_close(scope=office, round_=final, actor=officer)
            result.business_created += 1

        if not Competition.objects.filter(name=NAME, year=year).exists():
            current = _create(
                officer=officer,
                judge=judge,
                year=year,
                blind=True,
                rounds=[("Seleksi administrasi", 4), ("Penjurian", 2), ("Final", None)],
                entrants=entrants,
            )
            services.judging_start(scope=office, competition=current, actor=officer)
            first_entry = Entry.objects.filter(competition=current).order_by("code").first()
            services.scorecard_submit(scope=judging, entry=first_entry, points=_points(current, (8, 7, 9, 8)))
            result.business_created += 1
