"""The Redis cache degrades to misses while Redis is down, against real servers and dead ports."""

import time

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from core import cache as resilient
from core.cache import RedisCache, cache_errors_raised

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def make_cache(url: str) -> RedisCache:
    return RedisCache(url, {"OPTIONS": OPTIONS})


@pytest.fixture
def no_pause(monkeypatch):
    """Ask Redis again at once after a failure, so each call shows its own degraded answer."""
    monkeypatch.setattr(resilient._breaker, "pause_seconds", 0)


def test_a_dead_redis_reads_as_misses_and_drops_writes(no_pause):
    cache = make_cache("redis://127.0.0.1:1/0")

    cache.set("facets", {"halal": 3})
    assert cache.get("facets") is None
    assert cache.get("facets", "default") == "default"
    assert cache.get_or_set("facets", lambda: {"halal": 4}) == {"halal": 4}
    assert cache.add("facets", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.has_key("facets") is False
    assert cache.delete("facets") is False
    with pytest.raises(ValueError):
        cache.incr("hits")


def test_code_that_must_know_can_ask_for_the_error(no_pause):
    cache = make_cache("redis://127.0.0.1:1/0")

    with cache_errors_raised(), pytest.raises(RedisConnectionError):
        cache.get("throttle")
    assert cache.get("throttle") is None


def test_a_hung_redis_costs_one_timeout_then_is_left_alone_for_a_moment(silent_port):
    cache = make_cache(f"redis://127.0.0.1:{silent_port}/0")

    started = time.monotonic()
    assert cache.get("facets") is None
    first = time.monotonic() - started
    started = time.monotonic()
    assert [cache.get("facets") for _ in range(20)] == [None] * 20
    then = time.monotonic() - started

    assert 0.4 < first < 3
    assert then < 0.1


def test_the_cache_works_again_once_redis_is_back(redis_server, no_pause):
    cache = make_cache(redis_server.url)
    cache.set("facets", "before")
    assert cache.get("facets") == "before"

    redis_server.stop()
    assert cache.get("facets") is None
    cache.set("facets", "during")

    redis_server.start()  # without persistence: it comes back empty
    assert cache.get("facets") is None
    cache.set("facets", "after")
    assert cache.get("facets") == "after"
