"""Write-side operations on pesantren. Every status change goes through `_transition`."""

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core import outbox
from sellers.models import DocumentKind, Seller, SellerDocument, SellerEvent, SellerStatus

Partner = get_model("partner", "Partner")

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    SellerStatus.APPLIED: {SellerStatus.VERIFIED, SellerStatus.REJECTED, SellerStatus.CHANGES_REQUESTED},
    SellerStatus.CHANGES_REQUESTED: {SellerStatus.APPLIED, SellerStatus.REJECTED},
    SellerStatus.REJECTED: set(),
    SellerStatus.VERIFIED: {SellerStatus.SUSPENDED},
    SellerStatus.SUSPENDED: {SellerStatus.VERIFIED},
}


class SellerTransitionError(Exception):
    """Raised when a status change is not allowed from the seller's current status."""


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "pesantren"
    slug, suffix = base, 2
    while Seller.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _transition(*, seller: Seller, to_status: str, actor=None, note: str = "") -> SellerEvent:
    """Move a locked seller to `to_status` and record who did it. Call inside a transaction."""
    if to_status not in ALLOWED_TRANSITIONS[seller.status]:
        raise SellerTransitionError(
            _("The pesantren's status cannot change from %(from)s to %(to)s.")
            % {"from": seller.get_status_display(), "to": SellerStatus(to_status).label}
        )
    now = timezone.now()
    event = SellerEvent.objects.create(
        seller=seller, from_status=seller.status, to_status=to_status, actor=actor, note=note
    )
    seller.status = to_status
    seller.status_reason = note
    seller.status_changed_at = now
    seller.status_changed_by = actor
    seller.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by", "updated_at"])
    _notify_on_commit(event)
    return event


def _notify_on_commit(event: SellerEvent) -> None:
    from sellers.tasks import send_seller_status_email

    outbox.enqueue(send_seller_status_email, event.pk)


def _lock(seller: Seller) -> Seller:
    return Seller.objects.select_for_update().get(pk=seller.pk)


def _save_documents(seller: Seller, documents: list[tuple[str, object]]) -> None:
    for kind, uploaded in documents:
        SellerDocument.objects.create(
            seller=seller, kind=kind, file=uploaded, content_type=uploaded.content_type, size=uploaded.size
        )


@transaction.atomic
def seller_apply(*, owner, data: dict, documents: list[tuple[str, object]]) -> Seller:
    """Create an application from validated form data and its uploaded documents."""
    seller = Seller(owner=owner, slug=_unique_slug(data["name"]), **data)
    seller.full_clean()
    seller.save()
    _save_documents(seller, documents)
    event = SellerEvent.objects.create(seller=seller, to_status=SellerStatus.APPLIED, actor=owner)
    _notify_on_commit(event)
    return seller


@transaction.atomic
def seller_resubmit(*, seller: Seller, data: dict, documents: list[tuple[str, object]], actor) -> Seller:
    """The applicant answers a request for changes with corrected details."""
    seller = _lock(seller)
    for field, value in data.items():
        setattr(seller, field, value)
    seller.full_clean()
    seller.save()
    _save_documents(seller, documents)
    _transition(seller=seller, to_status=SellerStatus.APPLIED, actor=actor, note=_("Application corrected."))
    return seller


@transaction.atomic
def seller_approve(*, seller: Seller, approved_by) -> Seller:
    """Verify a pesantren: create its Partner, give the applicant dashboard access to it only."""
    seller = _lock(seller)
    _transition(seller=seller, to_status=SellerStatus.VERIFIED, actor=approved_by)
    if seller.partner_id is None:
        seller.partner = Partner.objects.create(name=seller.name, code=seller.slug)
    seller.partner.users.add(seller.owner)
    seller.owner.user_permissions.add(
        Permission.objects.get(content_type__app_label="partner", codename="dashboard_access")
    )
    seller.verified_at = timezone.now()
    seller.save(update_fields=["partner", "verified_at", "updated_at"])
    return seller


@transaction.atomic
def seller_reject(*, seller: Seller, rejected_by, reason: str) -> Seller:
    seller = _lock(seller)
    _transition(seller=seller, to_status=SellerStatus.REJECTED, actor=rejected_by, note=reason)
    return seller


@transaction.atomic
def seller_request_changes(*, seller: Seller, requested_by, reason: str) -> Seller:
    seller = _lock(seller)
    _transition(seller=seller, to_status=SellerStatus.CHANGES_REQUESTED, actor=requested_by, note=reason)
    return seller


@transaction.atomic
def seller_suspend(*, seller: Seller, suspended_by, reason: str) -> Seller:
    """Hide the storefront and its products; orders and data are kept."""
    seller = _lock(seller)
    _transition(seller=seller, to_status=SellerStatus.SUSPENDED, actor=suspended_by, note=reason)
    return seller


@transaction.atomic
def seller_reinstate(*, seller: Seller, reinstated_by) -> Seller:
    seller = _lock(seller)
    _transition(seller=seller, to_status=SellerStatus.VERIFIED, actor=reinstated_by)
    return seller


__all__ = [
    "ALLOWED_TRANSITIONS",
    "DocumentKind",
    "SellerTransitionError",
    "seller_apply",
    "seller_approve",
    "seller_reinstate",
    "seller_reject",
    "seller_request_changes",
    "seller_resubmit",
    "seller_suspend",
]
