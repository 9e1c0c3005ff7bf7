"""Open311 GeoReport v2 over HTTP: services from the campaign's categories; a request posted with an api_key is kept
as a resident's report (channel open311), read back by its id without anything personal, `closed` with the after
photo once its case reached 结案; listing by filters needs a key; every refusal is GeoReport's error list in
Chinese with its status, and keeps nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from openapi_spec_validator import validate

from geo.cases import transition
from geo.photos.service import add_photo
from geo.residents.open311 import service_code
from geo.residents.reports import KIND, accept, get, reject
from tests.photos.images import jpeg
from tests.residents.conftest import LAYER, NOW, PIN, STAFF, STREET, add_place
from tests.web.conftest import PASSWORD
from web import create_app

BASE = "/open311/v2"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):
        return self.now


@pytest.fixture
def app(bounded_dir, campaign, tmp_path, make_feature):
    from geo.store import open_store

    clock = Clock()
    store = open_store(bounded_dir, campaign, clock=clock)
    add_place(store, make_feature)
    store.close()
    app = create_app({"TESTING": True, "GUATU_DATA": str(bounded_dir), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "instance"), "GUATU_REPORT_LIMIT_IP": "3 per hour"})
    acc = app.extensions["guatu_accounts"]
    acc.create_user("hotline", PASSWORD, "inspector", "12345热线")
    acc.create_user("kan", PASSWORD, "viewer", "钱查看")
    app.config["KEYS"] = {"hotline": acc.create_api_token("hotline", "12345")[1],
                          "viewer": acc.create_api_token("kan", "read only")[1]}
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def _post(client, key, **fields):
    form = {"service_code": service_code("乱堆乱放"), "lat": str(PIN[1]), "long": str(PIN[0]),
            "description": "楼道里堆满了杂物", **fields}
    if key is not None:
        form["api_key"] = key
    return client.post(f"{BASE}/requests.json", data=form)


def _kept(app) -> list[str]:
    return app.extensions["guatu"].store.record_keys(KIND)


def _refusal(resp, status: int) -> str:
    assert resp.status_code == status, resp.get_data(as_text=True)
    body = resp.get_json()
    assert isinstance(body, list) and body and all(e["code"] == status for e in body)
    return " ".join(e["description"] for e in body)


def test_discovery_and_services_come_from_the_campaign(client, campaign):
    d = client.get(f"{BASE}/discovery.json").get_json()
    endpoint = d["endpoints"][0]
    assert endpoint["url"].endswith(BASE) and endpoint["formats"] == ["application/json"]
    assert "api_key" in d["key_service"]
    services = client.get(f"{BASE}/services.json").get_json()
    assert [s["service_name"] for s in services] == list(campaign.categories)
    codes = [s["service_code"] for s in services]
    assert len(set(codes)) == len(codes) and all(c.isascii() and c.isalnum() for c in codes)
    assert all(s["metadata"] is False and s["type"] == "realtime" for s in services)
    one = client.get(f"{BASE}/services/{codes[0]}.json").get_json()
    assert one == {"service_code": codes[0], "attributes": []}
    assert "没有这项服务" in _refusal(client.get(f"{BASE}/services/nothing.json"), 404)


def test_the_openapi_document_describes_every_route(client, app):
    doc = client.get(f"{BASE}/openapi.json").get_json()
    validate(doc)
    assert set(doc["paths"]) == {"/discovery.json", "/services.json", "/services/{code}.json", "/requests.json",
                                 "/requests/{code}.json"}
    assert set(doc["paths"]["/requests.json"]) == {"get", "post"}


def test_a_posted_request_is_a_report_followed_to_closed_with_its_after_photo(app, client, open_campaign):
    keys = app.config["KEYS"]
    resp = _post(client, keys["hotline"], phone="13800001234", first_name="大爷", last_name="王",
                 email="wang@example.org", device_id="device-0001-abcd")
    assert resp.status_code == 201, resp.get_data(as_text=True)
    [answer] = resp.get_json()
    code = answer["service_request_id"]
    assert answer["account_id"] is None and code in answer["service_notice"] and "email" in answer["service_notice"]
    assert resp.headers["Location"].endswith(f"{BASE}/requests/{code}.json")
    store = app.extensions["guatu"].store
    record = get(store, code)
    assert (record["channel"], record["name"], record["phone"], record["street"]) == ("open311", "王大爷",
                                                                                       "13800001234", STREET)
    assert record["device"] and "device-0001" not in record["device"]

    [shown] = client.get(f"{BASE}/requests/{code}.json").get_json()
    text = str(shown)
    assert "13800001234" not in text and "王大爷" not in text and record["device"] not in text
    assert (shown["status"], shown["status_notes"], shown["service_name"]) == ("open", "已收到,待受理", "乱堆乱放")
    assert shown["requested_datetime"] == "2026-12-07T10:00:00+08:00" and shown["media_url"] is None
    assert shown["lat"] == round(PIN[1], 3)  # about 100 m without a key
    [keyed] = client.get(f"{BASE}/requests/{code}.json", query_string={"api_key": keys["hotline"]}).get_json()
    assert keyed["lat"] == round(record["lat"], 6)

    campaign = open_campaign
    ref = accept(store, campaign, code, principal=STAFF["district"], now=NOW)["case"]
    transition(store, LAYER, ref["fid"], ref["pid"], "dispatch", principal=STAFF["district"], expected_version=None,
               campaign=campaign, now=NOW, unit="区住建局")
    [running] = client.get(f"{BASE}/requests/{code}.json").get_json()
    assert running["status"] == "open" and running["agency_responsible"] == "区住建局"
    assert running["expected_datetime"] is not None and running["status_notes"] == "正在处置"
    after, _ = add_photo(store, LAYER, ref["fid"], io.BytesIO(jpeg(200, 100, colour=(10, 200, 10))), user="zhujian",
                         role="after", problem=ref["pid"])
    for action, who in (("report", "handler"), ("confirm", "inspector")):
        transition(store, LAYER, ref["fid"], ref["pid"], action, principal=STAFF[who], expected_version=None,
                   campaign=campaign, now=NOW, note="已清理")
    [closed] = client.get(f"{BASE}/requests.json", query_string={"service_request_id": code}).get_json()
    assert (closed["status"], closed["status_notes"], closed["expected_datetime"]) == ("closed", "已办结", None)
    assert after["id"] in closed["media_url"]
    image = client.get(urlsplit(closed["media_url"]).path)
    assert image.status_code == 200 and image.mimetype == "image/jpeg"


def test_listing_by_filters_needs_a_key_and_filters(app, client, campaign):
    keys = app.config["KEYS"]
    first = _post(client, keys["hotline"]).get_json()[0]["service_request_id"]
    app.extensions["guatu"].clock.now = NOW + timedelta(days=1)
    second = _post(client, keys["hotline"], service_code="飞线充电", description="飞线充电").get_json()[0][
        "service_request_id"]
    store = app.extensions["guatu"].store
    reject(store, campaign, second, principal=STAFF["district"], now=NOW + timedelta(days=1), reason="不在整治范围")
    assert "api_key" in _refusal(client.get(f"{BASE}/requests.json"), 403)

    def listed(**query):
        return [r["service_request_id"] for r in client.get(
            f"{BASE}/requests.json", query_string={"api_key": keys["hotline"], **query}).get_json()]

    assert listed() == [second, first]  # newest first
    assert listed(status="closed") == [second] and listed(status="open") == [first]
    assert listed(service_code=service_code("乱堆乱放")) == [first]
    assert listed(start_date="2026-12-08") == [second]
    assert listed(end_date="2026-12-07T23:59:59+08:00") == [first]
    assert listed(page_size="1", page="2") == [first]
    [rejected] = client.get(f"{BASE}/requests/{second.lower()}.json").get_json()
    assert rejected["status"] == "closed" and rejected["status_notes"] == "未受理:不在整治范围"
    # by their ids anyone holding them may ask
    both = client.get(f"{BASE}/requests.json", query_string={"service_request_id": f"{first},{second}"}).get_json()
    assert [r["service_request_id"] for r in both] == [first, second]


def test_an_address_without_a_position_is_found_among_the_campaigns_names(app, client):
    resp = _post(client, app.config["KEYS"]["hotline"], lat="", long="", address_string="二七区幸福路1号院东门")
    assert resp.status_code == 201, resp.get_data(as_text=True)
    record = get(app.extensions["guatu"].store, resp.get_json()[0]["service_request_id"])
    assert record["address"] == "二七区幸福路1号院东门" and record["street"] == STREET


@pytest.mark.parametrize(("fields", "status", "words"), [
    ({"api_key": None}, 403, "api_key"),
    ({"api_key": "gt_not-a-real-token"}, 403, "无效"),
    ({"api_key": "viewer"}, 403, "督导员"),
    ({"service_code": ""}, 400, "service_code"),
    ({"service_code": "c0000000000"}, 404, "没有这项服务"),
    ({"lat": "north"}, 400, "lat"),
    ({"lat": "", "long": ""}, 400, "address_string"),
    ({"long": ""}, 400, "long"),
    ({"lat": "", "long": "", "address_string": "火星基地"}, 400, "火星基地"),
    ({"lat": "40.0", "long": "116.4"}, 400, "lat"),  # Beijing: outside the campaign's area
    ({"description": ""}, 400, "description"),
    ({"description": "长" * 600}, 400, "description"),
    ({"phone": "call me"}, 400, "phone"),
])
def test_every_refused_post_is_an_error_list_and_keeps_nothing(app, client, fields, status, words):
    keys = app.config["KEYS"]
    key = fields.pop("api_key", keys["hotline"])
    key = keys.get(key, key) if key else None
    text = _refusal(_post(client, key, **fields), status)
    assert words in text
    assert _kept(app) == []


def test_a_json_post_is_taken_like_a_form_and_english_is_given_when_asked(app, client):
    keys = app.config["KEYS"]
    resp = client.post(f"{BASE}/requests.json", json={"api_key": keys["hotline"], "service_code": "乱堆乱放",
                                                      "lat": PIN[1], "long": PIN[0], "description": "门口堆物"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert get(app.extensions["guatu"].store, resp.get_json()[0]["service_request_id"])["category"] == "乱堆乱放"
    assert "JSON" in _refusal(client.post(f"{BASE}/requests.json", json=["not", "an", "object"],
                                          query_string={"api_key": keys["hotline"]}), 400)
    english = client.post(f"{BASE}/requests.json", data={"service_code": "乱堆乱放"},
                          headers={"Accept-Language": "en"})
    assert _refusal(english, 403) == "posting needs an api_key (an API token the administrator makes for the account)"


def test_refusals_of_reads_methods_formats_and_sizes(app, client):
    keys = app.config["KEYS"]
    assert "回执码" in _refusal(client.get(f"{BASE}/requests.json", query_string={"service_request_id": "../x"}), 400)
    for query, field in (({"status": "done"}, "status"), ({"start_date": "yesterday"}, "start_date"),
                         ({"page_size": "5000"}, "page_size"),
                         ({"start_date": "2026-12-08", "end_date": "2026-12-01"}, "end_date")):
        assert field in _refusal(client.get(f"{BASE}/requests.json", query_string={"api_key": keys["hotline"],
                                                                                    **query}), 400)
    assert "没有" in _refusal(client.get(f"{BASE}/requests/23456789.json"), 404)
    assert "JSON" in _refusal(client.get(f"{BASE}/services.xml"), 404)
    assert "没有这个地址" in _refusal(client.get(f"{BASE}/nothing.json"), 404)
    resp = client.post(f"{BASE}/services.json")
    assert "POST" in _refusal(resp, 405) and resp.headers["Allow"] == "GET"
    big = client.post(f"{BASE}/requests.json", data={"api_key": keys["hotline"], "description": "x" * 40_000})
    assert "KB" in _refusal(big, 413)
    assert _kept(app) == []


def test_a_key_posting_too_often_is_held_back(app, client):
    keys = app.config["KEYS"]
    for _ in range(3):
        assert _post(client, keys["hotline"]).status_code == 201
    resp = _post(client, keys["hotline"])
    assert _refusal(resp, 429) and int(resp.headers["Retry-After"]) > 0
    assert len(_kept(app)) == 3
