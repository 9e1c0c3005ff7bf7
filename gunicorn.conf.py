"""gunicorn settings `./guatu serve` runs with (`-c gunicorn.conf.py`); command-line options add to these."""

import os
import sys


def on_starting(server):
    """Settings or a campaign.json that cannot be used stop the server before any worker starts, with their Chinese
    list of problems only (each worker would otherwise print a traceback above it, and gunicorn its own lines)."""
    from web.core.settings import refusal

    problems = refusal(os.environ)
    if problems:
        print(problems, file=sys.stderr, flush=True)
        sys.exit(1)


def post_fork(server, worker):
    """Each worker's allocator set before its threads start and its app is loaded (web/core/allocator.py: two
    arenas, large blocks given back to the system when freed), and what its arenas hold free given back now and
    then."""
    from web.core.allocator import TRIM_ABOVE, Trimmer, tune_allocator

    said = tune_allocator()
    trimming = Trimmer().start()
    given_back = f"given back when over {TRIM_ABOVE >> 20} MB is free and more than at the last trim"
    server.log.info("worker %s: allocator %s; free memory %s", worker.pid,
                    ", ".join(said) if said else "as the C library sets it",
                    given_back if trimming else "as the C library gives it back")


def post_worker_init(worker):
    """Each worker fills its caches in the background once the app is loaded (web/wall/warmup.py), then runs the
    notifications' sender (web/notify/service.py; off with GUATU_NOTIFY_SENDER=false): every worker runs one, the
    store's leader lock lets one send. After the warm-up, not beside it: what a first round lets go would stay
    resident among the caches being built."""
    from web.notify.service import start_sender
    from web.wall.warmup import warm_up_in_background

    warm_up_in_background(worker.wsgi, then=lambda: start_sender(worker.wsgi))


def worker_exit(server, worker):
    """A worker that stops (restart, shutdown) closes its store: the embedded store compacts its journal into the
    layer files then (docs/data-integrity.md), so a stopped server leaves them current."""
    from web.core.context import guatu

    app = getattr(worker, "wsgi", None)
    if app is None or not hasattr(app, "app_context"):
        return
    with app.app_context():
        guatu().store.close()
