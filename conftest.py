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
