"""The production settings refuse demo defaults and pass Django's deployment checklist.

Each case starts a fresh interpreter with a clean environment, because settings are read once per
process and the test process runs on the test settings.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")


def _production_env(**overrides: str | None) -> dict[str, str]:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "pasar.example.org",
        # `check` opens no connection, so the database need not exist.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/pp_ops_check",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    environment.update(overrides)
    return {name: value for name, value in environment.items() if value is not None}


def _manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _dotenv_names() -> set[str]:
    # base.py reads a developer's .env into the environment, which would satisfy the requirement.
    dotenv = BASE_DIR / ".env"
    if not dotenv.exists():
        return set()
    return {line.split("=", 1)[0].strip() for line in dotenv.read_text().splitlines() if "=" in line}


@pytest.mark.parametrize("missing", REQUIRED)
def test_production_refuses_to_start_without_required_variable(missing):
    if missing in _dotenv_names():
        pytest.skip(f"a local .env file sets {missing}")
    # given
    environment = _production_env(**{missing: None})

    # when
    result = _manage("check", environment=environment)

    # then
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"missing environment variable(s): {missing}." in result.stderr


def test_production_names_every_missing_variable_at_once():
    if _dotenv_names() & set(REQUIRED):
        pytest.skip("a local .env file sets production variables")
    environment = _production_env(SECRET_KEY=None, ALLOWED_HOSTS=None, DATABASE_URL="")

    result = _manage("check", environment=environment)

    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL" in result.stderr


def test_production_refuses_to_run_without_a_celery_broker():
    if _dotenv_names() & {"REDIS_URL", "CELERY_BROKER_URL"}:
        pytest.skip("a local .env file sets the broker")
    # Tasks are never eager in production: without a broker they would vanish.
    result = _manage("check", environment=_production_env(REDIS_URL=None))

    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_production_refuses_the_demo_secret_key():
    result = _manage("check", environment=_production_env(SECRET_KEY="demo-only-insecure-secret-key-change-me"))

    assert result.returncode != 0
    assert "SECRET_KEY is the demo key" in result.stderr


def test_production_refuses_a_non_postgresql_database():
    result = _manage("check", environment=_production_env(DATABASE_URL="sqlite:///tmp/pasar.sqlite3"))

    assert result.returncode != 0
    assert "DATABASE_URL must point at PostgreSQL" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", environment=_production_env())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_are_hardened():
    # given: the settings as the production process sees them
    code = (
        "import json, django\n"
        "from django.conf import settings as s\n"
        "django.setup()\n"
        "print(json.dumps({'debug': s.DEBUG, 'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL,"
        " 'hosts': s.ALLOWED_HOSTS, 'ssl': s.SECURE_SSL_REDIRECT, 'proxy': list(s.SECURE_PROXY_SSL_HEADER),"
        " 'static': s.STORAGES['staticfiles']['BACKEND'], 'cache': s.CACHES['default']['BACKEND'],"
        " 'stripe': s.STRIPE_API_BASE, 'handler': s.LOGGING['handlers']['stdout']['stream']}))\n"
    )

    # when
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=_production_env(), capture_output=True, text=True, timeout=120
    )

    # then
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "debug": False,
        "eager": False,
        "broker": "redis://127.0.0.1:6379/15",
        "hosts": ["pasar.example.org"],
        "ssl": True,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "cache": "core.cache.RedisCache",
        "stripe": "https://api.stripe.com",
        "handler": "ext://sys.stdout",
    }
