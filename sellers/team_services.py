"""Team management of a pesantren: invitations, acceptance and removal. Only owners manage the team."""

import datetime

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from sellers.access import is_seller_owner
from sellers.models import Seller
from sellers.team_models import TeamInvitation, TeamMembership, TeamRole

INVITATION_VALID_DAYS = 7


def _dashboard_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="partner", codename="dashboard_access")


def _require_owner(*, seller: Seller, user) -> None:
    if not is_seller_owner(seller=seller, user=user):
        raise PermissionDenied(_("Only an owner of the pesantren can manage its team."))


def team_invite(*, seller: Seller, email: str, role: str, invited_by) -> TeamInvitation:
    """Invite someone by email; the link is mailed once the invitation is committed."""
    from sellers.team_tasks import send_team_invitation_email

    _require_owner(seller=seller, user=invited_by)
    email = email.strip().lower()
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose owner or staff.")})
    if (
        seller.owner.email.lower() == email
        or TeamMembership.objects.filter(seller=seller, user__email__iexact=email).exists()
    ):
        raise ValidationError({"email": _("This person is already on the team.")})
    if seller.partner_id and seller.partner.users.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already on the team.")})
    invitation = TeamInvitation(
        seller=seller,
        email=email,
        role=role,
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean(exclude=["token"], validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as error:
        raise ValidationError({"email": _("This email already has an open invitation.")}) from error
    outbox.enqueue(send_team_invitation_email, invitation.pk)
    return invitation


def team_invitation_revoke(*, invitation: TeamInvitation, revoked_by) -> TeamInvitation:
    _require_owner(seller=invitation.seller, user=revoked_by)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def team_invitation_accept(*, invitation: TeamInvitation, user) -> TeamMembership:
    """Join the team: the user's email must be the invited one, and it may work for no other pesantren."""
    with transaction.atomic():
        invitation = (
            TeamInvitation.objects.select_for_update(of=("self",))
            .select_related("seller__partner")
            .get(pk=invitation.pk)
        )
        if not invitation.is_open:
            raise ValidationError(_("This invitation is no longer valid."))
        if user.email.lower() != invitation.email:
            raise ValidationError(_("This invitation was sent to another email address."))
        seller = invitation.seller
        other = TeamMembership.objects.filter(user=user).exclude(seller=seller).exists() or (
            user.partners.exclude(seller=seller).filter(seller__isnull=False).exists()
        )
        if other:
            raise ValidationError(_("Your account already works for another pesantren."))
        membership, _created = TeamMembership.objects.update_or_create(
            user=user, defaults={"seller": seller, "role": invitation.role}
        )
        seller.partner.users.add(user)
        user.user_permissions.add(_dashboard_permission())
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def team_member_remove(*, seller: Seller, user, removed_by) -> None:
    """Take a member off the team; the account owner cannot be removed, nor can owners remove themselves."""
    _require_owner(seller=seller, user=removed_by)
    if user.pk == seller.owner_id:
        raise ValidationError(_("The account owner of the pesantren cannot be removed."))
    if user.pk == removed_by.pk:
        raise ValidationError(_("You cannot remove yourself from the team."))
    with transaction.atomic():
        TeamMembership.objects.filter(seller=seller, user=user).delete()
        seller.partner.users.remove(user)
        if not user.partners.exists():
            user.user_permissions.remove(_dashboard_permission())


def team_members(*, seller: Seller) -> list[dict]:
    """Everyone on the team with their role: the account owner first."""
    memberships = {m.user_id: m for m in TeamMembership.objects.filter(seller=seller).select_related("user")}
    users = list(seller.partner.users.order_by("email")) if seller.partner_id else []
    if seller.owner not in users:
        users.insert(0, seller.owner)
    rows = []
    for user in users:
        if user.pk == seller.owner_id:
            role = TeamRole.OWNER
        else:
            role = memberships[user.pk].role if user.pk in memberships else TeamRole.STAFF
        rows.append({"user": user, "role": role, "is_account_owner": user.pk == seller.owner_id})
    rows.sort(key=lambda row: (not row["is_account_owner"], row["role"] != TeamRole.OWNER, row["user"].email))
    return rows


def open_invitations(*, seller: Seller):
    return TeamInvitation.objects.filter(
        seller=seller, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")
