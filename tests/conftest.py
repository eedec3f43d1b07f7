import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

# Playwright keeps an event loop open in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real `celery worker` process on the Redis broker, using the test database.

    Tasks sent while it runs leave this process through Redis. Emails the worker sends are
    written to files in `mail_dir`, since the worker cannot share Django's locmem outbox.
    Yields an object with `mail_dir` and `messages()`.
    """
    from django.conf import settings
    from django.db import connection

    from marketplace.celery import app

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    app.control.purge()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat", f"--hostname=test-{os.getpid()}@%h"],
        cwd=REPO_ROOT,
        env=env,
    )
    previous_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        _wait_for_worker(app, worker)
        yield WorkerHandle(worker, mail_dir)
    finally:
        app.conf.task_always_eager = previous_eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


class WorkerHandle:
    def __init__(self, process, mail_dir: Path):
        self.process = process
        self.mail_dir = mail_dir

    def messages(self) -> list[str]:
        return [path.read_text() for path in sorted(self.mail_dir.glob("*.log"))]

    def wait_for_messages(self, count: int, timeout: float = 20) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.messages()
            if len(messages) >= count:
                return messages
            time.sleep(0.2)
        raise AssertionError(f"expected {count} emails from the worker, got {len(self.messages())}")


def _wait_for_worker(app, worker, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"celery worker exited with {worker.returncode}")
        if app.control.ping(timeout=0.5):
            return
    raise RuntimeError("celery worker did not start")


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; Playwright's own browser downloads cannot run here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def demo_world(transactional_db):
    """The demo's regions and a small demo world, through the same commands `bin/demo` runs."""
    from django.core.management import call_command

    call_command("load_regions", province="32", verbosity=0)
    call_command("seed_demo", quick=True, verbosity=0)
