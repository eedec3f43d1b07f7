"""A small events world: a Sukabumi training, officers and registrants."""

import datetime

from django.utils import timezone

from events.models import Event, EventKind


def make_event(*, kabupaten, kind=EventKind.TRAINING, capacity=10, title="Pelatihan Kemasan", days=7, **fields):
    starts = timezone.now() + datetime.timedelta(days=days)
    values = {
        "kind": kind,
        "title": title,
        "kabupaten": kabupaten,
        "venue": "Aula Dinas",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=6),
        "registration_closes_at": starts - datetime.timedelta(days=1),
        "capacity": capacity,
    }
    values.update(fields)
    return Event.objects.create(**values)
