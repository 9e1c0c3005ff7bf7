"""Every write path × every role and level (三级管理): who may write where, and what a refusal leaves behind.

One row per write path (`PATHS`): the role it needs, how to call it on a place, and the status a success
gives. Each row is tried by every actor (`ACTORS`) on a place inside the scoped users' scope (大学路街道 /
金桥社区 / 区住建局) and on one outside it (长江路街道 / 庆丰社区 / 区商务局). Expected: no credentials 401 (a page:
the login page); a role below the path's 403; a place outside the writer's scope refused with a message naming
the scope, nothing changed (the place's version and the journal as they were); otherwise the row's success.
A new write path is one more row.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import orjson
import pytest
from openpyxl import load_workbook

from geo import inspections as insp
from geo.errors import NotFound
from geo.exchange.ledger_xlsx import PROBLEM_SHEET, write_ledger
from geo.ledger import add_problem
from geo.scope import EVERYWHERE, Scope
from tests.conftest import make_feature
from tests.deployment import private_deployment
from tests.photos import images

LAYER = "courtyards"
INSIDE = {"street": "大学路街道", "community": "金桥社区", "unit": "区住建局"}
OUTSIDE = {"street": "长江路街道", "community": "庆丰社区", "unit": "区商务局"}
PASSWORD = "correct horse battery"

# actor: (role, scope); None: no credentials
USERS = {
    "viewer": ("viewer", EVERYWHERE),
    "inspector": ("inspector", EVERYWHERE),
    "district": ("editor", EVERYWHERE),
    "street": ("editor", Scope(streets=("大学路街道",))),
    "community": ("editor", Scope(communities=("金桥社区",))),
    "unit": ("editor", Scope(units=("区住建局",))),
    "admin": ("admin", EVERYWHERE),
}
ACTORS = [(None, "outside"), ("viewer", "inside"), ("inspector", "inside"), ("inspector", "outside"),
          ("district", "outside"), ("admin", "outside"),
          *itertools.product(("street", "community", "unit"), ("inside", "outside"))]
RANK = ("viewer", "inspector", "editor", "admin")


@dataclass
class Site:
    d: object
    counter: itertools.count

    @property
    def store(self):
        return self.d.app.extensions["guatu"].store

    @property
    def campaign(self):
        return self.d.app.extensions["guatu"].campaign

    def place(self, where: str) -> dict:
        """A fresh courtyard at `where` (inside or outside the scopes) at version 2, with one open problem."""
        n = next(self.counter)
        names = INSIDE if where == "inside" else OUTSIDE
        feature = self.store.create(LAYER, make_feature(f"{names['community']}{n}号院", x=113.60 + n * 0.002, y=34.70,
                                                        **names), user="张三").feature
        changes = add_problem(feature, {"category": "飞线充电", "description": "楼道飞线"}, self.campaign, date(2026, 11, 24))
        return self.store.update(LAYER, feature["id"], expected_version=1, user="张三", properties=changes).feature


@pytest.fixture
def site(tmp_path):
    d = private_deployment(tmp_path, [make_feature("金桥1号院", x=113.60, y=34.71, **INSIDE),  # the names scopes may use
                                      make_feature("庆丰1号院", x=113.61, y=34.71, **OUTSIDE)])
    acc = d.app.extensions["guatu_accounts"]
    for username, (role, scope) in USERS.items():
        acc.create_user(username, PASSWORD, role, username, scope=scope)
        d.secrets[username] = acc.create_api_token(username, "matrix")[1]
    yield Site(d, itertools.count(1))
    d.app.extensions["guatu"].store.close()


def _etag(f: dict) -> dict:
    return {"If-Match": f'"{f["id"]}-v{f["properties"]["version"]}"'}


def _geojson(f: dict, **props) -> bytes:
    return orjson.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": f["id"], "properties": {**f["properties"], **props}, "geometry": f["geometry"]}]})


def _ledger(f: dict, site) -> bytes:
    """The place's ledger workbook (台账), its problem described anew, as a planner edits and sends it back."""
    workbook = load_workbook(io.BytesIO(write_ledger([site.store.get(LAYER, f["id"])], site.store.layer(LAYER), site.campaign,
                                                  site.d.app.extensions["guatu"].now())))
    sheet = workbook[PROBLEM_SHEET]
    column = [c.value for c in sheet[1]].index("问题描述") + 1
    sheet.cell(2, column).value = "楼道飞线已拆除一半"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _import_api(c, h, site, f, *, ledger: bool = False):
    """Preview then commit: a row out of scope is refused by name in the preview, and the commit refused."""
    upload = (io.BytesIO(_ledger(f, site)), "台账.xlsx") if ledger else (io.BytesIO(_geojson(f, status="in_progress")), "places.geojson")
    preview = c.post(f"/api/layers/{LAYER}/imports", headers=h, content_type="multipart/form-data", data={"file": upload})
    if preview.status_code != 201:
        return preview, preview.get_data(as_text=True)
    commit = c.post(preview.get_json()["commit"], headers=h)
    return commit, orjson.dumps(preview.get_json()).decode() + orjson.dumps(commit.get_json()).decode()


def _import_page(c, h, site, f):
    return c.post("/import", headers=h, content_type="multipart/form-data",
                  data={"layer": LAYER, "file": (io.BytesIO(_geojson(f, status="in_progress")), "places.geojson")})


def _inspection(form: bool):
    def call(c, h, site, f):
        day = date(2026, 10, 1) + timedelta(days=next(site.counter))
        listing = insp.generate(site.store, site.campaign, day, n=insp.MAX_COUNT, seed=1, user="张三")
        assert f["id"] in {p["id"] for p in listing["places"]}
        body = {"result": "problem", "category": "飞线充电", "notes": "楼道飞线", "layer": LAYER}
        if form:
            return c.post(f"/inspections/{day}/{f['id']}", headers=h, data=body)
        return c.post(f"/api/inspections/{day}/{f['id']}", headers=h, json=body)
    return call


def _photo(problem: bool):
    def call(c, h, site, f):
        tail = f"problems/{f['id']}-p1/photos" if problem else "photos"
        data = images.jpeg(colour=(next(site.counter) % 250, 60, 30))
        return c.post(f"/api/layers/{LAYER}/features/{f['id']}/{tail}", headers=h, content_type="multipart/form-data",
                      data={"file": (io.BytesIO(data), "现场.jpg"), "role": "before" if problem else "place"})
    return call


def _delete_photo(c, h, site, f):
    added = _photo(False)(c, site.d.auth("district"), site, f).get_json()["photo"]["id"]
    site.before = site.snapshot(f)  # the upload above is the setup, not the attempt
    return c.delete(f"/api/layers/{LAYER}/features/{f['id']}/photos/{added}", headers=h)


def _create(ogc: bool):
    def call(c, h, site, f):
        names = {k: f["properties"][k] for k in ("street", "community", "unit")}
        body = make_feature("新建院", x=113.60 + next(site.counter) * 0.002, y=34.69, **names)
        return c.post(f"/ogc/collections/{LAYER}/items" if ogc else f"/api/layers/{LAYER}/features", headers=h, json=body)
    return call


@dataclass(frozen=True)
class Path:
    name: str
    role: str
    call: Callable  # (client, headers, site, place) -> response or (response, text to find the scope in)
    ok: int
    page: bool = False  # a browser page: no credentials, the login page
    refused: int = 403
    flashed: bool = False  # a form: answers with a redirect and a flashed message
    after: dict | None = None  # where the write puts the place, when it moves it


PATHS = [
    Path("api create", "editor", _create(False), 201),
    Path("api patch", "editor", lambda c, h, s, f: c.patch(f"/api/layers/{LAYER}/features/{f['id']}", headers={**h, **_etag(f)},
                                                            json={"properties": {"status": "in_progress"}}), 200),
    Path("api move out of scope", "editor",
         lambda c, h, s, f: c.patch(f"/api/layers/{LAYER}/features/{f['id']}", headers={**h, **_etag(f)},
                                    json={"properties": OUTSIDE}), 200, after=OUTSIDE),
    Path("api delete", "editor", lambda c, h, s, f: c.delete(f"/api/layers/{LAYER}/features/{f['id']}", headers={**h, **_etag(f)}), 204),
    Path("api bulk status", "editor", lambda c, h, s, f: c.post(f"/api/layers/{LAYER}/status", headers=h, json={
        "status": "in_progress", "features": {f["id"]: f["properties"]["version"]}}), 200),
    Path("ledger add problem", "editor", lambda c, h, s, f: c.post(f"/api/layers/{LAYER}/features/{f['id']}/problems", headers=h, json={
        "version": f["properties"]["version"], "problem": {"category": "乱堆乱放", "description": "杂物"}}), 201),
    Path("ledger edit problem", "editor",
         lambda c, h, s, f: c.patch(f"/api/layers/{LAYER}/features/{f['id']}/problems/{f['id']}-p1", headers=h,
                                    json={"version": 2, "problem": {"description": "已清理一半"}}), 200),
    Path("api revert", "editor", lambda c, h, s, f: c.post(f"/api/layers/{LAYER}/features/{f['id']}/revert", headers=h,
                                                            json={"to_version": 1, "version": 2}), 200),
    Path("editor revert form", "editor", lambda c, h, s, f: c.post(f"/places/{LAYER}/{f['id']}/revert", headers=h,
                                                                    data={"to_version": "1", "version": "2"}), 302, page=True,
         refused=302, flashed=True),
    Path("ogc create", "editor", _create(True), 201),
    Path("ogc replace", "editor", lambda c, h, s, f: c.put(f"/ogc/collections/{LAYER}/items/{f['id']}", headers={**h, **_etag(f)}, json={
        "type": "Feature", "properties": {**{k: v for k, v in f["properties"].items() if v is not None}, "status": "in_progress"},
        "geometry": f["geometry"]}), 200),
    Path("ogc patch", "editor", lambda c, h, s, f: c.patch(f"/ogc/collections/{LAYER}/items/{f['id']}", headers={**h, **_etag(f)},
                                                            json={"properties": {"status": "in_progress"}}), 200),
    Path("ogc delete", "editor", lambda c, h, s, f: c.delete(f"/ogc/collections/{LAYER}/items/{f['id']}", headers={**h, **_etag(f)}), 204),
    Path("import api", "editor", _import_api, 200, refused=422),
    Path("import page", "editor", _import_page, 200, page=True, refused=422),
    Path("ledger xlsx import", "editor", lambda c, h, s, f: _import_api(c, h, s, f, ledger=True), 200, refused=422),
    Path("inspection api", "inspector", _inspection(False), 201),
    Path("inspection form", "inspector", _inspection(True), 302, page=True, refused=302, flashed=True),
    Path("photo upload", "inspector", _photo(False), 201),
    Path("problem photo upload", "inspector", _photo(True), 201),
    Path("photo delete", "editor", _delete_photo, 200),
]


def _expected(path: Path, actor: str | None, where: str) -> str:
    if actor is None:
        return "unauthenticated"
    role, scope = USERS[actor]
    if RANK.index(role) < RANK.index(path.role):
        return "role"
    if not scope.covers(INSIDE if where == "inside" else OUTSIDE) or (path.after and not scope.covers(path.after)):
        return "scope"
    return "ok"


def _flashes(client) -> str:
    with client.session_transaction() as session:
        return " ".join(message for _, message in session.get("_flashes", []))


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_every_role_and_scope_on_a_write_path(site, path):
    def snapshot(f: dict) -> tuple:
        store = site.store
        try:
            version = store.get(LAYER, f["id"])["properties"]["version"]
        except NotFound:  # deleted: the journal still says what changed
            version = None
        return version, store.revision(), len(store.features(LAYER))

    site.snapshot = snapshot
    seen = []
    for actor, where in ACTORS:
        place = site.place(where)
        client = site.d.app.test_client()
        headers = site.d.auth(actor) if actor else {}
        site.before = snapshot(place)
        answer = path.call(client, headers, site, place)
        resp, text = answer if isinstance(answer, tuple) else (answer, answer.get_data(as_text=True))
        if path.flashed:
            text += _flashes(client)
        after = snapshot(place)
        expected = _expected(path, actor, where)
        label = f"{path.name} by {actor or 'nobody'} on a place {where}: expected {expected}, got {resp.status_code} {text[:300]}"
        if expected == "unauthenticated":
            assert resp.status_code == (302 if path.page else 401), label
            if path.page:
                assert "/login" in resp.headers["Location"], label
        elif expected == "role":
            assert resp.status_code == 403, label
        elif expected == "scope":
            scope = USERS[actor][1]
            assert resp.status_code == path.refused, label
            assert scope.describe() in text and "不在你的管理范围内" in text, label
            if path.refused == 403:
                assert resp.get_json()["scope"] == scope.to_dict(), label
        else:
            assert resp.status_code == path.ok, label
        if expected == "ok" and path.name != "import page":  # a preview writes nothing, whoever makes it
            assert after[1] > site.before[1], label
        elif expected != "ok":
            assert after == site.before, label  # refused: the place's version and the journal as they were
        seen.append(expected)
    assert {"ok", "scope", "role", "unauthenticated"} <= set(seen)  # every kind of answer was tried
