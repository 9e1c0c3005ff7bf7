"""A browser that meets an error gets a Chinese page with the site's navigation and a way on; programs keep
problem documents; a page that needs a login sends the reader to it and back."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from flask import abort

from geo.messages import t
from tests.web.conftest import PASSWORD, login
from web import create_app
from web.core.routes import PUBLIC, declare

HTML = {"Accept": "text/html,application/xhtml+xml"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _page(resp) -> str:
    assert resp.mimetype == "text/html"
    return resp.get_data(as_text=True)


def _assert_site_page(html: str) -> None:
    """The page has the site's navigation (a landmark with the wall, the editor…), a main part, Chinese words."""
    assert '<html lang="zh-CN">' in html or '<html lang="zh">' in html
    nav = html.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert 'href="/"' in nav and 'href="/edit"' in nav and 'href="/inspections"' in nav
    assert "<main" in html and "<header" in html
    assert 'href="/">' + t("page.err.home") in html


def test_an_unknown_page_is_a_chinese_404_page_naming_the_address(client):
    resp = client.get("/no-such-page?x=1", headers=HTML)
    assert resp.status_code == 404
    html = _page(resp)
    _assert_site_page(html)
    assert t("page.err.404") in html and t("page.err.404_text", path="/no-such-page") in html
    assert "Not Found" not in html and "The requested URL" not in html


def test_the_address_on_a_404_page_is_escaped(client):
    html = _page(client.get("/<script>alert(1)</script>", headers=HTML))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_a_404_page_offers_the_way_back_to_the_page_the_reader_came_from(client):
    html = _page(client.get("/gone", headers={**HTML, "Referer": "http://localhost/inspections?day=2026-11-24"}))
    assert f'<a href="/inspections?day=2026-11-24">{t("page.err.back")}</a>' in html
    other_site = _page(client.get("/gone", headers={**HTML, "Referer": "https://elsewhere.example/x"}))
    assert t("page.err.back") not in other_site


def test_the_api_keeps_problem_documents(client):
    resp = client.get("/api/no-such-thing", headers=HTML)
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"
    assert CJK.search(resp.get_json()["detail"])


def test_a_program_asking_for_json_outside_the_api_keeps_problem_documents(client):
    resp = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert resp.status_code == 404 and resp.mimetype == "application/problem+json"


def test_a_wrong_method_is_a_chinese_405_page_keeping_allow(client):
    resp = client.delete("/inspections", headers=HTML)
    assert resp.status_code == 405
    assert "GET" in resp.headers["Allow"]
    html = _page(resp)
    _assert_site_page(html)
    assert t("page.err.405") in html and t("page.err.405_text", path="/inspections", method="DELETE") in html


def test_a_page_needing_a_login_goes_to_the_login_and_comes_back(private_app):
    client = private_app.test_client()
    resp = client.get("/edit?layer=roads", headers=HTML)
    assert resp.status_code == 302
    target = urlsplit(resp.headers["Location"])
    assert target.path == "/login" and parse_qs(target.query)["next"] == ["/edit?layer=roads"]
    form = _page(client.get(resp.headers["Location"]))
    assert 'action="/login?next=/edit?layer%3Droads"' in form or "next=%2Fedit%3Flayer%3Droads" in form
    csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
    action = form.split('<form method="post" action="')[1].split('"')[0].replace("&amp;", "&")
    back = client.post(action, data={"username": "editor1", "password": PASSWORD, "csrf_token": csrf})
    assert back.status_code == 302 and back.headers["Location"] == "/edit?layer=roads"
    assert client.get("/edit?layer=roads", headers=HTML).status_code == 200


def test_a_too_low_role_is_a_403_page_saying_which_role_and_offering_another_account(private_app):
    client = private_app.test_client()
    login(client, "viewer1")
    resp = client.get("/edit", headers=HTML)
    assert resp.status_code == 403
    html = _page(resp)
    _assert_site_page(html)
    assert t("page.err.403") in html
    assert t("accounts.role_needed", role="编辑", have="查看") in html
    assert f'<a class="button" href="/login?next=/edit">{t("page.err.sign_in_other")}</a>' in html
    assert "王看" in html  # who is signed in now


def test_signing_in_as_someone_else_from_a_403_page_comes_back_to_it(private_app):
    client = private_app.test_client()
    login(client, "viewer1")
    html = _page(client.get("/admin", headers=HTML))
    link = html.split(f'">{t("page.err.sign_in_other")}')[0].rsplit('href="', 1)[1]
    form = _page(client.get(link))
    csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
    action = form.split('<form method="post" action="')[1].split('"')[0].replace("&amp;", "&")
    back = client.post(action, data={"username": "admin1", "password": PASSWORD, "csrf_token": csrf})
    assert back.headers["Location"] == "/admin"
    assert client.get("/admin", headers=HTML).status_code == 200


def test_an_unforeseen_fault_on_a_page_is_a_chinese_500_page_without_a_traceback(seeded, clock, instance_dir, caplog):
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/test-only-fault")
    @declare(PUBLIC)
    def _fault():
        raise RuntimeError("a fault no rule foresaw")

    resp = app.test_client().get("/test-only-fault", headers=HTML)
    assert resp.status_code == 500
    html = _page(resp)
    _assert_site_page(html)
    assert t("page.err.500") in html and str(t("error.internal")) in html
    assert "RuntimeError" not in html and "Traceback" not in html
    assert any(r.exc_info for r in caplog.records)


def test_a_service_unavailable_page_is_chinese_and_keeps_retry_after(seeded, clock, instance_dir):
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True})

    @app.get("/test-only-busy")
    @declare(PUBLIC)
    def _busy():
        abort(503, retry_after=30)

    resp = app.test_client().get("/test-only-busy", headers=HTML)
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "30"
    html = _page(resp)
    _assert_site_page(html)
    assert t("page.err.503") in html and t("page.err.503_text") in html


def _store_down_app(seeded, clock, instance_dir):
    from geo.errors import BrokenLayer

    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": True})

    @app.get("/test-only-store-down")
    @declare(PUBLIC)
    def _down():
        err = BrokenLayer(t("store.layer_not_collection", file="layers/courtyards.geojson"))
        err.retry_after = 20
        raise err

    app.extensions["guatu_accounts"].create_user("viewer1", PASSWORD, "viewer", "王看")
    return app


def test_the_store_unavailable_page_keeps_the_top_bar_with_links_that_need_no_store(seeded, clock, instance_dir):
    app = _store_down_app(seeded, clock, instance_dir)
    client = app.test_client()
    resp = client.get("/test-only-store-down?x=1", headers=HTML)
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "20"
    html = _page(resp)
    assert "<header" in html and "<main" in html and t("banner.page_unavailable") in html
    assert "layers/courtyards.geojson" in html and 'http-equiv="refresh" content="20"' in html
    nav = html.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert f'aria-label="{t("page.err.nav")}"' in html
    links = dict((label, href.replace("&amp;", "&")) for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav))
    # this page again and signing in (then coming back here): nothing that reads the store (wall, editor, lists)
    assert links == {t("page.err.retry"): "/test-only-store-down?x=1",
                     t("page.login.title"): "/login?next=/test-only-store-down?x%3D1"}
    login(client, "viewer1")
    signed_in = _page(client.get("/test-only-store-down", headers=HTML))
    nav = signed_in.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert 'href="/account"' in nav and t("page.nav.account") in nav and "/login" not in nav
    assert 'href="/"' not in nav and 'href="/edit"' not in nav
