"""Invoices of off-taker orders placed on payment terms.

An order paid "by invoice" is confirmed at once (the marketplace carries the credit) and gets one
Invoice. The invoice keeps a snapshot of what a tax document must not change afterwards: the buyer's
legal name, NPWP and address, and per pesantren its NPWP, VAT registration and the PPN worked out at
issue. A pesantren that cancels or refunds its part issues a credit note (InvoiceCredit) that lowers
what the invoice asks for. What the company still owes is `total - amount_credited - amount_paid` of
its open invoices; that is the credit it uses against `Company.credit_limit`.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed
from payments.models import INTENT_TRANSITIONS, CardPaymentTransitionNotAllowed, PaymentIntentStatus


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")


class InvoiceCounter(models.Model):
    """The last invoice number used in a month. Locked while numbering, so numbers never repeat or skip."""

    period = models.CharField(_("period"), max_length=7, unique=True, help_text=_("Year and month, e.g. 2026/11."))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("invoice counter")
        verbose_name_plural = _("invoice counters")

    def __str__(self) -> str:
        return f"{self.period}: {self.last_number}"


class Invoice(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    company = models.ForeignKey(
        "companies.Company", verbose_name=_("company"), on_delete=models.PROTECT, related_name="invoices"
    )
    order = models.OneToOneField(
        "order.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="invoice"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN, db_index=True
    )
    issue_date = models.DateField(_("issue date"))
    due_date = models.DateField(_("due date"), db_index=True)
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"))
    total = models.DecimalField(_("total (Rp)"), max_digits=14, decimal_places=2)
    amount_paid = models.DecimalField(_("amount paid (Rp)"), max_digits=14, decimal_places=2, default=Decimal(0))
    amount_credited = models.DecimalField(
        _("amount credited (Rp)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("The sum of the invoice's credit notes: parts cancelled or refunded by their pesantren."),
    )
    # The buyer as it stood when the invoice was issued: a tax document does not change afterwards.
    buyer_legal_name = models.CharField(_("buyer legal name"), max_length=200)
    buyer_npwp = models.CharField(_("buyer NPWP"), max_length=16)
    buyer_address = models.TextField(_("buyer address"))
    po_number = models.CharField(_("purchase order number"), max_length=64, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-pk"]
        permissions = [("manage_invoices", _("Can view off-taker invoices and record their payments"))]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="invoices_total_not_negative"),
            models.CheckConstraint(condition=Q(amount_paid__gte=0), name="invoices_paid_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_credited__gte=0, amount_credited__lte=F("total")),
                name="invoices_credited_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def net_total(self) -> Decimal:
        """What the invoice asks for after its credit notes."""
        return self.total - self.amount_credited

    @property
    def balance(self) -> Decimal:
        """Still owed; below zero when the company paid more than the credited invoice asks for."""
        return self.net_total - self.amount_paid

    @property
    def to_refund(self) -> Decimal:
        """What finance must pay back to the company: payments beyond the credited total."""
        return max(-self.balance, Decimal(0))

    def days_overdue(self, today=None) -> int:
        """Whole days past the due date (0 when not yet due or no longer open)."""
        if self.status != InvoiceStatus.OPEN:
            return 0
        today = today or timezone.localdate()
        return max((today - self.due_date).days, 0)

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue() > 0


class InvoiceSection(models.Model):
    """One pesantren's part of an invoice (a SellerOrder), with the PPN worked out when it was issued.

    Prices already include PPN, so for a VAT-registered (PKP) pesantren the part's gross amount
    (goods plus shipping) is split into DPP (the tax base) and PPN. Other pesantren show no PPN.
    """

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="sections")
    seller_order = models.OneToOneField(
        "fulfilment.SellerOrder",
        verbose_name=_("pesantren order"),
        on_delete=models.PROTECT,
        related_name="invoice_section",
    )
    seller_name = models.CharField(_("pesantren name"), max_length=200)
    seller_npwp = models.CharField(_("pesantren NPWP"), max_length=16, blank=True)
    is_vat_registered = models.BooleanField(_("VAT-registered (PKP)"), default=False)
    ppn_rate = models.DecimalField(_("PPN rate"), max_digits=5, decimal_places=4, default=Decimal(0))
    subtotal = models.DecimalField(_("goods (Rp)"), max_digits=14, decimal_places=2)
    shipping_charge = models.DecimalField(_("shipping (Rp)"), max_digits=14, decimal_places=2)
    dpp = models.DecimalField(_("DPP (Rp)"), max_digits=14, decimal_places=2, null=True, blank=True)
    ppn = models.DecimalField(_("PPN (Rp)"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("invoice section")
        verbose_name_plural = _("invoice sections")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.invoice.number}: {self.seller_name}"

    @property
    def gross(self) -> Decimal:
        return self.subtotal + self.shipping_charge


class InvoicePaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CARD = "card", _("Card")
    VIRTUAL_ACCOUNT = "virtual_account", _("Virtual account")


class InvoicePayment(models.Model):
    """Money received against an invoice. One reference per method: a replayed Stripe event adds nothing."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=2)
    method = models.CharField(_("method"), max_length=20, choices=InvoicePaymentMethod.choices)
    reference = models.CharField(
        _("reference"), max_length=255, help_text=_("The bank's transfer reference, or Stripe's PaymentIntent.")
    )
    paid_on = models.DateField(_("paid on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice payment")
        verbose_name_plural = _("invoice payments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["method", "reference"], name="invoices_unique_payment_reference"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoices_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice.number} {self.amount} ({self.method} {self.reference})"


class InvoiceCardPayment(models.Model):
    """One attempt to pay an invoice's balance by card: one Stripe PaymentIntent.

    Like payments.CardPayment for orders: each attempt has its own idempotency key
    (`invoice-<pk>-pi-<attempt>`), and only Stripe's reported success records an InvoicePayment.
    """

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="card_payments"
    )
    attempt = models.PositiveIntegerField(_("attempt"))
    payment_intent_id = models.CharField(_("Stripe PaymentIntent"), max_length=255, blank=True)
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=PaymentIntentStatus.choices,
        default=PaymentIntentStatus.REQUIRES_CONFIRMATION,
    )
    client_secret = models.CharField(_("client secret"), max_length=255, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("invoice card payment")
        verbose_name_plural = _("invoice card payments")
        ordering = ["invoice", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "attempt"], name="invoices_one_card_payment_per_attempt"),
            models.UniqueConstraint(
                fields=["payment_intent_id"],
                condition=~Q(payment_intent_id=""),
                name="invoices_unique_payment_intent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice.number} #{self.attempt} {self.payment_intent_id or '-'} ({self.status})"

    @property
    def requires_action(self) -> bool:
        return self.status == PaymentIntentStatus.REQUIRES_ACTION


class InvoiceEventKind(models.TextChoices):
    ISSUED = "issued", _("Issued")
    PAYMENT = "payment", _("Payment recorded")
    PAID = "paid", _("Paid in full")
    REMINDER = "reminder", _("Reminder sent")
    VOIDED = "voided", _("Voided")
    CREDITED = "credited", _("Credit note issued")
    OVERPAID = "overpaid", _("Overpaid: to refund")


class InvoiceEvent(StatusEvent):
    """The history of an invoice: issue, each payment, settlement and reminders.

    Status changes (issued, paid, voided) carry from and to; payments, reminders, credit notes and
    overpayments leave them empty."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceEventKind.choices)
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=2, null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice event")
        verbose_name_plural = _("invoice events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.invoice.number}: {self.kind}"


class InvoiceCredit(models.Model):
    """A credit note: part of one pesantren's section taken off the invoice (cancelled or refunded).

    Only `invoices.services.invoice_credit` writes them, with the invoice row locked, so the credits of
    a section never exceed its gross amount. For a VAT-registered pesantren the credited amount is
    split into DPP and PPN like the section was; the section itself stays as issued.
    """

    number = models.CharField(_("number"), max_length=40, unique=True)
    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="credits")
    seller_order = models.ForeignKey(
        "fulfilment.SellerOrder",
        verbose_name=_("pesantren order"),
        on_delete=models.PROTECT,
        related_name="invoice_credits",
    )
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=2)
    dpp = models.DecimalField(_("DPP (Rp)"), max_digits=14, decimal_places=2, null=True, blank=True)
    ppn = models.DecimalField(_("PPN (Rp)"), max_digits=14, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoices_credit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.invoice.number})"


class InvoiceTransitionNotAllowed(TransitionNotAllowed):
    """A status change that the invoice's current status does not allow."""


INVOICE_MACHINE = StateMachine(
    model=Invoice,
    transitions={
        InvoiceStatus.OPEN: {InvoiceStatus.PAID, InvoiceStatus.VOID},
        InvoiceStatus.PAID: set(),
        InvoiceStatus.VOID: set(),
    },
    event_model=InvoiceEvent,
    event_fk="invoice",
    kinds={InvoiceStatus.PAID: InvoiceEventKind.PAID, InvoiceStatus.VOID: InvoiceEventKind.VOIDED},
    default_kind=InvoiceEventKind.ISSUED,
    error=InvoiceTransitionNotAllowed,
)


class InvoiceCardPaymentEvent(StatusEvent):
    """Audit row for every status change of an InvoiceCardPayment, as Stripe reported it."""

    card_payment = models.ForeignKey(
        InvoiceCardPayment, verbose_name=_("invoice card payment"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("invoice card payment event")
        verbose_name_plural = _("invoice card payment events")

    def __str__(self):
        return f"{self.card_payment_id}: {self.from_status or '-'} → {self.to_status}"


INVOICE_CARD_PAYMENT_MACHINE = StateMachine(
    model=InvoiceCardPayment,
    transitions=INTENT_TRANSITIONS,
    event_model=InvoiceCardPaymentEvent,
    event_fk="card_payment",
    error=CardPaymentTransitionNotAllowed,
)
