import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.access import require_company_approver
from companies.account_models import (  # noqa: F401 (CompanyTransitionError is public API)
    CompanyEvent,
    CompanyEventKind,
    CompanyInvitation,
    CompanyTransitionError,
)
from companies.models import Company, CompanyMembership, CompanyStatus, MembershipRole, PaymentTerms
from companies.tasks import send_company_event_email, send_company_invitation_email
from core import outbox
from core.bounds import fits_column
from core.identifiers import compact_npwp
from core.transitions import transition

_REGISTRATION_FIELDS = (
    "legal_name",
    "npwp",
    "business_type",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
)


@transaction.atomic
def company_register(*, user, data: dict) -> Company:
    """Create an applied company with `user` as its first approver (they can then add buyers)."""
    fields = {name: data.get(name, "") for name in _REGISTRATION_FIELDS}
    fields["npwp"] = compact_npwp(fields["npwp"])
    company = Company(**fields)
    company.full_clean()
    company.save()
    CompanyMembership.objects.create(company=company, user=user, role=MembershipRole.APPROVER)
    return company


def _check_staff(actor) -> None:
    if not actor.has_perm("companies.verify_company"):
        raise PermissionDenied(_("You may not review off-taker companies."))


def _transition(*, company: Company, to_status: str, actor, reason: str = "") -> Company:
    _check_staff(actor)
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=company.pk)
        actor = actor if getattr(actor, "pk", None) else None
        event = transition(
            company,
            to_status,
            actor=actor,
            note=reason,
            status_reason=reason,
            status_changed_at=timezone.now(),
            status_changed_by=actor,
        )
        _email_event_on_commit(event)
    return company


def company_verify(*, company: Company, verified_by) -> Company:
    return _transition(company=company, to_status=CompanyStatus.VERIFIED, actor=verified_by)


def company_reject(*, company: Company, rejected_by, reason: str) -> Company:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the company a reason for the rejection.")})
    return _transition(company=company, to_status=CompanyStatus.REJECTED, actor=rejected_by, reason=reason)


# --- Off-taker accounts: history, credit terms, settings and members ---------------------------------


def _company_event(*, company: Company, kind: str, actor, note: str = "", data: dict | None = None):
    return CompanyEvent.objects.create(
        company=company, kind=kind, actor=actor if getattr(actor, "pk", None) else None, note=note, data=data or {}
    )


def _email_event_on_commit(event) -> None:
    outbox.enqueue(send_company_event_email, event.pk)


def _lock_company(company: Company) -> Company:
    """Lock the company row; every change to its terms or members serialises on it (company before memberships)."""
    return Company.objects.select_for_update().get(pk=company.pk)


def _require_approver(*, company: Company, user) -> None:
    require_company_approver(company=company, user=user)


def _check_amount(value, *, field: str, column: str, allow_none: bool = False) -> int | None:
    """`value` as the amount of form field `field`, stored in Company's `column`."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError({field: _("Enter a whole number of rupiah, 0 or more.")})
    if not fits_column(value, Company, column):
        raise ValidationError({field: _("This amount is too large.")})
    return value


def company_set_credit_terms(*, company: Company, credit_limit: int, payment_terms_days: int, set_by) -> Company:
    """Programme staff set how much unpaid invoice value the company may carry, and its payment terms."""
    _check_staff(set_by)
    _check_amount(credit_limit, field="credit_limit", column="credit_limit")
    if payment_terms_days not in PaymentTerms.values:
        raise ValidationError({"payment_terms_days": _("Choose 14 or 30 days.")})
    with transaction.atomic():
        company = _lock_company(company)
        before = (company.credit_limit, company.payment_terms_days)
        if before == (credit_limit, payment_terms_days):
            return company
        company.credit_limit, company.payment_terms_days = credit_limit, payment_terms_days
        company.save(update_fields=["credit_limit", "payment_terms_days"])
        _company_event(
            company=company,
            kind=CompanyEventKind.CREDIT_TERMS_SET,
            actor=set_by,
            data={
                "credit_limit": [before[0], credit_limit],
                "payment_terms_days": [before[1], payment_terms_days],
            },
        )
    return company


def company_set_approval_threshold(*, company: Company, threshold: int | None, set_by) -> Company:
    """An approver sets the order total above which buyers' orders wait for approval (None: never)."""
    _check_amount(threshold, field="threshold", column="approval_threshold", allow_none=True)
    with transaction.atomic():
        company = _lock_company(company)
        _require_approver(company=company, user=set_by)
        before = company.approval_threshold
        if before == threshold:
            return company
        company.approval_threshold = threshold
        company.save(update_fields=["approval_threshold"])
        _company_event(
            company=company,
            kind=CompanyEventKind.APPROVAL_THRESHOLD_SET,
            actor=set_by,
            data={"approval_threshold": [before, threshold]},
        )
    return company


INVITATION_VALID_DAYS = 7


def _check_role(role: str) -> None:
    if role not in MembershipRole.values:
        raise ValidationError({"role": _("Choose buyer or approver.")})


def company_member_add(*, company: Company, email: str, role: str, added_by):
    """Add someone by email: an existing account joins at once; anyone else gets an emailed invitation.

    Returns the new CompanyMembership, or the CompanyInvitation when no account uses the email yet.
    """

    email = (email or "").strip().lower()
    _check_role(role)
    if not email:
        raise ValidationError({"email": _("Enter an email address.")})
    accounts = list(get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk")[:2])
    if len(accounts) > 1:
        # Oscar signs in by email and refuses duplicates too; joining one of them at random would be wrong.
        raise ValidationError({"email": _("Several accounts use this email address; ask programme staff for help.")})
    with transaction.atomic():
        company = _lock_company(company)
        _require_approver(company=company, user=added_by)
        if accounts:
            user = accounts[0]
            if CompanyMembership.objects.filter(company=company, user=user).exists():
                raise ValidationError({"email": _("This person is already a member of the company.")})
            membership = CompanyMembership.objects.create(company=company, user=user, role=role)
            event = _company_event(
                company=company,
                kind=CompanyEventKind.MEMBER_ADDED,
                actor=added_by,
                data={"email": user.email, "role": role},
            )
            _email_event_on_commit(event)
            return membership
        now = timezone.now()
        open_invitations = CompanyInvitation.objects.filter(
            company=company, email=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        if open_invitations.filter(expires_at__gt=now).exists():
            raise ValidationError({"email": _("This email already has an open invitation.")})
        # An expired invitation would otherwise block a new one (one open invitation per email).
        open_invitations.update(revoked_at=now)
        invitation = CompanyInvitation(
            company=company,
            email=email,
            role=role,
            invited_by=added_by,
            expires_at=now + datetime.timedelta(days=INVITATION_VALID_DAYS),
        )
        invitation.full_clean(exclude=["token"], validate_constraints=False)
        invitation.save()
        _company_event(
            company=company, kind=CompanyEventKind.MEMBER_INVITED, actor=added_by, data={"email": email, "role": role}
        )
    outbox.enqueue(send_company_invitation_email, invitation.pk)
    return invitation


def _lock_membership(*, company: Company, user) -> CompanyMembership:
    membership = CompanyMembership.objects.select_for_update().filter(company=company, user=user).first()
    if membership is None:
        raise ValidationError(_("This person is not a member of the company."))
    return membership


def _ensure_another_approver(*, company: Company, membership: CompanyMembership, message: str) -> None:
    if membership.role != MembershipRole.APPROVER:
        return
    others = CompanyMembership.objects.filter(company=company, role=MembershipRole.APPROVER).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(message)


def company_member_set_role(*, company: Company, user, role: str, changed_by) -> CompanyMembership:
    """Make a member a buyer or an approver; the company always keeps at least one approver."""
    _check_role(role)
    with transaction.atomic():
        company = _lock_company(company)
        # Checked under the company lock, so two approvers cannot demote each other at the same time.
        _require_approver(company=company, user=changed_by)
        membership = _lock_membership(company=company, user=user)
        if membership.role == role:
            return membership
        if role != MembershipRole.APPROVER:
            _ensure_another_approver(
                company=company,
                membership=membership,
                message=_("The company needs at least one approver: make someone else an approver first."),
            )
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        _company_event(
            company=company,
            kind=CompanyEventKind.MEMBER_ROLE_CHANGED,
            actor=changed_by,
            data={"email": user.email, "role": [before, role]},
        )
    return membership


def company_member_remove(*, company: Company, user, removed_by) -> None:
    """Take a member off the company; the last approver cannot be removed."""
    with transaction.atomic():
        company = _lock_company(company)
        _require_approver(company=company, user=removed_by)
        membership = _lock_membership(company=company, user=user)
        _ensure_another_approver(
            company=company,
            membership=membership,
            message=_("The last approver cannot be removed: make someone else an approver first."),
        )
        membership.delete()
        _company_event(
            company=company,
            kind=CompanyEventKind.MEMBER_REMOVED,
            actor=removed_by,
            data={"email": user.email, "role": membership.role},
        )


def company_invitation_revoke(*, invitation, revoked_by):
    _require_approver(company=invitation.company, user=revoked_by)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def company_invitation_accept(*, invitation, user) -> CompanyMembership:
    """Join the company through an invitation sent to the user's email address."""
    with transaction.atomic():
        company = _lock_company(invitation.company)
        invitation = CompanyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ValidationError(_("This invitation is no longer valid."))
        if (user.email or "").strip().lower() != invitation.email:
            raise ValidationError(_("This invitation was sent to another email address."))
        membership, created = CompanyMembership.objects.get_or_create(
            company=company, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        if created:
            _company_event(
                company=company,
                kind=CompanyEventKind.MEMBER_ADDED,
                actor=user,
                note=_("Accepted an invitation."),
                data={"email": user.email, "role": membership.role},
            )
    return membership
