"""Django's Redis cache, degrading to a cache miss while Redis is unreachable.

The cache only ever holds what can be recomputed (search facets, throttle counts), so a page must
not fail because Redis is down: reads answer the default, writes are dropped, and the outage is
logged. After a failure Redis is left alone for a few seconds, so that an unreachable host costs one
socket timeout, not one per cache call.

Code that must know about the outage (the API throttle decides to let requests through or not)
wraps its calls in `cache_errors_raised()`.
"""

import contextlib
import contextvars
import logging

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.breaker import Breaker

logger = logging.getLogger(__name__)

UNAVAILABLE_ERRORS = (RedisConnectionError, RedisTimeoutError)
_raise_errors = contextvars.ContextVar("cache_raise_errors", default=False)
_breaker = Breaker(pause_seconds=5)


class CacheUnavailable(RedisConnectionError):
    """Redis failed a moment ago and is not asked again yet."""


@contextlib.contextmanager
def cache_errors_raised():
    """Within this block the cache raises `UNAVAILABLE_ERRORS` instead of degrading."""
    token = _raise_errors.set(True)
    try:
        yield
    finally:
        _raise_errors.reset(token)


def _degrading(name: str, fallback):
    parent = getattr(DjangoRedisCache, name)

    def method(self, *args, **kwargs):
        key = str(self._servers)
        try:
            if _breaker.is_open(key):
                raise CacheUnavailable("Redis failed a moment ago")
            result = parent(self, *args, **kwargs)
        except UNAVAILABLE_ERRORS as error:
            if not isinstance(error, CacheUnavailable):
                _breaker.trip(key)
                logger.warning("Cache unavailable, %s() degraded: %s: %s", name, type(error).__name__, error)
            if _raise_errors.get():
                raise
            return fallback(*args, **kwargs)
        _breaker.reset(key)
        return result

    method.__name__ = name
    method.__doc__ = parent.__doc__
    return method


def _default(key, default=None, version=None):
    return default


def _miss(*args, **kwargs):
    raise ValueError("the cache is unavailable")


class RedisCache(DjangoRedisCache):
    add = _degrading("add", lambda *args, **kwargs: False)
    get = _degrading("get", _default)
    set = _degrading("set", lambda *args, **kwargs: None)
    touch = _degrading("touch", lambda *args, **kwargs: False)
    delete = _degrading("delete", lambda *args, **kwargs: False)
    get_many = _degrading("get_many", lambda *args, **kwargs: {})
    has_key = _degrading("has_key", lambda *args, **kwargs: False)
    # A counter that cannot be read is missing, which `incr` reports with ValueError.
    incr = _degrading("incr", _miss)
    set_many = _degrading("set_many", lambda data, *args, **kwargs: list(data))
    delete_many = _degrading("delete_many", lambda *args, **kwargs: None)
    clear = _degrading("clear", lambda *args, **kwargs: False)
