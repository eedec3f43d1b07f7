"""Liveness checks of the services the marketplace depends on, for `/healthz`.

Every check must answer within a couple of seconds even when its service is unreachable: the
orchestrator probes this endpoint and a hung probe ties up a gunicorn worker. Failure details go
to the log, not into the response, because `/healthz` is public and errors name internal hosts.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "backend": connection.vendor}


def _cache() -> dict:
    cache.set("healthz", "1", timeout=5)
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return {"ok": cache.get("healthz") == "1", "backend": backend}


def _broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "backend": "eager"}
    from marketplace.celery import app

    # The URL is read from settings at call time (not from the Celery app's cached config), and a
    # fresh connection is opened so that a broken pooled one cannot mask an outage.
    with app.connection_for_write(
        url=settings.CELERY_BROKER_URL,
        connect_timeout=TIMEOUT_SECONDS,
        transport_options={"socket_connect_timeout": TIMEOUT_SECONDS, "socket_timeout": TIMEOUT_SECONDS},
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=TIMEOUT_SECONDS)
        client = getattr(conn.default_channel, "client", None)
        if client is not None and hasattr(client, "ping"):
            # Virtual transports (Redis) connect lazily: a round trip proves the broker answers.
            client.ping()
        transport = conn.transport_cls
    return {"ok": True, "backend": transport}


def _search() -> dict:
    from search.backends import ELASTICSEARCH, selected_backend

    if selected_backend() != ELASTICSEARCH:
        # Database search lives in PostgreSQL, which the database check already covers.
        return {"ok": True, "backend": "database"}
    from search.es.client import get_client

    # The searches' own client and connection pool, with a probe's short timeout and no retries.
    client = get_client().options(request_timeout=TIMEOUT_SECONDS, max_retries=0, retry_on_timeout=False)
    ok = bool(client.ping())
    if not ok:
        logger.warning("Health check search failed: Elasticsearch did not answer a ping")
        return {"ok": False, "error": "no answer to ping"}
    return {"ok": True, "backend": "elasticsearch"}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "search": _search,
}


def check_services() -> dict[str, dict]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure means the service is down: report it, never raise
            logger.warning("Health check %s failed: %s: %s", name, type(exc).__name__, exc)
            results[name] = {"ok": False, "error": type(exc).__name__}
    return results
