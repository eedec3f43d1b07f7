"""Emails about purchase requests. Tasks take ids, re-read state and send each message once."""

from celery import shared_task
from django.urls import reverse

from companies.models import MembershipRole
from core.notifications import send_once, send_templated_email
from fulfilment.tasks import RETRY
from purchasing.models import PurchaseRequest, PurchaseRequestStatus


# Registered names kept from the offtakers app, so messages already queued under them still run.
@shared_task(name="offtakers.tasks.notify_approvers_of_purchase_request", **RETRY)
def notify_approvers_of_purchase_request(purchase_request_id: int) -> None:
    request = PurchaseRequest.objects.select_related("company", "requested_by").filter(pk=purchase_request_id).first()
    if request is None or request.status != PurchaseRequestStatus.PENDING:
        return
    approvers = list(
        request.company.memberships.filter(role=MembershipRole.APPROVER).values_list("user__email", flat=True)
    )
    context = {"request": request, "url": reverse("purchasing:approval-detail", kwargs={"pk": request.pk})}
    send_once(
        key=f"purchase-request-{request.pk}-approvers",
        send=lambda: send_templated_email("purchasing/emails/approval_needed", context, approvers),
    )


@shared_task(name="offtakers.tasks.notify_requester_of_decision", **RETRY)
def notify_requester_of_decision(purchase_request_id: int) -> None:
    request = (
        PurchaseRequest.objects.select_related("company", "requested_by", "order")
        .filter(pk=purchase_request_id)
        .first()
    )
    if request is None or request.status == PurchaseRequestStatus.PENDING:
        return
    context = {"request": request, "url": reverse("purchasing:approval-detail", kwargs={"pk": request.pk})}
    send_once(
        key=f"purchase-request-{request.pk}-decided",
        send=lambda: send_templated_email("purchasing/emails/approval_decided", context, [request.requested_by.email]),
    )
