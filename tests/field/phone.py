"""What the field page's browser tests share: the demo's "today", the accounts, a phone signed in to /field/,
and what an inspector does on it (record a result, attach photos made here), read back from the server."""

from __future__ import annotations

import base64
import io
import json
import urllib.error
import urllib.request
from datetime import UTC, datetime

from PIL import Image

from geo import inspections as insp
from tests.browser.harness import open_phone_page

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 16:00 in Zhengzhou, the demo's "today"
DAY = "2026-11-24"
EDITOR = ("editor1", "correct horse battery")
PLANNER = ("planner1", "correct horse battery")
HERE = (113.62, 34.74)  # lon, lat: the inspector in Erqi district


def fixed_clock() -> datetime:
    return NOW


def call(server, method: str, path: str, body: dict | None = None, who: tuple[str, str] = EDITOR) -> tuple[int, dict]:
    auth = base64.b64encode(f"{who[0]}:{who[1]}".encode()).decode()
    req = urllib.request.Request(server.url + path, method=method, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}"})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def sign_in(browser, server, geolocation=HERE, init_script=None):
    page, log = open_phone_page(browser, server.url, "/login?next=/field/", geolocation=geolocation,
                                init_script=init_script)
    page.fill("input[name=username]", EDITOR[0])
    page.fill("input[name=password]", EDITOR[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/field/")
    page.wait_for_selector("html[data-field-ready]", state="attached")
    return page, log


def card(page, fid: str):
    return page.locator(f"#field-place-{fid}")


def queue_text(page) -> str:
    return page.locator("[data-field-queue]").inner_text()


def record_on_phone(page, fid: str, result: str, category: str | None = None, notes: str = "") -> None:
    c = card(page, fid)
    c.locator(f".field-toggle[data-result={result}]").tap()
    if category:
        c.locator("select[name=category]").select_option(category)
    if notes:
        c.locator("textarea[name=notes]").fill(notes)
    c.locator(".field-save").tap()


def jpeg(colour: tuple[int, int, int], size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A photo as a phone's camera saves it: a JPEG, made here."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=85)
    return out.getvalue()


def attach_on_phone(page, fid: str, *photos: tuple[str, bytes]) -> None:
    page.locator(f"#field-place-{fid} input[type=file]").set_input_files(
        [{"name": name, "mimeType": "image/jpeg", "buffer": data} for name, data in photos])


def queued(page, n: int) -> None:
    page.wait_for_function(f"() => document.querySelector('[data-field-queue]').dataset.count === '{n}'")


def results_of(server) -> dict[str, dict | None]:
    ctx = server.app.extensions["guatu"]
    listing = insp.load(ctx.store, datetime.fromisoformat(DAY).date())
    return {p["id"]: p["result"] for p in listing["places"]}


def resend_photo(server, layer: str, fid: str, client_id: str, data: bytes) -> dict:
    """The photo API called again with a client id it has seen: 200 and the entry it holds."""
    boundary = "guatu-field-test"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="role"\r\n\r\ninspection\r\n'.encode(),
             f'--{boundary}\r\nContent-Disposition: form-data; name="inspection"\r\n\r\n{DAY}\r\n'.encode(),
             f'--{boundary}\r\nContent-Disposition: form-data; name="client_id"\r\n\r\n{client_id}\r\n'.encode(),
             (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="again.jpg"\r\n'
              "Content-Type: image/jpeg\r\n\r\n").encode() + data + b"\r\n",
             f"--{boundary}--\r\n".encode()]
    auth = base64.b64encode(f"{EDITOR[0]}:{EDITOR[1]}".encode()).decode()
    req = urllib.request.Request(f"{server.url}/api/layers/{layer}/features/{fid}/photos", method="POST",
                                 data=b"".join(parts), headers={"Authorization": f"Basic {auth}",
                                                                "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200
        return json.loads(resp.read())


