"""Off-taker accounts: the company's history (review, credit, settings, members) and member invitations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyStatus, MembershipRole
from core.invitations import InvitationBase
from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed


class CompanyEventKind(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    CREDIT_TERMS_SET = "credit_terms_set", _("Credit terms changed")
    APPROVAL_THRESHOLD_SET = "approval_threshold_set", _("Approval threshold changed")
    MEMBER_INVITED = "member_invited", _("Member invited")
    MEMBER_ADDED = "member_added", _("Member added")
    MEMBER_ROLE_CHANGED = "member_role_changed", _("Member role changed")
    MEMBER_REMOVED = "member_removed", _("Member removed")


class CompanyEvent(StatusEvent):
    """One line of a company's history: who did what and when. Written by the services only.

    A review (verified, rejected) is a status change and carries from and to; the other kinds
    (credit terms, settings, members) leave them empty."""

    company = models.ForeignKey(
        "companies.Company", verbose_name=_("company"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=CompanyEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    # Values before and after the change, e.g. {"credit_limit": [0, 5000000]}; kept as plain JSON for the record.
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        db_table = "offtakers_companyevent"  # kept from the offtakers app this model moved out of
        ordering = ["-created_at", "-pk"]
        verbose_name = _("company event")
        verbose_name_plural = _("company events")

    def __str__(self) -> str:
        return f"{self.company}: {self.get_kind_display()}"


class CompanyTransitionError(TransitionNotAllowed):
    """A review of a company that its current status does not allow."""


COMPANY_MACHINE = StateMachine(
    model=Company,
    transitions={
        CompanyStatus.APPLIED: {CompanyStatus.VERIFIED, CompanyStatus.REJECTED},
        CompanyStatus.VERIFIED: set(),
        CompanyStatus.REJECTED: set(),
    },
    event_model=CompanyEvent,
    event_fk="company",
    kinds={CompanyStatus.VERIFIED: CompanyEventKind.VERIFIED, CompanyStatus.REJECTED: CompanyEventKind.REJECTED},
    error=CompanyTransitionError,
    message=lambda company, from_status, to_status: (
        gettext("Only an applied company can be reviewed; this one is %(status)s.")
        % {"status": CompanyStatus(from_status).label}
    ),
)


class CompanyInvitation(InvitationBase):
    """An emailed invitation to join a company; its secret link creates or links the account on acceptance."""

    company = models.ForeignKey(
        "companies.Company", verbose_name=_("company"), on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.BUYER)

    class Meta(InvitationBase.Meta):
        db_table = "offtakers_companyinvitation"  # kept from the offtakers app this model moved out of
        verbose_name = _("company invitation")
        verbose_name_plural = _("company invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="offtakers_invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"
