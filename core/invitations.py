"""The shared invitation: an emailed, expiring link that lets one person join an organisation.

Pesantren teams (`sellers.TeamInvitation`) and companies (`companies.CompanyInvitation`) both build
on `InvitationBase`; each adds the organisation, the role offered and its one-open-invitation rule.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationBase(models.Model):
    """An emailed invitation to join an organisation, accepted through its secret link.

    Subclasses add the organisation, the role offered, and a constraint allowing one open invitation
    per email address.
    """

    email = models.EmailField(_("email"))
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("invited"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
