"""Fixtures shared by every app's tests."""

import uuid

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
