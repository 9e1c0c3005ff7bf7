"""Formats: f=json|html and the Accept header; the HTML pages share the wall map's look and escape what they show."""

from __future__ import annotations

import re

import pytest

from tests.ogcapi.conftest import bearer
from tests.web.conftest import login

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PAGES = ["/ogc/", "/ogc/conformance", "/ogc/api", "/ogc/collections", "/ogc/collections/courtyards",
         "/ogc/collections/courtyards/queryables", "/ogc/collections/courtyards/items", "/ogc/collections/courtyards/items/c-0003"]


@pytest.fixture
def viewer(read_app):
    """A viewer's reads (with a token) from a deployment shared by this module's tests."""
    client = read_app.test_client()

    def get(url: str, **headers):
        return client.get(url, headers={**bearer(read_app, "viewer1"), **headers})
    return get


@pytest.mark.parametrize(("url", "media"), [
    ("/ogc/", "application/json"), ("/ogc/conformance", "application/json"),
    ("/ogc/api", "application/vnd.oai.openapi+json;version=3.0"), ("/ogc/collections", "application/json"),
    ("/ogc/collections/courtyards", "application/json"), ("/ogc/collections/courtyards/queryables", "application/schema+json"),
    ("/ogc/collections/courtyards/items", "application/geo+json"), ("/ogc/collections/courtyards/items/c-0001", "application/geo+json"),
])
def test_programs_get_json_of_the_right_media_type(viewer, url, media):
    for headers in ({}, {"Accept": "*/*"}, {"Accept": "application/json"}):
        resp = viewer(url, **headers)
        assert resp.status_code == 200 and resp.headers["Content-Type"] == media, (url, headers)
    assert viewer(url + "?f=json").headers["Content-Type"] == media
    assert "Accept" in viewer(url).headers["Vary"]


@pytest.mark.parametrize("url", PAGES)
def test_browsers_and_f_html_get_html_pages_in_the_wall_maps_style(viewer, url):
    for resp in (viewer(url, Accept=BROWSER), viewer(url + "?f=html")):
        assert resp.status_code == 200 and resp.mimetype == "text/html"
        page = resp.get_data(as_text=True)
        assert page.startswith("<!doctype html>") and 'lang="zh-CN"' in page
        assert "/static/css/app.css" in page
    assert viewer(url + "?f=json", Accept=BROWSER).mimetype != "text/html"


def test_every_json_answer_links_to_itself_and_its_html_alternate(viewer):
    for url in (u for u in PAGES if not u.endswith(("/api", "/queryables"))):  # the OpenAPI and JSON Schema documents
        links = viewer(url).get_json()["links"]
        rels = {(x["rel"], x["type"]) for x in links}
        assert ("alternate", "text/html") in rels, url
        assert any(rel == "self" for rel, _ in rels), url


def test_link_titles_are_chinese_and_the_landing_page_english_when_asked(viewer):
    """What a GIS client lists and the landing page shows: each link's title from the message catalogue."""
    urls = ["/ogc/", "/ogc/conformance", "/ogc/collections", "/ogc/collections/courtyards",
            "/ogc/collections/courtyards/items?limit=2&offset=2", "/ogc/collections/courtyards/items/c-0001",
            "/ogc/tileMatrixSets"]
    for url in urls:
        for x in viewer(url).get_json()["links"]:
            assert re.search(r"[\u4e00-\u9fff]", x["title"]), (url, x)
    landing = {x["title"] for x in viewer("/ogc/").get_json()["links"]}
    assert landing >= {"首页(JSON)", "首页(HTML)", "API 定义(OpenAPI 3.0)", "API 说明文档", "符合的标准类", "作战图的图层",
                       "矢量切片的切片方案"}
    page = viewer("/ogc/?f=html").get_data(as_text=True)
    assert "OGC API(要素与矢量切片)" in page and "API 说明文档" in page and "the API documentation" not in page
    english = viewer("/ogc/?f=html", **{"Accept-Language": "en"}).get_data(as_text=True)
    assert "OGC API – Features and Tiles" in english and "the API documentation" in english and "API 说明文档" not in english


def test_html_pages_show_an_html_payload_as_text(viewer):
    for url in ("/ogc/collections/courtyards/items?f=html", "/ogc/collections/courtyards/items/c-0003?f=html"):
        page = viewer(url).get_data(as_text=True)
        assert "<img src=x" not in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_the_items_page_is_a_table_with_paging_links(viewer):
    page = viewer("/ogc/collections/courtyards/items?f=html&limit=2").get_data(as_text=True)
    assert page.count('href="/ogc/collections/courtyards/items/c-000') == 2
    assert "第 1–2 处,共 3 处" in page
    assert 'rel="next" href="http://localhost/ogc/collections/courtyards/items?limit=2&amp;offset=2&amp;after-id=c-0002&amp;f=html"' in page
    assert "已验收" in page and "待整改" in page  # status labels, not keys
    second = viewer("/ogc/collections/courtyards/items?f=html&limit=2&offset=2").get_data(as_text=True)
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_the_place_page_shows_its_properties(viewer):
    page = viewer("/ogc/collections/courtyards/items/c-0002?f=html").get_data(as_text=True)
    assert "中原东路5号院" in page and "2026-11-01" in page and "福华街街道" in page and "第 1 版" in page


def test_html_pages_carry_no_inline_script_or_style(viewer):
    for url in PAGES:
        page = viewer(url + "?f=html").get_data(as_text=True)
        assert not re.search(r"<script|style=", page), url


def test_an_error_is_an_ogc_exception_or_an_html_page(viewer):
    resp = viewer("/ogc/collections/parks")
    assert resp.status_code == 404 and resp.get_json()["code"] == "not_found"
    assert "parks" in resp.get_json()["description"]
    page = viewer("/ogc/collections/parks?f=html")
    assert page.status_code == 404 and page.mimetype == "text/html" and "parks" in page.get_data(as_text=True)
    assert viewer("/ogc/no-such-thing").get_json()["code"] == "not_found"


def test_an_unknown_method_is_405_with_allow(client, private_app):
    resp = client.patch("/ogc/collections", headers=bearer(private_app, "editor1"))
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"]
    assert resp.get_json()["code"] == "method_not_allowed"


def test_a_browser_without_a_session_is_sent_to_the_login_page_and_then_reads(client):
    resp = client.get("/ogc/collections", headers={"Accept": BROWSER})
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert client.get("/ogc/collections").status_code == 401  # a program is asked for credentials
    login(client, "viewer1")
    assert client.get("/ogc/collections?f=html").status_code == 200


def test_the_public_demo_is_readable_without_logging_in(demo_server):
    import requests

    resp = requests.get(f"{demo_server.url}/ogc/collections/villages/items", timeout=30)
    assert resp.status_code == 200 and resp.json()["numberMatched"] == 10


def test_the_html_pages_say_what_is_wrong_with_the_store_without_a_script(private_app, data_dir):
    courtyards = data_dir / "layers" / "courtyards.geojson"
    courtyards.write_bytes(courtyards.read_bytes()[:-4])  # cut short: the layer is withheld, and every page says so
    page = private_app.test_client().get("/ogc/collections", headers={**bearer(private_app, "viewer1"), "Accept": BROWSER})
    assert page.status_code == 200
    assert 'class="guatu-problem-banner' in page.text and "layers/courtyards.geojson" in page.text
    assert not re.search(r"<script", page.text)
