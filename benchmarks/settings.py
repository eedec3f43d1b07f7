"""Settings for the benchmarks: the test settings on a database, Redis db and media folder of their own.

Both the benchmark process and the Celery worker it starts load this module, so that they agree on
everything but `CELERY_TASK_ALWAYS_EAGER`, which `run_checkout.py` sets per phase.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pasar_pesantren_bench")
# Not db 15, which the test suite uses and purges.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
# Rendering each email is measured; delivering it is not (the dummy backend drops it).
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from marketplace.settings.test import *  # noqa: E402,F403
from marketplace.settings.test import BASE_DIR  # noqa: E402

MEDIA_ROOT = BASE_DIR / "var" / "bench-media"
MARKETPLACE_PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "bench-private-media"
# As in production (the test settings turn it off); MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS=0 measures without it.
MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS = int(os.environ.get("MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS", "30"))
# Likewise the fragment cache of rendered pages; MARKETPLACE_FRAGMENT_CACHE_SECONDS=0 renders everything.
MARKETPLACE_FRAGMENT_CACHE_SECONDS = int(os.environ.get("MARKETPLACE_FRAGMENT_CACHE_SECONDS", "30"))
