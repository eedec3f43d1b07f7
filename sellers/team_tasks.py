from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_kwargs={"max_retries": 5})
def send_team_invitation_email(invitation_id: int) -> None:
    """Mail the invitation link once; an invitation accepted or revoked meanwhile is not mailed."""
    from core.notifications import send_once
    from sellers.team_models import TeamInvitation

    invitation = TeamInvitation.objects.select_related("seller", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return
    link = settings.MARKETPLACE_SITE_URL + reverse("dashboard:team-accept", kwargs={"token": invitation.token})
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "seller": invitation.seller, "link": link}
        subject = render_to_string("sellers/team/invitation_subject.txt", context).strip()
        body = render_to_string("sellers/team/invitation_body.txt", context)
    send_once(
        key=f"team-invitation-{invitation.pk}",
        send=lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email]),
    )
