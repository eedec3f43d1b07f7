"""The transactional outbox against real PostgreSQL and real Redis servers (a dead port for an outage)."""

import json
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage
from sellers.models import SellerStatus
from sellers.services import seller_approve
from tests.factories import make_seller, make_user
from tests.fixtures.redis_server import celery_broker

DEAD_REDIS_URL = "redis://127.0.0.1:1/0"
STATUS_EMAIL = "sellers.tasks.send_seller_status_email"


@pytest.fixture
def applicant(db):
    return make_seller(status=SellerStatus.APPLIED, owner=make_user("pemohon@example.com"))


@pytest.fixture
def not_eager():
    """Tasks leave through the broker, as in production (the test settings run them inline)."""
    from marketplace.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = previous


@pytest.fixture
def dead_broker(not_eager):
    with celery_broker(DEAD_REDIS_URL) as app:
        yield app


def queued_task_names(redis_server) -> list[str]:
    return [json.loads(raw)["headers"]["task"] for raw in redis_server.client().lrange("celery", 0, -1)]


def status_emails():
    return OutboxMessage.objects.filter(task_name=STATUS_EMAIL)


def test_the_task_runs_after_the_commit_and_its_row_is_marked_sent(applicant, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seller_approve(seller=applicant, approved_by=None)
        # written with the change, not yet run
        message = status_emails().get()
        assert (message.dispatched_at, len(mail.outbox)) == (None, 0)

    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.dispatched_at is not None
    assert message.attempts == 1
    assert [m.to for m in mail.outbox] == [["pemohon@example.com"]]


def test_a_rolled_back_change_queues_nothing(applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            seller_approve(seller=applicant, approved_by=None)
            raise RuntimeError("the request failed after the approval")

    assert not status_emails().exists()


def test_with_the_broker_down_the_change_commits_quickly_and_the_task_waits(
    applicant, dead_broker, django_capture_on_commit_callbacks
):
    # when
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        seller_approve(seller=applicant, approved_by=None)
    seconds = time.monotonic() - started

    # then
    applicant.refresh_from_db()
    assert applicant.status == SellerStatus.VERIFIED
    assert seconds < 2
    message = status_emails().get()
    assert (message.dispatched_at, message.claimed_until) == (None, None)
    assert outbox.pending_count() == 1


def test_the_relay_sends_waiting_rows_once_the_broker_is_back(
    applicant, not_eager, redis_server, django_capture_on_commit_callbacks
):
    # given a task the dead broker refused
    with celery_broker(DEAD_REDIS_URL), django_capture_on_commit_callbacks(execute=True):
        seller_approve(seller=applicant, approved_by=None)
    refused = status_emails().get()
    assert refused.dispatched_at is None

    with celery_broker(redis_server.url):
        # when the relay runs: it leaves rows younger than its minimum age to their fast path
        assert outbox.relay(min_age_seconds=3600) == 0
        assert outbox.relay(min_age_seconds=0) == 1
        # and a second run finds nothing left
        assert outbox.relay(min_age_seconds=0) == 0

    # then the broker holds the task once, and the row says so
    assert queued_task_names(redis_server) == [STATUS_EMAIL]
    refused.refresh_from_db()
    assert refused.dispatched_at is not None
    assert refused.claimed_until is None


def test_after_a_refusal_the_fast_path_leaves_new_rows_to_the_relay_for_a_moment(
    db, dead_broker, django_capture_on_commit_callbacks
):
    from api.tasks import purge_idempotent_requests

    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.enqueue(purge_idempotent_requests)
    with django_capture_on_commit_callbacks(execute=True):
        second = outbox.enqueue(purge_idempotent_requests)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.dispatched_at is None and second.dispatched_at is None
    # the second one was not even tried: no one waits for a broker that just failed
    assert second.attempts == 0
    # the relay still tries (and stops at the first refusal)
    assert outbox.relay(min_age_seconds=0) == 0
    assert "OperationalError" in OutboxMessage.objects.get(pk=first.pk).last_error


def test_a_row_claimed_by_a_process_that_died_is_sent_again_after_its_lease(db, not_eager, redis_server):
    from api.tasks import purge_idempotent_requests

    with celery_broker(redis_server.url):
        message = OutboxMessage.objects.create(task_name=purge_idempotent_requests.name)
        # given a process claimed it and died before sending it
        assert outbox._claim(OutboxMessage.objects.all()) == [message]

        # then no one sends it while the lease runs, and anyone may afterwards
        assert outbox.relay(min_age_seconds=0) == 0
        OutboxMessage.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
        assert outbox.relay(min_age_seconds=0) == 1

    message.refresh_from_db()
    assert message.attempts == 2
    assert queued_task_names(redis_server) == [purge_idempotent_requests.name]


@pytest.mark.django_db(transaction=True)
def test_two_relays_never_send_the_same_row(not_eager, redis_server):
    from api.tasks import purge_idempotent_requests

    first, second = (OutboxMessage.objects.create(task_name=purge_idempotent_requests.name) for _ in range(2))
    locked, release = threading.Event(), threading.Event()

    def other_relay_holding_the_first_row():
        try:
            with transaction.atomic():
                list(OutboxMessage.objects.select_for_update().filter(pk=first.pk))
                locked.set()
                release.wait(10)
        finally:
            from django.db import connection

            connection.close()

    thread = threading.Thread(target=other_relay_holding_the_first_row)
    thread.start()
    try:
        assert locked.wait(10)
        with celery_broker(redis_server.url):
            # the locked row is skipped, not waited for
            started = time.monotonic()
            assert outbox.relay(min_age_seconds=0) == 1
            assert time.monotonic() - started < 5
    finally:
        release.set()
        thread.join(10)

    assert list(OutboxMessage.objects.filter(dispatched_at=None)) == [first]
    second.refresh_from_db()
    assert second.dispatched_at is not None


def test_purge_keeps_pending_rows_and_recent_ones(db):
    old = timezone.now() - timedelta(days=8)
    gone = OutboxMessage.objects.create(task_name="x", dispatched_at=old)
    recent = OutboxMessage.objects.create(task_name="x", dispatched_at=timezone.now())
    pending = OutboxMessage.objects.create(task_name="x")
    OutboxMessage.objects.filter(pk=pending.pk).update(created_at=old)

    assert outbox.purge(older_than=timedelta(days=7)) == 1

    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not OutboxMessage.objects.filter(pk=gone.pk).exists()


def test_the_relay_command_reports_what_it_sent(applicant, dead_broker, django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        seller_approve(seller=applicant, approved_by=None)

    call_command("relay_outbox", "--min-age", "0")

    assert capsys.readouterr().out.strip() == "Sent 0 task(s); 1 still pending."


def test_the_relay_is_scheduled_every_minute(settings):
    assert settings.CELERY_BEAT_SCHEDULE["relay-outbox"] == {"task": "core.tasks.relay_outbox", "schedule": 60}


def test_tasks_are_queued_only_through_the_outbox():
    """A `.delay()` on commit is lost while the broker is down; every task goes through outbox.enqueue."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    allowed = {
        "core/outbox.py",  # the outbox itself publishes
        "search/services.py",  # only when MARKETPLACE_SEARCH_INDEX_ON_COMMIT is off, in tests
    }
    direct = re.compile(r"\.(delay|apply_async)\(|\bsend_task\(")
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        top = relative.split("/", 1)[0]
        if (
            top.startswith(".")
            or top in {"tests", "benchmarks", "var"}
            or "/tests/" in relative
            or "/migrations/" in relative
        ):
            continue
        if relative in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if direct.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
