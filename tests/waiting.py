"""Waiting in tests: poll a condition until a deadline, never sleep a fixed time and hope.

`wait_until` returns the condition's first true value and fails, naming what
it waited for and the last value seen, once the deadline passes. `retry` runs
an attempt again while it raises an expected error (a version conflict, a busy
store) and fails the same way. These are the only places in tests/ that pause
between tries (tests/test_test_hygiene.py keeps it so).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

TIMEOUT = 30.0


def wait_until(condition: Callable[[], T], what: str, *, timeout: float = TIMEOUT, interval: float = 0.01) -> T:
    """`condition()` again every `interval` seconds until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    last = condition()
    while not last:
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")
        time.sleep(interval)
        last = condition()
    return last


def retry(attempt: Callable[[], T], what: str, *, on: type[BaseException] | tuple[type[BaseException], ...],
          timeout: float = TIMEOUT) -> T:
    """`attempt()` again, at once, while it raises one of `on`; its result. Fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return attempt()
        except on as exc:
            if time.monotonic() >= deadline:
                raise AssertionError(f"{what}: still {type(exc).__name__} after {timeout} s") from exc
