"""gunicorn settings `./guatu serve` runs with (`-c gunicorn.conf.py`); command-line options add to these."""


def post_worker_init(worker):
    """Each worker fills its caches in the background once the app is loaded (web/wall/warmup.py)."""
    from web.wall.warmup import warm_up_in_background

    warm_up_in_background(worker.wsgi)
