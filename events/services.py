"""Writes of programme events: events, registrations with a waiting list, check-in, meetings, showcases.

Every write that counts seats or checks meetings locks the event first, then registrations by primary
key (`core.locks`, chain E). Status changes go through `REGISTRATION_MACHINE`; emails are queued
through the outbox after the commit. Refusals are `ValidationError`s with a message for the page.
"""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from core.locks import lock_event, lock_registrations
from core.outbox import enqueue
from core.transitions import record_initial, transition
from events.models import (
    ACTIVE_STATUSES,
    EVENT_FIELDS,
    SEATED_STATUSES,
    Event,
    EventKind,
    Meeting,
    Registration,
    RegistrationStatus,
    ShowcaseItem,
)
from programme import access as programme_access
from sellers.models import Seller, SellerStatus

_TOKEN_SALT = "events.checkin"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# --- Events ---------------------------------------------------------------------------------------


def _check_event_data(scope, data: dict) -> None:
    if programme_access.kabupaten_for(scope, data["kabupaten"].code) is None:
        raise ValidationError(_("You can only run events in your own kabupaten/kota."))
    if data["ends_at"] < data["starts_at"]:
        raise ValidationError(_("The event cannot end before it starts."))
    if data["registration_closes_at"] > data["starts_at"]:
        raise ValidationError(_("Registration must close before the event starts."))
    host = data.get("host_seller")
    if data["kind"] == EventKind.APPRENTICESHIP and host is None:
        raise ValidationError(_("An apprenticeship needs a host pesantren."))
    if host is not None and not programme_access.officer_records(scope, Seller.objects.filter(pk=host.pk)).exists():
        raise ValidationError(_("The host pesantren must be in your own kabupaten/kota."))


def event_create(*, scope, data: dict, actor) -> Event:
    if not programme_access.may_run_events(scope):
        raise ValidationError(_("Only programme officers run events."))
    _check_event_data(scope, data)
    return Event.objects.create(**{name: data.get(name) for name in EVENT_FIELDS}, created_by=actor)


def event_update(*, scope, event: Event, data: dict, actor) -> Event:
    """Save the changes; more seats promote people from the waiting list, in the order they registered."""
    _check_event_data(scope, data)
    with transaction.atomic():
        locked = lock_event(event.pk)
        seated = locked.registrations.filter(status__in=SEATED_STATUSES).count()
        if data["capacity"] < seated:
            raise ValidationError(
                _("%(count)d participants already have a seat: the event cannot have fewer seats.") % {"count": seated}
            )
        for name in EVENT_FIELDS:
            setattr(locked, name, data.get(name))
        locked.save()
        _promote_waitlisted(locked, free=locked.capacity - seated, actor=actor)
    return locked


# --- Registration ---------------------------------------------------------------------------------


def registration_is_open(event: Event, *, now=None) -> bool:
    return (now or timezone.now()) < event.registration_closes_at


def register(*, event: Event, actor, seller: Seller | None = None, company=None) -> Registration:
    """Register a pesantren (or, for a business meeting, a company): a seat while there is one, else
    the waiting list. Seats are counted under the event's lock, so no event is ever overbooked."""
    if (seller is None) == (company is None):
        raise ValidationError(_("Register either a pesantren or a company."))
    if company is not None and event.kind != EventKind.BUSINESS_MEETING:
        raise ValidationError(_("Companies register only for business meetings."))
    if seller is not None and seller.status != SellerStatus.VERIFIED:
        raise ValidationError(_("Only a verified pesantren can register."))
    if company is not None and not company.is_verified:
        raise ValidationError(_("Only a verified company can register."))
    with transaction.atomic():
        locked = lock_event(event.pk)
        if not registration_is_open(locked):
            raise ValidationError(_("Registration for this event is closed."))
        party = Q(seller=seller) if seller is not None else Q(company=company)
        if locked.registrations.filter(party, status__in=ACTIVE_STATUSES).exists():
            raise ValidationError(_("You are already registered for this event."))
        seated = locked.registrations.filter(status__in=SEATED_STATUSES).count()
        status = RegistrationStatus.REGISTERED if seated < locked.capacity else RegistrationStatus.WAITLISTED
        registration = Registration.objects.create(
            event=locked, seller=seller, company=company, status=status, registered_by=actor
        )
        record_initial([registration], actor=actor, kind=status)
        enqueue(_tasks().send_registration_email, registration.pk, status)
    return registration


def registration_cancel(*, registration: Registration, actor) -> Registration:
    """Cancel a seat or a place on the waiting list; a freed seat goes to the first waitlisted."""
    with transaction.atomic():
        event = lock_event(registration.event_id)
        [locked] = lock_registrations([registration.pk])
        if locked.status not in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED):
            raise ValidationError(_("This registration can no longer be cancelled."))
        had_seat = locked.status == RegistrationStatus.REGISTERED
        transition(locked, RegistrationStatus.CANCELLED, actor=actor)
        Meeting.objects.filter(Q(company_registration=locked) | Q(seller_registration=locked)).delete()
        if had_seat:
            seated = event.registrations.filter(status__in=SEATED_STATUSES).count()
            _promote_waitlisted(event, free=event.capacity - seated, actor=actor)
    return locked


def _promote_waitlisted(event: Event, *, free: int, actor) -> list[Registration]:
    """Give `free` seats of the locked `event` to the first waitlisted, in the order they registered."""
    if free <= 0:
        return []
    waiting_ids = list(
        event.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:free]
    )
    promoted = lock_registrations(waiting_ids)
    for registration in promoted:
        transition(registration, RegistrationStatus.REGISTERED, actor=actor, kind="promoted")
        enqueue(_tasks().send_registration_email, registration.pk, "promoted")
    return promoted


# --- Check-in and certificates -------------------------------------------------------------------


def checkin_token(registration: Registration) -> str:
    """The signed token of a registration's QR code: its id and an HMAC, short enough to type."""
    return f"{registration.pk}-{_token_signature(registration.pk)}"


def _token_signature(pk: int) -> str:
    return salted_hmac(_TOKEN_SALT, f"registration:{pk}", algorithm="sha256").hexdigest()[:10].upper()


def registration_for_token(token: str) -> int | None:
    """The registration id a token names, or None when it is malformed or its signature is wrong."""
    pk_text, _sep, signature = token.strip().upper().partition("-")
    if not pk_text.isdigit() or len(pk_text) > 12 or not signature:
        return None
    pk = int(pk_text)
    if not constant_time_compare(signature, _token_signature(pk)):
        return None
    return pk


def check_in(*, event: Event, token: str, actor) -> Registration:
    """Check in the registration the token names, at this event; a second scan changes nothing."""
    pk = registration_for_token(token)
    if pk is None:
        raise ValidationError(_("This code is not valid. Check it and try again."))
    with transaction.atomic():
        lock_event(event.pk)
        found = lock_registrations([pk])
        if not found or found[0].event_id != event.pk:
            raise ValidationError(_("This code belongs to another event."))
        registration = found[0]
        if registration.status == RegistrationStatus.ATTENDED:
            raise ValidationError(
                _("%(name)s was already checked in at %(time)s.")
                % {
                    "name": registration.party_name,
                    "time": timezone.localtime(registration.checked_in_at).strftime("%d-%m-%Y %H:%M"),
                }
            )
        if registration.status != RegistrationStatus.REGISTERED:
            raise ValidationError(
                _("%(name)s has no seat (%(status)s) and cannot be checked in.")
                % {"name": registration.party_name, "status": registration.get_status_display()}
            )
        transition(
            registration,
            RegistrationStatus.ATTENDED,
            actor=actor,
            checked_in_at=timezone.now(),
            certificate_code=_new_certificate_code() if registration.seller_id else None,
        )
    return registration


def _new_certificate_code() -> str:
    while True:
        code = "".join(secrets.choice(_CODE_ALPHABET) for _index in range(10))
        if not Registration.objects.filter(certificate_code=code).exists():
            return code


# --- Business meetings ----------------------------------------------------------------------------


def meeting_book(
    *,
    event: Event,
    company_registration: Registration,
    seller_registration: Registration,
    starts_at,
    ends_at,
    table: str,
) -> Meeting:
    """A one-to-one meeting in a slot: both parties registered with a seat, neither booked at that time,
    the table free (checked under the event's lock, and by the constraints)."""
    if event.kind != EventKind.BUSINESS_MEETING:
        raise ValidationError(_("Meetings are scheduled only at business meetings."))
    if ends_at <= starts_at:
        raise ValidationError(_("A meeting must end after it starts."))
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise ValidationError(_("A meeting must take place during the event."))
    with transaction.atomic():
        lock_event(event.pk)
        if company_registration.pk == seller_registration.pk:
            raise ValidationError(_("Both the company and the pesantren must be registered for this event."))
        locked = {reg.pk: reg for reg in lock_registrations([company_registration.pk, seller_registration.pk])}
        company_reg, seller_reg = locked.get(company_registration.pk), locked.get(seller_registration.pk)
        if (
            company_reg is None
            or seller_reg is None
            or company_reg.event_id != event.pk
            or seller_reg.event_id != event.pk
            or company_reg.company_id is None
            or seller_reg.seller_id is None
        ):
            raise ValidationError(_("Both the company and the pesantren must be registered for this event."))
        if company_reg.status not in SEATED_STATUSES or seller_reg.status not in SEATED_STATUSES:
            raise ValidationError(_("Both the company and the pesantren need a seat at the event."))
        overlapping = event.meetings.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        if overlapping.filter(table=table).exists():
            raise ValidationError(_("This table is already booked at that time."))
        if overlapping.filter(company_registration=company_reg).exists():
            raise ValidationError(_("%(name)s already has a meeting at that time.") % {"name": company_reg.party_name})
        if overlapping.filter(seller_registration=seller_reg).exists():
            raise ValidationError(_("%(name)s already has a meeting at that time.") % {"name": seller_reg.party_name})
        try:
            with transaction.atomic():
                return Meeting.objects.create(
                    event=event,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    table=table,
                    company_registration=company_reg,
                    seller_registration=seller_reg,
                )
        except IntegrityError:
            raise ValidationError(_("This slot is already booked.")) from None


def meeting_cancel(*, event: Event, meeting_id: int) -> None:
    with transaction.atomic():
        lock_event(event.pk)
        event.meetings.filter(pk=meeting_id).delete()


# --- Exhibition showcase --------------------------------------------------------------------------


def showcase_set(*, event: Event, product_ids: list[int]) -> list[ShowcaseItem]:
    """Replace the showcase with these products, in this order: each a product of a pesantren with a
    seat at the exhibition."""
    from events.selectors import exhibitor_products

    if event.kind != EventKind.EXHIBITION:
        raise ValidationError(_("Only an exhibition has a showcase."))
    with transaction.atomic():
        lock_event(event.pk)
        allowed = {product.pk: product for product in exhibitor_products(event)}
        unknown = [pk for pk in product_ids if pk not in allowed]
        if unknown:
            raise ValidationError(_("Only products of the exhibition's registered pesantren can be shown."))
        event.showcase_items.all().delete()
        items = [
            ShowcaseItem(event=event, product_id=pk, seller=allowed[pk].showcase_seller, position=index)
            for index, pk in enumerate(dict.fromkeys(product_ids))
        ]
        return ShowcaseItem.objects.bulk_create(items)


# --- Reminders ------------------------------------------------------------------------------------


def registrations_to_remind(*, now=None):
    """Seats at events starting within a day that have not been reminded yet."""
    now = now or timezone.now()
    return Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminded_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + datetime.timedelta(days=1),
    )


def _tasks():
    from events import tasks

    return tasks
