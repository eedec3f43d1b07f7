"""The compose file describes the production stack: one application image, healthy dependencies."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

APP_SERVICES = ("web", "worker", "beat")
BACKING_SERVICES = ("postgres", "redis", "elasticsearch")


@pytest.fixture(scope="module")
def compose() -> dict:
    # safe_load resolves the x-app anchor and `<<` merge keys the way docker compose does.
    return yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())


def test_compose_declares_the_stack(compose):
    assert set(APP_SERVICES + BACKING_SERVICES) <= set(compose["services"])
    assert compose["services"]["postgres"]["image"].split(":")[1].split(".")[0] in {"15", "16"}
    image = compose["services"]["elasticsearch"]["image"]
    assert image.rsplit("/", 1)[-1].startswith("elasticsearch:8.")


def test_app_services_share_one_image_and_environment(compose):
    services = compose["services"]
    assert "x-app" in compose
    for name in APP_SERVICES:
        assert services[name]["build"] == compose["x-app"]["build"]
        assert services[name]["image"] == compose["x-app"]["image"]
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "marketplace.settings.production"
        for variable in (
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "ELASTICSEARCH_URL",
            "STRIPE_SECRET_KEY",
            "STRIPE_PUBLISHABLE_KEY",
            "STRIPE_WEBHOOK_SECRET",
        ):
            assert environment.get(variable), f"{name} lacks {variable}"


def test_app_services_run_gunicorn_and_celery(compose):
    services = compose["services"]
    assert services["web"]["command"][:2] == ["gunicorn", "marketplace.wsgi"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "marketplace", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "marketplace", "beat"]


def test_secrets_have_no_default_in_the_compose_file(compose):
    environment = compose["x-app"]["environment"]
    # `${NAME:?message}` makes compose refuse to start when the variable is not provided.
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?")
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]


def test_backing_services_have_healthchecks(compose):
    services = compose["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert "_cluster/health" in " ".join(services["elasticsearch"]["healthcheck"]["test"])
    es_environment = services["elasticsearch"]["environment"]
    assert es_environment["discovery.type"] == "single-node"
    assert es_environment["xpack.security.enabled"] == "false"
    assert "-Xmx" in es_environment["ES_JAVA_OPTS"]


def test_app_services_wait_for_healthy_backing_services_and_migrations(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        for backing in BACKING_SERVICES:
            assert depends_on[backing] == {"condition": "service_healthy"}, f"{name} -> {backing}"
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}
    assert services["migrate"]["environment"]["DJANGO_MIGRATE"] == "1"
    assert services["migrate"]["image"] == services["web"]["image"]


def test_web_healthcheck_probes_healthz(compose):
    web = compose["services"]["web"]
    assert web["healthcheck"]["test"] == ["CMD", "python", "/app/deploy/healthcheck.py"]
    probe = (Path(settings.BASE_DIR) / "deploy" / "healthcheck.py").read_text()
    assert "/healthz" in probe


def test_named_volumes_are_declared_and_mounted(compose):
    volumes = compose["volumes"]
    assert {"postgres-data", "es-data", "media"} <= set(volumes)
    mounts = {
        name: {entry.split(":")[0] for entry in service.get("volumes", [])}
        for name, service in compose["services"].items()
    }
    assert "postgres-data" in mounts["postgres"]
    assert "es-data" in mounts["elasticsearch"]
    assert "media" in mounts["web"]
    assert "media" in mounts["worker"]
    used = set().union(*mounts.values())
    assert used <= set(volumes)
