"""The transactional outbox: how every Celery task of the marketplace is queued.

`enqueue(task, *args)` writes an `OutboxMessage` row in the caller's transaction, so the task
exists exactly when the change that calls for it was committed. Right after the commit the row is
sent to the broker (the fast path) and marked dispatched. When the broker is down the business
action still succeeds: the row stays pending, and `relay()` sends it later, run every minute by
Celery beat (which itself only runs while the broker is up) or by `manage.py relay_outbox`.

Delivery is at least once: a process that dies between the broker accepting a task and the row
being marked sends it again after `CLAIM_SECONDS`. Every task is therefore idempotent (they take
ids, re-read state and send each email under a `SentNotification` key or a notified-at column).

Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED and a short lease, committed, and only then
published, so two relays (or a relay and the fast path) never send the same row at once and no row
lock is held during the network call. With `CELERY_TASK_ALWAYS_EAGER` (the demo and the tests) the
fast path runs the task inline after the commit, as `task.delay()` did, errors included.
"""

import logging
from datetime import timedelta

# The project's app, made current by marketplace/celery.py; core sits below the project package.
from celery import current_app
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.breaker import Breaker
from core.models import OutboxMessage

logger = logging.getLogger(__name__)

# Publishing tries one reconnection at most: a broker that is down must not hold up a request.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# How long a claimed row is left to the process that claimed it.
CLAIM_SECONDS = 60
# The relay leaves younger rows to the fast path of the process that wrote them.
RELAY_MIN_AGE_SECONDS = 30
RELAY_BATCH_SIZE = 100
# After the broker refused a task, the fast path leaves new rows to the relay for this long.
_broker_breaker = Breaker(pause_seconds=10)


def enqueue(task, *args, **kwargs) -> OutboxMessage:
    """Queue `task(*args, **kwargs)` for when the current transaction commits (at once outside one).

    Arguments must be JSON: ids and plain values, never model instances.
    """
    message = OutboxMessage.objects.create(task_name=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: _send_committed(message.pk))
    return message


def relay(*, min_age_seconds: float = RELAY_MIN_AGE_SECONDS, batch_size: int = RELAY_BATCH_SIZE) -> int:
    """Send pending messages at least `min_age_seconds` old; returns how many the broker took.

    Stops at the first refusal (the broker is down again): the rest wait for the next run.
    """
    cutoff = timezone.now() - timedelta(seconds=min_age_seconds)
    sent_total = 0
    while True:
        messages = _claim(OutboxMessage.objects.filter(created_at__lte=cutoff), limit=batch_size)
        if not messages:
            return sent_total
        sent, refused = _send(messages)
        sent_total += sent
        if refused:
            return sent_total


def purge(*, older_than: timedelta) -> int:
    """Delete messages dispatched before `older_than` ago; pending ones are always kept."""
    deleted, _per_model = OutboxMessage.objects.filter(dispatched_at__lt=timezone.now() - older_than).delete()
    return deleted


def pending_count() -> int:
    return OutboxMessage.objects.filter(dispatched_at__isnull=True).count()


def _send_committed(pk: int) -> None:
    """The fast path, right after the commit that wrote the row."""
    app = current_app._get_current_object()

    eager = app.conf.task_always_eager
    if not eager and _broker_breaker.is_open(_broker_key(app)):
        return  # the broker failed a moment ago: the relay sends these
    try:
        _send(_claim(OutboxMessage.objects.filter(pk=pk)))
    except Exception:
        if eager:
            raise
        # Never fail the request that already committed; the rows stay for the relay.
        logger.exception("Outbox: could not send message %s; the relay will", pk)


def _claim(queryset, *, limit: int | None = None) -> list[OutboxMessage]:
    """Lease the pending rows of `queryset` to this process, in their own committed transaction."""
    now = timezone.now()
    with transaction.atomic():
        pending = (
            queryset.select_for_update(skip_locked=True)
            .filter(dispatched_at__isnull=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("pk")
        )
        messages = list(pending[:limit] if limit else pending)
        if messages:
            OutboxMessage.objects.filter(pk__in=[message.pk for message in messages]).update(
                claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1
            )
    return messages


def _send(messages: list[OutboxMessage]) -> tuple[int, bool]:
    """Publish claimed messages in order; returns (how many were sent, whether the broker refused one)."""
    app = current_app._get_current_object()

    eager = app.conf.task_always_eager
    sent = []
    try:
        for message in messages:
            if eager:
                # Runs the task inline, exactly as `task.delay()` does in eager mode.
                app.tasks[message.task_name].apply_async(args=message.args, kwargs=message.kwargs)
            else:
                app.send_task(
                    message.task_name,
                    args=message.args,
                    kwargs=message.kwargs,
                    retry=True,
                    retry_policy=PUBLISH_RETRY_POLICY,
                )
            sent.append(message.pk)
    except Exception as error:
        unsent = [message.pk for message in messages if message.pk not in sent]
        OutboxMessage.objects.filter(pk__in=unsent).update(
            claimed_until=None, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        if eager:
            raise
        _broker_breaker.trip(_broker_key(app))
        logger.warning("Outbox: the broker refused a task (%s); %s message(s) left pending", error, len(unsent))
        return len(sent), True
    finally:
        if sent:
            OutboxMessage.objects.filter(pk__in=sent).update(dispatched_at=timezone.now(), claimed_until=None)
    _broker_breaker.reset(_broker_key(app))
    return len(sent), False


def _broker_key(app) -> str:
    return str(app.conf.broker_url)
