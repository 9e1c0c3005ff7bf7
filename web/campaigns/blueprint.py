"""The campaigns package's one blueprint, `campaigns`, and where its shelf of other campaigns is kept."""

from __future__ import annotations

from web.core.routes import DeclaredBlueprint

bp = DeclaredBlueprint("campaigns", __name__)
EXTENSION = "guatu_campaigns"  # app.extensions[EXTENSION]: the geo.campaigns.CampaignShelf of GUATU_CAMPAIGNS
