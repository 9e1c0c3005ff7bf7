"""The front end's files over a slow network: Guatu's static files (gzipped, a bundle's files kept by the browser:
web/core/static_files.py) against Flask's own way of sending them (as they are on disk, asked about again at
every load), in one run.

    .venv/bin/python -m bench.bench_static              # medians of 3
    .venv/bin/python -m bench.bench_static --repeat 5

The demo campaign is served twice, the one app as it is, the other with its `static` endpoint given back to
Flask's `send_from_directory` (the naive way: what a Flask app does unless told otherwise). Chromium's network is
slowed by its DevTools protocol (`Network.emulateNetworkConditions`), the two measured in turn:

* **a phone on a weak signal** (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip), 390 px, touch, an inspector
  logged in (in another browser context, so the login page's files are not in this one's cache): the field page
  from navigation to its list shown (`data-field-list-shown`: the cards drawn) and to its map drawn too
  (`data-field-ready`; its service worker is registered only after that, and
  the protocol's slowing does not reach a service worker, so the time until it has precached the page is not
  measured);
* **a command room on a district line** (10 Mbit/s, 30 ms round trip), 3840×2160: the wall from navigation to
  ready (`data-guatu-ready`: its places drawn), opened the first time and then again in the same browser (the
  next morning's screen).

Bytes are what crossed the network before the page was ready (the page and its files, `transferSize`: nothing
for a file the browser had, a few hundred bytes for a 304).

The phone also opens the residents' reporting page (`/report`, no sign-in) until its map is drawn
(`data-report-ready`). Both phone pages are also measured on a third server, Guatu's with
`GUATU_SCRIPT_BUNDLES=false`: their own scripts as their modules (fifteen and eleven), as they loaded them before
their bundles (web/core/bundles.py), in the same turns.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from flask import send_from_directory
from playwright.sync_api import sync_playwright

from tests.browser.editor_session import PASSWORD, sign_in
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, copy_demo, live_server
from web.core.modules import STATIC

PHONE_NET = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
ROOM_NET = {"offline": False, "latency": 30, "downloadThroughput": 10_000_000 / 8, "uploadThroughput": 10_000_000 / 8}
TIMEOUT_MS = 300_000

# Installed before the page's scripts: when each of the page's marks of readiness is set.
MARKS = """
new MutationObserver(() => {
  const d = document.documentElement && document.documentElement.dataset;
  if (!d) return;
  window.__at = window.__at || {};
  for (const k of ['guatuReady', 'fieldListShown', 'fieldReady', 'reportReady']) {
    if (d[k] && !(k in window.__at)) window.__at[k] = performance.now();
  }
}).observe(document, {attributes: true, subtree: true});
"""

SENT_BEFORE = """(at) => [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]
    .filter(e => e.responseEnd <= at).reduce((n, e) => n + e.transferSize, 0)"""


def naive_static(filename: str):
    """Flask's own static view: the file as it is, `no-cache` (asked about at every load)."""
    return send_from_directory(STATIC, filename, max_age=None)


def until(page, mark: str) -> float:
    page.wait_for_function(f"() => window.__at && window.__at.{mark}", timeout=TIMEOUT_MS, polling=50)
    return page.evaluate(f"() => window.__at.{mark}")


def slowed(context, page, net: dict) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", net)


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN"}


def on_phone(browser, url: str, mark: str, then: str | None = None, **context_options) -> dict:
    """A phone on a weak signal opens `url`: from navigation to the page's `mark`, and the bytes sent before it;
    with `then`, also to that later mark."""
    context = browser.new_context(**PHONE, **context_options)
    context.add_init_script(MARKS)
    page = context.new_page()
    slowed(context, page, PHONE_NET)
    page.goto(url, timeout=TIMEOUT_MS, wait_until="commit")
    ready = until(page, mark)
    sent = page.evaluate(SENT_BEFORE, ready)
    later = {"then_ms": until(page, then)} if then else {}
    context.close()
    return {"ready_ms": ready, "bytes": sent, **later}


def field(browser, url: str) -> dict:
    """An inspector's phone, signed in, opens the field page: from navigation to its list shown, and to its map."""
    login = browser.new_context(**PHONE)
    page = login.new_page()
    page.goto(url + "/login?next=/api/health", timeout=TIMEOUT_MS)
    sign_in(page, "inspector1")
    page.wait_for_load_state()
    signed_in = login.storage_state()  # the session cookie, and nothing of the login page's files
    login.close()
    return on_phone(browser, url + "/field/", "fieldListShown", "fieldReady", storage_state=signed_in)


def report(browser, url: str) -> dict:
    """A resident's phone opens the reporting page (no sign-in): from navigation to its map drawn."""
    return on_phone(browser, url + "/report", "reportReady")


def wall(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 3840, "height": 2160}, device_scale_factor=1, locale="zh-CN")
    context.add_init_script(MARKS)
    out = {}
    for visit in ("first", "again"):
        page = context.new_page()
        slowed(context, page, ROOM_NET)
        page.goto(url + "/wall?refresh=0", timeout=TIMEOUT_MS, wait_until="commit")
        ready = until(page, "guatuReady")
        out[f"{visit}_ms"] = ready
        out[f"{visit}_bytes"] = page.evaluate(SENT_BEFORE, ready)
        page.close()
    context.close()
    return out


def run(repeat: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="guatu-bench-static-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ours_data = copy_demo(Path(tmp) / "ours" / "data")  # each beside its own instance folder (its accounts)
        naive_data = copy_demo(Path(tmp) / "naive" / "data")
        modules_data = copy_demo(Path(tmp) / "modules" / "data")
        try:
            with live_server(ours_data, GUATU_PUBLIC_VIEW=True) as ours, \
                    live_server(naive_data, GUATU_PUBLIC_VIEW=True) as naive, \
                    live_server(modules_data, GUATU_PUBLIC_VIEW=True, GUATU_SCRIPT_BUNDLES="false") as modules:
                naive.app.view_functions["static"] = naive_static  # the way compared against
                for s in (ours, naive, modules):
                    s.app.extensions["guatu_accounts"].create_user("inspector1", PASSWORD, "editor", "王巡查")
                    field(browser, s.url)  # the server's caches filled
                    report(browser, s.url)
                    if s is not modules:
                        wall(browser, s.url)
                runs: dict[str, list[dict]] = {"ours": [], "naive": [], "modules": []}
                for _ in range(repeat):  # in turn, so a busy machine slows them all alike
                    for way, s in (("naive", naive), ("modules", modules), ("ours", ours)):
                        walls = wall(browser, s.url) if s is not modules else {}
                        runs[way].append({**{f"field_{k}": v for k, v in field(browser, s.url).items()},
                                          **{f"report_{k}": v for k, v in report(browser, s.url).items()},
                                          **{f"wall_{k}": v for k, v in walls.items()}})
        finally:
            browser.close()
    return {way: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for way, rs in runs.items()}


ROWS = (
    ("phone, field page: list shown (ms)", "field_ready_ms"),
    ("phone, field page: bytes before the list", "field_bytes"),
    ("phone, field page: its map drawn too (ms)", "field_then_ms"),
    ("phone, report page: map drawn (ms)", "report_ready_ms"),
    ("phone, report page: bytes before the map", "report_bytes"),
    ("command room, wall opened: ready (ms)", "wall_first_ms"),
    ("command room, wall opened: bytes", "wall_first_bytes"),
    ("command room, wall opened again: ready (ms)", "wall_again_ms"),
    ("command room, wall opened again: bytes", "wall_again_bytes"),
)


def table(med: dict[str, dict[str, float]]) -> str:
    out = ["| figure | Flask's own (naive) | Guatu | naive ÷ Guatu |", "|---|---:|---:|---:|"]
    for label, key in ROWS:
        naive, ours = med["naive"][key], med["ours"][key]
        out.append(f"| {label} | {naive:,.0f} | {ours:,.0f} | **{naive / ours:.1f}×** |")
    out += ["", "| figure | the page's modules | its bundle | modules ÷ bundle |", "|---|---:|---:|---:|"]
    for label, key in ROWS[:5]:
        modules, ours = med["modules"][key], med["ours"][key]
        out.append(f"| {label} | {modules:,.0f} | {ours:,.0f} | **{modules / ours:.1f}×** |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(table(run(args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
