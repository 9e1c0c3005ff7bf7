"""Chinese by default, English when Accept-Language prefers it: API errors, validation, OGC, pages."""

from __future__ import annotations

import html

import pytest
from flask import Flask

from geo.messages import t
from tests.web.conftest import login
from web import create_app
from web.core.language import request_lang

ENGLISH = {"Accept-Language": "en-US,en;q=0.9,zh;q=0.5"}


@pytest.fixture
def editor(private_app):
    client = private_app.test_client()
    client.environ_base["HTTP_X_CSRF_TOKEN"] = login(client, "editor1")
    return client


@pytest.mark.parametrize(("header", "lang"), [
    (None, "zh"), ("en", "en"), ("en-GB", "en"), ("zh-CN,zh;q=0.9,en;q=0.8", "zh"), ("en;q=0.9,zh;q=0.9", "zh"),
    ("en;q=0.8,zh-TW", "zh"), ("fr", "zh"), ("*", "zh"), ("fr,en;q=0.5", "en"), ("en;q=0", "zh"),
])
def test_the_request_language_is_chinese_unless_english_is_preferred(header, lang):
    with Flask(__name__).test_request_context(headers={"Accept-Language": header} if header else {}):
        assert request_lang() == lang


def _post_bad_feature(client, headers=None):
    return client.post("/api/layers/courtyards/features", headers=headers or {}, json={
        "properties": {"name": "新院", "kind": "楼院", "status": "done-ish"},
        "geometry": {"type": "Point", "coordinates": [113.6, 34.7]}})


def test_a_validation_error_from_the_rules_is_chinese_by_default_and_english_when_asked(private_app, editor):
    statuses = ", ".join(private_app.extensions["guatu"].campaign.status_keys)
    zh, en = _post_bad_feature(editor).get_json(), _post_bad_feature(editor, ENGLISH).get_json()

    by_field = {f["field"]: f["message"] for f in zh["fields"]}
    assert by_field["status"] == t("feature.unknown_status", status="'done-ish'", statuses=statuses)
    by_field = {f["field"]: f["message"] for f in en["fields"]}
    assert by_field["status"] == t("feature.unknown_status", lang="en", status="'done-ish'", statuses=statuses)
    assert by_field["geometry.type"] == t("feature.geometry_type_not_allowed", lang="en", type="Point",
                                          layer="楼院·小区", allowed="Polygon, MultiPolygon")
    assert t("feature.unknown_status", lang="en", status="'done-ish'", statuses=statuses) in en["message"]
    assert t("feature.unknown_status", status="'done-ish'", statuses=statuses) in zh["message"]


def test_a_request_validation_error_follows_the_language_too(editor):
    body = {"properties": {"status": "pending"}}
    zh = editor.patch("/api/layers/courtyards/features/c-0002", json={**body, "unknown": 1},
                      headers={"If-Match": '"c-0002-v1"'})
    en = editor.patch("/api/layers/courtyards/features/c-0002", json={**body, "unknown": 1},
                      headers={"If-Match": '"c-0002-v1"', **ENGLISH})
    assert zh.status_code == en.status_code == 422
    assert [f["message"] for f in zh.get_json()["fields"]] == [t("request.unknown_field")]
    assert [f["message"] for f in en.get_json()["fields"]] == [t("request.unknown_field", lang="en")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_ogc_bad_parameter_is_in_the_readers_language(client, lang):
    headers = ENGLISH if lang == "en" else {}
    resp = client.get("/ogc/collections/courtyards/items?bbox=113,35,114,34&f=json", headers=headers)
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["parameter"] == "bbox"
    assert body["description"] == "bbox: " + t("ogc.bbox_latitudes", lang=lang)

    resp = client.get("/ogc/collections/courtyards/items?datetime=2026-11-20/2026-11-01", headers=headers)
    assert resp.status_code == 400
    assert resp.get_json()["description"] == "datetime: " + t("ogc.interval_reversed", lang=lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_login_page_is_in_the_readers_language(private_app, lang):
    page = private_app.test_client().get("/login", headers=ENGLISH if lang == "en" else {}).data.decode()
    assert f'<html lang="{"en" if lang == "en" else "zh-CN"}">' in page
    for key in ("page.login.subtitle", "page.username", "page.password"):
        assert t(key, lang=lang) in page
    other = "en" if lang == "zh" else "zh"
    assert t("page.login.subtitle", lang=other) not in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_admin_page_and_its_refusals_are_in_the_readers_language(private_app, lang):
    admin = private_app.test_client()
    headers = ENGLISH if lang == "en" else {}
    csrf = login(admin, "admin1")
    admin.post("/admin/users", headers=headers, data={"csrf_token": csrf, "username": "typo", "role": "viewer",
                                                      "password": "a long password", "confirm": "a long passwore"})
    page = html.unescape(admin.get("/admin", headers=headers).data.decode())
    for key in ("page.nav.admin", "page.admin.new_user", "page.admin.display_help", "page.admin.no_api_tokens"):
        assert t(key, lang=lang) in page
    assert t("page.user_role", lang=lang, name="赵管", role=t("role.admin", lang=lang)) in page
    assert t("accounts.passwords_differ", lang=lang) in page  # the refusal, flashed in the language it was asked in


def test_the_command_line_speaks_chinese(seeded, clock, tmp_path):
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(tmp_path / "fresh-instance")})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["users", "ensure-admin"])
    before, after = t("cli.first_admin", password="\0").split("\0")
    assert first.exit_code == 0 and first.output.startswith(before) and first.output.rstrip("\n").endswith(after)
    created = runner.invoke(args=["users", "create", "planner", "--role", "editor", "--password", "a long password"])
    assert created.output == t("accounts.user_created", user="planner", role="editor") + "\n"
    refused = runner.invoke(args=["users", "create", "x", "--role", "editor", "--password", "short"])
    assert refused.exit_code != 0 and t("accounts.password_short", minimum=10) in refused.output
    migrate = runner.invoke(args=["store", "migrate"])
    assert migrate.exit_code != 0 and t("cli.no_database") in migrate.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_ogc_pages_are_in_the_readers_language_with_their_markup_kept(client, lang):
    page = html.unescape(client.get("/ogc?f=html", headers=ENGLISH if lang == "en" else {}).data.decode())
    assert f'<h2>{t("page.ogc.layers", lang=lang)}</h2>' in page
    menu = t("page.ogc.qgis_menu", lang=lang)
    assert t("page.ogc.landing_help", lang=lang, menu=f"<em>{menu}</em>", url="<code>http://localhost/ogc/</code>") in page


def test_a_wrong_type_is_named_in_the_readers_language(editor):
    for lang, headers in (("zh", {}), ("en", ENGLISH)):
        resp = editor.post("/api/layers/courtyards/features", headers=headers, json={
            "properties": {"name": 5, "kind": "楼院", "status": "pending"},
            "geometry": {"type": "Point", "coordinates": [113.6, 34.7]}})
        assert resp.status_code in (400, 422)
        messages = [f["message"] for f in resp.get_json()["fields"]]
        assert t("request.wrong_type", lang=lang, expected=t("request.type_string", lang=lang)) in messages


def test_pages_and_refusals_tell_caches_they_depend_on_the_language(private_app, client):
    assert "Accept-Language" in private_app.test_client().get("/login").headers["Vary"]
    assert "Accept-Language" in client.get("/ogc/collections/courtyards/items?bbox=1,2").headers["Vary"]
