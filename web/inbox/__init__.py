"""The in-app inbox over HTTP: the bell with the unread count on every page of a logged-in account, the page
`/inbox` (the list, newest first, read or not) and its API — `GET /api/inbox`, `GET /api/inbox/count` (the bell's
cheap poll: the count only) and `POST /api/inbox/read`.

One blueprint, `inbox` (web/inbox/blueprint.py): `views.py` holds the routes, `bell.py` what templates are given
to draw the bell (`inbox_bell()`), `docs.py` the OpenAPI operations. The rules are geo/notify/inbox.py (what an
inbox holds) and geo/notify/reading.py (a page of it, marking read); who fills it is the sender (geo/notify).
"""

from __future__ import annotations

from flask import Flask

from web.inbox import bell, views
from web.inbox.blueprint import bp

VIEWS = (views,)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.context_processor(lambda: {"inbox_bell": bell.bell})
