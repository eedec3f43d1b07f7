from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task to send, written in the same transaction as the change that calls for it.

    The row commits or rolls back with the business change, so a task is never sent for a change
    that did not happen and never lost for one that did, even when the broker is down at the time.
    `core.outbox` sends it right after the commit and marks it dispatched; rows the broker refused
    stay pending until the relay sends them.
    """

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    dispatched_at = models.DateTimeField(
        _("dispatched"), null=True, blank=True, help_text=_("When the broker accepted the task.")
    )
    claimed_until = models.DateTimeField(
        _("claimed until"),
        null=True,
        blank=True,
        help_text=_("A process is sending it; others leave it alone until then."),
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(fields=["created_at"], condition=Q(dispatched_at__isnull=True), name="core_outbox_pending"),
        ]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)}"


class SentNotification(models.Model):
    """Keys of notifications already sent, so that a retried task never mails twice."""

    key = models.CharField(_("key"), max_length=120, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        # The table kept its name when the model moved here from fulfilment.
        db_table = "fulfilment_sentnotification"
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")

    def __str__(self):
        return self.key


class StatusEvent(models.Model):
    """The shape of every status history table: what happened, from which status to which, who
    did it, when, a note and structured data.

    Concrete tables add their foreign key to the object (and may narrow a field's choices, or
    keep fields of their own). `core.transitions` writes one row for every status change; rows
    that record something else (a payment, a reminder) leave the statuses empty or equal.
    """

    kind = models.CharField(_("kind"), max_length=30, default="status")
    from_status = models.CharField(_("from status"), max_length=32, blank=True)
    to_status = models.CharField(_("to status"), max_length=32, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
