"""Fixtures shared by every app's tests."""

pytest_plugins = [
    "tests.fixtures.browser",
    "tests.fixtures.celery_worker",
    "tests.fixtures.localstripe",
    "tests.fixtures.redis_server",
    "tests.fixtures.search_index",
]
