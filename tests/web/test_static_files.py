"""The front end's files over HTTP (web/core/static_files.py): gzipped for a browser that takes gzip, the same
bytes once unzipped, a 304 for a copy still current, a bundle's files kept for a year, every other file asked
about each time, a file changed on disk served as it is now, nothing outside the folder, the same answer for a
signed-in browser (no cookie read or renewed)."""

from __future__ import annotations

import gzip
import os

import pytest
from flask import Flask

from tests.web.conftest import login
from web.core import static_files
from web.core.bundles import bundles
from web.core.modules import STATIC

GZIP = {"Accept-Encoding": "gzip, deflate"}
LONG_AGO = 10**9  # ns: a modification time long settled (1970-01-01 00:00:01)


def settled() -> float:
    """A clock for which every file on disk has long settled (its copy may be kept)."""
    return float("inf")


@pytest.fixture()
def files(tmp_path):
    """A folder of files served at /static by an app of its own, as Guatu's folder is."""
    root = tmp_path / "static"
    (root / "js").mkdir(parents=True)
    (root / "bundle" / "0123abcd4567ef89").mkdir(parents=True)
    (root / "js" / "module.js").write_text("export const 地图 = 1;\n" * 200, encoding="utf-8")
    (root / "js" / "tiny.js").write_text("export const a = 1;\n", encoding="utf-8")
    (root / "bundle" / "0123abcd4567ef89" / "wall-X.js").write_text("console.log(1);\n" * 200, encoding="utf-8")
    (root / "bundle" / "manifest.json").write_text('{"version": "0123abcd4567ef89"}' + " " * 2000, encoding="utf-8")
    (root / "photo.png").write_bytes(b"\x89PNG" + bytes(4000))
    (tmp_path / "secret.txt").write_text("not for the web", encoding="utf-8")
    return root, *serve(root)


def serve(root, compressed=None):
    app = Flask(__name__, static_folder=None)
    static_files.register(app, root, compressed)
    return app.test_client(), app


def test_a_script_goes_gzipped_to_a_browser_that_takes_gzip_and_as_it_is_to_one_that_does_not(files):
    root, client, _ = files
    raw = (root / "js" / "module.js").read_bytes()
    zipped = client.get("/static/js/module.js", headers=GZIP)
    assert zipped.status_code == 200 and zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == raw and len(zipped.get_data()) < len(raw) / 5
    assert zipped.content_type == "text/javascript; charset=utf-8" and "Accept-Encoding" in zipped.headers["Vary"]
    plain = client.get("/static/js/module.js")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers and plain.get_data() == raw
    assert plain.content_type == zipped.content_type and "Accept-Encoding" in plain.headers["Vary"]
    assert plain.headers["ETag"] != zipped.headers["ETag"]  # two bodies, two tags: a cache never mixes them
    refused = client.get("/static/js/module.js", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and refused.get_data() == raw


def test_small_files_and_images_go_as_they_are(files):
    _, client, _ = files
    for url in ("/static/js/tiny.js", "/static/photo.png"):
        resp = client.get(url, headers=GZIP)
        assert resp.status_code == 200 and "Content-Encoding" not in resp.headers, url
    assert client.get("/static/photo.png").mimetype == "image/png"


def test_a_copy_still_current_is_answered_304_without_a_body(files):
    _, client, _ = files
    for headers in (GZIP, {}):
        first = client.get("/static/js/module.js", headers=headers)
        again = client.get("/static/js/module.js", headers={**headers, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b""
        assert again.headers["Cache-Control"] == "no-cache"


def test_a_bundles_files_are_kept_a_year_and_every_other_file_is_asked_about_each_time(files):
    _, client, _ = files
    bundled = client.get("/static/bundle/0123abcd4567ef89/wall-X.js", headers=GZIP)
    assert bundled.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for url in ("/static/js/module.js", "/static/bundle/manifest.json", "/static/photo.png",
                "/static/bundle/0123abcd4567ef89/../../js/module.js"):  # (the file found, not the path asked for)
        assert client.get(url, headers=GZIP).headers["Cache-Control"] == "no-cache", url


@pytest.mark.parametrize("same_size_and_time", [False, True])
def test_a_file_changed_on_disk_is_served_as_it_is_now(files, same_size_and_time):
    """Changed as an editor saves it (new size and time: its kept copy is not the file's version), or copied over
    keeping its size and modification time (`cp -p`, perhaps within one tick of the disk's clock: a file changed
    in the last two seconds, by its change time, is never kept)."""
    root, _, _ = files
    client, app = serve(root, None if same_size_and_time else static_files.Compressed(clock=settled))
    module = root / "js" / "module.js"
    os.utime(module, ns=(LONG_AGO, LONG_AGO))
    before = client.get("/static/js/module.js", headers=GZIP)
    kept = app.extensions["guatu_static"].size > 0
    assert kept is not same_size_and_time  # (its copy kept, or not: its change time is a moment ago)
    text = "export const 街道 = 2;\n" * (200 if same_size_and_time else 300)
    assert (len(text.encode()) == module.stat().st_size) is same_size_and_time
    module.write_text(text, encoding="utf-8")
    os.utime(module, ns=(LONG_AGO, LONG_AGO if same_size_and_time else LONG_AGO + 10**9))
    after = client.get("/static/js/module.js", headers=GZIP)
    assert gzip.decompress(after.get_data()) == module.read_bytes() == text.encode()
    assert after.headers["ETag"] != before.headers["ETag"]
    stale = client.get("/static/js/module.js", headers={**GZIP, "If-None-Match": before.headers["ETag"]})
    assert stale.status_code == 200 and gzip.decompress(stale.get_data()) == text.encode()


@pytest.mark.parametrize("url", ["/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/js",
                                 "/static/js/", "/static/missing.js", "/static//etc/passwd", "/static/a%00.js"])
def test_nothing_outside_the_folder_and_no_folder_is_served(files, url):
    _, client, _ = files
    assert client.get(url, headers=GZIP, follow_redirects=True).status_code == 404  # (// is merged: a redirect)


def test_the_compressed_copies_are_bounded_and_a_file_just_written_is_not_kept(tmp_path):
    now, later = static_files.Compressed(limit=3000), static_files.Compressed(limit=3000, clock=settled)
    for i in range(10):
        f = tmp_path / f"{i}.js"
        f.write_bytes(os.urandom(1000))  # random bytes do not compress: each copy is about 1 KB
        os.utime(f, ns=(LONG_AGO, LONG_AGO))  # (its change time stays a moment ago)
        for kept in (now, later):
            body, _ = kept.get(f, f.stat())
            assert gzip.decompress(body) == f.read_bytes()
    assert now.size == 0  # each was changed a moment ago: it may change again within its time's tick
    assert 2000 < later.size <= 3000 and len(later._kept) == 2


def test_guatus_own_files_carry_the_security_headers_and_the_wall_bundle_is_kept(client):
    """The app's /static: its own view behind the same access check and headers as every page."""
    resp = client.get("/static/vendor/leaflet/leaflet.js", headers=GZIP)
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(resp.get_data()) == (STATIC / "vendor" / "leaflet" / "leaflet.js").read_bytes()
    assert resp.headers["X-Content-Type-Options"] == "nosniff" and resp.headers["Cache-Control"] == "no-cache"
    entry = bundles().scripts("js/pages/wall.js").entry
    assert entry.startswith("bundle/")  # (the bundles are built: `./guatu setup`)
    bundled = client.get(f"/static/{entry}", headers=GZIP)
    assert bundled.status_code == 200 and "immutable" in bundled.headers["Cache-Control"]


def test_a_signed_in_browser_gets_the_same_answer_with_no_cookie_read_or_renewed(private_app):
    """A session renewed with every answer would vary the bundle by its cookie: the browser would ask again."""
    client = private_app.test_client()
    login(client, "editor1")
    assert client.get("/api/me").headers.get("Set-Cookie")  # (an API answer renews the session)
    entry = bundles().scripts("js/pages/editor.js").entry
    for url in (f"/static/{entry}", "/static/vendor/leaflet/leaflet.js", "/static/css/app.css"):
        resp = client.get(url, headers=GZIP)
        assert resp.status_code == 200, url
        assert "Set-Cookie" not in resp.headers and "Cookie" not in resp.headers.get("Vary", ""), url
