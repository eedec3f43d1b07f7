"""`/healthz` against real services: PostgreSQL and Redis from the test settings, dead ports for outages."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

DEAD_REDIS_URL = "redis://127.0.0.1:1/0"
CLOSED_HTTP_URL = "http://127.0.0.1:9/"


@pytest.fixture
def live_broker(settings):
    # The test settings run Celery eagerly; production talks to the Redis broker.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    settings.ELASTICSEARCH_URL = ""
    settings.MARKETPLACE_SEARCH_BACKEND = "database"
    return settings


def use_elasticsearch_at(settings, url: str) -> None:
    settings.ELASTICSEARCH_URL = url
    settings.MARKETPLACE_SEARCH_BACKEND = "elasticsearch"


def test_healthz_reports_every_service_up(client, live_broker):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert "down" not in body
    assert body["checks"] == {
        "database": {"ok": True, "backend": "postgresql"},
        "cache": {"ok": True, "backend": "RedisCache"},
        "broker": {"ok": True, "backend": "redis"},
        "search": {"ok": True, "backend": "database"},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_dead_redis_as_broker_and_cache_down(client, live_broker):
    # given: cache and broker both pointed at a port where nothing listens
    live_broker.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": DEAD_REDIS_URL}
    }
    live_broker.CELERY_BROKER_URL = DEAD_REDIS_URL

    # when
    response = client.get(reverse("healthz"))

    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["down"] == ["broker", "cache"]
    assert body["checks"]["broker"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    # Internal addresses stay in the log, out of the public response.
    assert "127.0.0.1" not in response.content.decode()


def test_healthz_broker_check_gives_up_quickly_on_a_hung_redis(client, live_broker, silent_port):
    live_broker.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_port}/0"

    started = time.monotonic()
    response = client.get(reverse("healthz"))
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert elapsed < 6


def test_healthz_reports_unreachable_elasticsearch_as_search_down(client, live_broker):
    use_elasticsearch_at(live_broker, CLOSED_HTTP_URL)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["search"]
    assert body["checks"]["search"] == {"ok": False, "error": "no answer to ping"}


def test_healthz_search_check_gives_up_quickly_on_a_hung_elasticsearch(client, live_broker, silent_port):
    use_elasticsearch_at(live_broker, f"http://127.0.0.1:{silent_port}/")

    started = time.monotonic()
    response = client.get(reverse("healthz"))
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["down"] == ["search"]
    assert elapsed < 6


def test_healthz_skips_the_broker_round_trip_when_celery_runs_eagerly(client, settings):
    # The embedded demo has no broker: eager Celery must not be reported as an outage.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_BROKER_URL = DEAD_REDIS_URL
    settings.ELASTICSEARCH_URL = ""
    settings.MARKETPLACE_SEARCH_BACKEND = "database"

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == {"ok": True, "backend": "eager"}


def test_healthz_reports_an_unreachable_database_as_503_not_500():
    # A separate process, so the outage cannot disturb this session's test database. Requests are
    # atomic by default; /healthz must stay outside that transaction to report the outage itself.
    code = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(json.dumps({'status': response.status_code, 'body': response.json()}))\n"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/unreachable",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "ELASTICSEARCH_URL": "",
        "MARKETPLACE_SEARCH_BACKEND": "database",
    }

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    assert outcome["body"]["down"] == ["database"]
    assert outcome["body"]["checks"]["database"] == {"ok": False, "error": "OperationalError"}


def _run_container_probe(port: int) -> subprocess.CompletedProcess:
    environment = {**os.environ, "HEALTHCHECK_PORT": str(port), "ALLOWED_HOSTS": ".localhost,localhost"}
    probe = settings.BASE_DIR / "deploy" / "healthcheck.py"
    return subprocess.run([sys.executable, str(probe)], env=environment, capture_output=True, text=True, timeout=60)


@pytest.mark.django_db(transaction=True)
def test_container_probe_passes_only_while_healthz_is_200(live_server, live_broker):
    port = int(live_server.url.rsplit(":", 1)[1])

    healthy = _run_container_probe(port)
    use_elasticsearch_at(live_broker, CLOSED_HTTP_URL)
    unhealthy = _run_container_probe(port)

    assert healthy.returncode == 0, healthy.stderr
    assert unhealthy.returncode == 1
    assert "HTTP 503" in unhealthy.stderr
    assert '"down": ["search"]' in unhealthy.stderr
