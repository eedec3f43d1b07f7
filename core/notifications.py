"""Emails sent at most once per key, rendered in Indonesian; every app's tasks send through these."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.models import SentNotification


def send_once(*, key: str, send) -> bool:
    """Run `send` unless a notification with `key` was already sent. The key is stored with it."""
    try:
        with transaction.atomic():
            SentNotification.objects.create(key=key)
            send()
    except IntegrityError:
        return False
    return True


def send_templated_email(template: str, context: dict, recipients: list[str]) -> None:
    """Render `<template>_subject.txt` and `<template>_body.txt` in Indonesian and mail them."""
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.MARKETPLACE_SITE_URL}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
