"""Who works for a pesantren in the dashboard: its team members and their invitations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.invitations import InvitationBase, new_invitation_token


class TeamRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Staff")


class TeamMembership(models.Model):
    """A user working in a pesantren's dashboard. Owners manage the team; staff run the shop.

    The pesantren's account owner (Seller.owner) is always an owner, with or without a row here.
    A user works for at most one pesantren, so the dashboard always knows whose data to show.
    """

    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="team_memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="team_membership"
    )
    role = models.CharField(_("role"), max_length=16, choices=TeamRole.choices, default=TeamRole.STAFF)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        app_label = "sellers"
        ordering = ["created_at", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["user"], name="team_membership_one_pesantren_per_user")]

    def __str__(self):
        return f"{self.user} — {self.seller} ({self.get_role_display()})"


# The name sellers' migrations use for the token default; the invitation itself lives in core.
_new_token = new_invitation_token


class TeamInvitation(InvitationBase):
    """An emailed invitation to join a pesantren's team, accepted through its secret link."""

    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="team_invitations"
    )
    role = models.CharField(_("role"), max_length=16, choices=TeamRole.choices, default=TeamRole.STAFF)

    class Meta(InvitationBase.Meta):
        app_label = "sellers"
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="team_invitation_one_open_per_email",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.seller}"
