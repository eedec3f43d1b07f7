"""Fixtures shared by every app's tests."""

import os
import uuid
from pathlib import Path

import pytest

pytest_plugins = [
    "tests.fixtures.browser",
    "tests.fixtures.celery_worker",
    "tests.fixtures.demo_snapshot",
    "tests.fixtures.localbiteship",
    "tests.fixtures.localmidtrans",
    "tests.fixtures.localstripe",
    "tests.fixtures.redis_server",
    "tests.fixtures.search_index",
]


@pytest.fixture(autouse=True)
def _default_language_per_test():
    """Each test starts in the site's default language (Indonesian), whatever ran before it in the
    process: Django leaves a request's language active in the thread after the response."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def english_messages():
    """For a test asserting a service's message in English (its msgid)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _rate_limits_counted_per_test(settings):
    """Form rate limits count in Redis, which outlives a test: each test counts under its own keys."""
    settings.MARKETPLACE_RATE_LIMIT_KEY_PREFIX = f"ratelimit-test-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def _no_failure_remembered_from_an_earlier_test():
    """Circuit breakers (core/breaker.py) remember a failure for seconds, per process. A test that
    follows one which made Redis or a courier fail (or saw it stall on a loaded machine) would find
    its cache turned into misses; which test follows which differs from run to run on xdist workers."""
    from core.breaker import Breaker

    Breaker.forget_all_failures()


if os.environ.get("PYTEST_XDIST_WORKER"):

    @pytest.fixture(scope="session")
    def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
        """pytest-django's, with each worker's database cloned from one migrated template
        (tests/fixtures/parallel_database.py) instead of migrated by every worker."""
        from django.db import connections
        from django.test.utils import setup_databases

        from tests.fixtures.parallel_database import drop_worker_database, setup_worker_database

        reuse = request.config.getvalue("reuse_db") and not request.config.getvalue("create_db")
        if connections["default"].vendor != "postgresql" or reuse:
            # As pytest-django does: each worker keeps (or migrates) its own database.
            with django_db_blocker.unblock():
                setup_databases(verbosity=request.config.option.verbose, interactive=False, keepdb=reuse)
            yield
            return
        with django_db_blocker.unblock():
            name = setup_worker_database(
                worker=os.environ["PYTEST_XDIST_WORKER"],
                run_id=request.config.workerinput["testrunuid"],
                lock_dir=Path(__file__).resolve().parent / "var" / "test-databases",
                verbosity=request.config.option.verbose,
            )
        yield
        with django_db_blocker.unblock():
            drop_worker_database(name)
