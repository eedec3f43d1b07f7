"""Delivery of HTTP notifications in background threads, with retries, as Midtrans sends them.

Midtrans POSTs a JSON notification to the merchant's notification URL on every change of a
transaction and retries when the answer is not 2xx. Here a few worker threads take deliveries off
a queue ordered by due time. Two deliveries for the same order are never in flight at once and go
out in the order they were made (so `pending` reaches the shop before `settlement`), except
deliveries marked `parallel`, which the replay control uses to send copies side by side.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

USER_AGENT = "localmidtrans-notification/1.0"


@dataclass
class Delivery:
    """One notification body sent to one URL, and what became of it."""

    order_id: str
    url: str
    body: dict[str, Any]
    parallel: bool = False
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: float = field(default_factory=time.time)
    attempts: int = 0
    delivered: bool = False
    gave_up: bool = False
    response_status: int | None = None
    error: str = ""
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "order_id": self.order_id,
            "url": self.url,
            "transaction_status": self.body.get("transaction_status"),
            "status_code": self.body.get("status_code"),
            "body": self.body,
            "attempts": self.attempts,
            "delivered": self.delivered,
            "gave_up": self.gave_up,
            "finished": self.done.is_set(),
            "response_status": self.response_status,
            "error": self.error,
        }


class Notifier:
    """A queue of deliveries worked off by `workers` threads."""

    def __init__(self, *, retry_delays: list[float], workers: int = 4, timeout: float = 10.0):
        self.retry_delays = list(retry_delays)
        self.timeout = timeout
        self._cond = threading.Condition()
        self._queue: list[tuple[float, int, Delivery]] = []
        self._busy_orders: set[str] = set()
        self._seq = itertools.count()
        self._log: list[Delivery] = []
        self._generation = 0
        self._stopped = False
        self._target_workers = 0
        self._alive: set[int] = set()
        self.set_workers(workers)

    @property
    def workers(self) -> int:
        return self._target_workers

    def set_workers(self, count: int) -> None:
        """Run `count` delivery threads from now on (extra ones end when they are idle)."""
        with self._cond:
            self._target_workers = max(1, count)
            for index in range(self._target_workers):
                if index not in self._alive:
                    self._alive.add(index)
                    threading.Thread(
                        target=self._work, args=(index,), name=f"localmidtrans-notify-{index}", daemon=True
                    ).start()
            self._cond.notify_all()

    # -- producers -------------------------------------------------------------------------
    def send(self, *, order_id: str, urls: list[str], body: dict[str, Any], parallel: bool = False) -> list[Delivery]:
        deliveries = [Delivery(order_id=order_id, url=url, body=body, parallel=parallel) for url in urls]
        with self._cond:
            for delivery in deliveries:
                self._log.append(delivery)
                self._queue.append((time.monotonic(), next(self._seq), delivery))
            self._cond.notify_all()
        return deliveries

    def log(self, order_id: str | None = None) -> list[Delivery]:
        with self._cond:
            return [d for d in self._log if order_id is None or d.order_id == order_id]

    def reset(self) -> None:
        """Forget queued deliveries and the log; deliveries in flight finish but are not retried."""
        with self._cond:
            for _, _, delivery in self._queue:
                delivery.gave_up = True
                delivery.done.set()
            self._queue.clear()
            self._log.clear()
            self._generation += 1
            self._cond.notify_all()

    def wait(self, deliveries: list[Delivery], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        for delivery in deliveries:
            if not delivery.done.wait(max(0.0, deadline - time.monotonic())):
                return False
        return True

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every logged delivery has finished (delivered or given up)."""
        return self.wait(self.log(), timeout)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    # -- workers ---------------------------------------------------------------------------
    def _next(self, index: int) -> tuple[Delivery, int] | None:
        """Under the condition: wait for a due delivery whose order is free, and claim it.

        None when this worker is to end (the notifier stopped, or fewer workers are wanted).
        """
        while not self._stopped and index < self._target_workers:
            now = time.monotonic()
            chosen_index = None
            next_due = None
            for index, (due, seq, delivery) in enumerate(self._queue):
                if due > now:
                    next_due = due if next_due is None else min(next_due, due)
                    continue
                if not delivery.parallel and delivery.order_id in self._busy_orders:
                    continue
                if chosen_index is None or (due, seq) < self._queue[chosen_index][:2]:
                    chosen_index = index
            if chosen_index is not None:
                _, _, delivery = self._queue.pop(chosen_index)
                if not delivery.parallel:
                    self._busy_orders.add(delivery.order_id)
                return delivery, self._generation
            self._cond.wait(None if next_due is None else max(0.001, next_due - now))
        self._alive.discard(index)
        return None

    def _work(self, index: int) -> None:
        while True:
            with self._cond:
                claimed = self._next(index)
            if claimed is None:
                return
            delivery, generation = claimed
            self._attempt(delivery)
            with self._cond:
                if not delivery.parallel:
                    self._busy_orders.discard(delivery.order_id)
                if not delivery.delivered:
                    retry = delivery.attempts - 1
                    if generation == self._generation and retry < len(self.retry_delays):
                        due = time.monotonic() + self.retry_delays[retry]
                        self._queue.append((due, next(self._seq), delivery))
                    else:
                        delivery.gave_up = True
                        delivery.done.set()
                self._cond.notify_all()

    def _attempt(self, delivery: Delivery) -> None:
        delivery.attempts += 1
        request = urllib.request.Request(
            delivery.url,
            data=json.dumps(delivery.body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json", "User-Agent": USER_AGENT},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                delivery.response_status = response.status
                delivery.error = ""
        except urllib.error.HTTPError as error:
            delivery.response_status = error.code
            delivery.error = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            delivery.response_status = None
            delivery.error = str(getattr(error, "reason", error))
        if delivery.response_status is not None and 200 <= delivery.response_status < 300:
            delivery.delivered = True
            delivery.done.set()
