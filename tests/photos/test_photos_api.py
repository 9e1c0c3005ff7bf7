"""The photos' HTTP API on both stores: upload, list, serve, delete; every refusal a Chinese problem document
that changes nothing; what a viewer, an editor and a display link may do."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from PIL import ExifTags, Image

from geo.messages import t
from tests.conftest import make_feature
from tests.deployment import private_deployment
from tests.photos import images

MINE, OTHER = "大学路街道", "淮河路街道"
CJK = re.compile(r"[\u4e00-\u9fff]")
IMMUTABLE = "private, max-age=31536000, immutable"


@pytest.fixture(params=["geojson", "postgis"])
def site(request, tmp_path):
    """A courtyard in 大学路街道 with one ledger problem, one in 淮河路街道; an editor and a viewer, on each store."""
    database = None
    if request.param == "postgis":
        database = (request.getfixturevalue("postgis_url"), request.getfixturevalue("postgis_schema"))
    d = private_deployment(tmp_path, [
        make_feature("大学路1号院", street=MINE, x=113.660,
                     problems=[{"id": "p1", "category": "飞线充电", "description": "楼道飞线", "status": "open"}]),
        make_feature("淮河路3号院", street=OTHER, x=113.664)], accounts=("editor1", "viewer1"), database=database)
    yield d
    d.app.extensions["guatu"].store.close()


@pytest.fixture
def embedded(tmp_path):
    """The same on the embedded store only, for the rules that do not depend on the store."""
    d = private_deployment(tmp_path, [
        make_feature("大学路1号院", street=MINE, x=113.660,
                     problems=[{"id": "p1", "category": "飞线充电", "description": "楼道飞线", "status": "open"}]),
        make_feature("淮河路3号院", street=OTHER, x=113.664)], accounts=("editor1", "viewer1"))
    yield d
    d.app.extensions["guatu"].store.close()


def _url(fid: str, tail: str = "photos") -> str:
    return f"/api/layers/courtyards/features/{fid}/{tail}"


def _upload(d, fid: str, data: bytes, user: str = "editor1", tail: str = "photos", filename: str = "现场.jpg",
            **fields):
    form = {"file": (io.BytesIO(data), filename), **{k: str(v) for k, v in fields.items()}}
    return d.app.test_client().post(_url(fid, tail), data=form, headers=d.auth(user), content_type="multipart/form-data")


def _place(d, fid: str) -> dict:
    return d.app.extensions["guatu"].store.get("courtyards", fid)


def _refused_in_chinese(resp, status: int | None = None) -> dict:
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.data[:300])
    if status is not None:
        assert resp.status_code == status, resp.get_json()
    assert resp.mimetype == "application/problem+json"
    body = resp.get_json()
    assert CJK.search(body["detail"]), body
    return body


def test_an_uploaded_jpeg_is_listed_journaled_and_served_with_its_sizes(site):
    fid = site.fids[0]
    data = images.jpeg(640, 480, gps=True, taken="2026:11:24 09:30:00", offset="+08:00")
    version = _place(site, fid)["properties"]["version"]
    resp = _upload(site, fid, data, role="place", caption="门口堆物", lon="113.6605", lat="34.7203",
                   client_id="phone-1:0001")
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    photo, sha = body["photo"], hashlib.sha256(data).hexdigest()
    assert photo["id"] == sha and body["feature"] == {"id": fid, "version": version + 1}
    assert (photo["role"], photo["caption"], photo["client_id"], photo["taken_by"]) == ("place", "门口堆物", "phone-1:0001",
                                                                                         "李编 (editor1)")
    assert photo["location"] == {"lon": 113.6605, "lat": 34.7203, "source": "device"}  # the device's, not the EXIF's
    assert photo["taken_at"] == "2026-11-24T01:30:00Z" and (photo["width"], photo["height"]) == (640, 480)
    assert photo["urls"] == {v: f"/photos/{sha}/{v}.jpg" for v in ("thumb", "preview", "full")}
    assert resp.headers["Location"] == photo["urls"]["full"]

    client = site.app.test_client()
    history = client.get(_url(fid, "history"), headers=site.auth("viewer1")).get_json()
    assert history[-1]["after"]["properties"]["photos"][0]["id"] == sha and history[-1]["user"] == "李编 (editor1)"
    listed = client.get(_url(fid), headers=site.auth("viewer1")).get_json()
    assert [p["id"] for p in listed["photos"]] == [sha] and listed["photos"][0]["urls"] == photo["urls"]
    assert listed["feature"]["version"] == version + 1

    longest = {"thumb": 320, "preview": 640, "full": 640}
    for variant, url in photo["urls"].items():
        served = client.get(url, headers=site.auth("viewer1"))
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert served.headers["Cache-Control"] == IMMUTABLE
        assert served.headers["ETag"] == f'"{sha}"' and served.headers["X-Content-Type-Options"] == "nosniff"
        img = Image.open(io.BytesIO(served.data))
        assert img.format == "JPEG" and max(img.size) == longest[variant]
        assert not img.getexif().get_ifd(ExifTags.IFD.GPSInfo), variant  # no position in what is served
        again = client.get(url, headers={**site.auth("viewer1"), "If-None-Match": f'"{sha}"'})
        assert again.status_code == 304 and again.data == b"" and again.headers["Cache-Control"] == IMMUTABLE


def test_the_same_image_or_client_id_again_answers_200_with_the_entry_already_there(site):
    fid = site.fids[0]
    first = _upload(site, fid, images.jpeg(), client_id="c-1").get_json()
    again = _upload(site, fid, images.jpeg())
    retried = _upload(site, fid, images.png(), client_id="c-1")  # a retry whose bytes were re-encoded
    assert again.status_code == 200 and retried.status_code == 200
    assert again.get_json()["photo"] == first["photo"] == retried.get_json()["photo"]
    assert again.get_json()["feature"] == first["feature"]  # nothing written
    assert len(_place(site, fid)["properties"]["photos"]) == 1


BAD = {  # what is sent, and the status of its refusal: not an image we read 415, a broken or bombing one 422
    "empty": (b"", 422),
    "text": (images.TEXT, 415),
    "html": (b"<!doctype html><html><script>alert(1)</script></html>", 415),
    "svg": (images.SVG, 415),
    "pdf": (images.PDF, 415),
    "gif": (images.gif(), 415),
    "truncated": (images.truncated_jpeg(), 422),
    "bomb": (images.png_bomb(), 422),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_what_is_not_a_photo_we_take_is_refused_in_chinese_and_changes_nothing(site, kind):
    fid = site.fids[0]
    data, status = BAD[kind]
    before = _place(site, fid)
    _refused_in_chinese(_upload(site, fid, data, filename="照片.jpg"), status)
    assert _place(site, fid) == before  # same version, no photos
    assert not site.app.extensions["guatu"].store.blobs.has(hashlib.sha256(data).hexdigest())


class _CountingStream(io.BytesIO):
    """A request body that remembers how much of it was read."""

    read_bytes = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.read_bytes += len(line)
        return line


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(tmp_path):
    d = private_deployment(tmp_path, [make_feature("大学路1号院")], GUATU_PHOTO_MAX_MB=1)
    fid = d.fids[0]
    body = _CountingStream(b"--x\r\n" + b"\0" * (2 * 1024 * 1024))
    resp = d.app.test_client().post(_url(fid), input_stream=body, content_length=len(body.getvalue()),
                                    content_type="multipart/form-data; boundary=x", headers=d.auth("editor1"))
    problem = _refused_in_chinese(resp, 413)
    assert problem["detail"] == t("photo.too_large", limit="1")
    assert body.read_bytes == 0
    assert "photos" not in _place(d, fid)["properties"] or not _place(d, fid)["properties"]["photos"]
    small = _upload(d, fid, images.jpeg())  # under the limit: taken
    assert small.status_code == 201


@pytest.mark.parametrize(("fields", "field"), [
    ({"role": "selfie"}, "role"),
    ({"role": "after"}, "problem"),  # a problem's role without a problem
    ({"problem": "p9", "role": "before"}, "problem"),
    ({"problem": "p1", "role": "place"}, "role"),
    ({"inspection": "2026-13-40"}, "inspection"),
    ({"taken_at": "昨天"}, "taken_at"),
    ({"taken_at": "2026-11-24T08:00:00"}, "taken_at"),  # no time zone
    ({"lon": "abc", "lat": "34.7"}, "location"),
    ({"lon": "inf", "lat": "34.7"}, "location"),
    ({"lon": "200", "lat": "34.7"}, "location"),
    ({"lon": "113.6"}, "location"),
    ({"caption": "长" * 201}, "caption"),
    ({"client_id": "两个 字"}, "client_id"),
    ({"client_id": "x" * 65}, "client_id"),
])
def test_every_field_is_checked_before_the_image_and_a_refusal_names_it(embedded, fields, field):
    fid = embedded.fids[0]
    before = _place(embedded, fid)
    data = images.jpeg()
    body = _refused_in_chinese(_upload(embedded, fid, data, **fields), 422)
    assert [f["field"] for f in body["fields"]] == [field]
    assert _place(embedded, fid) == before
    assert not embedded.app.extensions["guatu"].store.blobs.has(hashlib.sha256(data).hexdigest())


def test_an_upload_without_a_file_or_to_no_place_is_refused(embedded):
    client, fid = embedded.app.test_client(), embedded.fids[0]
    missing = client.post(_url(fid), data={"role": "place"}, headers=embedded.auth("editor1"),
                          content_type="multipart/form-data")
    assert _refused_in_chinese(missing, 422)["fields"][0]["field"] == "file"
    _refused_in_chinese(_upload(embedded, "c-9999", images.jpeg()), 404)
    _refused_in_chinese(_upload(embedded, fid, images.jpeg(), tail="problems/p9/photos"), 404)


def test_a_problem_takes_its_before_after_and_check_photos(site):
    fid = site.fids[0]
    before = _upload(site, fid, images.jpeg(colour=(1, 2, 3)), tail="problems/p1/photos")
    after = _upload(site, fid, images.jpeg(colour=(9, 9, 9)), tail="problems/p1/photos", role="after")
    assert (before.status_code, after.status_code) == (201, 201)
    assert (before.get_json()["photo"]["role"], before.get_json()["photo"]["problem"]) == ("before", "p1")
    assert (after.get_json()["photo"]["role"], after.get_json()["photo"]["problem"]) == ("after", "p1")
    refused = _upload(site, fid, images.jpeg(colour=(5, 5, 5)), tail="problems/p1/photos", role="inspection")
    body = _refused_in_chinese(refused, 422)
    assert body["fields"][0]["field"] == "role"
    assert body["fields"][0]["message"] == "问题的照片只能是整改前、整改后或核查,不能是督导"  # the role's name, not its key
    client = site.app.test_client()
    of_problem = client.get(_url(fid) + "?problem=p1", headers=site.auth("viewer1")).get_json()["photos"]
    assert [p["role"] for p in of_problem] == ["after", "before"]  # newest first
    only_after = client.get(_url(fid) + "?role=after", headers=site.auth("viewer1")).get_json()["photos"]
    assert [p["id"] for p in only_after] == [after.get_json()["photo"]["id"]]
    _refused_in_chinese(client.get(_url(fid) + "?role=selfie", headers=site.auth("viewer1")), 400)


def test_a_photo_is_taken_off_its_place_by_a_journaled_change(site):
    fid = site.fids[0]
    client = site.app.test_client()
    photo = _upload(site, fid, images.jpeg()).get_json()
    sha, version = photo["photo"]["id"], photo["feature"]["version"]
    stale = client.delete(_url(fid, f"photos/{sha}"), headers={**site.auth("editor1"),
                                                                "If-Match": f'"{fid}-v{version - 1}"'})
    _refused_in_chinese(stale, 409)
    resp = client.delete(_url(fid, f"photos/{sha}"), headers={**site.auth("editor1"), "If-Match": f'"{fid}-v{version}"'})
    assert resp.status_code == 200 and resp.get_json()["feature"] == {"id": fid, "version": version + 1}
    assert client.get(_url(fid), headers=site.auth("viewer1")).get_json()["photos"] == []
    history = client.get(_url(fid, "history"), headers=site.auth("viewer1")).get_json()
    assert history[-1]["before"]["properties"]["photos"][0]["id"] == sha and not history[-1]["after"]["properties"]["photos"]
    assert client.get(photo["photo"]["urls"]["thumb"], headers=site.auth("viewer1")).status_code == 200  # history shows it
    _refused_in_chinese(client.delete(_url(fid, f"photos/{sha}"), headers=site.auth("editor1")), 404)
    _refused_in_chinese(client.delete(_url(fid, "photos/not-a-hash"), headers=site.auth("editor1")), 400)


def test_a_viewer_sees_photos_and_changes_none(embedded):
    fid = embedded.fids[0]
    sha = _upload(embedded, fid, images.jpeg()).get_json()["photo"]["id"]
    client = embedded.app.test_client()
    _refused_in_chinese(_upload(embedded, fid, images.png(), user="viewer1"), 403)
    _refused_in_chinese(client.delete(_url(fid, f"photos/{sha}"), headers=embedded.auth("viewer1")), 403)
    _refused_in_chinese(client.get(f"/photos/{sha}/original", headers=embedded.auth("viewer1"),), 403)
    assert len(_place(embedded, fid)["properties"]["photos"]) == 1


def test_the_original_goes_to_editors_only_as_a_download(embedded):
    fid = embedded.fids[0]
    data = images.png()
    sha = _upload(embedded, fid, data, filename="a.png").get_json()["photo"]["id"]
    resp = embedded.app.test_client().get(f"/photos/{sha}/original", headers=embedded.auth("editor1"))
    assert resp.status_code == 200 and resp.data == data
    assert resp.mimetype == "application/octet-stream" and resp.headers["Content-Disposition"].startswith("attachment")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_photo_or_size_is_a_404_problem(embedded):
    fid = embedded.fids[0]
    sha = _upload(embedded, fid, images.jpeg()).get_json()["photo"]["id"]
    client = embedded.app.test_client()
    for url in (f"/photos/{'0' * 64}/thumb.jpg", f"/photos/{sha}/huge.jpg", f"/photos/{sha}/original.jpg",
                f"/photos/{sha.upper()}/thumb.jpg", "/photos/../../etc/passwd/thumb.jpg"):
        resp = client.get(url, headers={**embedded.auth("viewer1"), "Accept": "application/json"})
        assert resp.status_code == 404, url
        if resp.mimetype == "application/problem+json":
            assert CJK.search(resp.get_json()["detail"]), url
    # a wrong size is told the sizes this URL serves, not the original (a download elsewhere, for editors)
    detail = client.get(f"/photos/{sha}/huge.jpg", headers=embedded.auth("viewer1")).get_json()["detail"]
    assert "thumb, preview, full" in detail and "original" not in detail


def _display(d, name: str, scope: str, photos: bool) -> dict:
    _, secret = d.app.extensions["guatu_accounts"].create_display_token(name, scope, photos=photos)
    return {"X-Guatu-Display": secret}


def test_a_display_link_sees_thumbnails_only_and_only_when_made_with_photos(site):
    mine, other = site.fids
    sha = _upload(site, mine, images.jpeg()).get_json()["photo"]["id"]
    _upload(site, other, images.png())
    client = site.app.test_client()
    without = _display(site, "大屏", "/wall", photos=False)
    for url in (_url(mine), f"/photos/{sha}/thumb.jpg"):
        body = _refused_in_chinese(client.get(url, headers=without), 403)
        assert body["detail"] == t("photos.display_off")
    street = _display(site, "大学路大屏", f"/wall?street={MINE}&layers=courtyards", photos=True)
    listed = client.get(_url(mine), headers=street)
    assert listed.status_code == 200
    assert listed.get_json()["photos"][0]["urls"] == {"thumb": f"/photos/{sha}/thumb.jpg"}  # nothing larger
    thumb = client.get(f"/photos/{sha}/thumb.jpg", headers=street)
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    for variant in ("preview", "full"):
        body = _refused_in_chinese(client.get(f"/photos/{sha}/{variant}.jpg", headers=street), 403)
        assert body["detail"] == t("photos.display_thumbs_only")
    _refused_in_chinese(client.get(f"/photos/{sha}/original", headers=street), 403)
    outside = _refused_in_chinese(client.get(_url(other), headers=street), 403)  # a place of another street
    assert outside["detail"] == t("accounts.display_out_of_scope", scope=f"{MINE} · courtyards")
    _refused_in_chinese(client.post(_url(mine), data={"file": (io.BytesIO(images.jpeg(colour=(7, 7, 7))), "a.jpg")},
                                    headers=street, content_type="multipart/form-data"), 403)


def test_display_links_with_photos_are_made_from_the_command_line(embedded):
    runner = embedded.app.test_cli_runner()
    made = runner.invoke(args=["display", "create", "--name", "指挥中心", "--photos"])
    plain = runner.invoke(args=["display", "create", "--name", "走廊屏"])
    assert made.exit_code == 0 and plain.exit_code == 0, made.output
    tokens = {tok.name: tok for tok in embedded.app.extensions["guatu_accounts"].tokens(kind="display")}
    assert tokens["指挥中心"].photos is True and tokens["走廊屏"].photos is False
    listed = runner.invoke(args=["display", "list"]).output
    assert t("page.admin.display_photos_on") in next(line for line in listed.splitlines() if "指挥中心" in line)
    assert t("page.admin.display_photos_on") not in next(line for line in listed.splitlines() if "走廊屏" in line)
    link = made.output.strip().splitlines()[-1]
    fid = embedded.fids[0]
    sha = _upload(embedded, fid, images.jpeg()).get_json()["photo"]["id"]
    secret = link.split("display=")[1]
    assert embedded.app.test_client().get(f"/photos/{sha}/thumb.jpg?display={secret}").status_code == 200


def test_with_keep_location_the_full_image_keeps_its_gps_and_the_smaller_ones_do_not(tmp_path):
    d = private_deployment(tmp_path, [make_feature("大学路1号院")], GUATU_PHOTO_KEEP_LOCATION="true")
    photo = _upload(d, d.fids[0], images.jpeg(640, 480, gps=True)).get_json()["photo"]
    client = d.app.test_client()
    gps = {}
    for variant, url in photo["urls"].items():
        img = Image.open(io.BytesIO(client.get(url, headers=d.auth("editor1")).data))
        gps[variant] = bool(img.getexif().get_ifd(ExifTags.IFD.GPSInfo))
    assert gps == {"full": True, "preview": False, "thumb": False}
    assert photo["location"]["source"] == "exif"


def test_a_chunked_upload_over_the_limit_is_refused_with_413_too(tmp_path):
    d = private_deployment(tmp_path, [make_feature("大学路1号院")], GUATU_PHOTO_MAX_MB=1)
    part = (b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
            + b"\xff\xd8\xff" + b"\0" * (1536 * 1024) + b"\r\n--x--\r\n")
    resp = d.app.test_client().post(  # no Content-Length: the server (gunicorn) reads it to its end
        _url(d.fids[0]), input_stream=io.BytesIO(part), environ_overrides={"wsgi.input_terminated": True},
        headers={**d.auth("editor1"), "Transfer-Encoding": "chunked", "Content-Type": "multipart/form-data; boundary=x"})
    assert _refused_in_chinese(resp, 413)["detail"] == t("photo.too_large", limit="1")
    assert not _place(d, d.fids[0])["properties"].get("photos")


def test_a_browser_uploads_with_its_session_and_csrf_token_and_without_it_is_refused(embedded):
    from tests.web.conftest import login

    client, fid = embedded.app.test_client(), embedded.fids[0]
    csrf = login(client, "editor1")

    def form():
        return {"file": (io.BytesIO(images.jpeg()), "IMG_0001.jpg"), "role": "place"}

    forged = client.post(_url(fid), data=form(), content_type="multipart/form-data")
    assert _refused_in_chinese(forged, 403)["detail"] == t("accounts.csrf_wrong")
    cross = client.post(_url(fid), data=form(), content_type="multipart/form-data",
                        headers={"X-CSRF-Token": csrf, "Sec-Fetch-Site": "cross-site"})
    _refused_in_chinese(cross, 403)
    assert not _place(embedded, fid)["properties"].get("photos")
    taken = client.post(_url(fid), data=form(), content_type="multipart/form-data", headers={"X-CSRF-Token": csrf})
    assert taken.status_code == 201 and taken.get_json()["photo"]["taken_by"] == "李编 (editor1)"


def test_the_wall_card_names_a_photos_role_in_the_readers_language(embedded):
    fid = embedded.fids[0]
    assert _upload(embedded, fid, images.jpeg(), role="before", problem="p1").status_code == 201
    client = embedded.app.test_client()
    for lang, label in (("zh-CN", "整改前"), ("en", "before rectification")):
        card = client.get(f"/api/wall/place/courtyards/{fid}", headers={**embedded.auth("viewer1"), "Accept-Language": lang})
        assert card.status_code == 200
        assert [p["role_label"] for p in card.get_json()["photos"]] == [label]
        assert "Accept-Language" in card.headers["Vary"]
