from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_kwargs={"max_retries": 5})
def send_registration_invitation_email(invitation_id: int) -> None:
    """Mail a mapped pesantren its link to register, once; a closed invitation is not mailed."""
    from core.notifications import send_once
    from programme.models import PesantrenInvitation

    invitation = PesantrenInvitation.objects.select_related("pesantren").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return
    link = settings.MARKETPLACE_SITE_URL + reverse("programme-public:invitation", kwargs={"token": invitation.token})
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "pesantren": invitation.pesantren, "link": link}
        subject = render_to_string("programme/emails/invitation_subject.txt", context).strip()
        body = render_to_string("programme/emails/invitation_body.txt", context)
    send_once(
        key=f"pesantren-invitation-{invitation.pk}",
        send=lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email]),
    )
