"""A circuit breaker for the campaign database: remember an outage for a moment, so a burst fails at once.

Without it every request during an outage would wait for its own connection
attempt (the pool's timeout), and a wall of screens polling every few seconds
would pile up waiting threads in every worker. With it:

* **up** — the database answered last time: requests use the pool as usual;
* **down** — it failed: every request is refused at once (`Open`, with the
  seconds until the next attempt, for a `Retry-After`) until `cooldown` has
  passed; then **one** request at a time is let through as a probe, with a
  short wait, while the others are still refused at once;
* **unknown** — nothing tried yet (a worker that started while the database
  was down): requests try, with the probe's short wait.

A probe that succeeds closes the breaker; one that fails opens it again for
another `cooldown`. The clock is injected (monotonic seconds) so the states
can be tested without waiting. (pybreaker holds its lock during the guarded
call, which would put every query of a worker in single file; this is the
few lines needed instead.)
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class Open(Exception):
    """The breaker is open: the database failed a moment ago; try again in `retry_after` seconds."""

    def __init__(self, retry_after: int, reason: str) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.reason = reason


@dataclass(frozen=True)
class Admission:
    """A request may try the database; `probe` says it is the one finding out whether it is back
    (it should wait only briefly)."""

    probe: bool


class Breaker:
    def __init__(self, cooldown: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._state = "unknown"
        self._retry_at = 0.0
        self._probing = False
        self.reason = ""
        self.down_since: float | None = None

    @property
    def state(self) -> str:
        return self._state

    def admit(self) -> Admission:
        """Whether a request may try the database now; raises `Open` when it must not."""
        with self._lock:
            if self._state == "up":
                return Admission(probe=False)
            if self._state == "unknown":
                return Admission(probe=True)
            now = self._clock()
            if now >= self._retry_at and not self._probing:
                self._probing = True
                return Admission(probe=True)
            raise Open(self._seconds_left(now), self.reason)

    def succeeded(self) -> None:
        with self._lock:
            self._state, self._probing, self.reason, self.down_since = "up", False, "", None

    def failed(self, reason: str) -> int:
        """The database failed: refuse requests for `cooldown` seconds. Returns the Retry-After seconds."""
        with self._lock:
            now = self._clock()
            if self._state != "down":
                self.down_since = now
            self._state, self._probing, self.reason = "down", False, reason
            self._retry_at = now + self.cooldown
            return self._seconds_left(now)

    def released(self) -> None:
        """A probe ended without learning anything (an error of its own, not the database's)."""
        with self._lock:
            self._probing = False

    def retry_after(self) -> int:
        with self._lock:
            return self._seconds_left(self._clock()) if self._state == "down" else 0

    def _seconds_left(self, now: float) -> int:
        return max(1, math.ceil(self._retry_at - now))
