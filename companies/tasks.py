"""Emails about off-taker accounts. Tasks take ids, re-read state and send each message once."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_kwargs": {"max_retries": 8},
}

_TEMPLATES = {
    "verified": "companies/account_emails/company_verified",
    "rejected": "companies/account_emails/company_rejected",
    "member_added": "companies/account_emails/member_added",
}


# Registered names kept from the offtakers app, so messages already queued under them still run.
@shared_task(name="offtakers.account_tasks.send_company_event_email", **RETRY)
def send_company_event_email(event_id: int) -> None:
    """Tell the company contact about the review decision, or a newly added member that they were added."""
    # Imported here: this module is loaded while the models are, before other apps' models are ready.
    from companies.account_models import CompanyEvent, CompanyEventKind
    from core.notifications import send_once, send_templated_email

    event = CompanyEvent.objects.select_related("company").filter(pk=event_id).first()
    if event is None or event.kind not in _TEMPLATES:
        return
    company = event.company
    if event.kind == CompanyEventKind.MEMBER_ADDED:
        recipients = [event.data.get("email", "")]
    else:
        recipients = [company.contact_email]
    context = {
        "company": company,
        "event": event,
        "link": settings.MARKETPLACE_SITE_URL + reverse("companies:home"),
    }
    send_once(
        key=f"offtakers-company-event-{event.pk}",
        send=lambda: send_templated_email(_TEMPLATES[event.kind], context, recipients),
    )


@shared_task(name="offtakers.account_tasks.send_company_invitation_email", **RETRY)
def send_company_invitation_email(invitation_id: int) -> None:
    """Mail the invitation link; an invitation accepted or revoked meanwhile is not mailed."""
    from companies.account_models import CompanyInvitation
    from core.notifications import send_once, send_templated_email

    invitation = CompanyInvitation.objects.select_related("company").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return
    context = {
        "invitation": invitation,
        "company": invitation.company,
        "link": settings.MARKETPLACE_SITE_URL
        + reverse("companies:invitation-accept", kwargs={"token": invitation.token}),
    }
    send_once(
        key=f"offtakers-company-invitation-{invitation.pk}",
        send=lambda: send_templated_email("companies/account_emails/member_invited", context, [invitation.email]),
    )
