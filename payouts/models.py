from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed


class LedgerEntryKind(models.TextChoices):
    ORDER_COMPLETED = "order_completed", _("Completed order")
    REFUND = "refund", pgettext_lazy("ledger entry", "Refund")
    PAYOUT = "payout", _("Payout")
    ADJUSTMENT = "adjustment", _("Adjustment")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove a booked ledger entry."""


class LedgerEntryQuerySet(models.QuerySet):
    # A correction is a new, opposite entry; rewriting history would make balances unauditable.
    def update(self, **kwargs):
        raise AppendOnlyError(_("Ledger entries cannot be changed; book a correcting entry instead."))

    def delete(self):
        raise AppendOnlyError(_("Ledger entries cannot be deleted; book a correcting entry instead."))


class LedgerEntry(models.Model):
    """One line of a pesantren's append-only ledger, in whole rupiah: credits positive, debits negative.

    A balance is the sum of its entries; nothing stores a balance by hand. `idempotency_key` is
    unique so that the same business event can never be booked twice. Rows are only ever
    inserted: `save()` on an existing row, `delete()` and queryset `update()`/`delete()` refuse.
    """

    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="ledger_entries"
    )
    seller_order = models.ForeignKey(
        "fulfilment.SellerOrder",
        verbose_name=_("pesantren order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    payout = models.ForeignKey(
        "payouts.Payout",
        verbose_name=_("payout"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LedgerEntryKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    description = models.CharField(_("description"), max_length=255, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["seller", "created_at"])]

    def __str__(self):
        return f"{self.seller}: {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError(_("Ledger entries cannot be changed; book a correcting entry instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("Ledger entries cannot be deleted; book a correcting entry instead."))


class ConnectedAccount(models.Model):
    """A pesantren's Stripe Connect account: its payouts go out as Stripe transfers, not by bank batch."""

    seller = models.OneToOneField(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="connected_account"
    )
    stripe_account_id = models.CharField(
        _("Stripe account id"), max_length=64, unique=True, help_text=_("The connected account, e.g. acct_1A2b3C.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("connected Stripe account")
        verbose_name_plural = _("connected Stripe accounts")

    def __str__(self):
        return f"{self.seller}: {self.stripe_account_id}"


class PayoutBatch(models.Model):
    """The payouts of one ISO week. `week` is unique, so the weekly run can never make two batches."""

    week = models.CharField(_("ISO week"), max_length=8, unique=True, help_text=_("e.g. 2026-W48"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    skipped_sellers = models.JSONField(
        _("skipped pesantren"),
        default=list,
        blank=True,
        help_text=_("Pesantren with a payable balance that were left out, and why."),
    )

    class Meta:
        ordering = ["-week"]
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")

    def __str__(self):
        return self.week


class PayoutStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    EXPORTED = "exported", _("Exported to bank")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class PayoutMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    STRIPE_CONNECT = "stripe_connect", _("Stripe Connect")


class Payout(models.Model):
    """Money owed to one pesantren, on its way out. Its ledger debit is booked when it is created.

    The bank details are copied at creation so that a later change of account cannot redirect a
    payout already exported. Status changes only through `payouts.services`.
    """

    batch = models.ForeignKey(
        PayoutBatch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.PROTECT, related_name="payouts"
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=20, choices=PayoutStatus.choices, default=PayoutStatus.PENDING, db_index=True
    )
    method = models.CharField(_("method"), max_length=20, choices=PayoutMethod.choices)
    bank_name = models.CharField(_("bank name"), max_length=64, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=32, blank=True)
    bank_account_holder = models.CharField(_("account holder name"), max_length=128, blank=True)
    stripe_account_id = models.CharField(_("Stripe account id"), max_length=64, blank=True)
    reference = models.CharField(
        _("reference"), max_length=120, blank=True, help_text=_("Bank transfer reference or Stripe transfer id.")
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked paid by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    failed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked failed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        permissions = [("manage_payouts", _("Can create, export and settle pesantren payouts"))]
        constraints = [
            models.UniqueConstraint(fields=["batch", "seller"], name="one_payout_per_seller_per_batch"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_amount_positive"),
        ]
        indexes = [models.Index(fields=["seller", "created_at"])]

    def __str__(self):
        return f"{self.seller}: {self.amount} ({self.get_status_display()})"

    @property
    def idempotency_key(self) -> str:
        return f"payout-{self.pk}"


class PayoutEvent(StatusEvent):
    """Audit row for every status change of a Payout."""

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from status"), max_length=20, choices=PayoutStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=PayoutStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("payout event")
        verbose_name_plural = _("payout events")

    def __str__(self):
        return f"{self.payout_id}: {self.from_status or '-'} → {self.to_status}"


class PayoutTransitionNotAllowed(TransitionNotAllowed):
    """A status change that the payout's current status does not allow."""


PAYOUT_MACHINE = StateMachine(
    model=Payout,
    transitions={
        PayoutStatus.PENDING: {PayoutStatus.EXPORTED, PayoutStatus.PAID, PayoutStatus.FAILED, PayoutStatus.CANCELLED},
        PayoutStatus.EXPORTED: {PayoutStatus.PAID, PayoutStatus.FAILED},
        PayoutStatus.PAID: set(),
        PayoutStatus.FAILED: set(),
        PayoutStatus.CANCELLED: set(),
    },
    event_model=PayoutEvent,
    event_fk="payout",
    error=PayoutTransitionNotAllowed,
    message=lambda payout, from_status, to_status: (
        gettext("Payout %(id)s cannot go from “%(from)s” to “%(to)s”.")
        % {"id": payout.pk, "from": PayoutStatus(from_status).label, "to": PayoutStatus(to_status).label}
    ),
)
