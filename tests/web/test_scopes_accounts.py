"""Scopes for people (三级管理): kept with the account, checked against the campaign's names, said by /api/me,
listed and set by admins (API and admin page) and from the command line; the demo's users at each level."""

from __future__ import annotations

import html
import re
import shutil

import pytest

from geo.accounts import Accounts
from geo.errors import ValidationError
from geo.messages import t
from geo.scope import EVERYWHERE, Scope
from tests.conftest import DEMO_CAMPAIGN, make_feature
from tests.deployment import private_deployment
from tests.web.conftest import PASSWORD, login
from web import create_app

INSIDE = {"street": "大学路街道", "community": "金桥社区", "unit": "区住建局"}
OUTSIDE = {"street": "长江路街道", "community": "庆丰社区", "unit": "区商务局"}


@pytest.fixture
def site(tmp_path):
    d = private_deployment(tmp_path, [make_feature("金桥1号院", x=113.60, y=34.71, **INSIDE),
                                      make_feature("庆丰1号院", x=113.61, y=34.71, **OUTSIDE)])
    acc = d.app.extensions["guatu_accounts"]
    for username, role, scope in (("admin1", "admin", EVERYWHERE), ("editor1", "editor", Scope(streets=("大学路街道",))),
                                  ("insp1", "inspector", EVERYWHERE), ("viewer1", "viewer", EVERYWHERE)):
        if username != "editor1":
            acc.create_user(username, PASSWORD, role, username, scope=scope)
            d.secrets[username] = acc.create_api_token(username, "tests")[1]
        else:
            acc.update_user(username, scope=scope)
    yield d
    d.app.extensions["guatu"].store.close()


def _acc(d) -> Accounts:
    return d.app.extensions["guatu_accounts"]


def test_a_scope_is_kept_with_the_account_and_carried_by_its_principals(site):
    again = Accounts(_acc(site).path)  # another process reading the same file
    user = again.get_user("editor1")
    assert user.scope == {"streets": ["大学路街道"], "communities": [], "units": []}
    assert again.principal(user, "session").scope == Scope(streets=("大学路街道",))
    assert again.check_token(site.secrets["editor1"], "api").scope == Scope(streets=("大学路街道",))
    _acc(site).update_user("editor1", scope=EVERYWHERE)
    assert Accounts(_acc(site).path).get_user("editor1").scope == {}


def test_an_unknown_name_is_refused_naming_it_and_nothing_is_kept(site):
    before = _acc(site).path.read_bytes()
    with pytest.raises(ValidationError) as refused:
        _acc(site).update_user("editor1", scope=Scope(streets=("大学路街道",), communities=("金桥社区", "不存在社区")))
    assert [(e.field, e.message) for e in refused.value.errors] == [("scope.communities", t("scope.unknown_name", name="不存在社区"))]
    with pytest.raises(ValidationError):
        _acc(site).create_user("typo1", PASSWORD, "editor", scope=Scope(units=("区住建",)))
    assert _acc(site).path.read_bytes() == before


def test_api_me_says_the_scope_and_the_level(site):
    client = site.app.test_client()
    answers = {u: client.get("/api/me", headers=site.auth(u)).get_json() for u in ("editor1", "insp1", "viewer1", "admin1")}
    assert answers["editor1"]["scope"] == {"streets": ["大学路街道"], "communities": [], "units": []}
    assert (answers["editor1"]["level"], answers["editor1"]["level_label"]) == ("street", t("scope.level.street"))
    assert (answers["insp1"]["level"], answers["insp1"]["level_label"]) == ("inspector", t("role.inspector"))
    assert (answers["admin1"]["level"], answers["admin1"]["level_label"]) == ("district", t("scope.level.district"))
    assert answers["viewer1"]["level"] is None and answers["viewer1"]["role"] == "viewer"


def test_admins_list_users_with_level_and_scope(site):
    client = site.app.test_client()
    assert client.get("/api/users", headers=site.auth("editor1")).status_code == 403
    users = {u["username"]: u for u in client.get("/api/users", headers=site.auth("admin1")).get_json()["users"]}
    assert users["editor1"]["level"] == "street" and users["editor1"]["scope_label"] == "大学路街道"
    assert users["insp1"]["level_label"] == t("role.inspector")
    assert not any("password_hash" in u or "sessions" in u for u in users.values())


def test_an_admin_sets_a_scope_over_the_api_and_the_next_write_follows_it(site):
    client = site.app.test_client()
    fid_out = site.fids[1]
    patch = {"properties": {"status": "in_progress"}, "version": 1}
    refused = client.patch(f"/api/layers/courtyards/features/{fid_out}", headers=site.auth("editor1"), json=patch)
    assert refused.status_code == 403 and "大学路街道" in refused.get_json()["detail"]
    put = client.put("/api/users/editor1/scope", headers=site.auth("admin1"),
                     json={"streets": ["大学路街道"], "communities": ["庆丰社区"], "units": []})
    assert put.status_code == 200, put.get_data(as_text=True)
    assert put.get_json()["scope_label"] == "大学路街道、庆丰社区"
    assert client.patch(f"/api/layers/courtyards/features/{fid_out}", headers=site.auth("editor1"), json=patch).status_code == 200


@pytest.mark.parametrize(("who", "user", "body", "status", "field"), [
    ("admin1", "editor1", {"units": ["区房管局"]}, 422, "scope.units"),
    ("admin1", "editor1", {"streets": "大学路街道", "villages": ["冯庄村"]}, 422, None),
    ("admin1", "admin1", {"streets": ["大学路街道"]}, 422, "username"),
    ("admin1", "nobody", {"streets": ["大学路街道"]}, 404, None),
    ("editor1", "editor1", {}, 403, None),
])
def test_a_bad_scope_change_is_refused_and_changes_nothing(site, who, user, body, status, field):
    def kept():  # (using a token stamps its last use: the file changes, the users do not)
        return [(u.username, u.role, u.scope) for u in _acc(site).users()]

    before = kept()
    resp = site.app.test_client().put(f"/api/users/{user}/scope", headers=site.auth(who), json=body)
    assert resp.status_code == status, resp.get_data(as_text=True)
    problem = resp.get_json()
    assert re.search(r"[\u4e00-\u9fff]", problem["detail"])
    if field:
        assert field in [f["field"] for f in problem["fields"]]
    assert kept() == before


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_admin_page_shows_levels_and_sets_a_scope_from_the_campaigns_names(site):
    client = site.app.test_client()
    login(client, "admin1")
    page = client.get("/admin").get_data(as_text=True)
    row = re.search(r'<tr data-user="editor1".*?</tr>', page, re.S).group(0)
    assert t("scope.level.street") in html.unescape(row) and "大学路街道" in row
    for name in ("大学路街道", "长江路街道", "金桥社区", "区住建局", "区商务局"):
        assert f'<option value="{name}"' in page
    resp = client.post("/admin/users/editor1/scope", data={"csrf_token": _csrf(page), "communities": ["金桥社区", "庆丰社区"],
                                                           "units": ["区商务局"]})
    assert resp.status_code == 302
    assert _acc(site).get_user("editor1").scope == {"streets": [], "communities": ["金桥社区", "庆丰社区"], "units": ["区商务局"]}
    shown = html.unescape(client.get("/admin").get_data(as_text=True))
    assert t("accounts.scope_changed", user="editor1", role=t("role.editor"), scope="金桥社区、庆丰社区、区商务局") in shown
    created = client.post("/admin/users", data={"csrf_token": _csrf(page), "username": "jinqiao", "password": PASSWORD,
                                                "confirm": PASSWORD, "role": "editor", "communities": "金桥社区"})
    assert created.status_code == 302
    assert _acc(site).get_user("jinqiao").scope["communities"] == ["金桥社区"]
    bad = client.post("/admin/users/editor1/scope", data={"csrf_token": _csrf(page), "streets": "火星街道"})
    assert bad.status_code == 302
    assert "火星街道" in html.unescape(client.get("/admin").get_data(as_text=True))
    assert _acc(site).get_user("editor1").scope["units"] == ["区商务局"]  # unchanged


def test_the_command_line_sets_and_lists_scopes(site):
    runner = site.app.test_cli_runner()
    made = runner.invoke(args=["users", "create", "daxuelu", "--role", "editor", "--password", PASSWORD,
                               "--street", "大学路街道", "--unit", "区住建局"])
    assert made.exit_code == 0, made.output
    assert _acc(site).get_user("daxuelu").scope == {"streets": ["大学路街道"], "communities": [], "units": ["区住建局"]}
    listed = runner.invoke(args=["users", "list"]).output
    assert f"daxuelu\teditor\t{t('scope.level.street')}\t大学路街道、区住建局\t" in listed
    assert runner.invoke(args=["users", "set", "daxuelu", "--everywhere"]).exit_code == 0
    assert _acc(site).get_user("daxuelu").scope == {}
    unknown = runner.invoke(args=["users", "set", "daxuelu", "--community", "不存在社区"])
    assert unknown.exit_code != 0 and "不存在社区" in unknown.output
    both = runner.invoke(args=["users", "set", "daxuelu", "--everywhere", "--street", "大学路街道"])
    assert both.exit_code != 0 and _acc(site).get_user("daxuelu").scope == {}


def test_the_demo_gets_one_user_at_each_level_once(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DEMO_CAMPAIGN.parent, data)
    app = create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_INSTANCE": str(tmp_path / "instance")})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["users", "demo"])
    assert first.exit_code == 0, first.output
    users = {u.username: u for u in app.extensions["guatu_accounts"].users()}
    assert {(u.role, tuple(sorted(k for k, v in u.scope.items() if v))) for u in users.values()} == {
        ("editor", ()), ("editor", ("streets",)), ("editor", ("communities",)), ("editor", ("units",)), ("inspector", ())}
    assert all(re.search(r"[\u4e00-\u9fff]", u.name) for u in users.values())
    assert first.output.count("密码") == 5  # each password printed once
    again = runner.invoke(args=["users", "demo"])
    assert again.exit_code == 0 and again.output == ""


def test_demo_users_are_refused_on_a_campaign_without_the_demos_places(private_app):
    runner = private_app.test_cli_runner()
    before = {u.username for u in private_app.extensions["guatu_accounts"].users()}
    refused = runner.invoke(args=["users", "demo"])
    assert refused.exit_code != 0
    assert {u.username for u in private_app.extensions["guatu_accounts"].users()} == before


def test_an_inspector_records_but_does_not_draw_and_finds_the_field_page(site):
    client = site.app.test_client()
    auth = site.auth("insp1")
    page = client.get("/inspections?date=2026-11-24", headers=auth)
    assert page.status_code == 200
    assert "/inspections/2026-11-24\"" not in page.get_data(as_text=True)  # no form drawing the list: an editor's job
    planner = client.get("/inspections?date=2026-11-24", headers=site.auth("editor1")).get_data(as_text=True)
    assert "/inspections/2026-11-24\"" in planner
    assert client.post("/api/inspections/2026-11-24", headers=auth, json={"count": 1}).status_code == 403
    assert client.get("/field/", headers=auth).status_code == 200
    assert client.get("/api/field/2026-11-24", headers=auth).status_code == 200
    wall = client.get("/wall", headers=auth).get_data(as_text=True)
    assert "/field/" in wall and "/mine" not in wall  # the inspector's pages, not the planner's
    assert client.get("/inspections", headers=site.auth("viewer1")).status_code == 403
