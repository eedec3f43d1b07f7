"""Background jobs of bank transfers. Tasks take ids, re-read state and are safe to run twice."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from bank_transfers.models import BankTransfer, BankTransferEvent, BankTransferEventKind
from bank_transfers.services import expire_overdue_transfers
from core.notifications import send_once

logger = logging.getLogger(__name__)
RETRY = {
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_kwargs": {"max_retries": 8},
}


@shared_task(**RETRY)
def send_proof_rejected_email(transfer_id: int, event_id: int) -> bool:
    """Tell the customer why their proof was turned down and where to upload another. Once per rejection."""
    event = (
        BankTransferEvent.objects.select_related("transfer__order")
        .filter(pk=event_id, transfer_id=transfer_id, kind=BankTransferEventKind.REJECTED)
        .first()
    )
    if event is None:
        return False
    transfer: BankTransfer = event.transfer
    order = transfer.order
    if not order.email:
        return False

    def send() -> None:
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "transfer": transfer,
                "order": order,
                "reason": event.note,
                "transfer_url": settings.MARKETPLACE_SITE_URL.rstrip("/")
                + reverse("bank_transfers:detail", kwargs={"order_number": order.number}),
            }
            subject = render_to_string("bank_transfers/emails/proof_rejected_subject.txt", context).strip()
            body = render_to_string("bank_transfers/emails/proof_rejected_body.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.email])

    return send_once(key=f"bank-transfer-event-{event.pk}-rejected", send=send)


@shared_task
def expire_overdue_bank_transfers() -> int:
    expired = expire_overdue_transfers()
    logger.info("Expired %s overdue bank transfers", expired)
    return expired
