"""Several campaigns on one server: the campaigns index `/campaigns` and `GET /api/campaigns`.

One blueprint, `campaigns` (web/campaigns/blueprint.py); the views are in web/campaigns/views.py and the /api
route's OpenAPI operation in web/campaigns/docs.py. The other campaigns are the data directories of the
`GUATU_CAMPAIGNS` setting, kept open by one `geo.campaigns.CampaignShelf` on `app.extensions["guatu_campaigns"]`.
"""

from __future__ import annotations

from flask import Flask

from geo.campaigns import CampaignShelf
from web.campaigns import views
from web.campaigns.blueprint import EXTENSION, bp
from web.core.settings import get_settings

VIEWS = (views,)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.extensions[EXTENSION] = CampaignShelf(get_settings(app).campaigns, app.config["GUATU_CLOCK"])
    app.register_blueprint(bp)
