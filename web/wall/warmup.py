"""A new server process fills its caches before the first wall screen asks.

gunicorn calls `warm_up` in each worker once it has loaded the app
(`post_worker_init` in gunicorn.conf.py); it runs in a background thread, so
the worker answers meanwhile (a request that needs something being built
waits for it, as it would have built it itself). Warmed, per process:

* the accounts and the session key (with PostgreSQL they are read from the database),
* every layer's places (the embedded store parses its files),
* the full wall state of the current revision, packed and gzipped, the
  extent a wall page opens at, and the compressed data a wall page of the
  whole campaign carries inlined (its first state, shapes and outlines: at
  a million places 0.8 s of the first page each worker served),
* the spatial index of each layer drawn one viewport at a time
  (`map.viewport_above`): for the embedded store its places' geometries in
  an STR-tree; with PostgreSQL its places' boxes, from which a view of the
  district finds its dots without reading a million rows (geo/viewport.py),
* the dashboard's and the milestones' kept shares of every place
  (geo/dashboard.py, geo/progress_kept.py), which every wall screen asks
  for right after its map: at a million places building them is about two
  minutes of one worker's time, which a first screen would otherwise wait
  for, and every page that worker served meanwhile with it.

At 100k places this takes the first screen's viewport from about 2 s to the
few milliseconds of a warm process (docs/scale-benchmark.md).

What the warm-up built stays for the worker's life, so a worker then moves
every object it holds out of the garbage collector's passes (`gc.freeze`):
at 100k places a full collection walked about 1.5 million of them for about
a second, during which no thread of the worker answered
(`.venv/bin/python -m bench.bench_warmup`). Objects made later are
collected as before; the frozen ones are still freed when nothing refers to
them.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable

from flask import Flask

from geo.errors import GuatuError

log = logging.getLogger(__name__)


def warm_up(app: Flask) -> bool:
    """Fill the caches (see the module docstring); logs how long it took, and any failure. False if they were not."""
    from geo.viewport import viewport_layers
    from web.core.context import guatu
    from web.core.shared_state import shared_state
    from web.wall.data import full_state
    from web.wall.pages import prime_first_page

    started = time.perf_counter()
    try:
        with app.app_context():
            ctx = guatu()
            # who is who (kept in the database with PostgreSQL: web/core/shared_state.py): a worker that has read
            # the accounts and the session key serves logged-in screens and tokens through an outage
            app.extensions["guatu_accounts"].users()
            shared_state(app).session_key()
            now = ctx.now()
            readable = ctx.store.readable_layers()
            sizes = {layer.id: ctx.store.place_count(layer.id) for layer in readable}
            key = ctx.wall.key(now)
            full_state(key, now, packed=True)
            ctx.wall.extent(tuple(layer.id for layer in readable))  # what web/wall/pages.py asks for a whole campaign
            with app.test_request_context("/wall"):
                prime_first_page()
            for layer_id in viewport_layers(ctx.store, readable):
                ctx.viewport_index.query_ready(layer_id, ctx.wall.shapes_shown(layer_id), ctx.wall.geometry_shown(layer_id))
            ctx.dashboard.get(key.revision, now)
            ctx.progress.get(key.revision, now)
    except GuatuError as exc:  # e.g. the database is down: the worker serves (503s) and warms up on demand
        log.warning("caches not warmed (%s): %s; requests will build them", type(exc).__name__, exc.message)
        return False
    except Exception:  # a cache left cold is no reason to stop a worker: requests build what they need
        log.exception("warming up the caches failed; requests will build them")
        return False
    log.info("caches warmed in %.1f s (%s)", time.perf_counter() - started,
             ", ".join(f"{k} {v}" for k, v in sizes.items()))
    return True


def warm_up_in_background(app: Flask, then: Callable[[], object] | None = None) -> threading.Thread:
    """A worker's warm-up, then its caches frozen, then `then` (gunicorn.conf.py's post_worker_init: the
    notifications' sender, whose first round at a million places reads every place; run beside the warm-up, what
    it let go stayed resident among the warm-up's kept objects: 1,234 MB after both against 947 MB one after
    the other, in one process)."""
    thread = threading.Thread(target=_warm_up_and_freeze, args=(app, then), name="guatu-warm-up", daemon=True)
    thread.start()
    return thread


def _warm_up_and_freeze(app: Flask, then: Callable[[], object] | None) -> None:
    try:
        if warm_up(app):  # caches left cold (the database down) are built by requests, later: nothing to freeze yet
            freeze_kept_objects()
    finally:
        if then is not None:
            try:
                then()
            except Exception:  # logged here: a background thread's exception would otherwise go to stderr alone
                log.exception("starting what follows the warm-up failed")


def freeze_kept_objects() -> int:
    """Move every object the process holds now out of the garbage collector's passes (see the module docstring);
    the young generations are collected first, so garbage made meanwhile is not kept. Returns how many."""
    gc.collect(1)
    gc.freeze()
    count = gc.get_freeze_count()
    log.info("objects kept out of the garbage collector's passes: %d", count)
    return count
