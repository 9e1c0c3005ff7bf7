"""The wall map page, built with folium and served fully offline.

folium's `Map` loads ten files from public CDNs by default; `OfflineMap`
replaces that list with the Leaflet copy the app serves itself (the other
defaults — jQuery, Bootstrap, Font Awesome, awesome-markers — are not used
by any Guatu page, so they are not loaded at all). The data is not inlined:
`WallLayers` leaves the map and the page's options on the map's element and
loads the page's entry module (web/static/js/pages/wall.js, an ES module
importing the rest), which fetches shapes and state from the API, draws them
on a canvas and builds every label from text nodes, so nothing a user typed
is ever parsed as HTML. Module scripts run after the page is parsed, so the
inline script that makes the map has run by then.

What the first paint needs comes with the page or is asked for while the
page is still being read: the entry's bundle and its chunks (web/core/bundles.py;
the entry module and every module it imports, web/core/modules.py, while
the bundle is older than the scripts), both as `modulepreload`, and, on the wall, the first data itself (state, shapes,
outlines), inlined as JSON (`inline_json`), so the places are drawn in the
task that runs the page's script, before any frame is painted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import folium
from branca.element import Element, Figure
from folium.elements import JSCSSMixin
from folium.template import Template
from markupsafe import escape

from geo.config import Campaign
from geo.messages import localize, t
from web.core.bundles import page_scripts
from web.core.language import HTML_LANG, request_lang

AssetUrl = Callable[[str], str]

# folium's Map writes a viewport that forbids pinch-zoom (`maximum-scale=1.0, user-scalable=no`); a phone's
# reader must be able to zoom the page's text, so every map page carries the one every other page has.
_FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


def allow_zoom(html: str) -> str:
    """The page with folium's zoom-locking viewport replaced by one that lets the reader pinch-zoom."""
    html, count = _FOLIUM_VIEWPORT.subn(VIEWPORT, html, count=1)
    if count != 1:
        raise RuntimeError("folium's page carries no viewport meta to replace")
    return html


class PageFigure(Figure):
    """branca's Figure, saying which language the page is in (`<html lang>`): the page's scripts show their
    texts in that language (web/static/js/lib/messages.js)."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="{{ this.lang }}">\n'
        "<head>\n"
        "{% if this.title %}<title>{{this.title}}</title>{% endif %}"
        "    {{this.header.render(**kwargs)}}\n"
        "</head>\n"
        "<body>\n"
        "    {{this.html.render(**kwargs)}}\n"
        "</body>\n"
        "<script>\n"
        "    {{this.script.render(**kwargs)}}\n"
        "</script>\n"
        "</html>\n",
    )

    def __init__(self, title: str, lang: str) -> None:
        super().__init__(title=title)
        self.lang = lang


class Raw(Element):
    """HTML written into the page as it is (folium's Element would read it as a Jinja template)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text = html

    def render(self, **kwargs) -> str:
        return self.text


class OfflineMap(folium.Map):
    """A folium Map whose default assets are served by this app."""

    def __init__(self, asset_url: AssetUrl, **kwargs) -> None:
        super().__init__(**kwargs)
        self.default_js = [("leaflet", asset_url("vendor/leaflet/leaflet.js"))]
        self.default_css = [("leaflet_css", asset_url("vendor/leaflet/leaflet.css"))]


class PageModule(JSCSSMixin):
    """Leaves folium's map and the page's options on the map's element (`guatuPage`, of a `kind`)
    for the page's entry module, which it loads as `<script type="module">`."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {%- set map = this._parent.get_name() %}
            {{ map }}.getContainer().guatuPage = {kind: "{{ this.kind }}", map: {{ map }}, options: {{ this.options|tojson }}};
        {% endmacro %}
        """
    )
    kind = ""

    def __init__(self, asset_url: AssetUrl, options: dict, entry: str, *,
                 inline: dict[str, tuple[str, dict[str, str]]] | None = None) -> None:
        """`inline`: JSON documents written into the page, by element id: (the text that stands in the element —
        `inline_json`'s, or a marker `send_page` puts it in place of — and the element's data-* attributes)."""
        super().__init__()
        self.options = options
        scripts = page_scripts(entry)
        self.entry = asset_url(scripts.entry)
        self.modules = tuple(asset_url(m) for m in scripts.preload)
        self.inline = inline or {}

    def render(self, **kwargs) -> None:
        root = self.get_root()
        links = [f'<link rel="modulepreload" href="{escape(m)}">' for m in (self.entry, *self.modules)]
        root.header.add_child(Raw("\n".join(links)), name="guatu_preload")
        root.header.add_child(
            folium.Element(f'<script type="module" src="{escape(self.entry)}"></script>'), name="guatu_entry")
        for element_id, (text, data) in self.inline.items():
            attrs = "".join(f' data-{escape(k)}="{escape(v)}"' for k, v in data.items())
            root.html.add_child(Raw(
                f'<script type="application/json" id="{escape(element_id)}"{attrs}>{text}</script>'),
                name=element_id)
        super().render(**kwargs)


def inline_json(body: bytes) -> bytes:
    """A JSON document (UTF-8) as it may stand inside `<script type="application/json">`: every `<`, `>` and `&`
    written as its \\u escape (the same JSON to a parser), so no text in it can end the element or open a comment.
    Bytes, never text: a million places' first data is 13 MB as bytes and up to four times that as text."""
    return body.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


# the wall's stylesheets: its own, the photos', the print dialog's, the problem banner's and the inbox bell's
WALL_CSS = (("wallmap", "css/wallmap.css"), ("photos", "css/photos.css"), ("print", "css/print.css"),
            ("problem_banner", "css/problem-banner.css"), ("inbox_bell", "css/inbox-bell.css"))


class WallLayers(PageModule):
    """The wall map: js/pages/wall.js and the wall's stylesheets."""

    kind = "wall"

    def __init__(self, asset_url: AssetUrl, options: dict, entry: str = "js/pages/wall.js", **first) -> None:
        super().__init__(asset_url, options, entry, **first)
        self._name = "GuatuWall"
        self.default_css = [(f"guatu_{name}_css", asset_url(path)) for name, path in WALL_CSS]


def folium_page(campaign: Campaign, asset_url: AssetUrl, title: str, layers: JSCSSMixin,
                map_options: dict | None = None) -> str:
    """An offline folium page in the reader's language (`<html lang>`, the title; the scripts follow
    `<html lang>`): the campaign's map, one element that drives it, the favicon."""
    lang = request_lang()
    figure = PageFigure(str(escape(localize(title, lang))), HTML_LANG[lang])
    settings = dict(location=list(campaign.map.center), zoom_start=campaign.map.zoom, tiles=None, prefer_canvas=True,
                    control_scale=True, zoom_snap=0.25, zoom_delta=0.5)
    m = OfflineMap(asset_url, **{**settings, **(map_options or {})})
    figure.add_child(m)
    if campaign.map.tiles:
        folium.TileLayer(campaign.map.tiles, attr=campaign.map.tiles_attribution or " ", name="basemap").add_to(m)
    layers.add_to(m)
    figure.header.add_child(folium.Element(f'<link rel="icon" href="{escape(asset_url("favicon.svg"))}">'), name="icon")
    return allow_zoom(figure.render())


def wall_map_html(campaign: Campaign, asset_url: AssetUrl, options: dict, *, title: str | None = None,
                  map_options: dict | None = None, inline: dict[str, tuple[str, dict[str, str]]] | None = None) -> str:
    """The whole HTML page of the wall map; `map_options` override folium.Map's (e.g. zoom_control, location);
    `inline`: the data its script draws first (PageModule)."""
    # the wall draws its own scale bar, metric only (web/static/js/wall/wallmap.js)
    return folium_page(campaign, asset_url, title or campaign.title,
                       WallLayers(asset_url, options, inline=inline),
                       {"control_scale": False, **(map_options or {})})


class EditorLayers(PageModule):
    """The editor: Leaflet-Geoman (a classic script, before the module), js/pages/editor.js."""

    kind = "editor"

    def __init__(self, asset_url: AssetUrl, options: dict) -> None:
        super().__init__(asset_url, options, "js/pages/editor.js")
        self._name = "GuatuEditor"
        self.default_js = [("leaflet_geoman", asset_url("vendor/leaflet-geoman/leaflet-geoman.js"))]
        self.default_css = [
            ("leaflet_geoman_css", asset_url("vendor/leaflet-geoman/leaflet-geoman.css")),
            ("guatu_editor_css", asset_url("css/editor.css")),
            ("guatu_print_css", asset_url("css/print.css")),  # the print dialog's, and the page printed from the browser
            ("guatu_photos_css", asset_url("css/photos.css")),
            ("guatu_problem_banner_css", asset_url("css/problem-banner.css")),
            ("guatu_inbox_bell_css", asset_url("css/inbox-bell.css")),
        ]


def editor_html(campaign: Campaign, asset_url: AssetUrl, options: dict) -> str:
    """The planners' editor page: the same offline map with editing tools."""
    return folium_page(campaign, asset_url, t("page.editor_title", title=campaign.title), EditorLayers(asset_url, options))
