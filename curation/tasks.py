from celery import shared_task
from django.utils import timezone

# Days before the stars expire on which the pesantren is reminded (each reminder once per curation).
REMINDER_DAYS = (90, 30)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_kwargs={"max_retries": 5})
def send_curation_expiry_reminders() -> int:
    """Daily: mail each pesantren whose product's stars expire within 90 days, and again within 30.

    Each reminder is sent once per curation (core.notifications.send_once), so running this twice, or
    every day of the window, sends nothing more; a curation first seen inside 30 days gets only that one.
    """
    from curation.selectors import expiring_curations

    today = timezone.localdate()
    sent = 0
    for curation_id in expiring_curations(today=today, within_days=max(REMINDER_DAYS)).values_list("pk", flat=True):
        sent += send_curation_expiry_reminder(curation_id=curation_id, today=today)
    return sent


def send_curation_expiry_reminder(*, curation_id: int, today) -> int:
    """The reminder due for one curation today (the nearest window it is in), once. Returns 1 if sent."""
    from django.urls import reverse

    from core.notifications import send_once, send_templated_email
    from curation.models import Curation

    curation = Curation.objects.select_related("product", "seller__owner").filter(pk=curation_id).first()
    if (
        curation is None
        or not curation.stars_valid_on(today)
        or curation.product.curation_stars_until != curation.valid_until
    ):
        return 0
    days_left = (curation.valid_until - today).days
    window = min((days for days in REMINDER_DAYS if days_left <= days), default=None)
    if window is None:
        return 0
    recipients = [curation.seller.email or curation.seller.owner.email]
    context = {
        "curation": curation,
        "product": curation.product,
        "seller": curation.seller,
        "days": days_left,
        "product_url": reverse(
            "catalogue:detail", kwargs={"product_slug": curation.product.slug, "pk": curation.product_id}
        ),
    }
    sent = send_once(
        key=f"curation-expiry-{curation.pk}-{window}",
        send=lambda: send_templated_email("curation/emails/expiry_reminder", context, recipients),
    )
    return int(sent)
