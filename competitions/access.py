"""Who reaches which competition, entry and ranking; built on the programme's scope.

The programme's roles and their rules are in programme/access.py (the one access layer of the
programme). Competition records sit above it, so the querysets live here:

- the **provincial office** reaches every competition, entry and scorecard;
- a **judge** reaches only the competitions they are assigned to (`CompetitionJudge`), and within
  them never an entry of a pesantren they are linked to (`programme.access.linked_seller_ids`: its
  staff or mentor) or have declared a conflict with (`JudgeConflict`);
- a **pesantren** reaches its own entries (through sellers/access.py's `seller_for_user`).

Blind judging hides the pesantren's name and storefront from judges: `shows_pesantren`.
Anything outside the scope is "not found".
"""

from django.db.models import QuerySet

from competitions.models import Competition, CompetitionJudge, Entry, JudgeConflict, Round
from programme.access import ProgrammeScope, linked_seller_ids


def competitions(scope: ProgrammeScope) -> QuerySet[Competition]:
    if scope.provincial:
        return Competition.objects.all()
    if scope.judge:
        return Competition.objects.filter(judges__judge_id=scope.user_id)
    return Competition.objects.none()


def competition_for(scope: ProgrammeScope, pk) -> Competition | None:
    return competitions(scope).filter(pk=pk).first()


def competition_manageable(scope: ProgrammeScope, pk) -> Competition | None:
    """What the provincial office sets up and runs (judges, conflicts, rounds): nobody else."""
    if not scope.provincial:
        return None
    return Competition.objects.filter(pk=pk).first()


def is_assigned_judge(scope: ProgrammeScope, competition: Competition) -> bool:
    return scope.judge and CompetitionJudge.objects.filter(competition=competition, judge_id=scope.user_id).exists()


def conflicted_seller_ids(scope: ProgrammeScope, competition: Competition) -> frozenset[int]:
    """Pesantren whose entries this judge must never see in the competition."""
    declared = JudgeConflict.objects.filter(competition=competition, judge_id=scope.user_id).values_list(
        "seller_id", flat=True
    )
    return linked_seller_ids(scope) | frozenset(declared)


def entries(scope: ProgrammeScope, competition: Competition) -> QuerySet[Entry]:
    """The competition's entries the user may see: all for the office, unconflicted ones for its judges."""
    found = Entry.objects.filter(competition=competition)
    if scope.provincial:
        return found
    if is_assigned_judge(scope, competition):
        return found.exclude(seller_id__in=conflicted_seller_ids(scope, competition))
    return found.none()


def entry_for_judging(scope: ProgrammeScope, pk) -> Entry | None:
    """An entry a judge may score: an assigned judge, no conflict, whatever the round's state."""
    if not scope.judge:
        return None
    entry = Entry.objects.select_related("competition", "round", "product", "seller").filter(pk=pk).first()
    if entry is None or not entries(_judge_only(scope), entry.competition).filter(pk=entry.pk).exists():
        return None
    return entry


def round_for(scope: ProgrammeScope, pk) -> Round | None:
    found = Round.objects.select_related("competition").filter(pk=pk).first()
    if found is None or competition_for(scope, found.competition_id) is None:
        return None
    return found


def shows_pesantren(scope: ProgrammeScope, competition: Competition) -> bool:
    """Whether pages show the pesantren behind an entry: always to the office, to judges unless blind."""
    return scope.provincial or not competition.blind


def _judge_only(scope: ProgrammeScope) -> ProgrammeScope:
    """The scope as a judge: a provincial officer who also judges scores under the judge's rules."""
    import dataclasses

    return dataclasses.replace(scope, provincial=False)


def blind_text(text: str, seller_name: str) -> str:
    """Entry text for a blind judge: the pesantren's name, where the product's own text gives it, masked."""
    import re

    if not seller_name:
        return text
    names = {seller_name, re.sub(r"^(pondok\s+)?pesantren\s+", "", seller_name, flags=re.IGNORECASE)}
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= 4:
            text = re.sub(re.escape(name), "•••", text, flags=re.IGNORECASE)
    return text
