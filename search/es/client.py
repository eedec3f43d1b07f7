"""The one Elasticsearch client of this process, shared by searches, autocomplete, indexing and /healthz.

A client owns a pool of keep-alive connections: making one per query or keystroke pays a new TCP
(and TLS) handshake each time and leaves sockets behind until garbage collection. So clients are
made lazily, once per configuration, and reused; the client is thread-safe (gunicorn threads).

The registry is keyed by the settings that define a client, so `override_settings` of the URL or
the timeouts gets a fresh client; a `setting_changed` receiver also empties it, so tests do not
collect clients. A forked child (gunicorn workers, Celery prefork children) must not reuse the
parent's sockets, so the registry is emptied in the child after a fork: each worker process makes
its own client on first use.

Elasticsearch-dsl's own `connections` registry is not used: it neither follows settings changes nor
forks, and every dsl call here passes `.using(client)` explicitly.
"""

import os
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from elasticsearch import Elasticsearch

# Requests that serve a page must fail fast; bulk loads ask for longer per call (client.options).
DEFAULT_TIMEOUT = 5
DEFAULT_MAX_RETRIES = 2

CLIENT_SETTINGS = frozenset(
    {"ELASTICSEARCH_URL", "MARKETPLACE_ELASTICSEARCH_TIMEOUT", "MARKETPLACE_ELASTICSEARCH_MAX_RETRIES"}
)

_clients: dict[tuple, Elasticsearch] = {}
_lock = threading.Lock()


def make_client(url: str, *, request_timeout: float, max_retries: int) -> Elasticsearch:
    return Elasticsearch(url, request_timeout=request_timeout, max_retries=max_retries, retry_on_timeout=True)


def get_client(url: str | None = None) -> Elasticsearch:
    """The shared client for `url` (default ELASTICSEARCH_URL) with the configured timeout and retries."""
    url = url or settings.ELASTICSEARCH_URL
    if not url:
        raise ImproperlyConfigured("Elasticsearch needs ELASTICSEARCH_URL")
    request_timeout = getattr(settings, "MARKETPLACE_ELASTICSEARCH_TIMEOUT", DEFAULT_TIMEOUT)
    max_retries = getattr(settings, "MARKETPLACE_ELASTICSEARCH_MAX_RETRIES", DEFAULT_MAX_RETRIES)
    key = (url, request_timeout, max_retries)
    client = _clients.get(key)
    if client is None:
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = make_client(url, request_timeout=request_timeout, max_retries=max_retries)
    return client


def reset_clients() -> None:
    """Forget every client; the next get_client() makes a new one.

    The old clients are not closed: a backend object may still hold one, and their pools close
    when they are garbage collected.
    """
    with _lock:
        _clients.clear()


def _forget_clients_after_fork() -> None:
    # The lock may have been held by another thread of the parent at the fork: replace it too.
    global _lock
    _lock = threading.Lock()
    _clients.clear()


os.register_at_fork(after_in_child=_forget_clients_after_fork)


@receiver(setting_changed)
def _forget_clients_on_setting_change(*, setting, **kwargs) -> None:
    if setting in CLIENT_SETTINGS:
        reset_clients()
