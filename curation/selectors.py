"""Curation's reads, scoped through curation/access.py, with what their pages show selected at once."""

import datetime

from django.db.models import F, QuerySet

from curation import access
from curation.models import Curation, CurationStatus
from programme.access import ProgrammeScope


def _listed(records: QuerySet[Curation]) -> QuerySet[Curation]:
    return records.select_related("product", "seller__kabupaten", "curator", "rubric")


def queue(scope: ProgrammeScope) -> dict[str, list[Curation]]:
    """The queue page: waiting for a curator, with a curator (the user's own first for curators), finalised."""
    records = _listed(access.curations(scope))
    return {
        "waiting": list(records.filter(status=CurationStatus.QUEUED).order_by("created_at", "pk")),
        "assigned": list(records.filter(status=CurationStatus.ASSIGNED).order_by("created_at", "pk")),
        "finalised": list(records.filter(status=CurationStatus.FINALISED).order_by("-finalised_at", "-pk")[:50]),
    }


def curation_history(curation: Curation) -> list[tuple]:
    """(event, status label) of each move, oldest first."""
    labels = dict(CurationStatus.choices)
    events = curation.events.select_related("actor").order_by("created_at", "pk")
    return [(event, labels.get(event.to_status, event.to_status)) for event in events]


def scores_by_section(curation: Curation) -> list[tuple[str, list[tuple]]]:
    """(section, [(criterion, points)]) of a finalised curation, in its rubric's order."""
    points = {score.criterion_id: score.points for score in curation.scores.all()}
    return [
        (section, [(criterion, points.get(criterion.pk)) for criterion in criteria])
        for section, criteria in curation.rubric.sections()
    ]


def expiring_curations(*, today: datetime.date, within_days: int) -> QuerySet[Curation]:
    """Finalised curations whose stars are still the product's and run out within `within_days` days."""
    until = today + datetime.timedelta(days=within_days)
    return (
        Curation.objects.filter(status=CurationStatus.FINALISED, valid_until__gte=today, valid_until__lte=until)
        .filter(product__curation_stars_until=F("valid_until"))
        .order_by("pk")
    )
