"""Production settings: base, hardened, with no demo defaults for secrets, hosts or the database.

The process refuses to start unless the environment provides SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL (base.py falls back to demo values for these, which must never serve real traffic),
and a Celery broker (REDIS_URL or CELERY_BROKER_URL): tasks are never run eagerly here, so without
a broker they would be silently lost. While card payments are on (MARKETPLACE_CARD_PAYMENTS, the
default), it also needs the Stripe keys and webhook secret: without the secret no payment would ever
be confirmed, and orders paid by card would wait forever.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from marketplace.settings.base import *  # noqa: F403
from marketplace.settings.base import MARKETPLACE_CARD_PAYMENTS, REDIS_URL, env

_REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
_REQUIRED_FOR_CARD_PAYMENTS = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")
# base.py's localstripe values: they would send real customers' cards to a test server.
_LOCALSTRIPE_VALUES = {"sk_test_localstripe", "pk_test_localstripe", "whsec_localstripe"}
_DEMO_SECRET_KEY = "demo-only-insecure-secret-key-change-me"


def _require_environment() -> None:
    # os.environ (not env() with a default): base.py has already read any .env file into it.
    missing = [name for name in _REQUIRED if not os.environ.get(name, "").strip()]
    broker_url = os.environ.get("CELERY_BROKER_URL", "").strip() or os.environ.get("REDIS_URL", "").strip()
    problems = []
    if missing:
        problems.append("missing environment variable(s): " + ", ".join(missing))
    if not broker_url or broker_url.startswith("memory://"):
        problems.append("missing environment variable: REDIS_URL (or CELERY_BROKER_URL) for the Celery broker")
    if os.environ.get("SECRET_KEY", "").strip() == _DEMO_SECRET_KEY:
        problems.append("SECRET_KEY is the demo key; generate a new one")
    database_url = os.environ.get("DATABASE_URL", "").strip()
    if database_url and not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        problems.append("DATABASE_URL must point at PostgreSQL (search and stock locking rely on it)")
    if MARKETPLACE_CARD_PAYMENTS:
        stripe_values = {name: os.environ.get(name, "").strip() for name in _REQUIRED_FOR_CARD_PAYMENTS}
        missing_stripe = [name for name, value in stripe_values.items() if not value]
        if missing_stripe:
            problems.append(
                "card payments are on (MARKETPLACE_CARD_PAYMENTS) but these are missing: "
                + ", ".join(missing_stripe)
                + " (or set MARKETPLACE_CARD_PAYMENTS=false)"
            )
        demo_stripe = [name for name, value in stripe_values.items() if value in _LOCALSTRIPE_VALUES]
        if demo_stripe:
            problems.append("these are the demo's localstripe values: " + ", ".join(demo_stripe))
    if env.bool("MARKETPLACE_MIDTRANS_PAYMENTS", default=False):
        server_key = os.environ.get("MIDTRANS_SERVER_KEY", "").strip()
        if not server_key or not os.environ.get("MIDTRANS_API_URL", "").strip():
            problems.append("Midtrans payments are on but MIDTRANS_SERVER_KEY or MIDTRANS_API_URL is missing")
        elif "localmidtrans" in server_key:
            problems.append("MIDTRANS_SERVER_KEY is the demo's local server key")
    if problems:
        raise ImproperlyConfigured("Production settings refuse to start: " + "; ".join(problems) + ".")


_require_environment()

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"].strip()
ALLOWED_HOSTS = [host.strip() for host in os.environ["ALLOWED_HOSTS"].split(",") if host.strip()]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production settings refuse to start: ALLOWED_HOSTS lists no host.")

DATABASES = {"default": env.db_url_config(os.environ["DATABASE_URL"].strip())}
# Off: services own their (short) transactions and lock rows in the order of core/locks.py; a
# request-wide transaction would hold those locks across template rendering and Stripe calls.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database that does not answer must fail a request (and /healthz) quickly, not hang a worker.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

# HTTPS is terminated by the reverse proxy in front of gunicorn, which must set X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The same proxy appends the client's address to X-Forwarded-For: login lockout and form limits
# count per client, not per proxy (core.ratelimit.client_ip).
MARKETPLACE_TRUSTED_PROXY_COUNT = env.int("MARKETPLACE_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Probes from the orchestrator and load balancer speak plain HTTP to the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Redis is recommended: without it every gunicorn worker keeps its own local-memory cache.
_REDIS_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, degrading to cache misses while Redis is down.
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": _REDIS_TIMEOUTS,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "").strip() or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {**_REDIS_TIMEOUTS, "visibility_timeout": 60 * 60}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Real Stripe unless told otherwise; the demo's localstripe defaults must not leak into production.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")

# Midtrans only when switched on (MARKETPLACE_MIDTRANS_PAYMENTS=true with its keys): never the demo's local server.
MARKETPLACE_MIDTRANS_PAYMENTS = env.bool("MARKETPLACE_MIDTRANS_PAYMENTS", default=False)
MIDTRANS_API_URL = env("MIDTRANS_API_URL", default="https://api.midtrans.com")
MIDTRANS_SERVER_KEY = env("MIDTRANS_SERVER_KEY", default="")
MIDTRANS_CLIENT_KEY = env("MIDTRANS_CLIENT_KEY", default="")
MIDTRANS_SIMULATOR_URL = ""

if os.environ.get("EMAIL_URL"):
    globals().update(env.email_url_config(os.environ["EMAIL_URL"]))

# Containers log to stdout; the platform collects and ships the stream.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"},
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Attempts with a forged Host header are noise, not errors worth paging for.
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}
