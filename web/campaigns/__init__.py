"""Several campaigns on one server: the campaigns index `/campaigns` and `GET /api/campaigns`.

One blueprint, `campaigns` (web/campaigns/blueprint.py); the views are in web/campaigns/views.py and the /api
route's OpenAPI operation in web/campaigns/docs.py. The other campaigns are the data directories of the
`GUATU_CAMPAIGNS` setting, kept open by one `geo.campaigns.CampaignShelf` on `app.extensions["guatu_campaigns"]`;
the navigation links the index when there are any (web/campaigns/nav.py).
"""

from __future__ import annotations

from flask import Flask

from geo.campaigns import CampaignShelf
from web.campaigns import views
from web.campaigns.blueprint import EXTENSION, bp
from web.campaigns.nav import campaigns_link
from web.core.settings import get_settings

VIEWS = (views,)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.extensions[EXTENSION] = CampaignShelf(get_settings(app).campaigns, app.config["GUATU_CLOCK"])
    app.register_blueprint(bp)
    app.context_processor(lambda: {"campaigns_link": campaigns_link})  # the navigation's link, when it applies
