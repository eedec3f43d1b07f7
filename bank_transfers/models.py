from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed
from sellers.storage import private_storage

UNIQUE_CODE_MIN, UNIQUE_CODE_MAX = 1, 999


class BankTransferStatus(models.TextChoices):
    AWAITING_TRANSFER = "awaiting_transfer", _("Awaiting transfer")
    PROOF_UPLOADED = "proof_uploaded", _("Proof uploaded, awaiting review")
    CONFIRMED = "confirmed", _("Confirmed")
    EXPIRED = "expired", _("Expired")


# While a transfer is open its amount due identifies it on the bank statement, so no two open
# transfers may share one. Closed transfers free their amount for reuse.
OPEN_STATUSES = (BankTransferStatus.AWAITING_TRANSFER, BankTransferStatus.PROOF_UPLOADED)


class BankTransfer(models.Model):
    """Payment of one order by manual bank transfer to the marketplace's account.

    The customer transfers `amount_due`: the order total plus a unique code of 1–999 rupiah, so that
    finance can match a line of the bank statement to the order by its amount alone. The customer
    uploads a proof; finance confirms it (the order becomes paid through fulfilment) or rejects it
    with a reason, after which the customer may upload again. An unpaid transfer expires with its
    order. Status changes only through `bank_transfers.services`, each recorded as an event.
    """

    order = models.OneToOneField(
        "order.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="bank_transfer"
    )
    amount = models.DecimalField(
        _("order total"), max_digits=14, decimal_places=2, help_text=_("The order total in whole rupiah.")
    )
    unique_code = models.PositiveSmallIntegerField(
        _("unique code"),
        validators=[MinValueValidator(UNIQUE_CODE_MIN), MaxValueValidator(UNIQUE_CODE_MAX)],
        help_text=_("Added to the total so that the transfer can be recognised on the bank statement."),
    )
    amount_due = models.DecimalField(
        _("amount due"), max_digits=14, decimal_places=2, help_text=_("Order total plus unique code.")
    )
    bank_name = models.CharField(_("bank"), max_length=100)
    account_number = models.CharField(_("account number"), max_length=50)
    account_holder = models.CharField(_("account holder"), max_length=150)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BankTransferStatus.choices,
        default=BankTransferStatus.AWAITING_TRANSFER,
        db_index=True,
    )
    proof = models.FileField(
        _("proof of transfer"), upload_to="bank_transfers/proofs/%Y/%m/", storage=private_storage, blank=True
    )
    proof_content_type = models.CharField(_("proof content type"), max_length=100, blank=True)
    proof_size = models.PositiveIntegerField(_("proof size (bytes)"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("proof uploaded at"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proof uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    expires_at = models.DateTimeField(_("pay before"), db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bank transfer")
        verbose_name_plural = _("bank transfers")
        permissions = [("review_transfer", _("Can review and confirm bank transfers"))]
        constraints = [
            models.UniqueConstraint(
                fields=["amount_due"],
                condition=Q(status__in=OPEN_STATUSES),
                name="bank_transfer_open_amount_due_unique",
            ),
            models.CheckConstraint(
                condition=Q(unique_code__gte=UNIQUE_CODE_MIN, unique_code__lte=UNIQUE_CODE_MAX),
                name="bank_transfer_unique_code_range",
            ),
            models.CheckConstraint(
                condition=Q(amount_due=F("amount") + F("unique_code")), name="bank_transfer_amount_due_sum"
            ),
        ]

    def __str__(self):
        return f"{self.order.number} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def can_upload_proof(self) -> bool:
        return self.status == BankTransferStatus.AWAITING_TRANSFER and not self.is_overdue


class BankTransferEventKind(models.TextChoices):
    STARTED = "started", _("Started")
    PROOF_UPLOADED = "proof_uploaded", _("Proof uploaded")
    REJECTED = "rejected", _("Proof rejected")
    CONFIRMED = "confirmed", _("Payment confirmed")
    EXPIRED = "expired", _("Expired")


class BankTransferEvent(StatusEvent):
    """Audit row for every status change of a BankTransfer: what happened, who did it, and when."""

    transfer = models.ForeignKey(BankTransfer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=BankTransferEventKind.choices)
    from_status = models.CharField(_("from status"), max_length=20, choices=BankTransferStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=BankTransferStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("bank transfer event")
        verbose_name_plural = _("bank transfer events")

    def __str__(self):
        return f"{self.transfer_id}: {self.get_kind_display()}"


class BankTransferTransitionNotAllowed(TransitionNotAllowed):
    """A status change that the transfer's current status does not allow."""


BANK_TRANSFER_MACHINE = StateMachine(
    model=BankTransfer,
    transitions={
        # Finance may confirm from the bank statement with or without a proof; a rejected proof
        # sends the transfer back to awaiting; an open transfer expires with its order.
        BankTransferStatus.AWAITING_TRANSFER: {
            BankTransferStatus.PROOF_UPLOADED,
            BankTransferStatus.CONFIRMED,
            BankTransferStatus.EXPIRED,
        },
        BankTransferStatus.PROOF_UPLOADED: {
            BankTransferStatus.AWAITING_TRANSFER,
            BankTransferStatus.CONFIRMED,
            BankTransferStatus.EXPIRED,
        },
        BankTransferStatus.CONFIRMED: set(),
        BankTransferStatus.EXPIRED: set(),
    },
    event_model=BankTransferEvent,
    event_fk="transfer",
    kinds={
        BankTransferStatus.PROOF_UPLOADED: BankTransferEventKind.PROOF_UPLOADED,
        BankTransferStatus.AWAITING_TRANSFER: BankTransferEventKind.REJECTED,
        BankTransferStatus.CONFIRMED: BankTransferEventKind.CONFIRMED,
        BankTransferStatus.EXPIRED: BankTransferEventKind.EXPIRED,
    },
    default_kind=BankTransferEventKind.STARTED,
    error=BankTransferTransitionNotAllowed,
)
