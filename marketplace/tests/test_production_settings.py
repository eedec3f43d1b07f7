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
STRIPE_SECRETS = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")


def _production_env(**overrides: str | None) -> dict[str, str]:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "pasar.example.org",
        # `check` opens no connection, so the database need not exist.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/pp_ops_check",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "STRIPE_SECRET_KEY": "sk_live_sample",
        "STRIPE_PUBLISHABLE_KEY": "pk_live_sample",
        "STRIPE_WEBHOOK_SECRET": "whsec_sample",
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


def _python(code: str, *, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("missing", STRIPE_SECRETS)
def test_production_with_card_payments_refuses_to_start_without_each_stripe_secret(missing):
    if missing in _dotenv_names():
        pytest.skip(f"a local .env file sets {missing}")
    # given card payments on, as they are by default
    environment = _production_env(**{missing: None})

    # when the settings are loaded, as any process would
    result = _python("import django; django.setup()", environment=environment)

    # then
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"card payments are on (MARKETPLACE_CARD_PAYMENTS) but these are missing: {missing}" in result.stderr


def test_production_refuses_the_demo_localstripe_keys():
    environment = _production_env(STRIPE_SECRET_KEY="sk_test_localstripe", STRIPE_WEBHOOK_SECRET="whsec_localstripe")

    result = _python("import django; django.setup()", environment=environment)

    assert result.returncode != 0
    assert "localstripe values: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET" in result.stderr


def test_production_without_card_payments_needs_no_stripe_secrets_and_offers_bank_transfer_only():
    if _dotenv_names() & set(STRIPE_SECRETS):
        pytest.skip("a local .env file sets Stripe secrets")
    environment = _production_env(MARKETPLACE_CARD_PAYMENTS="false", **dict.fromkeys(STRIPE_SECRETS))
    code = (
        "import django; django.setup()\n"
        "from checkout.forms import PaymentMethodForm\n"
        "print([value for value, _label in PaymentMethodForm().fields['method'].choices])\n"
    )

    result = _python(code, environment=environment)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['bank_transfer']"


@pytest.mark.parametrize("module", ["marketplace.wsgi", "marketplace.asgi", "marketplace.celery"])
def test_server_entry_points_default_to_production_settings(module):
    # given no DJANGO_SETTINGS_MODULE, as on a server where nobody set it
    environment = _production_env(DJANGO_SETTINGS_MODULE=None)
    code = f"import {module}\nfrom django.conf import settings\nprint(settings.SETTINGS_MODULE, settings.DEBUG)\n"

    # when the entry point is imported, as gunicorn, uvicorn or celery would
    result = _python(code, environment=environment)

    # then it runs on the production settings, not the demo's
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["marketplace.settings.production", "False"]


def test_a_server_without_settings_or_secrets_refuses_to_start_instead_of_running_the_demo():
    if _dotenv_names() & set(REQUIRED):
        pytest.skip("a local .env file sets production variables")
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}

    result = _python("import marketplace.wsgi", environment=environment)

    assert result.returncode != 0
    assert "Production settings refuse to start" in result.stderr


def test_the_image_build_step_loads_the_production_settings():
    # given the throwaway values the Dockerfile gives collectstatic
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    build_step = dockerfile.split("RUN SECRET_KEY=", 1)[1].split("python manage.py collectstatic", 1)[0]
    values = dict(assignment.split("=", 1) for assignment in ("SECRET_KEY=" + build_step).replace("\\\n", " ").split())
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **values}

    # when the production settings load with them
    result = _python("import marketplace.wsgi", environment=environment)

    # then the image builds
    assert result.returncode == 0, result.stderr


def test_the_demo_names_its_own_settings():
    # bin/demo runs manage.py runserver on the demo defaults; it must not rely on any default.
    script = (BASE_DIR / "bin" / "demo").read_text()
    assert "export DJANGO_SETTINGS_MODULE=marketplace.settings.base" in script.splitlines()


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
    result = _python(code, environment=_production_env())

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
