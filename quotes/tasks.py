"""Emails and the expiry job of requests for quotation. Tasks take ids, re-read state and are safe to run twice."""

import logging

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.notifications import send_once, send_templated_email
from fulfilment.tasks import RETRY
from quotes.models import Message, MessageSide, Quote, QuoteStatus, RequestForQuotation, RfqInvitation
from quotes.services import quotes_expire, rfqs_close_lapsed

logger = logging.getLogger(__name__)


def _seller_recipients(seller) -> list[str]:
    return [seller.email or seller.owner.email]


def _company_recipients(rfq: RequestForQuotation) -> list[str]:
    return [rfq.created_by.email]


@shared_task(**RETRY)
def notify_invited_sellers(rfq_id: int) -> None:
    invitation_ids = list(
        RfqInvitation.objects.filter(rfq_id=rfq_id, notified_at__isnull=True).values_list("pk", flat=True)
    )
    for invitation_id in invitation_ids:
        outbox.enqueue(notify_invited_seller, invitation_id)


@shared_task(**RETRY)
def notify_invited_seller(invitation_id: int) -> None:
    with transaction.atomic():
        invitation = (
            RfqInvitation.objects.select_for_update(of=("self",))
            .select_related("rfq__company", "seller__owner")
            .filter(pk=invitation_id, notified_at__isnull=True)
            .first()
        )
        if invitation is None:
            return
        context = {
            "rfq": invitation.rfq,
            "seller": invitation.seller,
            "url": reverse("quotes-dashboard:rfq-detail", kwargs={"pk": invitation.rfq_id}),
        }
        send_templated_email("quotes/emails/invitation", context, _seller_recipients(invitation.seller))
        invitation.notified_at = timezone.now()
        invitation.save(update_fields=["notified_at"])


@shared_task(**RETRY)
def notify_company_of_quote(quote_id: int) -> None:
    quote = Quote.objects.select_related("rfq__company", "rfq__created_by", "seller").filter(pk=quote_id).first()
    if quote is None or quote.status != QuoteStatus.SUBMITTED:
        return
    context = {"quote": quote, "rfq": quote.rfq, "url": reverse("quotes:detail", kwargs={"pk": quote.rfq_id})}
    send_once(
        key=f"quote-{quote.pk}-received",
        send=lambda: send_templated_email("quotes/emails/quote_received", context, _company_recipients(quote.rfq)),
    )


@shared_task(**RETRY)
def notify_seller_of_acceptance(quote_id: int) -> None:
    quote = (
        Quote.objects.select_related("rfq__company", "seller__owner", "order", "purchase_request")
        .filter(pk=quote_id, status=QuoteStatus.ACCEPTED)
        .first()
    )
    if quote is None:
        return
    context = {
        "quote": quote,
        "rfq": quote.rfq,
        "seller": quote.seller,
        "order": quote.resulting_order,
        "url": reverse("quotes-dashboard:rfq-detail", kwargs={"pk": quote.rfq_id}),
    }
    # Keyed by what it announces: accepted for an approver, then (or at once) the order.
    stage = f"order-{quote.resulting_order.pk}" if quote.resulting_order else f"pr-{quote.purchase_request_id}"
    send_once(
        key=f"quote-{quote.pk}-accepted-{stage}",
        send=lambda: send_templated_email("quotes/emails/quote_accepted", context, _seller_recipients(quote.seller)),
    )


@shared_task(**RETRY)
def notify_sellers_not_chosen(rfq_id: int) -> None:
    quotes = list(
        Quote.objects.filter(rfq_id=rfq_id, status=QuoteStatus.CLOSED).select_related("rfq__company", "seller__owner")
    )
    for quote in quotes:
        context = {
            "quote": quote,
            "rfq": quote.rfq,
            "seller": quote.seller,
            "url": reverse("quotes-dashboard:rfq-detail", kwargs={"pk": quote.rfq_id}),
        }
        send_once(
            key=f"quote-{quote.pk}-closed",
            send=lambda context=context, seller=quote.seller: send_templated_email(
                "quotes/emails/quote_closed", context, _seller_recipients(seller)
            ),
        )


@shared_task(**RETRY)
def notify_of_message(message_id: int) -> None:
    message = (
        Message.objects.select_related("rfq__company", "rfq__created_by", "seller__owner", "author")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return
    if message.side == MessageSide.COMPANY:
        recipients = _seller_recipients(message.seller)
        url = reverse("quotes-dashboard:rfq-detail", kwargs={"pk": message.rfq_id})
    else:
        recipients = _company_recipients(message.rfq)
        url = reverse("quotes:thread", kwargs={"pk": message.rfq_id, "seller_pk": message.seller_id})
    context = {"message": message, "rfq": message.rfq, "seller": message.seller, "url": url}
    send_once(
        key=f"rfq-message-{message.pk}",
        send=lambda: send_templated_email("quotes/emails/new_message", context, recipients),
    )


@shared_task
def expire_quotes() -> dict:
    """Beat job: quotes past their validity expire; requests nobody can award any more close."""
    expired = quotes_expire()
    closed = rfqs_close_lapsed()
    for rfq_id in closed:
        outbox.enqueue(notify_sellers_not_chosen, rfq_id)
    logger.info("Expired %s quotes, closed %s requests for quotation", expired, len(closed))
    return {"expired": expired, "closed": len(closed)}
