"""Rate limits for the public forms, counted in the Django cache (Redis in production).

Each scope (one form) has limits per dimension in `MARKETPLACE_RATE_LIMITS`: "ip" (the client
address), "account" (the signed-in user) and any the view names itself, such as "email" for the
password reset. A POST is refused with a 429 page, before the view runs, once any of its counters is
over its limit in the current window; so nothing is saved and no email is sent.

The counters live in fixed windows aligned on the clock: cheap (one INCR per dimension) and precise
enough for a spam brake.

With the cache down the limiter cannot count. It then lets requests through (fails open) unless
`MARKETPLACE_RATE_LIMIT_FAIL_OPEN` is False, when it answers 503: these forms are how pesantren and
companies join and how people get back into their accounts, and a Redis outage must not close them.
Guessing passwords is stopped by the login lockout (django-axes), which counts in the database and
holds while Redis is down.
"""

import functools
import hashlib
import ipaddress
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.cache import UNAVAILABLE_ERRORS, cache_errors_raised

logger = logging.getLogger(__name__)

_RATE = re.compile(r"^\s*(?P<limit>\d+)\s*/\s*(?P<count>\d*)\s*(?P<unit>[smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

Identity = Callable[[HttpRequest], str | None]


@dataclass(frozen=True)
class Rate:
    limit: int
    window_seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """'5/15m' is five in fifteen minutes; '10/h' ten an hour (units s, m, h, d)."""
        match = _RATE.match(text)
        if match is None:
            raise ValueError(f"not a rate: {text!r} (expected e.g. '5/15m' or '10/h')")
        window = int(match["count"] or 1) * _UNIT_SECONDS[match["unit"]]
        return cls(limit=int(match["limit"]), window_seconds=window)


def client_ip(request: HttpRequest) -> str:
    """The client's address, for the form limits and the login lockout alike.

    Behind `MARKETPLACE_TRUSTED_PROXY_COUNT` reverse proxies, REMOTE_ADDR is the nearest proxy: every
    visitor would share it, and one attacker would lock everyone out. Each trusted proxy appends
    the address it saw to X-Forwarded-For, so the client is the entry that many places from the
    right; entries further left were written by the client and are not believed.
    """
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.MARKETPLACE_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _account(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    return str(user.pk) if user is not None and user.is_authenticated else None


BUILTIN_IDENTITIES: dict[str, Identity] = {"ip": client_ip, "account": _account}


def limits_for(scope: str) -> dict[str, Rate]:
    configured = settings.MARKETPLACE_RATE_LIMITS.get(scope)
    if configured is None:
        raise KeyError(f"no rate limits configured for {scope!r} in MARKETPLACE_RATE_LIMITS")
    return {dimension: Rate.parse(text) for dimension, text in configured.items()}


def _counter_key(scope: str, dimension: str, identity: str, window_index: int) -> str:
    # Hashed: identities are addresses and emails typed by strangers, and must not shape cache keys.
    digest = hashlib.sha256(identity.strip().lower().encode()).hexdigest()[:32]
    prefix = settings.MARKETPLACE_RATE_LIMIT_KEY_PREFIX
    return f"{prefix}:{scope}:{dimension}:{digest}:{window_index}"


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired between add() and incr().
        cache.set(key, 1, timeout=timeout)
        return 1


def seconds_until_allowed(request: HttpRequest, scope: str, identities: dict[str, Identity] | None = None) -> int:
    """Count this request against `scope`; 0 when it is within every limit, else the wait in seconds.

    Raises the cache's `UNAVAILABLE_ERRORS` when Redis cannot be reached.
    """
    identities = {**BUILTIN_IDENTITIES, **(identities or {})}
    now = time.time()
    wait = 0
    with cache_errors_raised():
        for dimension, rate in limits_for(scope).items():
            if dimension not in identities:
                raise KeyError(f"rate limit {scope!r} counts by {dimension!r}, which the view does not provide")
            identity = identities[dimension](request)
            if not identity:
                continue  # e.g. "account" for a visitor who is not signed in
            window_index = int(now // rate.window_seconds)
            # The key outlives its window by a little, so that a clock step between web workers does
            # not restart a count.
            count = _count(_counter_key(scope, dimension, identity, window_index), rate.window_seconds + 60)
            if count > rate.limit:
                wait = max(wait, math.ceil((window_index + 1) * rate.window_seconds - now))
    return wait


def too_many_attempts_message(wait_seconds: int) -> str:
    minutes = max(1, math.ceil(wait_seconds / 60))
    # Two messages rather than a plural form: Indonesian has one form for both.
    if minutes == 1:
        return _("Too many attempts. Try again in 1 minute.")
    return _("Too many attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes}


def too_many_attempts_response(request: HttpRequest, wait_seconds: int) -> HttpResponse:
    message = too_many_attempts_message(wait_seconds)
    response = render(request, "core/too_many_attempts.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(1, wait_seconds))
    return response


def refusal(request: HttpRequest, scope: str, identities: dict[str, Identity] | None = None) -> HttpResponse | None:
    """The 429 page for a request over `scope`'s limits (503 when failing closed); None if allowed."""
    try:
        wait = seconds_until_allowed(request, scope, identities)
    except UNAVAILABLE_ERRORS as error:
        fail_open = settings.MARKETPLACE_RATE_LIMIT_FAIL_OPEN
        logger.warning("Rate limit %s cannot count (%s): failing %s", scope, error, "open" if fail_open else "closed")
        if fail_open:
            return None
        response = render(
            request,
            "core/too_many_attempts.html",
            {"message": _("The service is briefly unavailable. Try again shortly.")},
            status=503,
        )
        response["Retry-After"] = "30"
        return response
    return too_many_attempts_response(request, wait) if wait else None


def rate_limit(
    scope: str,
    *,
    identities: dict[str, Identity] | None = None,
    methods: tuple[str, ...] = ("POST",),
    counts: Callable[[HttpRequest], bool] | None = None,
):
    """View decorator: requests with one of `methods` are counted against `scope` and refused when over.

    `counts(request)` may exempt requests that do nothing, such as a form re-posted only to refresh
    its region selects. On a class-based view use `method_decorator(rate_limit(...), name="dispatch")`.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and (counts is None or counts(request)):
                refused = refusal(request, scope, identities)
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
