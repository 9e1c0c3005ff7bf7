"""Photos over HTTP: a place's photos (list, upload, delete; under a problem too) and the images themselves.

One blueprint, `photos` (web/photos/blueprint.py): `api.py` holds the /api routes, `images.py` serves
`/photos/<sha256>/<variant>.jpg`, `form.py` reads an upload's form fields; the OpenAPI operations are in
`docs.py`. The rules — what a photo is, how it is checked, stored and journaled — are geo/photos/.
"""

from __future__ import annotations

from flask import Flask

from web.photos import api, images
from web.photos.blueprint import bp

VIEWS = (api, images)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
