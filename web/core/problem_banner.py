"""The problem banner on every page: the options web/static/js/problem-banner.js is started with.

Pages from templates get them through base.html (the `problem_banner`
context function); the admin pages, which carry no script, have the banner
written by the server instead (`problems_now`); the map pages (wall, desk, editor, playback) put them in
their page options. The texts come from the catalogue (geo/messages.py), so
the browser shows the catalogue's words even when the server cannot be
reached; the problems themselves come from /api/health.
"""

from __future__ import annotations

from flask import Flask, url_for

from geo.boundaries import boundary_problems
from geo.inspections import list_problems
from geo.messages import MESSAGES, placeholders, t
from geo.store.base import Finding
from web.core.context import guatu

TEXTS = ("banner.offline", "banner.server_error", "banner.stale", "banner.never", "banner.remedy")
PAGE_SECONDS = 30  # pages other than the wall ask /api/health this often


def banner_options(mode: str = "page", refresh_seconds: float | None = None, *,
                   display_token: str | None = None) -> dict:
    """What the banner needs (`mode`: "wall" for a big screen, "map" over a full-page map, "page" at
    the top of a page's text): where health is, how often to ask (a wall's poll interval, else
    PAGE_SECONDS), the campaign's time zone, its texts, and a wall's display token (sent like the
    wall's own requests)."""
    return {
        "displayToken": display_token,
        "health": url_for("api.health"),
        "timezone": guatu().campaign.timezone.key,
        "refreshSeconds": refresh_seconds if refresh_seconds and refresh_seconds > 0 else PAGE_SECONDS,
        "mode": mode,
        "texts": {key: _template(key) for key in TEXTS},
    }


def _template(key: str) -> str:
    """The catalogue's text with its `{named}` parameters left for the browser to fill in."""
    return t(key, **{name: "{" + name + "}" for name in placeholders(MESSAGES[key]["zh"])})


def problems_now() -> list[Finding]:
    """What is wrong now, as /api/health lists it: the store's problems, damaged boundary files, a damaged list of
    today's inspections and a campaign.json edited into something unusable (the admin pages, which carry no
    script, show them written by the server)."""
    ctx = guatu()
    found = ctx.store.problems()
    if any(p.code == "database_unavailable" for p in found):
        return found  # nothing more can be read from it
    found += boundary_problems(ctx.data_dir, ctx.campaign) + list_problems(ctx.store, ctx.today())
    return found + ([ctx.campaign_problem] if ctx.campaign_problem else [])


def register(app: Flask) -> None:
    app.context_processor(lambda: {"problem_banner": banner_options, "problems_now": problems_now,
                                   "problem_remedy_label": lambda: t("banner.remedy")})
