"""Test settings: PostgreSQL and Redis over real connections (overridable by environment)."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pasar_pesantren")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")  # and 15 for the second xdist worker
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from marketplace.settings.parallel import worker_path, worker_redis_url  # noqa: E402

# Each pytest-xdist worker on a Redis database of its own. Set in the environment, before base.py reads
# it, so that a process a test starts (a Celery worker) is on the same database; the marker keeps such
# a process, which inherits PYTEST_XDIST_WORKER too, from moving the database up a second time.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if XDIST_WORKER and os.environ.get("MARKETPLACE_TEST_REDIS_WORKER") != XDIST_WORKER:
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        if os.environ.get(name):
            os.environ[name] = worker_redis_url(os.environ[name], XDIST_WORKER)
    os.environ["MARKETPLACE_TEST_REDIS_WORKER"] = XDIST_WORKER

from marketplace.settings.base import *  # noqa: E402,F403
from marketplace.settings.base import BASE_DIR, DATABASES, env  # noqa: E402

DEBUG = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A commit need not wait for its WAL to reach the disk: the test database is thrown away, and what
    # a commit wrote is still visible to every other connection at once (only a crash of PostgreSQL
    # itself could lose it). The suite commits thousands of times (transactional tests, flushes,
    # migrations, the live server and Celery workers), each otherwise waiting for an fsync.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
    # Django's PostgreSQL backend with a flush that deletes the rows instead of truncating every table.
    DATABASES["default"]["ENGINE"] = "tests.db"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
# Per pytest-xdist worker: tests save, overwrite and delete files there by name.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(worker_path(BASE_DIR / "var" / "test-mail", XDIST_WORKER)))
MEDIA_ROOT = worker_path(BASE_DIR / "var" / "test-media", XDIST_WORKER)
MARKETPLACE_PRIVATE_MEDIA_ROOT = worker_path(BASE_DIR / "var" / "test-private-media", XDIST_WORKER)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The whole suite proves that no Stripe call is made inside a database transaction (core/locks.py).
MARKETPLACE_FORBID_NETWORK_IN_TRANSACTION = "raise"

# Pages render afresh for each request in tests (tests of the page cache turn it on).
MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS = 0
# And their fragments: the query-count tests measure a full render (tests of the fragments turn it on).
MARKETPLACE_FRAGMENT_CACHE_SECONDS = 0
# And the open data files (tests of their cache turn it on).
MARKETPLACE_OPEN_DATA_CACHE_SECONDS = 0
