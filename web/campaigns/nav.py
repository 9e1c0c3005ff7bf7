"""The navigation's link to the campaigns index (`/campaigns`): there only when GUATU_CAMPAIGNS names other
campaigns beside this one — with one campaign the index says nothing its wall does not.

Pages built from templates get it as `campaigns_link()` (a context processor, registered in
web/campaigns/__init__.py); the editor's and the wall's link lists (web/workflow `workflow_links`) add it too.
"""

from __future__ import annotations

from flask import current_app, url_for

from geo.messages import t
from web.campaigns.blueprint import EXTENSION


def campaigns_link() -> dict | None:
    """{"href", "label"} of the campaigns index, or None when this server knows no other campaign."""
    shelf = current_app.extensions.get(EXTENSION)
    if shelf is None or len(shelf) == 0:
        return None
    return {"href": url_for("campaigns.campaigns_page"), "label": t("campaigns.title")}
