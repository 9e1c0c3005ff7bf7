"""Building many small objects at once: the cyclic garbage collector paused meanwhile.

Reading a 100k-place layer or a long journal's index allocates hundreds of
thousands of dicts, tuples and summaries that all stay alive. CPython's
collector runs every few hundred allocations and, as the young objects
survive, walks the older generations again and again: at 100k places it
took about two thirds of a store's start (1.7–2.0 s with it, 0.7 s without;
`bench.bench_store --open`). Nothing built here is garbage, so the
collector only pauses for the build; it runs as usual afterwards.

Threads share the collector: the pause is counted, so it ends when the last
build ends, and it leaves off a collector that was off when the first build
began (one turned off during a pause is turned on again at its end).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the block builds many objects that stay alive."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
