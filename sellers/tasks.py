from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sellers.models import SellerEvent, SellerEventKind, SellerStatus

# Celery discovers `<app>.tasks` only, so the tasks kept in other modules are imported here.
from sellers.team_tasks import send_team_invitation_email  # noqa: F401

TEMPLATES_BY_STATUS = {
    SellerStatus.APPLIED: "sellers/emails/applied",
    SellerStatus.CHANGES_REQUESTED: "sellers/emails/changes_requested",
    SellerStatus.REJECTED: "sellers/emails/rejected",
    SellerStatus.VERIFIED: "sellers/emails/verified",
    SellerStatus.SUSPENDED: "sellers/emails/suspended",
}


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_kwargs={"max_retries": 5})
def send_seller_status_email(event_id: int) -> None:
    """Tell the applicant about a status change. Safe to run twice: an event is mailed once."""
    with transaction.atomic():
        event = (
            SellerEvent.objects.select_for_update(of=("self",))
            .select_related("seller__owner")
            .filter(pk=event_id, kind=SellerEventKind.STATUS, notified_at__isnull=True)
            .first()
        )
        if event is None:
            return
        seller = event.seller
        recipient = seller.email or seller.owner.email
        template = TEMPLATES_BY_STATUS[event.to_status]
        with translation.override(settings.LANGUAGE_CODE):
            context = {"seller": seller, "event": event, "site_url": settings.MARKETPLACE_SITE_URL}
            subject = render_to_string(f"{template}_subject.txt", context).strip()
            body = render_to_string(f"{template}_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_kwargs={"max_retries": 5})
def send_bank_account_changed_email(event_id: int) -> None:
    """Tell every owner that the payout bank account changed. Safe to run twice: an event is mailed once."""
    from sellers.access import owner_emails

    with transaction.atomic():
        event = (
            SellerEvent.objects.select_for_update(of=("self",))
            .select_related("seller__owner", "actor")
            .filter(pk=event_id, kind=SellerEventKind.BANK_ACCOUNT, notified_at__isnull=True)
            .first()
        )
        if event is None:
            return
        recipients = owner_emails(seller=event.seller)
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                context = {"seller": event.seller, "event": event, "site_url": settings.MARKETPLACE_SITE_URL}
                subject = render_to_string("sellers/emails/bank_account_changed_subject.txt", context).strip()
                body = render_to_string("sellers/emails/bank_account_changed_body.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
