"""Part 3 (Filtering): CQL2 text and JSON filters on the demo campaign, the queryables, and refusals that say
where a filter went wrong. The expected places are worked out here from the stored features with plain Python."""

from __future__ import annotations

import json
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
import shapely
from shapely.geometry import box, shape

from tests.ogcapi.conftest import LAYERS

CONFORMANCE = (
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
)
BOX = (113.60, 34.70, 113.65, 34.75)


def _p(f: dict) -> dict:
    return f["properties"]


# (cql2-text, the same in cql2-json, what a place must be to match)
CASES = [
    ("status = 'pending'", {"op": "=", "args": [{"property": "status"}, "pending"]},
     lambda f: _p(f)["status"] == "pending"),
    ("status <> 'accepted' AND street = '大学路街道'",
     {"op": "and", "args": [{"op": "<>", "args": [{"property": "status"}, "accepted"]},
                            {"op": "=", "args": [{"property": "street"}, "大学路街道"]}]},
     lambda f: _p(f)["status"] != "accepted" and _p(f)["street"] == "大学路街道"),
    ("status IN ('pending','relapsed') OR deadline < DATE('2026-11-01')",
     {"op": "or", "args": [{"op": "in", "args": [{"property": "status"}, ["pending", "relapsed"]]},
                           {"op": "<", "args": [{"property": "deadline"}, {"date": "2026-11-01"}]}]},
     lambda f: _p(f)["status"] in ("pending", "relapsed") or (_p(f)["deadline"] or "9") < "2026-11-01"),
    ("deadline BETWEEN DATE('2026-11-01') AND DATE('2026-11-30')",
     {"op": "between", "args": [{"property": "deadline"}, {"date": "2026-11-01"}, {"date": "2026-11-30"}]},
     lambda f: "2026-11-01" <= (_p(f)["deadline"] or "0") <= "2026-11-30"),
    ("deadline IS NULL", {"op": "isNull", "args": [{"property": "deadline"}]},
     lambda f: _p(f)["deadline"] is None),
    ("NOT (deadline >= DATE('2026-11-15'))", {"op": "not", "args": [
        {"op": ">=", "args": [{"property": "deadline"}, {"date": "2026-11-15"}]}]},
     lambda f: _p(f)["deadline"] is not None and _p(f)["deadline"] < "2026-11-15"),  # NULL stays unknown
    ("name LIKE '%小区%'", {"op": "like", "args": [{"property": "name"}, "%小区%"]},
     lambda f: "小区" in _p(f)["name"]),
    ("name LIKE '_学路%'", {"op": "like", "args": [{"property": "name"}, "_学路%"]},
     lambda f: _p(f)["name"][1:3] == "学路"),
    ("CASEI(unit) = CASEI('区住建局')", {"op": "=", "args": [{"op": "casei", "args": [{"property": "unit"}]},
                                                          {"op": "casei", "args": ["区住建局"]}]},
     lambda f: _p(f)["unit"] == "区住建局"),
    ("updated_at > TIMESTAMP('2026-11-20T00:00:00Z')",
     {"op": ">", "args": [{"property": "updated_at"}, {"timestamp": "2026-11-20T00:00:00Z"}]},
     lambda f: _p(f)["updated_at"] > "2026-11-20T00:00:00Z"),
    ("version = 1 AND id IN ('c-0001','r-0002','v-0003')",
     {"op": "and", "args": [{"op": "=", "args": [{"property": "version"}, 1]},
                            {"op": "in", "args": [{"property": "id"}, ["c-0001", "r-0002", "v-0003"]]}]},
     lambda f: f["id"] in ("c-0001", "r-0002", "v-0003")),
    (f"S_INTERSECTS(geometry, BBOX({','.join(map(str, BOX))}))",
     {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": list(BOX)}]},
     lambda f: shape(f["geometry"]).intersects(box(*BOX))),
    ("S_WITHIN(geometry, POLYGON((113.6 34.7, 113.65 34.7, 113.65 34.75, 113.6 34.75, 113.6 34.7)))",
     {"op": "s_within", "args": [{"property": "geometry"}, shapely.geometry.mapping(box(*BOX))]},
     lambda f: shape(f["geometry"]).within(box(*BOX))),
    ("S_DISJOINT(geometry, POINT(113.64 34.72)) AND kind = '楼院'",
     {"op": "and", "args": [{"op": "s_disjoint", "args": [{"property": "geometry"},
                                                          {"type": "Point", "coordinates": [113.64, 34.72]}]},
                            {"op": "=", "args": [{"property": "kind"}, "楼院"]}]},
     lambda f: not shape(f["geometry"]).intersects(shapely.Point(113.64, 34.72)) and _p(f)["kind"] == "楼院"),
]


@pytest.fixture(scope="module")
def client(demo_server):
    return demo_server.app.test_client()


def _ids(client, layer: str, **params) -> list[str]:
    resp = client.get(f"/ogc/collections/{layer}/items?{urlencode({'limit': 10000, **params})}")
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["numberMatched"] == body["numberReturned"]
    return sorted(f["id"] for f in body["features"])


def test_the_conformance_declaration_names_parts_2_and_3(client):
    declared = client.get("/ogc/conformance").get_json()["conformsTo"]
    assert set(CONFORMANCE) <= set(declared)
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in declared


@pytest.mark.parametrize(("text", "as_json", "holds"), CASES, ids=[c[0][:40] for c in CASES])
def test_a_filter_selects_the_places_it_describes_in_text_and_in_json(client, demo_features, text, as_json, holds):
    matched_any = False
    for layer in LAYERS:
        expected = sorted(f["id"] for f in demo_features[layer] if holds(f))
        assert _ids(client, layer, filter=text) == expected, (layer, text)
        assert _ids(client, layer, filter=json.dumps(as_json, ensure_ascii=False), **{"filter-lang": "cql2-json"}) == \
            expected, (layer, as_json)
        matched_any = matched_any or bool(expected)
    assert matched_any  # each case selects some places of the demo, and (below) not all of them


@pytest.mark.parametrize(("text", "as_json", "holds"), CASES, ids=[c[0][:40] for c in CASES])
def test_each_filter_leaves_some_places_out(demo_features, text, as_json, holds):
    assert not all(holds(f) for layer in LAYERS for f in demo_features[layer])


def test_a_filter_combines_with_bbox_paging_and_the_plain_parameters(client, demo_features):
    everything = sorted(f["id"] for f in demo_features["courtyards"]
                        if _p(f)["status"] != "accepted" and _p(f)["street"] == "福华街街道"
                        and shape(f["geometry"]).intersects(box(*BOX)))
    assert everything
    got = _ids(client, "courtyards", filter="status <> 'accepted'", street="福华街街道", bbox=",".join(map(str, BOX)))
    assert got == everything
    page = client.get("/ogc/collections/courtyards/items?" + urlencode(
        {"filter": "status <> 'accepted' AND street = '大学路街道'", "limit": 2, "offset": 1})).get_json()
    assert page["numberReturned"] == 2
    nxt = next(x["href"] for x in page["links"] if x["rel"] == "next")
    assert "filter=status+%3C%3E+%27accepted%27" in nxt  # the next page keeps the filter


def test_every_queryable_is_a_query_parameter_read_as_its_type(client, demo_features):
    deadline = _p(demo_features["roads"][0])["deadline"]
    expected = sorted(f["id"] for f in demo_features["roads"] if _p(f)["deadline"] == deadline)
    assert _ids(client, "roads", deadline=deadline) == expected
    unit = _p(demo_features["villages"][0])["unit"]
    assert _ids(client, "villages", unit=unit) == sorted(f["id"] for f in demo_features["villages"]
                                                         if _p(f)["unit"] == unit)
    refused = client.get("/ogc/collections/roads/items?version=one")
    assert refused.status_code == 400 and refused.get_json()["parameter"] == "version"


def test_the_queryables_have_types_enumerations_and_chinese_titles(client, demo_features):
    body = client.get("/ogc/collections/courtyards/queryables").get_json()
    props = body["properties"]
    assert body["$schema"] == "https://json-schema.org/draft/2020-12/schema" and body["additionalProperties"] is False
    assert {"id", "name", "status", "kind", "street", "community", "unit", "deadline", "updated_at", "updated_by",
            "version", "notes", "geometry"} <= set(props)
    assert props["status"]["title"] == "整改状态" and "pending" in props["status"]["enum"]
    assert props["street"]["enum"] == sorted({_p(f)["street"] for f in demo_features["courtyards"]})
    assert props["unit"]["enum"] == sorted({_p(f)["unit"] for f in demo_features["courtyards"]})
    assert props["deadline"] == {"title": "时间节点", "type": "string", "format": "date"}
    assert props["updated_at"]["format"] == "date-time" and props["version"]["type"] == "integer"
    assert props["geometry"] == {"title": "几何", "format": "geometry-polygon", "x-ogc-role": "primary-geometry"}
    assert props["id"]["x-ogc-role"] == "id"


@pytest.mark.parametrize(("params", "parameter", "words"), [
    ({"filter": "status = "}, "filter", "第 9 个字符"),
    ({"filter": "status = 'pending' AND"}, "filter", "意外结束"),
    ({"filter": "status == 'pending'"}, "filter", "第 9 个字符"),
    ({"filter": "colour = 'red'"}, "filter", "“colour”不是可筛选字段"),
    ({"filter": "status = 3"}, "filter", "类型不一致"),
    ({"filter": "deadline > 'soon'"}, "filter", "类型不一致"),
    ({"filter": "geometry = 'x'"}, "filter", "空间函数"),
    ({"filter": "S_INTERSECTS(status, POINT(1 2))"}, "filter", "空间函数"),
    ({"filter": "version + 1 > 2"}, "filter", "不支持"),
    ({"filter": "status IN (name)"}, "filter", "IN 的括号里须是具体的值"),
    ({"filter": '{"op": "in", "args": [{"property": "status"}, "pending"]}', "filter-lang": "cql2-json"}, "filter",
     "IN 的括号里须是具体的值"),
    ({"filter": "S_INTERSECTS(geometry, POINT(200 34))"}, "filter", "经纬度范围"),
    ({"filter": '{"op": "=", "args": [', "filter-lang": "cql2-json"}, "filter", "不是合法的 JSON"),
    ({"filter": "status = 'pending'", "filter-lang": "ecql"}, "filter-lang", "cql2-json"),
    ({"filter": "status = 'pending'", "filter-crs": "EPSG:32650"}, "filter-crs", "不支持的坐标系"),
    ({"filter-lang": "cql2-text"}, "filter-lang", "没有 filter"),
    ({"filter": ""}, "filter", "参数为空"),
    # literals the parser reads leniently or not at all: a day that does not exist, a 13th month, a one-point
    # line, a polygon crossing itself, a box upside down or across the 180° meridian
    ({"filter": "deadline < DATE('2026-02-30')"}, "filter", "'2026-02-30' 不是有效的日期"),
    ({"filter": "updated_at > TIMESTAMP('2026-13-01T00:00:00Z')"}, "filter", "'2026-13-01T00:00:00Z' 不是有效"),
    ({"filter": '{"op": ">", "args": [{"property": "updated_at"}, {"timestamp": "2026-13-01T00:00:00Z"}]}',
      "filter-lang": "cql2-json"}, "filter", "'2026-13-01T00:00:00Z' 不是有效"),
    ({"filter": "S_INTERSECTS(geometry, LINESTRING(113.6 34.7))"}, "filter", "无法读取"),
    ({"filter": "S_WITHIN(geometry, POLYGON((113.5 34.6, 113.7 34.8, 113.7 34.6, 113.5 34.8, 113.5 34.6)))"},
     "filter", "Self-intersection"),
    ({"filter": "S_INTERSECTS(geometry, BBOX(113.5, 34.8, 113.7, 34.6))"}, "filter", "南 ≤ 北"),
    ({"filter": "S_INTERSECTS(geometry, BBOX(113.7, 34.6, 113.5, 34.8))"}, "filter", "180°"),
])
def test_a_bad_filter_is_a_400_saying_where_it_went_wrong(client, params, parameter, words):
    resp = client.get(f"/ogc/collections/courtyards/items?{urlencode(params)}")
    assert resp.status_code == 400
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert body["parameter"] == parameter
    assert words in body["detail"], body["detail"]


def test_an_html_items_page_shows_the_filter_it_answers(client):
    resp = client.get("/ogc/collections/courtyards/items?" + urlencode({"f": "html", "filter": "name LIKE '%<b>%'"}))
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "name LIKE &#39;%&lt;b&gt;%&#39;" in page and "<b>%" not in page


def test_each_layer_links_its_schema_in_json_and_as_gml(client):
    links = {(x["rel"], x["type"]): x["href"] for x in client.get("/ogc/collections/villages").get_json()["links"]}
    as_json = client.get(links[("describedby", "application/schema+json")].replace("http://localhost", ""))
    assert as_json.status_code == 200 and as_json.mimetype == "application/schema+json"
    props = as_json.get_json()["properties"]
    assert props["problems"]["title"] == "问题台账" and props["geometry"]["x-ogc-role"] == "primary-geometry"
    assert links[("http://www.opengis.net/def/rel/ogc/1.0/schema", "application/schema+json")] == \
        links[("describedby", "application/schema+json")]
    as_xml = client.get(links[("describedby", "application/xml")].replace("http://localhost", ""))
    assert as_xml.status_code == 200 and as_xml.mimetype == "application/xml"
    tree = ElementTree.fromstring(as_xml.get_data())
    xs = "{http://www.w3.org/2001/XMLSchema}"
    types = {e.get("name"): e.get("type") for e in tree.iter(f"{xs}element") if e.get("type")}
    assert types["villages"] == "villagesType" and types["geometry"] == "gml:PolygonPropertyType"
    assert types["deadline"] == "xs:date" and types["version"] == "xs:long"
