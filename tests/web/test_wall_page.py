"""The wall map page as HTML: offline assets only, no user data inlined."""

from __future__ import annotations

import re


def test_page_loads_only_assets_served_by_the_app(client):
    html = client.get("/").data.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "the page should load Leaflet and the wall map script"
    for url in urls:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url
    assert not re.search(r"https?://", html), "no absolute URL may appear in the page"


def test_page_uses_the_vendored_leaflet_instead_of_folium_cdn_defaults(client):
    html = client.get("/").data.decode()
    assert "/static/vendor/leaflet/leaflet.js" in html
    for cdn_default in ("jquery", "bootstrap", "fontawesome", "awesome-markers"):
        assert cdn_default not in html.lower()


def test_feature_names_are_not_inlined_into_the_page(client):
    html = client.get("/").data.decode()
    assert "onerror" not in html
    assert "兑周村1号院" not in html  # data arrives through the API, built into text nodes


def test_campaign_title_is_escaped_in_the_page(seeded, clock, instance_dir):
    import json

    from web import create_app

    path = seeded / "campaign.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["title"] = "</title><script>alert(1)</script>"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    app = create_app({"GUATU_DATA": str(seeded), "GUATU_CLOCK": clock, "GUATU_INSTANCE": str(instance_dir),
                      "GUATU_PUBLIC_VIEW": True})
    html = app.test_client().get("/").data.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/title&gt;" in html


def test_every_map_page_lets_a_phone_reader_pinch_zoom(client):
    """folium's own viewport forbids zooming (maximum-scale=1.0, user-scalable=no); the map pages carry the one
    every other page has."""
    for path in ("/", "/wall", "/wall/playback", "/wall/playback?mode=compare"):
        html = client.get(path).data.decode()
        viewports = re.findall(r'<meta name="viewport"[^>]*>', html)
        assert viewports == ['<meta name="viewport" content="width=device-width, initial-scale=1">'], path
