"""Whole-page cache of the browse pages for anonymous visitors with nothing of their own on the page.

A visitor who is signed in, has a session, a basket or a pending message sees something of their own
(name, basket, wholesale prices, messages) and is never served from it. Every other visitor of the
same address, in the same language (and on the product page with the same recently-viewed list) gets
the same HTML, so it is rendered once per `MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS` (0 turns the
cache off; the test settings do).

- **CSRF.** The add-to-basket forms carry a CSRF token. The stored page holds a placeholder instead
  of the token it was rendered with, and each response gets the visitor's own (`get_token`, which
  also sets the CSRF cookie of a first visit), so a cached form posts like a fresh one.
- **Freshness.** Keys carry a version that `bump()` changes; the project bumps it whenever a product,
  stock record, category, image, pesantren or review is saved or deleted, or products are reindexed
  (marketplace/apps.py, search.services). Writes that send no signal (checkout's stock reservation is
  one UPDATE) show within the TTL; the basket and checkout always re-check availability and price.
- **Two tiers.** Pages live in the shared cache (Redis), so one worker's render serves the others,
  and in a small in-process copy, so that a hit costs no round trip; each process re-reads the
  version from the shared cache at most once a second, so another process's bump shows within 1 s.

**Fragments for everyone else.** Signed-in visitors (and anonymous ones with a basket) get the page
rendered, but its costly parts that show the catalogue only (the product grids, the facets, the
search backend's answer) are cached under the same version for
`MARKETPLACE_FRAGMENT_CACHE_SECONDS` (0 turns it off; the test settings do), keyed on the language
and the pricing the visitor gets (a verified company's members see their wholesale prices and
minimum quantities): `cached_value()` and the `{% catalogue_cache %}` tag (core/templatetags). A
fragment's forms hold the CSRF placeholder too.
"""

import functools
import hashlib
import re
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

VERSION_KEY = "page-cache:version"
CSRF_PLACEHOLDER = "__page_cache_csrf_token__"
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Cookies that put something of the visitor's own on a page.
_PERSONAL_COOKIES = ("messages",)
VERSION_RECHECK_SECONDS = 1.0
_local_pages = LocMemCache("core.page_cache", {"OPTIONS": {"MAX_ENTRIES": 2000}})
_local_version = threading.local()


def timeout() -> int:
    return getattr(settings, "MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS", 0)


def fragment_timeout() -> int:
    return getattr(settings, "MARKETPLACE_FRAGMENT_CACHE_SECONDS", 0)


def bump(**_kwargs) -> None:
    """Make every cached page stale (a signal receiver, hence the keyword arguments)."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    _local_version.value, _local_version.read_at = version, time.monotonic()


def _version() -> str:
    if time.monotonic() - getattr(_local_version, "read_at", -VERSION_RECHECK_SECONDS) < VERSION_RECHECK_SECONDS:
        return _local_version.value
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    _local_version.value, _local_version.read_at = version, time.monotonic()
    return version


def is_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or timeout() <= 0:
        return False
    cookies = request.COOKIES
    personal = (settings.SESSION_COOKIE_NAME, settings.OSCAR_BASKET_COOKIE_OPEN, *_PERSONAL_COOKIES)
    if any(name in cookies for name in personal):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _key(request, vary_cookies: tuple[str, ...]) -> str:
    varying = "|".join(request.COOKIES.get(name, "") for name in vary_cookies)
    digest = hashlib.sha256(f"{request.get_full_path()}|{varying}".encode()).hexdigest()
    return f"page-cache:{_version()}:{get_language()}:{digest}"


def without_csrf_tokens(body: str) -> str:
    """The HTML with every form's CSRF token replaced by the placeholder, for storing."""
    return _CSRF_FIELD.sub(f'name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}"', body)


def with_csrf_token(body: str, request) -> str:
    """Stored HTML with this visitor's own CSRF token in its forms (and their cookie set, as
    `{% csrf_token %}` would)."""
    if CSRF_PLACEHOLDER not in body:
        return body
    return body.replace(CSRF_PLACEHOLDER, get_token(request))


def pricing_key(request) -> str:
    """Which prices and quantities a page shows this visitor: the strategy's class and its company."""
    strategy = getattr(request, "strategy", None)
    if strategy is None:
        return "-"
    company = getattr(strategy, "company", None)
    return f"{type(strategy).__module__}.{type(strategy).__qualname__}:{getattr(company, 'pk', '')}"


def catalogue_key(*parts) -> str:
    """A cache key for something drawn from the catalogue alone, stale after any catalogue write."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"catalogue-cache:{_version()}:{get_language()}:{digest}"


_MISSING = object()


def cached_value(key: str, compute):
    """`compute()`, stored under `key` (a catalogue_key) for MARKETPLACE_FRAGMENT_CACHE_SECONDS in both
    tiers; computed every time when that is 0."""
    seconds = fragment_timeout()
    if seconds <= 0:
        return compute()
    value = _local_pages.get(key, _MISSING)
    if value is _MISSING:
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            value = compute()
            cache.set(key, value, seconds)
        _local_pages.set(key, value, seconds)
    return value


def cache_anonymous_page(*, vary_cookies: tuple[str, ...] = (), on_hit=None):
    """Decorator for a view function: serve anonymous visitors from the page cache.

    `vary_cookies` are cookies the page reads (the product page's recently viewed products);
    `on_hit(request, response, *args, **kwargs)` runs for a page served from the cache, for what the
    view does besides rendering (the product page's view signal).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not is_cacheable(request):
                return view(request, *args, **kwargs)
            key = _key(request, vary_cookies)
            entry = _local_pages.get(key)
            if entry is None:
                entry = cache.get(key)
                if entry is not None:
                    _local_pages.set(key, entry, timeout())
            if entry is not None:
                # get_token() always, as a render would: it also sets the CSRF cookie of a first visit.
                response = HttpResponse(
                    entry["body"].replace(CSRF_PLACEHOLDER, get_token(request)), content_type=entry["content_type"]
                )
                if on_hit is not None:
                    on_hit(request, response, *args, **kwargs)
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if response.status_code == 200 and not response.streaming:
                body = response.content.decode(response.charset)
                body = without_csrf_tokens(body)
                entry = {"body": body, "content_type": response["Content-Type"]}
                cache.set(key, entry, timeout())
                _local_pages.set(key, entry, timeout())
            return response

        return wrapped

    return decorator
