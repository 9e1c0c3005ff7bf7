"""A wall screen opened again (the next morning, after a power cut) takes its bundle from the browser's cache without
asking the server, and asks only whether its other files are still current (304s); the first time, its scripts
and styles come gzipped. So does a planner's editor, signed in again the next morning.
In a real Chromium, the server recording what it was asked (web/core/static_files.py)."""

from __future__ import annotations

import pytest

from tests.browser.editor_session import planners_server, sign_in
from tests.browser.harness import copy_demo, live_server, wait_ready
from web.core.bundles import bundles
from web.core.modules import STATIC
from web.core.static_files import SMALLEST


class Recorder:
    """The app's WSGI callable, noting each request's path, status and Content-Encoding."""

    def __init__(self, wsgi) -> None:
        self.wsgi = wsgi
        self.seen: list[tuple[str, int, str | None]] = []

    def __call__(self, environ, start_response):
        def start(status, headers, *rest):
            encoding = next((v for k, v in headers if k.lower() == "content-encoding"), None)
            self.seen.append((environ["PATH_INFO"], int(status.split()[0]), encoding))
            return start_response(status, headers, *rest)

        return self.wsgi(environ, start)


def recorded(server):
    server.recorder = Recorder(server.app.wsgi_app)
    server.app.wsgi_app = server.recorder
    return server


def bundle_urls(entry: str) -> set[str]:
    scripts = bundles().scripts(entry)
    assert scripts.entry.startswith("bundle/")  # (the bundles are built: `./guatu setup`)
    return {f"/static/{path}" for path in (scripts.entry, *scripts.preload)}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = copy_demo(tmp_path_factory.mktemp("staticcache") / "data")
    with live_server(data, GUATU_REFRESH_SECONDS=0) as s:
        yield recorded(s)


def test_a_wall_opened_again_takes_its_bundle_from_the_cache_and_revalidates_the_rest(browser, server):
    bundled = bundle_urls("js/pages/wall.js")
    # no request interception here: Playwright's routing turns the browser's cache off
    context = browser.new_context(viewport={"width": 3840, "height": 2160})
    try:
        page = context.new_page()
        asked = []
        page.on("request", lambda r: asked.append(r.url))
        page.goto(server.url + "/wall")
        wait_ready(page)
        first = {path: (status, encoding) for path, status, encoding in server.recorder.seen}
        assert all(url.startswith(server.url) or url.startswith(("data:", "blob:")) for url in asked)
        for path in bundled:  # (a chunk of a few hundred bytes goes as it is: web/core/static_files.py SMALLEST)
            small = (STATIC / path.removeprefix("/static/")).stat().st_size < SMALLEST
            assert first[path] == (200, None if small else "gzip"), path
        assert first["/static/vendor/leaflet/leaflet.js"] == (200, "gzip")
        assert first["/static/css/wallmap.css"] == (200, "gzip")

        server.recorder.seen.clear()
        page.goto(server.url + "/wall")
        wait_ready(page)
        again = {path: status for path, status, _ in server.recorder.seen}
        assert not bundled & again.keys()  # not even asked
        assert again["/static/vendor/leaflet/leaflet.js"] == 304 and again["/static/css/wallmap.css"] == 304
        assert again["/wall"] == 200  # the page itself, with its first data, is new each time
    finally:
        context.close()


def test_a_signed_in_planners_editor_opened_again_takes_its_bundle_from_the_cache(browser, tmp_path, clock):
    with planners_server(copy_demo(tmp_path / "data"), clock) as server:
        recorded(server)
        bundled = bundle_urls("js/pages/editor.js")
        context = browser.new_context(viewport={"width": 1600, "height": 1000})  # (no routing: see above)
        try:
            page = context.new_page()
            page.goto(server.url + "/login?next=/edit")
            sign_in(page)
            wait_ready(page)
            assert bundled <= {path for path, status, _ in server.recorder.seen if status == 200}
            # the next morning: signed in again, with a new session cookie
            context.clear_cookies()
            server.recorder.seen.clear()
            page.goto(server.url + "/login?next=/edit")
            sign_in(page)
            wait_ready(page)
            again = {path: status for path, status, _ in server.recorder.seen}
            assert again["/edit"] == 200 and not bundled & again.keys()
        finally:
            context.close()
