"""A small competition world: the provincial office, judges, pesantren with products, a competition."""

import datetime

from django.utils import timezone

from competitions import services
from competitions.models import CompetitionJudge
from programme.access import scope_for
from programme.models import RoleKind
from programme.tests.helpers import make_provincial_officer, make_role
from tests.factories import make_region_tree, make_seller, make_seller_product

CRITERIA = [("Rasa", 10, 30), ("Kemasan", 10, 20), ("Legalitas", 5, 50)]
ROUNDS = [("Penjurian", 2), ("Final", None)]


def make_competition(office, *, blind=True, rounds=ROUNDS, criteria=CRITERIA, harapan_count=1, **fields):
    today = timezone.localdate()
    return services.competition_create(
        scope=scope_for(office),
        name=fields.pop("name", "Lomba Produk Unggulan OPOP"),
        year=fields.pop("year", 2027),
        sector=fields.pop("sector", ""),
        opens_on=fields.pop("opens_on", today - datetime.timedelta(days=1)),
        closes_on=fields.pop("closes_on", today + datetime.timedelta(days=10)),
        blind=blind,
        criteria=criteria,
        rounds=rounds,
        harapan_count=harapan_count,
        created_by=office,
    )


def make_world(*, pesantren=3, blind=True, rounds=ROUNDS, harapan_count=1):
    regions = make_region_tree()
    office = make_provincial_officer()
    competition = make_competition(office, blind=blind, rounds=rounds, harapan_count=harapan_count)
    judges = [make_role(RoleKind.JUDGE) for _ in range(2)]
    for judge in judges:
        CompetitionJudge.objects.create(competition=competition, judge=judge)
    sellers, entries = [], []
    for number in range(pesantren):
        seller = make_seller(name=f"Pondok Lomba {number + 1}", regions=regions)
        product = make_seller_product(seller, title=f"Keripik Lomba {number + 1}")
        sellers.append(seller)
        entries.append(
            services.entry_submit(seller=seller, competition=competition, product=product, entered_by=seller.owner)
        )
    return {
        "regions": regions,
        "office": office,
        "competition": competition,
        "judges": judges,
        "sellers": sellers,
        "entries": entries,
    }


def points_for(competition, *values):
    """Points per criterion id, in the rubric's order."""
    criteria = competition.criteria.order_by("position")
    return {criterion.pk: value for criterion, value in zip(criteria, values, strict=False)}


def score(judge, entry, *values):
    return services.scorecard_submit(scope=scope_for(judge), entry=entry, points=points_for(entry.competition, *values))
