"""Settings shared by every environment.

Every value comes from the environment (django-environ). The defaults are the embedded demo:
SQLite, Celery running tasks eagerly, database search and a local Stripe test server.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="demo-only-insecure-secret-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'demo.sqlite3'}"),
}
# Off: services own their (short) transactions and lock rows in the order of core/locks.py; a
# request-wide transaction would hold those locks across template rendering and Stripe calls.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.forms",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shipping.apps.ShippingConfig",
    "catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "partner.apps.PartnerConfig",
    "basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "order.apps.OrderConfig",
    "customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "dashboard.orders.apps.OrdersDashboardConfig",
    "dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "axes",
    # Our own domain apps.
    "core",
    "marketplace",
    "regions",
    "sellers",
    "companies",
    "wholesale",
    "purchasing",
    # Holds only the migrations that moved its models to the three apps above (existing databases have them).
    "offtakers",
    "quotes",
    "invoices",
    "api",
    "fulfilment",
    "couriers",
    "payouts",
    "payments",
    "bank_transfers",
    "midtrans",
    "programme",
    "curation",
    "events",
    "competitions",
    "reports",
    "ratings",
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "marketplace.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "marketplace.middleware.LanguageMiddleware",
    "marketplace.middleware.RejectNulCharactersMiddleware",
    "marketplace.middleware.QueryParameterHygieneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sellers.access.SuspendedPesantrenReadOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    # Last, as its documentation asks: turns a locked-out login into our 429 page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy, enforced everywhere (the browser tests fail on any violation). Scripts come
# only from our own static files: no inline <script>, no on* attributes, no javascript: links; pages
# pass data to them in data-* attributes or json_script. Oscar's CDN jQuery and inline page scripts
# are replaced in templates/oscar/base.html. marketplace.csp adds the Stripe origins (Stripe.js, its
# iframes and API, or localstripe) from STRIPE_API_BASE.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # 'unsafe-inline' for styles only: TinyMCE (Oscar's rich-text editor for product descriptions)
        # needs it by its own CSP guide, and Oscar's templates and ours size bars and banners with
        # style attributes. Inline styles cannot run code.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so templates/ can override Oscar's widget templates too (its image
# upload widget, without inline handlers for the Content-Security-Policy).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked (core/login_lockout.py).
    "core.login_lockout.LoginLockoutBackend",
    # Oscar's and Django's, with a user's permissions read in one query (customer/auth_backends.py).
    "customer.auth_backends.EmailBackend",
    "customer.auth_backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

# Login lockout (django-axes, core/login_lockout.py), counted in the database so that it holds while
# Redis is down. Each of the parameters locks on its own: an account after AXES_FAILURE_LIMIT failures
# from any address, an address after MARKETPLACE_LOGIN_ADDRESS_FAILURE_LIMIT failures on any accounts.
AXES_HANDLER = "core.login_lockout.LoginLockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.int("MARKETPLACE_LOGIN_FAILURE_LIMIT", default=5)
MARKETPLACE_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("MARKETPLACE_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("MARKETPLACE_LOGIN_COOLOFF_MINUTES", default=15))
# The handler clears the account's failures on success itself; axes' own reset would clear the address's too.
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "core.login_lockout.normalised_username"
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "core.login_lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Only failures are worth a row; successful logins are not logged per request.
AXES_DISABLE_ACCESS_LOG = True
# No start-up banner: management commands print their own output on stdout (production logs go there).
AXES_VERBOSE = False

# Rate limits of the public forms (core/ratelimit.py), per dimension: "ip" (client address), "account"
# (signed-in user), and "email" for the password reset. "5/15m" is five in fifteen minutes.
MARKETPLACE_RATE_LIMITS = {
    "pesantren-application": {"ip": "10/h", "account": "10/h"},
    "company-registration": {"ip": "10/h", "account": "5/h"},
    "account-registration": {"ip": "10/h"},
    "password-reset": {"ip": "10/h", "email": "3/h"},
    "review": {"ip": "30/h", "account": "20/h"},
    "rfq": {"ip": "30/h", "account": "20/h"},
}
# With the cache (Redis) down the limiter cannot count: let the forms through (True) or answer 503 (False).
MARKETPLACE_RATE_LIMIT_FAIL_OPEN = env.bool("MARKETPLACE_RATE_LIMIT_FAIL_OPEN", default=True)
MARKETPLACE_RATE_LIMIT_KEY_PREFIX = "ratelimit"
# How many reverse proxies in front of the app append to X-Forwarded-For (core.ratelimit.client_ip);
# 0 trusts none, as when the app is reached directly (the demo).
MARKETPLACE_TRUSTED_PROXY_COUNT = env.int("MARKETPLACE_TRUSTED_PROXY_COUNT", default=0)

# Indonesian first, English on request.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
# Ours first, then our corrections of Oscar's Indonesian: both win over the apps' own catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "oscar"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o644

# Cache and Celery share Redis when it is configured. Without it the demo runs in one process:
# a local-memory cache and Celery executing tasks eagerly.
REDIS_URL = env("REDIS_URL", default="")
# An unreachable Redis must cost a request seconds, not minutes.
REDIS_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}
if REDIS_URL:
    # Degrades to cache misses while Redis is down (core/cache.py).
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL, "OPTIONS": REDIS_TIMEOUTS}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# How long a task taken by a worker that died stays invisible before Redis hands it out again.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **REDIS_TIMEOUTS,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
if env("CELERY_UNACKED_RESTORE_INTERVAL", default=""):
    # How often a worker sweeps for such tasks (kombu's default is about every 100 s).
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL"),
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "expire-unpaid-orders": {"task": "fulfilment.tasks.expire_unpaid_orders", "schedule": 600},
    "expire-overdue-bank-transfers": {"task": "bank_transfers.tasks.expire_overdue_bank_transfers", "schedule": 300},
    "reconcile-card-payments": {"task": "payments.tasks.reconcile_card_payments", "schedule": 600},
    "finish-pending-card-refunds": {"task": "payments.tasks.finish_pending_card_refunds", "schedule": 300},
    "reconcile-midtrans-charges": {"task": "midtrans.tasks.reconcile_midtrans_charges", "schedule": 300},
    "finish-pending-midtrans-refunds": {"task": "midtrans.tasks.finish_pending_midtrans_refunds", "schedule": 300},
    "create-weekly-payouts": {
        "task": "payouts.tasks.create_weekly_payouts",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
    "complete-delivered-orders": {"task": "fulfilment.tasks.complete_delivered_orders", "schedule": 3600},
    "remind-sellers-of-unaccepted-orders": {
        "task": "fulfilment.tasks.remind_sellers_of_unaccepted_orders",
        "schedule": 3600,
    },
    "expire-quotes": {"task": "quotes.tasks.expire_quotes", "schedule": 3600},
    "send-event-reminders": {"task": "events.tasks.send_event_reminders", "schedule": 1800},
    "poll-quiet-shipments": {"task": "couriers.tasks.poll_quiet_shipments", "schedule": 1800},
    "remind-sellers-of-parts-due-today": {
        "task": "fulfilment.tasks.remind_sellers_of_parts_due_today",
        "schedule": crontab(minute=0, hour=13, day_of_week="mon-fri"),
    },
    "send-invoice-reminders": {
        "task": "invoices.tasks.send_overdue_reminders",
        "schedule": crontab(minute=0, hour=9),
    },
    "reconcile-invoice-card-payments": {"task": "invoices.tasks.reconcile_invoice_card_payments", "schedule": 600},
    "send-curation-expiry-reminders": {
        "task": "curation.tasks.send_curation_expiry_reminders",
        "schedule": crontab(minute=30, hour=8),
    },
    # Product views are counted in Redis and written a minute at a time (catalogue/view_counts.py).
    "flush-product-views": {"task": "catalogue.tasks.flush_product_views", "schedule": 60},
    # Tasks are queued through the outbox (core/outbox.py): send what the broker refused while down.
    "relay-outbox": {"task": "core.tasks.relay_outbox", "schedule": 60},
    "purge-outbox": {"task": "core.tasks.purge_outbox", "schedule": crontab(minute=15, hour=3)},
}
# How long dispatched outbox rows are kept, for tracing what was sent.
MARKETPLACE_OUTBOX_KEEP_DAYS = env.int("MARKETPLACE_OUTBOX_KEEP_DAYS", default=7)

# Search: "elasticsearch" (Elasticsearch 8 at ELASTICSEARCH_URL) or "database" (PostgreSQL full-text
# search). By default Elasticsearch when its URL is set; "database" with a URL set falls back to the
# database, e.g. while the cluster is rebuilt. Checked at start-up (search.backends.selected_backend).
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
# Browse pages served whole to anonymous visitors with nothing of their own on them (core/page_cache.py);
# 0 turns it off.
MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS = env.int("MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS", default=30)
# For every other visitor, the pages' catalogue-only parts (product grids, facets, search answers) are
# cached the same way, per language and pricing (core/page_cache.py); 0 turns it off.
MARKETPLACE_FRAGMENT_CACHE_SECONDS = env.int("MARKETPLACE_FRAGMENT_CACHE_SECONDS", default=30)
MARKETPLACE_SEARCH_BACKEND = env(
    "MARKETPLACE_SEARCH_BACKEND", default="elasticsearch" if ELASTICSEARCH_URL else "database"
)
# Oscar's search app is replaced by ours, but haystack stays installed and must be configured.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# Stripe: the demo and the tests talk to localstripe. Without card payments, checkout offers bank transfer only.
MARKETPLACE_CARD_PAYMENTS = env.bool("MARKETPLACE_CARD_PAYMENTS", default=True)
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_test_localstripe")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="pk_test_localstripe")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="whsec_localstripe")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:8420")

# Midtrans (Core API): virtual accounts, QRIS, GoPay and ShopeePay. The demo and the tests talk to the
# local Midtrans-compatible server (localservers/midtrans). MIDTRANS_API_URL is the base without /v2.
MARKETPLACE_MIDTRANS_PAYMENTS = env.bool("MARKETPLACE_MIDTRANS_PAYMENTS", default=True)
MIDTRANS_API_URL = env("MIDTRANS_API_URL", default="http://127.0.0.1:8421")
MIDTRANS_SERVER_KEY = env("MIDTRANS_SERVER_KEY", default="SB-Mid-server-localmidtrans-demo")
MIDTRANS_CLIENT_KEY = env("MIDTRANS_CLIENT_KEY", default="SB-Mid-client-localmidtrans-demo")
# The local server's page where a demo user "pays" a VA or "scans" a QR; empty against Midtrans.
MIDTRANS_SIMULATOR_URL = env("MIDTRANS_SIMULATOR_URL", default="")
# Where Midtrans sends notifications; by default MARKETPLACE_SITE_URL + /payments/midtrans/notification/.
MIDTRANS_NOTIFICATION_URL = env("MIDTRANS_NOTIFICATION_URL", default="")
MIDTRANS_TIMEOUT_SECONDS = env.int("MIDTRANS_TIMEOUT_SECONDS", default=10)
# How long a buyer has to pay, per method (minutes): virtual accounts a day, QR codes and e-wallets 15 minutes.
MARKETPLACE_MIDTRANS_EXPIRY_MINUTES = {
    "bca_va": env.int("MIDTRANS_EXPIRY_VA_MINUTES", default=24 * 60),
    "bni_va": env.int("MIDTRANS_EXPIRY_VA_MINUTES", default=24 * 60),
    "bri_va": env.int("MIDTRANS_EXPIRY_VA_MINUTES", default=24 * 60),
    "permata_va": env.int("MIDTRANS_EXPIRY_VA_MINUTES", default=24 * 60),
    "mandiri_bill": env.int("MIDTRANS_EXPIRY_VA_MINUTES", default=24 * 60),
    "qris": env.int("MIDTRANS_EXPIRY_QRIS_MINUTES", default=15),
    "gopay": env.int("MIDTRANS_EXPIRY_EWALLET_MINUTES", default=15),
    "shopeepay": env.int("MIDTRANS_EXPIRY_EWALLET_MINUTES", default=15),
}
# Midtrans's fee (MDR) per method: a flat amount in rupiah and/or a fraction of the payment. The
# platform bears it; each payment's fee is recorded and shared out over its pesantren parts.
MARKETPLACE_MIDTRANS_FEES = {
    "bca_va": {"flat": 4000},
    "bni_va": {"flat": 4000},
    "bri_va": {"flat": 4000},
    "permata_va": {"flat": 4000},
    "mandiri_bill": {"flat": 4000},
    "qris": {"percent": "0.007"},
    "gopay": {"percent": "0.02"},
    "shopeepay": {"percent": "0.02"},
}
# Open charges older than this are re-checked by the reconcile beat task (lost notifications).
MARKETPLACE_MIDTRANS_RECONCILE_AFTER_MINUTES = env.int("MARKETPLACE_MIDTRANS_RECONCILE_AFTER_MINUTES", default=10)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Pasar Pesantren <noreply@pasarpesantren.id>")
# sorl-thumbnail's cached-db store with an in-process copy: a listing asks it once per card.
THUMBNAIL_KVSTORE = "core.thumbnail_kvstore.KVStore"
# And the thumbnails a process made, remembered by source and options (core/thumbnails.py).
OSCAR_THUMBNAILER = "core.thumbnails.RememberingSorlThumbnail"

OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Oscar
OSCAR_SHOP_NAME = "Pasar Pesantren"
OSCAR_SHOP_TAGLINE = _("Flagship products of West Java's pesantren")
OSCAR_DEFAULT_CURRENCY = "IDR"
# Rupiah has no minor unit in daily use: "Rp 150.000" in every language.
OSCAR_CURRENCY_FORMAT = {"IDR": {"format": "Rp #,##0", "locale": "id_ID", "currency_digits": False}}
OSCAR_HOMEPAGE = "/"
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_PRODUCTS_PER_PAGE = 24
# Our ratings app replaces Oscar's product reviews (one review per delivered order line).
OSCAR_HIDDEN_FEATURES = ["reviews"]
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "line4", "postcode", "country")

# Marketplace
MARKETPLACE_APPLICATION_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
MARKETPLACE_APPLICATION_DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
MARKETPLACE_PROGRAMME_PROVINCE_CODE = "32"
# How long the public open data files (reports/open_data.py) are cached; 0 builds them on every request.
MARKETPLACE_OPEN_DATA_CACHE_SECONDS = env.int("MARKETPLACE_OPEN_DATA_CACHE_SECONDS", default=300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
MARKETPLACE_SITE_URL = env("MARKETPLACE_SITE_URL", default="http://127.0.0.1:8000")
MARKETPLACE_PRIVATE_MEDIA_ROOT = env.path("MARKETPLACE_PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private-media")
OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION = "marketplace.dashboard.access_fn"
OSCAR_DASHBOARD_NAVIGATION = [
    *OSCAR_DASHBOARD_NAVIGATION,  # noqa: F405
    {
        "label": _("Programme"),
        "icon": "fas fa-chart-pie",
        "children": [
            {"label": _("Overview"), "url_name": "programme:overview"},
            {"label": _("Map and regions"), "url_name": "programme:mapping"},
            {"label": _("Pesantren directory"), "url_name": "programme:directory"},
            {"label": _("Cohorts and stages"), "url_name": "programme:cohorts"},
            {"label": _("Mentors"), "url_name": "programme:assignments"},
            {"label": _("Programme roles"), "url_name": "programme:roles"},
            {"label": _("Events"), "url_name": "events-programme:list"},
            {"label": _("My pesantren (mentor)"), "url_name": "programme:mentor-home"},
            {"label": _("Curation"), "url_name": "curation:queue"},
            {"label": _("Curation rubric"), "url_name": "curation:rubric"},
            {"label": _("Competitions"), "url_name": "competitions:list"},
            {"label": _("Reports"), "url_name": "reports:province"},
        ],
    },
    {
        "label": _("Pesantren"),
        "icon": "fas fa-mosque",
        "children": [
            {"label": _("Applications"), "url_name": "sellers-dashboard:application-list"},
            {"label": _("All pesantren"), "url_name": "sellers-dashboard:seller-list"},
            {"label": _("Review moderation"), "url_name": "ratings-dashboard:moderation-list"},
        ],
    },
    {
        "label": _("Off-takers"),
        "icon": "fas fa-building",
        "children": [
            {"label": _("Companies"), "url_name": "companies-dashboard:company-list"},
        ],
    },
    {
        "label": _("My shop"),
        "icon": "fas fa-store",
        "children": [
            {"label": _("Sales report"), "url_name": "dashboard:seller-sales"},
            {"label": _("Products"), "url_name": "dashboard:catalogue-product-list"},
            {"label": _("Import products"), "url_name": "dashboard:product-import"},
            {"label": _("Low stock alerts"), "url_name": "dashboard:stock-alert-list"},
            {"label": _("Orders"), "url_name": "fulfilment-dashboard:seller-order-list"},
            {"label": _("Shipping rates"), "url_name": "shipping-dashboard:rates"},
            {"label": _("Couriers"), "url_name": "couriers-dashboard:settings"},
            {"label": _("Wholesale prices"), "url_name": "wholesale:stockrecord-list"},
            {"label": _("Requests for quotation"), "url_name": "quotes-dashboard:rfq-list"},
            {"label": _("Programme events"), "url_name": "events-dashboard:registrations"},
            {"label": _("Balance and payouts"), "url_name": "payouts-dashboard:my-ledger"},
            {"label": _("Reviews"), "url_name": "ratings-dashboard:seller-review-list"},
            {"label": _("Competitions"), "url_name": "competitions-seller:entries"},
            {"label": _("Storefront profile"), "url_name": "dashboard:seller-profile"},
            {"label": _("Payout bank account"), "url_name": "dashboard:seller-bank-account"},
            {"label": _("Team"), "url_name": "dashboard:team"},
        ],
    },
    {
        "label": _("Finance"),
        "icon": "fas fa-money-bill",
        "children": [
            {"label": _("Bank transfers"), "url_name": "bank_transfers:dashboard-list"},
            {"label": _("Payout batches"), "url_name": "payouts-dashboard:batch-list"},
            {"label": _("Payouts"), "url_name": "payouts-dashboard:payout-list"},
            {"label": _("Pesantren balances"), "url_name": "payouts-dashboard:balance-list"},
            {"label": _("Off-taker invoices"), "url_name": "invoices-dashboard:list"},
            {"label": _("Off-taker credit"), "url_name": "invoices-dashboard:credit"},
        ],
    },
]

# Orders. The customer's Oscar order moves through these; each pesantren's part has its own
# finer status on fulfilment.SellerOrder.
OSCAR_INITIAL_ORDER_STATUS = "Pending payment"
# The order's status follows its pesantren parts (fulfilment/order_status.py derives it), so any live
# status may follow any other; Completed and Cancelled end it.
_LIVE_ORDER_STATUSES = ("Paid", "Processing", "Partly shipped", "Shipped", "Delivered")
OSCAR_ORDER_STATUS_PIPELINE = {
    "Pending payment": (*_LIVE_ORDER_STATUSES, "Completed", "Cancelled"),
    **{
        status: (*(other for other in _LIVE_ORDER_STATUSES if other != status), "Completed", "Cancelled")
        for status in _LIVE_ORDER_STATUSES
    },
    "Completed": (),
    "Cancelled": (),
}
OSCAR_INITIAL_LINE_STATUS = "Pending payment"
OSCAR_LINE_STATUS_PIPELINE = {}

from decimal import Decimal  # noqa: E402

MARKETPLACE_DEFAULT_COMMISSION_RATE = Decimal(env("MARKETPLACE_DEFAULT_COMMISSION_RATE", default="0.05"))
MARKETPLACE_UNPAID_ORDER_TTL_MINUTES = env.int("MARKETPLACE_UNPAID_ORDER_TTL_MINUTES", default=24 * 60)
MARKETPLACE_AUTO_COMPLETE_AFTER_DAYS = env.int("MARKETPLACE_AUTO_COMPLETE_AFTER_DAYS", default=3)
MARKETPLACE_ACCEPT_REMINDER_AFTER_HOURS = env.int("MARKETPLACE_ACCEPT_REMINDER_AFTER_HOURS", default=24)
# Default shipping rates per zone, in rupiah: the first kilogram, then each further kilogram
# (rounded up). Each pesantren may set its own table.
MARKETPLACE_DEFAULT_SHIPPING_RATES = {
    "same_kabupaten": {"first_kg": 10000, "next_kg": 5000},
    "same_province": {"first_kg": 15000, "next_kg": 8000},
    "elsewhere": {"first_kg": 25000, "next_kg": 15000},
}
MARKETPLACE_DEFAULT_PRODUCT_WEIGHT_GRAMS = 500

# Couriers through a Biteship-compatible aggregator (couriers/): rates at checkout, bookings,
# labels and tracking webhooks. Without BITESHIP_API_URL only the pesantren's own rate table is
# offered. The demo and the tests run the local server in localservers/biteship/.
BITESHIP_API_URL = env("BITESHIP_API_URL", default="")
BITESHIP_API_KEY = env("BITESHIP_API_KEY", default="")
# Biteship sends this token with every webhook in the header named below (set both in its dashboard).
BITESHIP_WEBHOOK_TOKEN = env("BITESHIP_WEBHOOK_TOKEN", default="")
BITESHIP_WEBHOOK_HEADER = env("BITESHIP_WEBHOOK_HEADER", default="X-Biteship-Signature")
# Seconds to connect and to wait for an answer; a checkout falls back to the rate table after them.
MARKETPLACE_COURIER_CONNECT_TIMEOUT = env.float("MARKETPLACE_COURIER_CONNECT_TIMEOUT", default=2.0)
MARKETPLACE_COURIER_READ_TIMEOUT = env.float("MARKETPLACE_COURIER_READ_TIMEOUT", default=4.0)
# After a failure, checkout skips the aggregator for this many seconds (no wait per buyer).
MARKETPLACE_COURIER_PAUSE_AFTER_FAILURE_SECONDS = env.float(
    "MARKETPLACE_COURIER_PAUSE_AFTER_FAILURE_SECONDS", default=30
)
MARKETPLACE_COURIER_QUOTE_CACHE_SECONDS = env.int("MARKETPLACE_COURIER_QUOTE_CACHE_SECONDS", default=600)
# Parts paid before this time on a working day ship the same day; later, the next working day.
MARKETPLACE_SHIP_SAME_DAY_BEFORE = env("MARKETPLACE_SHIP_SAME_DAY_BEFORE", default="12:00")
# Shipments whose tracking has been quiet this long are polled by beat.
MARKETPLACE_COURIER_QUIET_HOURS = env.int("MARKETPLACE_COURIER_QUIET_HOURS", default=12)

# Payments
MARKETPLACE_STRIPE_MINIMUM_IDR = env.int("MARKETPLACE_STRIPE_MINIMUM_IDR", default=10000)
MARKETPLACE_BANK_ACCOUNT = {
    "bank_name": env("MARKETPLACE_BANK_NAME", default="Bank Syariah Indonesia (BSI)"),
    "account_number": env("MARKETPLACE_BANK_ACCOUNT_NUMBER", default="7000000000"),
    "account_holder": env("MARKETPLACE_BANK_ACCOUNT_HOLDER", default="Pasar Pesantren (demo)"),
}
MARKETPLACE_BANK_TRANSFER_REUPLOAD_HOURS = env.int("MARKETPLACE_BANK_TRANSFER_REUPLOAD_HOURS", default=24)

# Off-taker invoices. Prices include PPN; a VAT-registered pesantren's part shows DPP and PPN at this rate.
MARKETPLACE_PPN_RATE = Decimal(env("MARKETPLACE_PPN_RATE", default="0.11"))
# Who issues the invoices (printed at the top of the PDF).
MARKETPLACE_INVOICE_ISSUER = {
    "name": env("MARKETPLACE_INVOICE_ISSUER_NAME", default="Pasar Pesantren"),
    "address": env("MARKETPLACE_INVOICE_ISSUER_ADDRESS", default="Jl. Diponegoro No. 22, Bandung, Jawa Barat 40115"),
    "npwp": env("MARKETPLACE_INVOICE_ISSUER_NPWP", default=""),
}

# Payouts to pesantren
MARKETPLACE_PAYOUT_MINIMUM_IDR = env.int("MARKETPLACE_PAYOUT_MINIMUM_IDR", default=50000)
MARKETPLACE_PAYOUT_HOLD_DAYS = env.int("MARKETPLACE_PAYOUT_HOLD_DAYS", default=0)

# Off-taker REST API (api/): company-scoped bearer tokens, throttled per company through the cache.
# How long the answer to a POST with an Idempotency-Key is kept for retries.
MARKETPLACE_API_IDEMPOTENCY_DAYS = env.int("MARKETPLACE_API_IDEMPOTENCY_DAYS", default=7)
CELERY_BEAT_SCHEDULE["purge-api-idempotent-requests"] = {
    "task": "api.tasks.purge_idempotent_requests",
    "schedule": crontab(minute=30, hour=3),
}
# With the cache (Redis) down the API throttle cannot count: let requests through (True) or answer
# 503 with Retry-After (False).
MARKETPLACE_API_THROTTLE_FAIL_OPEN = env.bool("MARKETPLACE_API_THROTTLE_FAIL_OPEN", default=True)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsVerifiedCompany"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.CompanyRateThrottle", "api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_company": env("MARKETPLACE_API_RATE", default="120/minute"),
        "api_anonymous": env("MARKETPLACE_API_ANONYMOUS_RATE", default="30/minute"),
    },
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pasar Pesantren off-taker API",
    "DESCRIPTION": (
        "Wholesale buying for verified companies: the catalogue with your company's prices, bulk orders, "
        "requests for quotation, orders and invoices. Authenticate with `Authorization: Bearer <token>`; "
        "company approvers create tokens on the API tokens page. Amounts are whole rupiah (IDR). Messages are in "
        "Indonesian unless the request asks for English with `Accept-Language: en`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PaymentMethodEnum": "purchasing.models.PurchasePaymentMethod",
        "ShipmentStatusEnum": "fulfilment.models.SellerOrderStatus",
        "PurchaseRequestStatusEnum": "purchasing.models.PurchaseRequestStatus",
        "RfqStatusEnum": "quotes.models.RfqStatus",
        "QuoteStatusEnum": "quotes.models.QuoteStatus",
        "InvoiceStatusEnum": "invoices.models.InvoiceStatus",
    },
}
