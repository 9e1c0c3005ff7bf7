"""Cases over HTTP (三级管理's loop 立案 → 派遣 → 处置 → 核查 → 结案): the API, the queues and the case page.

One blueprint, `cases` (web/cases/blueprint.py): `api.py` holds the /api/cases routes, `pages.py` the
phone-first pages `/cases` (the queues) and `/cases/<layer>/<fid>/<pid>` (one case, its timeline and the
actions this user may take), `shape.py` what both answer about a case; the OpenAPI operations are in
`docs.py`. The rules — stages, who may do what, deadlines, escalation, queues — are geo/cases/.
"""

from __future__ import annotations

from flask import Flask

from web.cases import api, pages
from web.cases.blueprint import bp

VIEWS = (api, pages)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
