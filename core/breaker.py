"""A small circuit breaker: after a service failed, callers skip it for a few seconds.

A Redis that is gone answers "connection refused" at once, but one that is unreachable lets every
call wait for its socket timeout. Remembering the failure for a moment keeps a request from paying
that wait at every cache read or task it queues. The state is per process and per address.
"""

import threading
import time
import weakref


class Breaker:
    _instances: "weakref.WeakSet[Breaker]" = weakref.WeakSet()

    def __init__(self, *, pause_seconds: float):
        self.pause_seconds = pause_seconds
        self._open_until: dict[str, float] = {}
        self._lock = threading.Lock()
        Breaker._instances.add(self)

    @classmethod
    def forget_all_failures(cls) -> None:
        """Close every breaker of the process (tests: a failure seen by one test is not the next one's)."""
        for breaker in list(cls._instances):
            with breaker._lock:
                breaker._open_until.clear()

    def is_open(self, key: str) -> bool:
        """True while `key` failed less than `pause_seconds` ago: skip it."""
        until = self._open_until.get(key)
        return until is not None and time.monotonic() < until

    def trip(self, key: str) -> None:
        with self._lock:
            self._open_until[key] = time.monotonic() + self.pause_seconds

    def reset(self, key: str) -> None:
        if key in self._open_until:
            with self._lock:
                self._open_until.pop(key, None)
