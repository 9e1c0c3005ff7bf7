"""A wall screen's URL holds its whole state; bad values fall back to defaults, never to a broken page."""

from __future__ import annotations

import json
import re

import pytest

from geo.wall.params import parse_view, query_from_url
from tests.browser.harness import copy_demo
from tests.conftest import FakeClock
from web import create_app

AREAS = {"大学路街道": {"金桥社区", "祥和社区"}, "福华街街道": {"幸福社区"}, "长江路街道": set()}


def view(campaign, query: str, **kwargs):
    kwargs.setdefault("refresh", 5)
    return parse_view(query_from_url("/wall?" + query), campaign, AREAS, **kwargs)


def test_every_parameter_is_read(campaign):
    v = view(campaign, "layers=courtyards,道路&street=大学路街道&status=pending,反弹&category=飞线充电,消防通道"
                       "&theme=dark&title=大学路指挥部&refresh=10&view=34.72,113.65,15.3&dashboard=0&labels=0&rotate=30")
    assert v.layers == ("courtyards", "roads")
    assert v.street == "大学路街道" and v.community is None
    assert v.statuses == ("pending", "relapsed")
    assert v.categories == ("飞线充电", "消防通道")
    assert (v.theme, v.title, v.refresh, v.dashboard, v.labels) == ("dark", "大学路指挥部", 10.0, False, False)
    assert v.view == (34.72, 113.65, 15.25)  # zoom snaps to the map's quarter steps
    assert v.rotate == 30.0
    assert v.ignored == ()


def test_defaults_without_parameters(campaign):
    v = view(campaign, "", dashboard=True)
    assert v.layers == ("courtyards", "roads", "villages")
    assert (v.street, v.community, v.statuses, v.categories) == (None, None, (), ())
    assert (v.theme, v.title, v.refresh, v.view, v.dashboard, v.labels) == ("light", None, 5, None, True, True)
    assert v.rotate == 20.0  # seconds per page of the dashboard's lists


@pytest.mark.parametrize("query, field, expected", [
    ("theme=purple", "theme", "light"),
    ("refresh=soon", "refresh", 5),
    ("refresh=-3", "refresh", 5),
    ("refresh=nan", "refresh", 5),
    ("refresh=0.5", "refresh", 2.0),
    ("refresh=999999", "refresh", 3600.0),
    ("refresh=0", "refresh", 0.0),
    ("view=1,2,3", "view", None),
    ("view=34.7,113.6", "view", None),
    ("view=abc", "view", None),
    ("view=34.7,113.6,inf", "view", None),
    ("view=34.7,113.6,40", "view", (34.7, 113.6, 20.0)),
    ("view=fit", "view", None),
    ("street=不存在街道", "street", None),
    ("community=不存在社区", "community", None),
    ("status=done-ish", "statuses", ()),
    ("category=不是类别", "categories", ()),
    ("layers=nope", "layers", ("courtyards", "roads", "villages")),
    ("dashboard=maybe", "dashboard", True),
    ("rotate=soon", "rotate", 20.0),
    ("rotate=-1", "rotate", 20.0),
    ("rotate=1", "rotate", 5.0),
    ("rotate=0", "rotate", 0.0),
    ("rotate=99999", "rotate", 3600.0),
])
def test_a_bad_value_falls_back_to_its_default(campaign, query, field, expected):
    v = view(campaign, query, dashboard=True)
    assert getattr(v, field) == expected
    if query not in ("refresh=0.5", "refresh=999999", "refresh=0", "view=34.7,113.6,40", "view=fit", "rotate=1",
                     "rotate=0", "rotate=99999"):
        assert v.ignored, query


def test_a_street_can_be_named_without_its_suffix_and_a_community_brings_its_street(campaign):
    assert view(campaign, "street=大学路").street == "大学路街道"
    v = view(campaign, "community=幸福社区")
    assert (v.street, v.community) == ("福华街街道", "幸福社区")
    clash = view(campaign, "street=大学路街道&community=幸福社区")
    assert (clash.street, clash.community) == ("福华街街道", "幸福社区") and clash.ignored


def test_the_title_is_plain_text_of_bounded_length(campaign):
    v = view(campaign, "title=" + "<b>指挥\u0000部</b>" * 20)
    assert "\u0000" not in v.title and len(v.title) == 60
    assert view(campaign, "title=%20%20").title is None


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    """The demo campaign (its sub-districts and communities), public read-only view."""
    root = tmp_path_factory.mktemp("wallparams")
    data = copy_demo(root / "data")
    return create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_INSTANCE": str(root / "instance"),
                       "GUATU_PUBLIC_VIEW": True, "GUATU_CLOCK": FakeClock()})


@pytest.fixture
def demo(demo_app):
    return demo_app.test_client()


def page_options(html: str) -> dict:
    m = re.search(r'guatuPage = \{kind: "wall", map: map_[0-9a-f]+, options: (\{.*?\})\};\n', html, re.S)
    assert m, "the page hands its options to its entry module (js/pages/wall.js)"
    return json.loads(m.group(1))


def test_the_wall_page_carries_the_view_and_has_no_zoom_buttons(demo):
    html = demo.get("/wall?street=大学路&theme=dark&status=pending&view=34.72,113.65,15&refresh=7").data.decode()
    o = page_options(html)
    assert o["mode"] == "wall" and o["refreshSeconds"] == 7
    assert o["view"]["street"] == "大学路街道" and o["view"]["theme"] == "dark" and o["view"]["statuses"] == ["pending"]
    assert o["view"]["dashboard"] is True
    assert '"zoomControl": false' in html
    assert "[34.72, 113.65]" in html and '"zoom": 15' in html  # the map opens on the bookmarked view


def test_the_desk_view_keeps_its_zoom_buttons_and_no_dashboard(demo):
    html = demo.get("/").data.decode()
    o = page_options(html)
    assert o["mode"] == "desk" and o["view"]["dashboard"] is False
    assert '"zoomControl": true' in html


def test_hostile_parameters_still_give_a_working_page(demo):
    resp = demo.get("/wall?title=</title><script>alert(1)</script>&view=<svg>&theme=\"><&refresh=1e999&layers=%00")
    assert resp.status_code == 200
    html = resp.data.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/title&gt;&lt;script&gt;" in html  # the <title> element, escaped
    o = page_options(html)
    assert o["title"] == "</title><script>alert(1)</script>"  # data for a text node, JSON-escaped in the page
    assert o["view"]["theme"] == "light" and o["view"]["view"] is None


def test_a_display_token_shows_its_scope_whatever_the_request_adds(private_app, seeded, campaign, clock):
    from geo.store import open_store

    store = open_store(seeded, campaign, clock=clock)
    store.update("courtyards", "c-0001", properties={"street": "大学路街道"}, expected_version=1, user="t")
    store.update("courtyards", "c-0002", properties={"street": "福华街街道"}, expected_version=1, user="t")
    acc = private_app.extensions["guatu_accounts"]
    _, secret = acc.create_display_token("大学路街道大屏", "/wall?street=大学路街道&theme=dark&dashboard=0")
    client = private_app.test_client()
    resp = client.get(f"/wall?display={secret}&theme=light&street=福华街街道")
    assert resp.status_code == 200
    o = page_options(resp.data.decode())
    assert o["displayToken"] == secret
    assert (o["view"]["street"], o["view"]["theme"], o["view"]["dashboard"]) == ("大学路街道", "dark", False)
    head = {"X-Guatu-Display": secret}
    assert client.get("/api/wall/dashboard?street=大学路街道", headers=head).status_code == 200
    assert client.get("/api/wall/place/courtyards/c-0001", headers=head).status_code == 200
    assert client.get("/api/wall/shapes/courtyards?format=packed", headers=head).status_code == 200
