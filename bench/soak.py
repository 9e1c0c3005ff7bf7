"""All day on the wall: a long run of screens, editors and a real browser against one server, one store at a time.

    .venv/bin/python -m bench.soak [--minutes 60] [--backends geojson,postgis] [--places 10000]
                                   [--screens 30] [--editors 4] [--warmup-minutes 10] [--window-minutes 5]
                                   [--no-browser]

For each backend a synthetic campaign of `--places` places is written
(geo.synth.synthetic.write_synthetic; for PostGIS copied into a throwaway,
durable PostgreSQL cluster started here, or a schema of
$GUATU_BENCH_DATABASE_URL) and served as production serves it (gunicorn, 2
workers × 4 threads; bench/bench_scale.py `serve`). Then, for `--minutes`:

* screens: `--screens` HTTP clients poll /api/wall/state every 5 s with their
  ETag and revision (`since`), as a wall does; when the revision moved, each
  asks for the dashboard at most every 15 s and the plan against actual at
  most every 30 s (web/static/js/wall/panels.js);
* editors: `--editors` clients save a status, a name or a problem through the
  API with If-Match, each on its own share of the places, one save a second;
* a real Chromium shows /wall at 3840×2160 the whole time (polling itself).

Measured: each gunicorn worker's RSS and the browser renderer's RSS (and the
page's JS heap, DOM nodes and event listeners) every 30 s, their slope after `--warmup-minutes` (MB/h, least
squares); p50/p95 of polls, dashboard and milestones requests and edits per
`--window-minutes`; 5xx and other errors; and at the end a lost-write check:
every place's version and status as the last acknowledged save left it (each
place is saved by one editor only, so its version counts the saves that were
acknowledged). Prints one Markdown report per backend. Not part of the test
suite.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.bench_scale import Client, bench_accounts, pct, prepare, serve  # noqa: E402
from bench.processes import children, cmdline, descendants, memory_mb, server_pid  # noqa: E402
from geo.config import load_campaign  # noqa: E402
from geo.synth.synthetic import write_synthetic  # noqa: E402

LAYER = "courtyards"
STATUSES = ("pending", "in_progress", "rectified", "accepted")
POLL_S, DASHBOARD_GAP_S, MILESTONES_GAP_S = 5.0, 15.0, 30.0  # as a wall screen asks
SAMPLE_S = 30.0
KINDS = ("poll", "dashboard", "milestones", "edit")


@dataclass
class Record:
    """Everything the run saw, shared by its threads (appends to lists are atomic in CPython)."""

    started: float = field(default_factory=time.monotonic)
    calls: list[tuple[float, str, float, int]] = field(default_factory=list)  # (t, kind, ms, status)
    errors: list[str] = field(default_factory=list)
    memory: list[tuple[float, str, float]] = field(default_factory=list)  # (t, process, MB)
    acked: dict[str, tuple[int, str]] = field(default_factory=dict)  # fid → (version, status) of its last ack
    stop: threading.Event = field(default_factory=threading.Event)

    def call(self, kind: str, ms: float, status: int) -> None:
        self.calls.append((time.monotonic() - self.started, kind, ms, status))

    def error(self, what: str) -> None:
        if len(self.errors) < 1000:
            self.errors.append(what)


def _json(resp, payload: bytes):
    return json.loads(gzip.decompress(payload) if resp.getheader("Content-Encoding") == "gzip" else payload)


# --- the clients -------------------------------------------------------------------------

def screen(port: int, rec: Record, seed: int) -> None:
    """One wall screen: polls the state, then the panels when the revision moved (at most once per gap)."""
    rng = random.Random(seed)
    c = Client(port)
    etag = rev = None
    panels_etag: dict[str, str | None] = {"dashboard": None, "milestones": None}
    asked = {"dashboard": -1e9, "milestones": -1e9}
    stale = {"dashboard": True, "milestones": True}
    rec.stop.wait(rng.random() * POLL_S)  # screens switched on at different moments
    while not rec.stop.is_set():
        began = time.monotonic()
        try:
            path = "/api/wall/state?format=packed" + (f"&since={rev}" if rev is not None else "")
            resp, payload, ms = c.request("GET", path, headers={"If-None-Match": etag} if etag else None)
            rec.call("poll", ms, resp.status)
            if resp.status == 200:
                etag, rev = resp.getheader("ETag"), _json(resp, payload)["revision"]
                stale = {k: True for k in stale}
            elif resp.status != 304:
                rec.error(f"poll {resp.status}")
            for kind, gap, path in (("dashboard", DASHBOARD_GAP_S, "/api/wall/dashboard"),
                                    ("milestones", MILESTONES_GAP_S, "/api/progress/milestones")):
                if stale[kind] and time.monotonic() - asked[kind] >= gap:
                    asked[kind], stale[kind] = time.monotonic(), False
                    h = {"If-None-Match": panels_etag[kind]} if panels_etag[kind] else None
                    resp, _, ms = c.request("GET", path, headers=h)
                    rec.call(kind, ms, resp.status)
                    if resp.status == 200:
                        panels_etag[kind] = resp.getheader("ETag")
                    elif resp.status != 304:
                        rec.error(f"{kind} {resp.status}")
        except OSError as exc:
            rec.error(f"screen: {exc!r}")
        rec.stop.wait(max(0.0, POLL_S - (time.monotonic() - began)))


def editor(port: int, token: str, rec: Record, mine: list[str], versions: dict[str, int], seed: int,
           category: str) -> None:
    """One editor saving its own places through the API with If-Match, about once a second."""
    rng = random.Random(seed)
    c = Client(port, token)
    while not rec.stop.is_set():
        fid = rng.choice(mine)
        what = rng.random()
        status = rng.choice(STATUSES)
        props: dict = {"status": status}
        if what < 0.2:
            props["name"] = f"巡查{rng.randint(1, 999)}号院"
        elif what < 0.35:
            props["problems"] = [{"id": "p1", "category": category, "description": "垃圾未清运", "status": "open",
                                  "found_on": "2026-11-20", "deadline": "2026-11-30"}]
        try:
            resp, payload, ms = c.request("PATCH", f"/api/layers/{LAYER}/features/{fid}", body={"properties": props},
                                          headers={"If-Match": f'"{fid}-v{versions[fid]}"'})
            rec.call("edit", ms, resp.status)
            if resp.status == 200:
                saved = _json(resp, payload)["properties"]
                versions[fid] = saved["version"]
                rec.acked[fid] = (saved["version"], saved["status"])
            else:
                rec.error(f"edit {fid} {resp.status} {payload[:160]!r}")
        except OSError as exc:
            rec.error(f"editor: {exc!r}")
        rec.stop.wait(1.0)


# --- memory ---------------------------------------------------------------------------------

def sample_workers(master: int, rec: Record) -> None:
    """RSS of each gunicorn worker (the master's children)."""
    t = time.monotonic() - rec.started
    for i, pid in enumerate(sorted(children(master))):
        mb = memory_mb(pid)
        if mb is not None:
            rec.memory.append((t, f"worker {i + 1} RSS (MB)", mb))


def sample_renderers(rec: Record, metrics: dict[str, float]) -> None:
    """RSS of this process's Chromium renderers (summed), and the page's JS heap, DOM nodes and event listeners
    (the DevTools protocol's Performance.getMetrics)."""
    t = time.monotonic() - rec.started
    renderers = [p for p in descendants(os.getpid()) if "--type=renderer" in cmdline(p)]
    if renderers:
        rec.memory.append((t, "renderer RSS (MB)", sum(memory_mb(p) or 0.0 for p in renderers)))
    for name, metric, scale in (("renderer JS heap (MB)", "JSHeapUsedSize", 2**20), ("renderer DOM nodes", "Nodes", 1),
                                ("renderer event listeners", "JSEventListeners", 1)):
        if metric in metrics:
            rec.memory.append((t, name, metrics[metric] / scale))


def run_browser(port: int, rec: Record) -> None:
    """A real Chromium on the wall at 4K for the whole run (this thread owns it), its renderer's memory sampled
    every SAMPLE_S; a browser that fails is an error of the run, and the rest goes on."""
    from tests.browser.harness import chromium

    try:
        with chromium() as browser:
            context = browser.new_context(viewport={"width": 3840, "height": 2160})
            page = context.new_page()
            page.on("pageerror", lambda e: rec.error(f"page: {e}"))
            page.on("console", lambda m: m.type == "error" and rec.error(f"console: {m.text}"))
            page.goto(f"http://127.0.0.1:{port}/wall", wait_until="commit", timeout=600_000)
            page.wait_for_selector("html[data-guatu-ready='true']", state="attached", timeout=600_000)
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            while not rec.stop.is_set():
                sample_renderers(rec, {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]})
                deadline = time.monotonic() + SAMPLE_S
                while time.monotonic() < deadline and not rec.stop.is_set():
                    page.wait_for_timeout(1000)  # the page runs (and polls) while this thread waits
            context.close()
    except Exception as exc:  # the report says so; the server's figures stand
        rec.error(f"browser: {exc!r}"[:300])


def run_sampler(rec: Record, master: int) -> None:
    while not rec.stop.is_set():
        sample_workers(master, rec)
        rec.stop.wait(SAMPLE_S)


# --- one backend ----------------------------------------------------------------------------

def soak(backend: str, args, pristine: Path, work: Path, db_url: str | None) -> str:
    data, env = prepare(backend, args.places, pristine, work, db_url)
    instance = work / f"instance-{backend}"
    instance.mkdir()
    accounts = bench_accounts(instance, data, env)  # the database's accounts with PostGIS, as the server reads them
    accounts.create_user("soak", "correct horse battery", "editor", "压测")
    _, token = accounts.create_api_token("soak", "soak")
    rec = Record()
    with serve(data, instance, env) as port:
        master = server_pid(port)
        resp, payload, _ = Client(port).request("GET", f"/api/layers/{LAYER}/features?limit=100000")
        versions = {f["id"]: f["properties"]["version"] for f in _json(resp, payload)["features"]}
        ids = sorted(versions)
        rec.started = time.monotonic()
        threads = [threading.Thread(target=screen, args=(port, rec, k), daemon=True) for k in range(args.screens)]
        category = load_campaign(data).categories[0]
        threads += [threading.Thread(target=editor, args=(port, token, rec, ids[k::args.editors], versions, 100 + k,
                                                          category), daemon=True) for k in range(args.editors)]
        threads.append(threading.Thread(target=run_sampler, args=(rec, master), daemon=True))
        if not args.no_browser:
            threads.append(threading.Thread(target=run_browser, args=(port, rec), daemon=True))
        for t in threads:
            t.start()
        rec.stop.wait(args.minutes * 60)
        rec.stop.set()
        for t in threads:
            t.join(120)
        lost = lost_writes(port, rec)
    return report(backend, args, rec, lost)


def lost_writes(port: int, rec: Record) -> list[str]:
    """Places whose stored version or status is not what their last acknowledged save left."""
    resp, payload, _ = Client(port).request("GET", f"/api/layers/{LAYER}/features?limit=100000")
    stored = {f["id"]: f["properties"] for f in _json(resp, payload)["features"]}
    return [f"{fid}: acknowledged v{v} {s}, stored {stored.get(fid, {}).get('version')} "
            f"{stored.get(fid, {}).get('status')}" for fid, (v, s) in sorted(rec.acked.items())
            if fid not in stored or (stored[fid]["version"], stored[fid]["status"]) != (v, s)]


# --- the report -----------------------------------------------------------------------------

def slope_per_hour(points: list[tuple[float, float]]) -> float | None:
    if len(points) < 3 or len({t for t, _ in points}) < 2:
        return None
    fit = statistics.linear_regression([t for t, _ in points], [mb for _, mb in points])
    return fit.slope * 3600


def report(backend: str, args, rec: Record, lost: list[str]) -> str:
    warm = args.warmup_minutes * 60
    window = args.window_minutes * 60
    lines = [f"### {backend}: {args.places:,} places, {args.screens} screens, {args.editors} editors, "
             f"{'no browser' if args.no_browser else 'one Chromium at 3840×2160'}, {args.minutes:g} min "
             f"(warm-up {args.warmup_minutes:g} min)", ""]
    lines += ["| series | at warm-up end | at end | slope after warm-up (per hour) |", "|---|---|---|---|"]
    for name in sorted({p for _, p, _ in rec.memory}):
        pts = [(t, mb) for t, p, mb in rec.memory if p == name]
        after = [(t, mb) for t, mb in pts if t >= warm] or pts
        slope = slope_per_hour(after)
        lines.append(f"| {name} | {after[0][1]:.0f} | {pts[-1][1]:.0f} | "
                     f"{'–' if slope is None else f'{slope:+.0f}'} |")
    lines += ["", "| window (min) | " + " | ".join(f"{k} p50 / p95 (ms)" for k in KINDS) + " | requests |",
              "|---" * (len(KINDS) + 2) + "|"]
    end = max((t for t, *_ in rec.calls), default=0.0)
    k = 0
    while k * window <= end:
        rows = [c for c in rec.calls if k * window <= c[0] < (k + 1) * window]
        cells = []
        for kind in KINDS:
            ms = [c[2] for c in rows if c[1] == kind]
            cells.append(f"{statistics.median(ms):.1f} / {pct(ms, 95):.1f}" if ms else "–")
        lines.append(f"| {k * args.window_minutes:g}–{(k + 1) * args.window_minutes:g} | " + " | ".join(cells)
                     + f" | {len(rows):,} |")
        k += 1
    fives = sum(1 for c in rec.calls if c[3] >= 500)
    edits = sum(1 for c in rec.calls if c[1] == "edit" and c[3] == 200)
    lines += ["", f"- requests: {len(rec.calls):,}; 5xx: {fives}; other errors: {len(rec.errors)}"
              + (f" (first: {rec.errors[0]})" if rec.errors else ""),
              f"- acknowledged saves: {edits:,} on {len(rec.acked):,} places; lost: {len(lost)}"
              + (f" (first: {lost[0]})" if lost else "")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--backends", default="geojson,postgis")
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--screens", type=int, default=30)
    parser.add_argument("--editors", type=int, default=4)
    parser.add_argument("--warmup-minutes", type=float, default=None,
                        help="memory slopes are fitted after this (default: 10, or a third of a shorter run)")
    parser.add_argument("--window-minutes", type=float, default=5.0)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: the server and the cluster stop too
    if args.warmup_minutes is None:
        args.warmup_minutes = min(10.0, args.minutes / 3)
    backends = args.backends.split(",")
    db_url = os.environ.get("GUATU_BENCH_DATABASE_URL")
    cluster = None
    work = Path(tempfile.mkdtemp(prefix="guatu-soak-"))
    reports = []
    failed = False
    try:
        if "postgis" in backends and not db_url:
            from tests.pg_cluster import ThrowawayCluster

            cluster = ThrowawayCluster(durable=True).start()
            db_url = cluster.url
        pristine = work / "synthetic"
        write_synthetic(pristine, args.places, seed=1)
        for backend in backends:
            text = soak(backend, args, pristine, work, db_url)
            print(text + "\n", flush=True)
            reports.append(text)
            failed |= "; 5xx: 0;" not in text or "; lost: 0" not in text
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
