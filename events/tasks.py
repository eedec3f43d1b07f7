"""Emails of programme events, each sent once: the registration's outcome and the day-before reminder."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core.notifications import send_once, send_templated_email
from core.outbox import enqueue

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "retry_kwargs": {"max_retries": 5}}


def _recipients(registration) -> list[str]:
    from sellers.access import owner_emails

    if registration.seller_id:
        emails = owner_emails(seller=registration.seller)
        if registration.seller.email and registration.seller.email not in emails:
            emails.append(registration.seller.email)
        return emails
    return [registration.company.contact_email]


def _registration(registration_id: int):
    from events.models import Registration

    return (
        Registration.objects.select_related("event", "event__kabupaten", "seller__owner", "company")
        .filter(pk=registration_id)
        .first()
    )


@shared_task(**RETRY)
def send_registration_email(registration_id: int, outcome: str) -> None:
    """Tell the pesantren or company that it has a seat, is on the waiting list, or moved up to a seat."""
    registration = _registration(registration_id)
    if registration is None:
        return
    context = {"registration": registration, "event": registration.event, "outcome": outcome}
    send_once(
        key=f"event-registration-{registration_id}-{outcome}",
        send=lambda: send_templated_email("events/emails/registration", context, _recipients(registration)),
    )


@shared_task(**RETRY)
def send_event_reminder(registration_id: int) -> None:
    """The reminder a day before the event, once per registration, only while it still has its seat."""
    from events.models import Registration, RegistrationStatus

    registration = _registration(registration_id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        return
    context = {"registration": registration, "event": registration.event}
    send_once(
        key=f"event-reminder-{registration_id}",
        send=lambda: send_templated_email("events/emails/reminder", context, _recipients(registration)),
    )
    Registration.objects.filter(pk=registration_id, reminded_at__isnull=True).update(reminded_at=timezone.now())


@shared_task
def send_event_reminders() -> int:
    """Beat: queue the reminder of every seat at an event starting within a day (send-once per seat)."""
    from events.services import registrations_to_remind

    ids = list(registrations_to_remind().values_list("pk", flat=True)[:1000])
    with transaction.atomic():
        for registration_id in ids:
            enqueue(send_event_reminder, registration_id)
    return len(ids)
