"""Real-browser harness: the app on a local port and Debian's Chromium, offline.

Every request that does not go to the app is aborted and recorded, so a test
can assert that a page never reaches outside the server.

Tests read a page's state through its one test hook, `window.guatuPage`
({walls, playbacks, editors, banner}, filled by the page's entry module,
web/static/js/lib/page-hook.js): the front end's ES modules share nothing else
on `window`.
"""

from __future__ import annotations

import json
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from tests.conftest import FakeClock
from web import create_app

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium 15x builds the address bar's suggestion popup as a web page of its own (a renderer loading some
    # two hundred scripts) for every browser context, headless or not: that work competed with each page under
    # test for the two cores. Chromium keeps the last --disable-features it is given, so this one repeats the
    # list the pinned Playwright (1.65.2, requirements-test.txt; its chromiumSwitches) passes and adds the
    # popup's two features, as Puppeteer does: compare the list again when Playwright is upgraded.
    "--disable-features=" + ",".join([
        "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
        "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
        "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin", "OptimizationHints", "NetworkTimeServiceQuerying",
        "AimEnabled", "PreconnectToSearch", "WebUIOmniboxPopup", "WebUIOmniboxAimPopup",
    ]),
]


def copy_demo(target: Path) -> Path:
    """A private copy of the demo campaign, so tests can write to it."""
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("journal.jsonl", ".*.lock"))
    return target


class LiveServer:
    def __init__(self, app) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


def demo_with_map(target: Path, **settings) -> Path:
    """The demo campaign copied to `target` with these settings of its campaign.json's `map` changed (a large
    layer: `viewport_above`, `vector_tiles_from`)."""
    data = copy_demo(target)
    config = json.loads((data / "campaign.json").read_text(encoding="utf-8"))
    config["map"].update(settings)
    (data / "campaign.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return data


@contextmanager
def live_server(data_dir: Path, **config):
    """The app on a free local port; public read-only view unless the test says otherwise. Its clock stands at
    the demo's "today" (2026-11-24, 16:00 in Zhengzhou) unless the test passes its own `GUATU_CLOCK`: what
    is overdue or overnight never depends on the day the tests run."""
    settings = {"GUATU_DATA": str(data_dir), "GUATU_INSTANCE": str(data_dir.parent / "instance"),
                "GUATU_PUBLIC_VIEW": True, "GUATU_CLOCK": FakeClock()}
    app = create_app({**settings, **config})
    with LiveServer(app) as server:
        yield server


@contextmanager
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def open_page(browser: Browser, base_url: str, path: str = "/", *, width: int = 1600, height: int = 1000,
              scale: float = 1, page_clock: datetime | None = None, locale: str = "zh-CN",
              touch: bool = False) -> tuple[Page, PageLog]:
    """A page that may only talk to `base_url`; everything else is blocked and logged.

    `page_clock`: Playwright's clock is installed at that time before the page loads, so the page's own
    `Date` agrees with the server's clock and its timers can be run on at once (`page.clock.run_for`)
    instead of waited for; until a test moves it, its time flows from there as usual. `locale`: the browser's
    language, sent as Accept-Language (the campaign's people browse in Chinese). `touch`: a phone or tablet
    (a mobile viewport that honours `<meta name=viewport>`, touch events, `page.tap`)."""
    # the pages answer a browser's Accept-Language (web/core/language.py)
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale, locale=locale,
                                  is_mobile=touch, has_touch=touch)
    return _guarded_page(context, base_url, path, page_clock)


PHONE = {"width": 390, "height": 844}  # a phone held upright, in CSS pixels


# A phone whose storage fills up: IndexedDB refuses to add or put anything while the page's `guatuStorageFull` is
# true, as a browser does when its quota is used up (QuotaExceededError).
STORAGE_FULL = """(() => {
    for (const name of ['add', 'put']) {
        const native = IDBObjectStore.prototype[name];
        IDBObjectStore.prototype[name] = function (...args) {
            if (window.guatuStorageFull) throw new DOMException('the quota is used up', 'QuotaExceededError');
            return native.apply(this, args);
        };
    }
})();"""

# A browser that keeps nothing on the phone (a private window of some browsers): IndexedDB cannot be opened.
NO_STORAGE = """IDBFactory.prototype.open = function () {
    throw new DOMException('storage is not available', 'InvalidStateError');
};"""


def open_phone_page(browser: Browser, base_url: str, path: str = "/", *, geolocation: tuple[float, float] | None = None,
                    locale: str = "zh-CN", init_script: str | None = None) -> tuple[Page, PageLog]:
    """`open_page` on a phone: 390 px wide, touch, mobile viewport; the device at `geolocation` (lon, lat) with
    the permission to read it, or without a position; `init_script` run in every page before its own (e.g.
    `STORAGE_FULL`)."""
    options = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True, "locale": locale}
    if geolocation is not None:
        options |= {"geolocation": {"longitude": geolocation[0], "latitude": geolocation[1], "accuracy": 12},
                    "permissions": ["geolocation"]}
    context = browser.new_context(**options)
    if init_script:
        context.add_init_script(init_script)
    return _guarded_page(context, base_url, path, None)


def _guarded_page(context, base_url: str, path: str, page_clock: datetime | None) -> tuple[Page, PageLog]:
    log = PageLog()
    allowed = urlsplit(base_url).netloc

    def guard(route, request):
        log.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob") or parts.netloc == allowed:
            route.continue_()
        else:
            log.outside.append(request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and log.console_errors.append(m.text))
    page.on("pageerror", lambda e: log.console_errors.append(str(e)))
    if page_clock is not None:
        page.clock.install(time=page_clock)
    page.goto(base_url + path)
    return page, log


def wait_ready(page: Page, timeout: float = 30_000) -> None:
    page.wait_for_selector("html[data-guatu-ready='true']", state="attached", timeout=timeout)


def canvas_pixels(page: Page, points: dict[str, list[float]], wall_index: int = 0) -> dict[str, list[int]]:
    """RGBA of a wall map's places canvas at each [lat, lon], zoomed in on it, after the pending redraw."""
    return page.evaluate("""async ([index, points]) => {
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        const map = window.guatuPage.walls[index].map;
        const out = {};
        for (const [key, latlng] of Object.entries(points)) {
            map.setView(latlng, 18, {animate: false});
            const canvas = map.getPane('guatu-features').querySelector('canvas');
            const rect = canvas.getBoundingClientRect();
            const mapRect = map.getContainer().getBoundingClientRect();
            const p = map.latLngToContainerPoint(latlng);
            const x = Math.round((p.x + mapRect.left - rect.left) * canvas.width / rect.width);
            const y = Math.round((p.y + mapRect.top - rect.top) * canvas.height / rect.height);
            out[key] = Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
        }
        return out;
    }""", [wall_index, points])
