"""The one way a status changes: a state machine declared once per model, and `transition`.

Each stateful model declares a `StateMachine` right after its event model, in its app's
``models.py``: the status field, the allowed moves (``{from: {to, ...}}``), the event model and its
foreign key to the object, and optionally the event kind of each target status. Declaring it
registers it, so `machines()` lists every machine of the project once the apps are loaded.

Services then change a status only through

* `transition(obj, to_status, actor=..., note=..., **fields)`: checks the move, writes exactly one
  event row and saves the status (and `fields`) with ``update_fields``;
* `transition_many(objs, to_status, ...)`: the same for many rows at once, with ``bulk_create`` and
  one ``UPDATE``;
* `record_initial(objs, ...)`: the first event of rows just created in their initial status.

A move the table does not allow raises the machine's error, a subclass of `TransitionNotAllowed`,
before anything is written. The helper takes no lock and makes no network call: the caller locks
the rows first, in the order of `core.locks`, inside its transaction.
"""

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _


class TransitionNotAllowed(Exception):
    """A status change that the object's current status does not allow."""


def _default_message(obj, from_status: str, to_status: str) -> str:
    return _("%(object)s cannot go from “%(from)s” to “%(to)s”.") % {
        "object": obj._meta.verbose_name.capitalize(),
        "from": _label(obj, from_status),
        "to": _label(obj, to_status),
    }


def _label(obj, status: str) -> str:
    machine = machine_for(obj)
    choices = dict(obj._meta.get_field(machine.field).flatchoices)
    return str(choices.get(status, status))


@dataclasses.dataclass(eq=False)
class StateMachine:
    """The allowed status moves of one model and where their events go.

    `kinds` maps a target status to the event's kind (for event tables whose kind says what
    happened); a status missing from it uses `default_kind`. `event_fields(obj)` adds fields every
    event of the object needs besides its foreign key (e.g. the request of a quote). `on_change`
    hooks run after each single transition with ``(obj, event, from_status, to_status)``.
    """

    model: type[models.Model]
    transitions: Mapping[str, set[str]]
    event_model: type[models.Model]
    event_fk: str
    field: str = "status"
    kinds: Mapping[str, str] = dataclasses.field(default_factory=dict)
    default_kind: str = "status"
    note_field: str = "note"
    event_fields: Callable[[Any], dict] | None = None
    error: type[TransitionNotAllowed] = TransitionNotAllowed
    message: Callable[[Any, str, str], str] = _default_message
    on_change: list[Callable] = dataclasses.field(default_factory=list)

    def __post_init__(self):
        statuses = {value for value, _label in self.model._meta.get_field(self.field).flatchoices}
        unknown = (set(self.transitions) | {to for targets in self.transitions.values() for to in targets}) - statuses
        if unknown:
            raise ValueError(f"{self.model.__name__}: unknown statuses in transitions: {sorted(unknown)}")
        missing = statuses - set(self.transitions)
        if missing:
            raise ValueError(f"{self.model.__name__}: no transitions declared from {sorted(missing)}")
        register(self)

    def allows(self, from_status: str, to_status: str) -> bool:
        return to_status in self.transitions.get(from_status, ())

    def pairs(self) -> list[tuple[str, str]]:
        """Every allowed (from, to) move."""
        return [(source, target) for source, targets in self.transitions.items() for target in sorted(targets)]

    def check(self, obj, to_status: str) -> None:
        from_status = getattr(obj, self.field)
        if not self.allows(from_status, to_status):
            raise self.error(self.message(obj, from_status, to_status))

    def kind_for(self, to_status: str) -> str:
        return self.kinds.get(to_status, self.default_kind)

    def build_event(
        self,
        obj,
        *,
        from_status: str,
        to_status: str,
        actor=None,
        note: str = "",
        data=None,
        kind: str | None = None,
        event_values: dict | None = None,
    ) -> models.Model:
        values = {
            self.event_fk: obj,
            "kind": kind or self.kind_for(to_status),
            "from_status": from_status,
            "to_status": to_status,
            "actor": actor,
            self.note_field: note,
            "data": data or {},
        }
        if self.event_fields is not None:
            values.update(self.event_fields(obj))
        values.update(event_values or {})
        return self.event_model(**values)

    def auto_now_fields(self) -> list[str]:
        return [f.name for f in self.model._meta.concrete_fields if getattr(f, "auto_now", False)]


_REGISTRY: dict[type[models.Model], StateMachine] = {}


def register(machine: StateMachine) -> None:
    _REGISTRY[machine.model] = machine


def machines() -> list[StateMachine]:
    """Every declared machine (the apps are loaded, so every models module has run)."""
    return list(_REGISTRY.values())


def machine_for(obj_or_model) -> StateMachine:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    model = model._meta.concrete_model
    try:
        return _REGISTRY[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no state machine") from None


def transition(
    obj,
    to_status: str,
    *,
    actor=None,
    note: str = "",
    data=None,
    kind: str | None = None,
    event_values: dict | None = None,
    **fields,
):
    """Move a locked `obj` to `to_status`, saving `fields` with it; returns the one event written.

    `kind` overrides the machine's kind for this event; `event_values` sets other fields of the
    event row (e.g. an amount)."""
    machine = machine_for(obj)
    machine.check(obj, to_status)
    from_status = getattr(obj, machine.field)
    event = machine.build_event(
        obj,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
        data=data,
        kind=kind,
        event_values=event_values,
    )
    event.save()
    setattr(obj, machine.field, to_status)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save(update_fields=[machine.field, *fields, *machine.auto_now_fields()])
    for hook in machine.on_change:
        hook(obj, event, from_status, to_status)
    return event


def transition_many(
    objs: Iterable, to_status: str, *, actor=None, note: str = "", data=None, kind: str | None = None, **fields
) -> list:
    """Move many locked objects of one model to `to_status` at once: one bulk insert of their events
    and one UPDATE. Every move is checked before anything is written. Returns the events."""
    objs = list(objs)
    if not objs:
        return []
    machine = machine_for(objs[0])
    for obj in objs:
        machine.check(obj, to_status)
    events = [
        machine.build_event(
            obj,
            from_status=getattr(obj, machine.field),
            to_status=to_status,
            actor=actor,
            note=note,
            data=data,
            kind=kind,
        )
        for obj in objs
    ]
    machine.event_model.objects.bulk_create(events)
    now = timezone.now()
    auto_now = {name: now for name in machine.auto_now_fields()}
    machine.model._default_manager.filter(pk__in=[obj.pk for obj in objs]).update(
        **{machine.field: to_status}, **fields, **auto_now
    )
    for obj in objs:
        setattr(obj, machine.field, to_status)
        for name, value in {**fields, **auto_now}.items():
            setattr(obj, name, value)
    return events


def record_initial(
    objs: Iterable,
    *,
    actor=None,
    note: str = "",
    data=None,
    kind: str | None = None,
    event_values: dict | None = None,
) -> list:
    """Write the first event of objects just created in their initial status (from_status empty)."""
    objs = list(objs)
    if not objs:
        return []
    machine = machine_for(objs[0])
    events = [
        machine.build_event(
            obj,
            from_status="",
            to_status=getattr(obj, machine.field),
            actor=actor,
            note=note,
            data=data,
            kind=kind,
            event_values=event_values,
        )
        for obj in objs
    ]
    if len(events) == 1:
        events[0].save()
    else:
        machine.event_model.objects.bulk_create(events)
    return events
