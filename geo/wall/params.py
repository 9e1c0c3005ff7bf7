"""What one wall screen shows, held in the query parameters of its URL.

A command room bookmarks one URL per screen (`/wall?street=大学路街道&theme=dark`),
so every choice — layers, sub-district or community, statuses, problem
categories, theme, title, refresh interval, initial view, dashboard — is a
parameter. `parse_view` checks each against the campaign: a value that does
not fit falls back to its default and is noted in `ignored`, so a mistyped
bookmark still shows a working map, never an error page.

    layers=courtyards,roads      layer ids or titles (default: all)
    street=大学路街道             a sub-district (街道); "大学路" finds it too
    community=金桥社区            a community (社区/村); implies its sub-district; "金桥" finds it too
    status=pending,relapsed      status keys or labels (default: all)
    category=飞线充电,消防通道     places with an open problem of one of these
    theme=dark|light             colours (default light)
    title=…                      replaces the campaign title (at most 60 characters)
    refresh=10                   seconds between live updates, 2–3600; 0 stops them
    view=34.72,113.63,15         initial centre and zoom; "fit" (default) fits the data
    dashboard=1|0                progress panels beside the map
    rotate=20                    seconds each page of the dashboard's lists stays, 5–3600, before the next
                                 (every row is reached, worst first); 0 stops the rotation (a tap still pages on)
    labels=1|0                   names on the map
    inspections=1|0              today's random inspections (督导): numbered route markers and a panel;
                                 unset (None): shown while there is a list for today; 1 keeps the panel without one
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from urllib.parse import parse_qs, urlsplit

from geo.area_names import find_area
from geo.config import Campaign
from geo.parsing import BoolRefused, parse_bool

THEMES = ("light", "dark")
MAX_TITLE = 60
MIN_REFRESH, MAX_REFRESH = 2.0, 3600.0
MIN_ROTATE, MAX_ROTATE, ROTATE = 5.0, 3600.0, 20.0
MIN_ZOOM, MAX_ZOOM = 3.0, 20.0
_SPLIT = re.compile(r"[,,、;;|\s]+")
PARAMS = ("layers", "street", "community", "status", "category", "theme", "title", "refresh", "view", "dashboard",
          "labels", "inspections", "rotate")


@dataclass(frozen=True)
class WallView:
    layers: tuple[str, ...]
    street: str | None = None
    community: str | None = None
    statuses: tuple[str, ...] = ()  # empty: every status
    categories: tuple[str, ...] = ()  # empty: no category filter
    theme: str = "light"
    title: str | None = None  # None: the campaign's
    refresh: float = 5.0
    view: tuple[float, float, float] | None = None  # lat, lon, zoom; None: fit to the data
    dashboard: bool = True
    rotate: float = ROTATE  # seconds per page of the dashboard's lists; 0: no rotation
    labels: bool = True
    inspections: bool | None = None  # None: shown when there is a list for today
    ignored: tuple[str, ...] = field(default=(), compare=False)  # what was not understood, and why

    def as_dict(self) -> dict:
        out = asdict(self)
        out["view"] = list(self.view) if self.view else None
        return out


def query_from_url(url: str | None) -> dict[str, list[str]]:
    """The query parameters of a URL such as a display token's scope."""
    if not url:
        return {}
    return parse_qs(urlsplit(url).query, keep_blank_values=False)


def parse_view(params: Mapping[str, list[str]], campaign: Campaign,
               areas: Mapping[str, set[str]] | Callable[[], Mapping[str, set[str]]], *,
               refresh: float, dashboard: bool = True) -> WallView:
    """Validate query parameters (each a list of values) into a WallView.

    `areas` maps each known sub-district to its communities (or makes that
    mapping, asked only when a street or community is named); `refresh` and
    `dashboard` are the defaults of the page asking."""
    ignored: list[str] = []

    def values(name: str) -> list[str]:
        out: list[str] = []
        for raw in params.get(name) or ():
            out.extend(v for v in _SPLIT.split(_clean(raw)) if v)
        return out

    def single(name: str) -> str | None:
        items = params.get(name) or ()
        return _clean(items[-1]) if items else None

    layers = _pick(values("layers"), {x.id: x.id for x in campaign.layers} | {x.title: x.id for x in campaign.layers},
                   "layers", ignored) or tuple(x.id for x in campaign.layers)
    statuses = _pick(values("status"), {s.key: s.key for s in campaign.statuses} | {s.label: s.key for s in campaign.statuses},
                     "status", ignored)
    categories = _pick(values("category"), {c: c for c in campaign.categories}, "category", ignored)
    street, community = single("street") or None, single("community") or None
    if street or community:
        street, community = _area(street, community, areas() if callable(areas) else areas, ignored)

    theme = (single("theme") or "light").lower()
    if theme not in THEMES:
        ignored.append(f"theme: {theme!r} is not one of {', '.join(THEMES)}")
        theme = "light"

    title = single("title")
    if title is not None:
        title = "".join(ch for ch in title if unicodedata.category(ch)[0] != "C").strip()[:MAX_TITLE] or None

    return WallView(
        layers=layers, street=street, community=community, statuses=statuses, categories=categories, theme=theme,
        title=title, refresh=_refresh(single("refresh"), refresh, ignored), view=_view(single("view"), campaign, ignored),
        dashboard=_flag(single("dashboard"), dashboard, "dashboard", ignored),
        rotate=_seconds(single("rotate"), ROTATE, (MIN_ROTATE, MAX_ROTATE), "rotate", ignored),
        labels=_flag(single("labels"), True, "labels", ignored),
        inspections=_flag(single("inspections"), None, "inspections", ignored), ignored=tuple(ignored),
    )


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip()


def _pick(wanted: list[str], known: dict[str, str], name: str, ignored: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for value in wanted:
        key = known.get(value) or known.get(value.lower())
        if key is None:
            ignored.append(f"{name}: unknown value {value!r}")
        elif key not in out:
            out.append(key)
    return tuple(out)


def _area(street: str | None, community: str | None, areas: Mapping[str, set[str]],
          ignored: list[str]) -> tuple[str | None, str | None]:
    if street:
        found = find_area(street, areas).name
        if found is None:
            ignored.append(f"street: no sub-district called {street!r}")
        street = found
    if community:
        community = find_area(community, [c for names in areas.values() for c in sorted(names)]).name or community
        owners = [s for s, names in areas.items() if community in names]
        if not owners:
            ignored.append(f"community: no community called {community!r}")
            return street, None
        if street and street not in owners:
            ignored.append(f"street: {community} belongs to {owners[0]}, not {street}")
        return owners[0], community
    return street, None


def _refresh(text: str | None, default: float, ignored: list[str]) -> float:
    return _seconds(text, default, (MIN_REFRESH, MAX_REFRESH), "refresh", ignored)


def _seconds(text: str | None, default: float, bounds: tuple[float, float], name: str, ignored: list[str]) -> float:
    """A number of seconds within `bounds` (brought into them); 0 turns the thing off."""
    if text is None or text == "":
        return default
    try:
        value = float(text)
    except ValueError:
        ignored.append(f"{name}: {text!r} is not a number of seconds")
        return default
    if not math.isfinite(value) or value < 0:
        ignored.append(f"{name}: {text!r} is not a number of seconds")
        return default
    if value == 0:
        return 0.0
    return min(bounds[1], max(bounds[0], value))


def _view(text: str | None, campaign: Campaign, ignored: list[str]) -> tuple[float, float, float] | None:
    if not text or text.lower() == "fit":
        return None
    parts = text.split(",")
    try:
        lat, lon, zoom = (float(p) for p in parts)
    except ValueError:
        ignored.append(f"view: expected lat,lon,zoom or fit, got {text!r}")
        return None
    west, south, east, north = campaign.map.bounds
    pad_x, pad_y = (east - west) / 2, (north - south) / 2
    if not all(map(math.isfinite, (lat, lon, zoom))) or not (
            west - pad_x <= lon <= east + pad_x and south - pad_y <= lat <= north + pad_y):
        ignored.append(f"view: {text!r} is outside the campaign area")
        return None
    return (round(lat, 6), round(lon, 6), min(MAX_ZOOM, max(MIN_ZOOM, round(zoom * 4) / 4)))


def _flag(text: str | None, default: bool | None, name: str, ignored: list[str]) -> bool | None:
    if text is None or text == "":
        return default
    try:
        return parse_bool(text)
    except BoolRefused:
        ignored.append(f"{name}: expected 1 or 0, got {text!r}")
        return default


def in_scope(props: Mapping, street: str | None, community: str | None) -> bool:
    """A place of the sub-district and community a wall screen shows (None: any)."""
    return (not street or props.get("street") == street) and (not community or props.get("community") == community)
