"""Reads of competitions: the ranking of a round, a judge's work list, a pesantren's entries.

Each function takes querysets already scoped by competitions/access.py.

**The ranking.** A judge's score of an entry is the weighted average of their points, each
criterion counted as a share of its maximum: sum(weight × points / max) / sum(weight) × 100, so
0–100. An entry's score in a round is the mean of its judges' scores. Equal scores are broken by
the criteria in order of weight (highest first, then the rubric's order), each compared on the
judges' mean share of its maximum; entries equal on all of them keep the order they were entered in.
Each tie is explained on the row. Computed exactly (fractions), shown with two decimals.
"""

import dataclasses
from collections import defaultdict
from fractions import Fraction

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from competitions.models import Competition, Criterion, Entry, EntryStatus, Round, Score, Scorecard


@dataclasses.dataclass
class RankedEntry:
    entry: Entry
    rank: int
    score: Fraction
    judges: int
    shares: dict[int, Fraction]
    tie_note: str = ""

    @property
    def score_display(self) -> float:
        return float(self.score)


def criteria_of(competition: Competition) -> list[Criterion]:
    return list(competition.criteria.order_by("position"))


def rounds_of(competition: Competition) -> list[Round]:
    return list(competition.rounds.order_by("position"))


def next_round(round_: Round) -> Round | None:
    return (
        Round.objects.filter(competition_id=round_.competition_id, position__gt=round_.position)
        .order_by("position")
        .first()
    )


def judge_score(points: dict[int, int], criteria: list[Criterion]) -> Fraction:
    """One judge's weighted score (0–100) from their points per criterion id."""
    total_weight = sum(criterion.weight for criterion in criteria)
    earned = sum(
        Fraction(criterion.weight * points.get(criterion.pk, 0), criterion.max_points) for criterion in criteria
    )
    return earned * 100 / total_weight


def ranking(round_: Round, entries: QuerySet[Entry]) -> list[RankedEntry]:
    """The entries competing in `round_` (those of `entries`), best first, with ties explained."""
    criteria = criteria_of(round_.competition)
    competing = list(
        entries.filter(round=round_)
        .exclude(status=EntryStatus.ELIMINATED)
        .select_related("product", "seller")
        .order_by("created_at", "pk")
    )
    points: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for entry_id, card_id, criterion_id, value in Score.objects.filter(
        scorecard__round=round_, scorecard__entry__in=[entry.pk for entry in competing]
    ).values_list("scorecard__entry_id", "scorecard_id", "criterion_id", "points"):
        points[entry_id][card_id][criterion_id] = value
    rows = []
    for entry in competing:
        cards = points.get(entry.pk, {})
        judge_scores = [judge_score(card, criteria) for card in cards.values()]
        score = sum(judge_scores, Fraction(0)) / len(judge_scores) if judge_scores else Fraction(0)
        shares = {
            criterion.pk: (
                sum((Fraction(card.get(criterion.pk, 0), criterion.max_points) for card in cards.values()), Fraction(0))
                / len(cards)
                if cards
                else Fraction(0)
            )
            for criterion in criteria
        }
        rows.append(RankedEntry(entry=entry, rank=0, score=score, judges=len(cards), shares=shares))
    by_weight = sorted(criteria, key=lambda criterion: (-criterion.weight, criterion.position))
    order = {entry.pk: index for index, entry in enumerate(competing)}
    rows.sort(key=lambda row: (-row.score, *(-row.shares[c.pk] for c in by_weight), order[row.entry.pk]))
    for index, row in enumerate(rows):
        row.rank = index + 1
        if index and rows[index - 1].score == row.score:
            row.tie_note = _tie_note(rows[index - 1], row, by_weight)
    return rows


def _tie_note(above: RankedEntry, row: RankedEntry, by_weight: list[Criterion]) -> str:
    for criterion in by_weight:
        if above.shares[criterion.pk] != row.shares[criterion.pk]:
            return _(
                "Same score as %(code)s; placed below on “%(criterion)s”, "
                "the highest-weighted criterion where they differ."
            ) % {
                "code": above.entry.code,
                "criterion": criterion.name,
            }
    return _("Same score as %(code)s on every criterion; placed below because it was entered later.") % {
        "code": above.entry.code
    }


def scorecard_of(*, entry: Entry, round_: Round, judge) -> Scorecard | None:
    return Scorecard.objects.filter(entry=entry, round=round_, judge=judge).prefetch_related("scores").first()


def judge_work(entries: QuerySet[Entry], *, round_: Round | None, judge) -> list[dict]:
    """A judge's list for the open round: each entry they may see, and whether they scored it."""
    if round_ is None:
        return []
    scored = set(Scorecard.objects.filter(round=round_, judge=judge).values_list("entry_id", flat=True))
    competing = entries.filter(round=round_).exclude(status=EntryStatus.ELIMINATED).select_related("product", "seller")
    return [{"entry": entry, "scored": entry.pk in scored} for entry in competing.order_by("code")]


def open_round(competition: Competition) -> Round | None:
    return competition.rounds.filter(status="open").first()


def open_competitions_for(seller) -> QuerySet[Competition]:
    from django.utils import timezone

    today = timezone.localdate()
    found = Competition.objects.filter(status="open", opens_on__lte=today, closes_on__gte=today)
    return found.filter(sector__in=["", seller.sector])


def entries_of_seller(seller) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(seller=seller)
        .select_related("competition", "product", "round")
        .order_by("-competition__year", "code")
    )
