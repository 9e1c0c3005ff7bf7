"""The wall map page, built with folium and served fully offline.

folium's `Map` loads ten files from public CDNs by default; `OfflineMap`
replaces that list with the Leaflet copy the app serves itself (the other
defaults — jQuery, Bootstrap, Font Awesome, awesome-markers — are not used
by any Guatu page, so they are not loaded at all). The data is not inlined:
`WallLayers` loads web/static/js/wallmap.js, which fetches shapes and state
from the API, draws them on a canvas and builds every label from text nodes,
so nothing a user typed is ever parsed as HTML.
"""

from __future__ import annotations

from collections.abc import Callable

import folium
from branca.element import Figure
from folium.elements import JSCSSMixin
from folium.template import Template
from markupsafe import escape

from geo.config import Campaign
from geo.messages import t

AssetUrl = Callable[[str], str]


class OfflineMap(folium.Map):
    """A folium Map whose default assets are served by this app."""

    def __init__(self, asset_url: AssetUrl, **kwargs) -> None:
        super().__init__(**kwargs)
        self.default_js = [("leaflet", asset_url("vendor/leaflet/leaflet.js"))]
        self.default_css = [("leaflet_css", asset_url("vendor/leaflet/leaflet.css"))]


class WallLayers(JSCSSMixin):
    """Hands the map object and the page options to wallmap.js."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            guatu.wallMap({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, asset_url: AssetUrl, options: dict) -> None:
        super().__init__()
        self._name = "GuatuWall"
        self.options = options
        self.default_js = [("guatu_wall_canvas", asset_url("js/wall-canvas.js")),
                           ("guatu_wallmap", asset_url("js/wallmap.js")),
                           ("guatu_wall_panels", asset_url("js/wall-panels.js")),
                           ("guatu_wall_labels", asset_url("js/wall-labels.js")),
                           ("guatu_wall_inspections", asset_url("js/wall-inspections.js")),
                           ("guatu_basemaps", asset_url("js/basemaps.js")),
                           ("guatu_print_control", asset_url("js/print-control.js")),
                           ("guatu_problem_banner", asset_url("js/problem-banner.js"))]
        self.default_css = [("guatu_wallmap_css", asset_url("css/wallmap.css")),
                            ("guatu_print_css", asset_url("css/print.css")),
                            ("guatu_problem_banner_css", asset_url("css/problem-banner.css"))]


def _page(campaign: Campaign, asset_url: AssetUrl, title: str, layers: JSCSSMixin, map_options: dict | None = None) -> str:
    """An offline folium page: the campaign's map, one element that drives it, the favicon."""
    figure = Figure(title=str(escape(title)))
    settings = dict(location=list(campaign.map.center), zoom_start=campaign.map.zoom, tiles=None, prefer_canvas=True,
                    control_scale=True, zoom_snap=0.25, zoom_delta=0.5)
    m = OfflineMap(asset_url, **{**settings, **(map_options or {})})
    figure.add_child(m)
    if campaign.map.tiles:
        folium.TileLayer(campaign.map.tiles, attr=campaign.map.tiles_attribution or " ", name="basemap").add_to(m)
    layers.add_to(m)
    figure.header.add_child(folium.Element(f'<link rel="icon" href="{escape(asset_url("favicon.svg"))}">'), name="icon")
    return figure.render()


def wall_map_html(campaign: Campaign, asset_url: AssetUrl, options: dict, *, title: str | None = None,
                  map_options: dict | None = None) -> str:
    """The whole HTML page of the wall map; `map_options` override folium.Map's (e.g. zoom_control, location)."""
    return _page(campaign, asset_url, title or campaign.title, WallLayers(asset_url, options), map_options)


class EditorLayers(JSCSSMixin):
    """Hands the map and the page options to editor.js (with Leaflet-Geoman)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            guatu.editor({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, asset_url: AssetUrl, options: dict) -> None:
        super().__init__()
        self._name = "GuatuEditor"
        self.options = options
        self.default_js = [
            ("leaflet_geoman", asset_url("vendor/leaflet-geoman/leaflet-geoman.js")),
            ("guatu_editor", asset_url("js/editor.js")),
            ("guatu_basemaps", asset_url("js/basemaps.js")),
            ("guatu_problem_banner", asset_url("js/problem-banner.js")),
        ]
        self.default_css = [
            ("leaflet_geoman_css", asset_url("vendor/leaflet-geoman/leaflet-geoman.css")),
            ("guatu_editor_css", asset_url("css/editor.css")),
            ("guatu_problem_banner_css", asset_url("css/problem-banner.css")),
        ]


def editor_html(campaign: Campaign, asset_url: AssetUrl, options: dict) -> str:
    """The planners' editor page: the same offline map with editing tools."""
    return _page(campaign, asset_url, t("page.editor_title", title=campaign.title), EditorLayers(asset_url, options))
