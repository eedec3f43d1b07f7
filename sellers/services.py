"""Write-side operations on pesantren. Every status change goes through `_transition` (core.transitions)."""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core import outbox
from core.transitions import record_initial, transition
from sellers.access import is_seller_owner, owner_only_message
from sellers.models import (
    SELLER_MACHINE,
    DocumentKind,
    Seller,
    SellerDocument,
    SellerEvent,
    SellerEventKind,
    SellerStatus,
    SellerTransitionError,
)

Partner = get_model("partner", "Partner")

ALLOWED_TRANSITIONS = SELLER_MACHINE.transitions


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "pesantren"
    slug, suffix = base, 2
    while Seller.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _transition(*, seller: Seller, to_status: str, actor=None, note: str = "") -> SellerEvent:
    """Move a locked seller to `to_status` and record who did it. Call inside a transaction."""
    event = transition(
        seller,
        to_status,
        actor=actor,
        note=note,
        status_reason=note,
        status_changed_at=timezone.now(),
        status_changed_by=actor,
    )
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
    (event,) = record_initial([seller], actor=owner)
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


BANK_FIELDS = ("bank_name", "bank_account_number", "bank_account_holder")


def mask_account_number(number: str) -> str:
    """An account number as the audit trail and emails show it: all but the last four digits hidden."""
    number = number or ""
    if len(number) <= 4:
        return "•" * len(number)
    return "•" * (len(number) - 4) + number[-4:]


def _bank_account_label(*, bank_name: str, bank_account_number: str, bank_account_holder: str) -> str:
    if not (bank_name or bank_account_number or bank_account_holder):
        return _("none")
    return _("%(bank)s %(number)s in the name of %(holder)s") % {
        "bank": bank_name,
        "number": mask_account_number(bank_account_number),
        "holder": bank_account_holder,
    }


def seller_bank_account_change(
    *, seller: Seller, changed_by, bank_name: str, bank_account_number: str, bank_account_holder: str
) -> SellerEvent | None:
    """Change the account payouts go to: owners only, recorded as an event, the owners emailed on commit.

    Redirecting payouts is the classic insider fraud, so every change leaves a trail (old and new account,
    masked) and every owner hears of it. Returns None when nothing changed.
    """
    new = {
        "bank_name": bank_name.strip(),
        "bank_account_number": bank_account_number.strip(),
        "bank_account_holder": bank_account_holder.strip(),
    }
    with transaction.atomic():
        seller = _lock(seller)
        if not is_seller_owner(seller=seller, user=changed_by):
            raise PermissionDenied(owner_only_message())
        old = {field: getattr(seller, field) for field in BANK_FIELDS}
        if old == new:
            return None
        for field, value in new.items():
            setattr(seller, field, value)
        seller.full_clean(exclude=[f.name for f in Seller._meta.fields if f.name not in BANK_FIELDS])
        seller.save(update_fields=[*BANK_FIELDS, "updated_at"])
        event = SellerEvent.objects.create(
            seller=seller,
            kind=SellerEventKind.BANK_ACCOUNT,
            from_status=seller.status,
            to_status=seller.status,
            actor=changed_by,
            note=f"{_bank_account_label(**old)} → {_bank_account_label(**new)}",
        )
        from sellers.tasks import send_bank_account_changed_email

        outbox.enqueue(send_bank_account_changed_email, event.pk)
    return event


__all__ = [
    "ALLOWED_TRANSITIONS",
    "DocumentKind",
    "SellerTransitionError",
    "seller_apply",
    "seller_bank_account_change",
    "seller_approve",
    "seller_reinstate",
    "seller_reject",
    "seller_request_changes",
    "seller_resubmit",
    "seller_suspend",
]
