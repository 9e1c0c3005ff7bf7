"""The wall page carries what it draws first: the state, the shapes and the outlines, inlined as JSON that no
text can break out of, the same as the API answers; and it names every module its script imports up front."""

from __future__ import annotations

import gzip
import json
import re

from geo.store import open_store
from geo.wall.codec import unpack_ids
from tests.web.test_display_scope import MINE, scoped  # noqa: F401 (a fixture)
from web import create_app
from web.core.bundles import bundles
from web.core.context import guatu
from web.core.modules import static_imports
from web.wall.map_page import inline_json

FIRST = re.compile(r'<script[^>]* type="application/json" id="guatu-first" data-etag="([^"]+)">(.*?)</script>', re.S)


def first_data(html: str) -> tuple[dict, str]:
    found = FIRST.findall(html)
    assert len(found) == 1, "the page carries its first data once"
    etag, text = found[0]
    return json.loads(text), etag


def test_the_wall_page_carries_the_state_shapes_and_outlines_the_api_answers(client):
    doc, etag = first_data(client.get("/wall").data.decode())
    state = client.get("/api/wall/state?format=packed")
    assert doc["state"] == state.get_json()
    assert etag == state.headers["ETag"].strip('"')
    for layer_id, shapes in doc["shapes"].items():
        assert shapes == client.get(f"/api/wall/shapes/{layer_id}?format=packed").get_json(), layer_id
    assert set(doc["shapes"]) == {"courtyards", "roads", "villages"}
    for level, outline in doc["boundaries"].items():
        assert outline == client.get(f"/api/boundaries/{level}").get_json(), level
    assert doc["boundaries"]


def test_the_desk_page_carries_its_first_data_too(client):
    doc, _ = first_data(client.get("/").data.decode())
    assert doc["state"]["kind"] == "full"


def test_a_display_link_page_carries_only_the_places_of_its_scope(scoped):  # noqa: F811
    app, ids, street, _ = scoped
    client = app.test_client()
    secret = street["X-Guatu-Display"]
    doc, _ = first_data(client.get(f"/wall?display={secret}").data.decode())
    assert list(doc["state"]["layers"]) == ["courtyards"]
    assert unpack_ids(doc["state"]["layers"]["courtyards"]["ids"]) == [ids["大学路1号院"], ids["大学路2号院"]]
    assert doc["state"] == client.get("/api/wall/state?format=packed", headers=street).get_json()
    assert list(doc["shapes"]) == ["courtyards"]
    shapes = client.get(f"/api/wall/shapes/courtyards?format=packed&street={MINE}", headers=street).get_json()
    assert doc["shapes"]["courtyards"] == shapes
    assert unpack_ids(shapes["ids"]) == [ids["大学路1号院"], ids["大学路2号院"]]


def test_inlined_json_cannot_end_its_element_or_open_a_comment():
    hostile = {"name": "</script><script>alert(1)</script><!-- & -->", "id": "<b>"}
    text = inline_json(json.dumps(hostile, ensure_ascii=False).encode())
    assert b"<" not in text and b">" not in text and b"&" not in text
    assert json.loads(text) == hostile


def test_the_page_is_sent_gzipped_to_a_browser_that_takes_gzip(client):
    plain = client.get("/wall")
    packed = client.get("/wall", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Cache-Control"] == "no-store"
    page = gzip.decompress(packed.data).decode()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert first_data(page) == first_data(plain.data.decode())


def test_the_data_stands_where_the_page_left_its_place_and_nothing_of_the_place_is_left(client):
    """The page is made around a marker of its own, unguessable, and the data's bytes are put in its place
    (web/core/http.py send_page: at a million places the data is never made text)."""
    pages = [client.get("/wall", headers=h).data for h in ({}, {"Accept-Encoding": "gzip"})]
    pages[1] = gzip.decompress(pages[1])
    for page in pages:
        text = page.decode()
        assert "guatu-first-data-" not in text and text.count('id="guatu-first"') == 1
        assert first_data(text)[0]["state"] == client.get("/api/wall/state?format=packed").get_json()


def test_pages_in_a_row_are_each_gzipped_whole_and_right_whether_their_data_is_the_last_pages_or_not(
        client, seeded, campaign, clock):
    """The data's deflate stream is kept from one page to the next (web/core/http.py send_page): every page must
    still unpack to itself, the same data as the page before or changed by an edit in between."""
    def without_nonce(text: str) -> str:  # nor folium's element names, drawn anew for each page
        return re.sub(r"_[0-9a-f]{32}\b", "_", re.sub(r' nonce="[^"]+"', "", text))

    store = open_store(seeded, campaign, clock=clock)
    seen, streams = [], []
    for n, url in enumerate(("/wall", "/wall", "/", "/wall", "/wall")):
        if n in (2, 4):
            f = store.features("courtyards")[n % 3]
            store.update("courtyards", f["id"], expected_version=f["properties"]["version"], user="t",
                         properties={"status": "accepted" if n % 4 else "relapsed"})
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        plain = client.get(url).data.decode()
        assert packed.headers["Content-Encoding"] == "gzip", url
        assert without_nonce(gzip.decompress(packed.data).decode()) == without_nonce(plain), url
        with client.application.app_context():
            kept = guatu().page_streams.deflated
        assert len(kept) == 3, url  # the page before the data, the data, the page after: the last page's only
        seen.append(first_data(plain)[1])
        data = FIRST.search(plain).group(2).encode()
        streams.append(kept[(b"", data)])  # the data's deflate stream, unprimed
    assert seen[0] == seen[1] != seen[2] != seen[4]  # the state's ETag: the same data twice, then new data
    assert streams[1] is streams[0] and streams[2] is not streams[1]  # the same data's stream kept, not made again


def test_the_page_loads_its_bundle_and_names_every_chunk_of_it_and_none_it_loads_later(client):
    html = client.get("/wall").data.decode()
    scripts = bundles().scripts("js/pages/wall.js")
    assert scripts.entry.startswith("bundle/")  # ./guatu setup built them (tests/web/test_bundles.py)
    assert re.findall(r'<script[^>]* type="module" src="/static/([^"]+)"', html) == [scripts.entry]
    preloaded = re.findall(r'<link rel="modulepreload" href="/static/([^"]+)">', html)
    assert preloaded == [scripts.entry, *scripts.preload]
    # loaded after the first paint (import()): the print button, today's inspections, the inbox bell
    assert not [p for p in preloaded if any(n in p for n in ("print-control", "inspections", "bell"))]
    for name in preloaded:
        assert client.get("/static/" + name).status_code == 200, name


def test_with_bundles_switched_off_the_page_loads_its_modules_one_by_one(seeded, clock, instance_dir):
    """GUATU_SCRIPT_BUNDLES=false: the modules as they are in web/static/js, every one named up front."""
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True, "GUATU_SCRIPT_BUNDLES": "false"})
    client = app.test_client()
    html = client.get("/wall").data.decode()
    assert re.findall(r'<script[^>]* type="module" src="/static/([^"]+)"', html) == ["js/pages/wall.js"]
    preloaded = re.findall(r'<link rel="modulepreload" href="/static/([^"]+)">', html)
    assert preloaded == ["js/pages/wall.js", *static_imports("js/pages/wall.js")]
    assert {"js/wall/wallmap.js", "js/wall/sync.js", "js/wall/canvas.js", "js/wall/packed.js"} <= set(preloaded)
    assert not {"js/print-control.js", "js/wall/inspections.js", "js/inbox/bell.js"} & set(preloaded)
    for name in preloaded:
        assert client.get("/static/" + name).status_code == 200, name
