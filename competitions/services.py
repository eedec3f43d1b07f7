"""Writes of competitions: creating one, entering products, judges and conflicts, scoring, rounds.

Callers pass the user's `ProgrammeScope` (programme/access.py); every service re-checks it through
competitions/access.py, so a view that forgot a check still changes nothing. Competition rows are
outside core/locks.py's money chain: a transaction locks the competition first, then its round,
then its entries by primary key. Every status moves through core.transitions.
"""

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions import access, selectors
from competitions.models import (
    Award,
    Competition,
    CompetitionJudge,
    CompetitionStatus,
    Criterion,
    Entry,
    EntryStatus,
    JudgeConflict,
    Round,
    RoundStatus,
    Score,
    Scorecard,
)
from core.transitions import record_initial, transition, transition_many
from programme.access import ProgrammeScope, scope_for
from sellers.models import Seller

PLACES = [Award.JUARA_1, Award.JUARA_2, Award.JUARA_3]


def _require_provincial(scope: ProgrammeScope) -> None:
    if not scope.provincial:
        raise PermissionDenied(_("Only the provincial office can do this."))


def _lock_competition(competition_id: int) -> Competition:
    return Competition.objects.select_for_update(no_key=True).get(pk=competition_id)


# --- Set-up ---------------------------------------------------------------------------------------


def competition_create(
    *,
    scope: ProgrammeScope,
    name: str,
    year: int,
    sector: str,
    opens_on,
    closes_on,
    blind: bool,
    criteria: Sequence[tuple[str, int, int]],
    rounds: Sequence[tuple[str, int | None]],
    harapan_count: int = 1,
    created_by=None,
) -> Competition:
    """A competition with its rubric (name, max points, weight) and rounds (name, how many advance)."""
    _require_provincial(scope)
    if not criteria:
        raise ValidationError(_("Give the rubric at least one criterion."))
    if not rounds:
        raise ValidationError(_("Give the competition at least one round."))
    for name_, advance in rounds[:-1]:
        if not advance:
            raise ValidationError(
                _("Say how many entries advance from “%(round)s”; only the final has none.") % {"round": name_}
            )
    competition = Competition(
        name=name,
        year=year,
        sector=sector,
        opens_on=opens_on,
        closes_on=closes_on,
        blind=blind,
        harapan_count=harapan_count,
        created_by=created_by,
    )
    competition.full_clean(exclude=["created_by"])
    if closes_on < opens_on:
        raise ValidationError(_("Entries must close on or after the day they open."))
    with transaction.atomic():
        competition.save()
        Criterion.objects.bulk_create(
            Criterion(competition=competition, name=c_name, max_points=max_points, weight=weight, position=i)
            for i, (c_name, max_points, weight) in enumerate(criteria, start=1)
        )
        created_rounds = Round.objects.bulk_create(
            Round(competition=competition, name=r_name, position=i, advance_count=advance if i < len(rounds) else None)
            for i, (r_name, advance) in enumerate(rounds, start=1)
        )
        record_initial([competition], actor=created_by)
        record_initial(created_rounds, actor=created_by)
    return competition


def judge_assign(*, scope: ProgrammeScope, competition: Competition, email: str, assigned_by) -> CompetitionJudge:
    _require_provincial(scope)
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None or not scope_for(user).judge:
        raise ValidationError(_("No judge has this email. Give the person the judge role first."))
    assignment, _created = CompetitionJudge.objects.get_or_create(competition=competition, judge=user)
    return assignment


def conflict_declare(
    *, scope: ProgrammeScope, competition: Competition, judge, seller: Seller, reason: str = "", declared_by
) -> JudgeConflict:
    """The office records a judge's conflict with a pesantren; from then on its entries are hidden."""
    _require_provincial(scope)
    if not CompetitionJudge.objects.filter(competition=competition, judge=judge).exists():
        raise ValidationError(_("This person does not judge this competition."))
    conflict, _created = JudgeConflict.objects.get_or_create(
        competition=competition,
        judge=judge,
        seller=seller,
        defaults={"reason": reason[:255], "declared_by": declared_by},
    )
    return conflict


def judge_recuse(*, scope: ProgrammeScope, entry: Entry, reason: str = "") -> JudgeConflict:
    """A judge declares a conflict with an entry's pesantren (without learning its name): it disappears."""
    if access.entry_for_judging(scope, entry.pk) is None:
        raise PermissionDenied(_("This entry is not yours to judge."))
    user_id = scope.user_id
    with transaction.atomic():
        conflict, _created = JudgeConflict.objects.get_or_create(
            competition_id=entry.competition_id,
            judge_id=user_id,
            seller_id=entry.seller_id,
            defaults={"reason": reason[:255], "declared_by_id": user_id},
        )
        Scorecard.objects.filter(entry=entry, judge_id=user_id, round__status=RoundStatus.OPEN).delete()
    return conflict


# --- Entries --------------------------------------------------------------------------------------


def entry_submit(*, seller: Seller, competition: Competition, product, entered_by) -> Entry:
    """Enter one of the pesantren's own products, while the competition is open, once per product."""
    today = timezone.localdate()
    if not product.stockrecords.filter(partner_id=seller.partner_id).exists() or not seller.partner_id:
        raise PermissionDenied(_("Only your own products can be entered."))
    with transaction.atomic():
        competition = _lock_competition(competition.pk)
        if competition.status != CompetitionStatus.OPEN or not (competition.opens_on <= today <= competition.closes_on):
            raise ValidationError(_("This competition is not open for entries."))
        if competition.sector and competition.sector != seller.sector:
            raise ValidationError(_("This competition is for another sector."))
        if Entry.objects.filter(competition=competition, product=product).exists():
            raise ValidationError(_("This product is already entered in this competition."))
        number = Entry.objects.filter(competition=competition).count() + 1
        entry = Entry(
            competition=competition, seller=seller, product=product, code=f"E-{number:03d}", entered_by=entered_by
        )
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError as error:
            raise ValidationError(_("This product is already entered in this competition.")) from error
        record_initial([entry], actor=entered_by)
    return entry


# --- Judging --------------------------------------------------------------------------------------


def judging_start(*, scope: ProgrammeScope, competition: Competition, actor) -> Round:
    """Close entries and open the first round for every entry."""
    _require_provincial(scope)
    with transaction.atomic():
        competition = _lock_competition(competition.pk)
        transition(competition, CompetitionStatus.JUDGING, actor=actor)
        first = (
            Round.objects.select_for_update(no_key=True).filter(competition=competition).order_by("position").first()
        )
        transition(first, RoundStatus.OPEN, actor=actor)
        Entry.objects.filter(competition=competition).update(round=first)
    return first


def scorecard_submit(*, scope: ProgrammeScope, entry: Entry, points: dict[int, int], comment: str = "") -> Scorecard:
    """A judge's points for each criterion of the entry's open round. Out of range: nothing is saved.

    A second submission in the same round replaces the first (one scorecard per judge, entry and
    round); once the round is closed nothing changes.
    """
    entry = access.entry_for_judging(scope, entry.pk)
    if entry is None:
        raise PermissionDenied(_("This entry is not yours to judge."))
    criteria = selectors.criteria_of(entry.competition)
    errors = {}
    clean: dict[int, int] = {}
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is None or value == "":
            errors[f"criterion_{criterion.pk}"] = _("Give “%(criterion)s” a score.") % {"criterion": criterion.name}
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= criterion.max_points:
            errors[f"criterion_{criterion.pk}"] = _(
                "“%(criterion)s” takes a score from 0 to %(max)d; %(value)s is out of range."
            ) % {"criterion": criterion.name, "max": criterion.max_points, "value": value}
            continue
        clean[criterion.pk] = number
    unknown = set(points) - {criterion.pk for criterion in criteria}
    if unknown:
        errors["__all__"] = _("These scores are not criteria of this competition.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        competition = _lock_competition(entry.competition_id)
        round_ = Round.objects.select_for_update(no_key=True).filter(pk=entry.round_id).first()
        entry.refresh_from_db(fields=["round", "status"])
        if (
            competition.status != CompetitionStatus.JUDGING
            or round_ is None
            or round_.pk != entry.round_id
            or round_.status != RoundStatus.OPEN
            or entry.status == EntryStatus.ELIMINATED
        ):
            raise ValidationError(_("This round is closed: scores can no longer be given or changed."))
        card, _created = Scorecard.objects.update_or_create(
            entry=entry, round=round_, judge_id=scope.user_id, defaults={"comment": comment[:2000]}
        )
        card.scores.all().delete()
        Score.objects.bulk_create(
            Score(scorecard=card, criterion_id=criterion_id, points=value) for criterion_id, value in clean.items()
        )
    return card


def round_close(*, scope: ProgrammeScope, round_: Round, actor) -> list[selectors.RankedEntry]:
    """Close the open round: the top N advance (to the final, as finalists), the others do not.

    Closing the final awards juara 1–3 and the honourable mentions, finishes the competition and
    writes the badges. Returns the ranking it decided on.
    """
    _require_provincial(scope)
    with transaction.atomic():
        competition = _lock_competition(round_.competition_id)
        round_ = Round.objects.select_for_update(no_key=True).get(pk=round_.pk)
        if round_.status != RoundStatus.OPEN:
            raise ValidationError(_("Only the round being judged can be closed."))
        list(Entry.objects.select_for_update(no_key=True).filter(round=round_).order_by("pk").values_list("pk"))
        ranked = selectors.ranking(round_, Entry.objects.filter(competition=competition))
        transition(round_, RoundStatus.CLOSED, actor=actor, closed_at=timezone.now())
        following = selectors.next_round(round_)
        if following is not None:
            advancing = [row.entry for row in ranked[: round_.advance_count]]
            staying = [row.entry for row in ranked[round_.advance_count :]]
            is_final = selectors.next_round(following) is None
            to_status = EntryStatus.FINALIST if is_final else EntryStatus.ADVANCED
            note = _("Advanced from %(round)s.") % {"round": round_.name}
            transition_many(advancing, to_status, actor=actor, note=note, round=following)
            transition_many(staying, EntryStatus.ELIMINATED, actor=actor, note=round_.name)
            transition(following, RoundStatus.OPEN, actor=actor)
        else:
            for row in ranked:
                place = row.rank - 1
                if place < len(PLACES):
                    award = PLACES[place]
                elif place < len(PLACES) + competition.harapan_count:
                    award = Award.HARAPAN
                else:
                    continue
                if row.entry.status != EntryStatus.FINALIST:
                    transition(row.entry, EntryStatus.FINALIST, actor=actor, note=round_.name)
                transition(row.entry, EntryStatus.AWARDED, actor=actor, award=award, note=row.tie_note)
            transition(competition, CompetitionStatus.FINISHED, actor=actor)
        badges_refresh(seller_ids={row.entry.seller_id for row in ranked})
    return ranked


# --- Badges on the storefront and product page ------------------------------------------------------

BADGE_ORDER = {Award.JUARA_1: 0, Award.JUARA_2: 1, Award.JUARA_3: 2, Award.HARAPAN: 3, "finalist": 4}


def badges_refresh(*, seller_ids) -> None:
    """Write each pesantren's finalist and winner badges onto its Seller (read by browse pages)."""
    for seller in Seller.objects.filter(pk__in=sorted(seller_ids)).order_by("pk"):
        rows = Entry.objects.filter(
            seller=seller, status__in=[EntryStatus.FINALIST, EntryStatus.AWARDED]
        ).select_related("competition")
        badges = [
            {
                "kind": entry.award or "finalist",
                "competition": entry.competition.name,
                "year": entry.competition.year,
                "product_id": entry.product_id,
            }
            for entry in rows
        ]
        badges.sort(key=lambda badge: (-badge["year"], BADGE_ORDER.get(badge["kind"], 9), badge["product_id"]))
        if badges != seller.competition_badges:
            seller.competition_badges = badges
            seller.save(update_fields=["competition_badges", "updated_at"])
