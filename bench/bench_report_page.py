"""The daily report's page (/reports/daily) of a large campaign: the most urgent escalated cases listed (the page as
it is) against every escalated case written into the page (the naive way, as before), in one run; the report's
data (`report_data`) with each message without parameters made once per key (`t`, as it is) against made afresh
at every call (as before: 187,000 messages at 100,000 places, each an object the garbage collector walks); and the
page's data (`details=False`: the detail sheets counted, not kept, the 100 most urgent escalated cases) against the
workbook's (every row kept, what the page was given before): time and the peak of Python's allocations.

    .venv/bin/python -m bench.bench_report_page [--sizes 100000] [--repeat 3]

For each size (bench/synthetic_stores.py: the synthetic campaign, on the embedded store; the report reads every
place the same way on either store) the app serves the page through Flask's test client both ways `--repeat`
times after one warm-up request each, and prints the median time of each, the page's size and the ratio; then
`report_data` both ways (the way before swapped in for the run's second half).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import geo.messages
import web.workflow.reports
from bench.synthetic_stores import synthetic_stores
from geo.daily_report import ESCALATED, report_data
from geo.messages import DEFAULT_LANGUAGE, MESSAGES, Text
from web import create_app


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    fn()  # warm-up
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), out


def _label_afresh(key: str) -> str:
    """A message made as `t` made every one before: a new Text and its render each time."""
    entry = MESSAGES[key]
    return Text(lambda language: entry.get(language, entry[DEFAULT_LANGUAGE]).format())


def measure(n: int, store, repeat: int, instance: Path) -> tuple[list[tuple], tuple]:
    app = create_app({"GUATU_DATA": str(store.dir), "GUATU_PUBLIC_VIEW": True, "GUATU_INSTANCE": str(instance)})
    client = app.test_client()
    data = report_data(store, store.campaign, store.clock().astimezone(store.campaign.timezone).date(), store.clock())
    escalated = len(data["sheets"][ESCALATED]) - 1
    rows, listed = [], web.workflow.reports.PAGE_ROWS

    def get():
        resp = client.get("/reports/daily")
        assert resp.status_code == 200, resp.status_code
        return len(resp.data)

    try:
        for label, page_rows in ((f"the {listed} most urgent", listed), ("every one (before)", escalated)):
            web.workflow.reports.PAGE_ROWS = page_rows
            ms, size = timed(get, repeat)
            rows.append((n, f"/reports/daily, escalated cases listed: {label}", escalated, ms, size))
            print(f"{n:,}: {rows[-1][1]}: {ms:,.0f} ms, {size / 1e6:.2f} MB", flush=True)
    finally:
        web.workflow.reports.PAGE_ROWS = listed
    day, now = store.clock().astimezone(store.campaign.timezone).date(), store.clock()
    cached, _ = timed(lambda: report_data(store, store.campaign, day, now), repeat)
    kept = geo.messages._plain
    try:  # every message without parameters made afresh, as `t` made each before (the garbage collector sees each)
        geo.messages._plain = _label_afresh
        afresh, _ = timed(lambda: report_data(store, store.campaign, day, now), repeat)
    finally:
        geo.messages._plain = kept
    print(f"{n:,}: report_data: messages made once per key {cached:,.0f} ms, made afresh {afresh:,.0f} ms", flush=True)
    ways = {"the page's": lambda: report_data(store, store.campaign, day, now, details=False, escalated_rows=listed),
            "the workbook's (the page's before)": lambda: report_data(store, store.campaign, day, now)}
    lean = []
    for label, build in ways.items():
        ms, _ = timed(build, repeat)
        tracemalloc.start()
        build()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        lean.append((label, ms, peak))
        print(f"{n:,}: report_data, {label} data: {ms:,.0f} ms, peak {peak:,.0f} MB allocated", flush=True)
    return rows, (n, escalated, cached, afresh), (n, lean)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    pages, labels, leans = [], [], []
    instance = Path(tempfile.mkdtemp(prefix="guatu-bench-report-instance-"))
    for _, n, store in synthetic_stores([int(s) for s in args.sizes.split(",") if s.strip()], ["geojson"], "report"):
        got, label, lean = measure(n, store, args.repeat, instance)
        pages.append(got)
        labels.append(label)
        leans.append(lean)
    shutil.rmtree(instance, ignore_errors=True)
    print("| places | the page | escalated cases | ms (median) | bytes |")
    print("|---:|---|---:|---:|---:|")
    for got in pages:
        for n, what, count, ms, size in got:
            print(f"| {n:,} | {what} | {count:,} | {ms:,.0f} | {size:,} |")
        print(f"| | every one ÷ the most urgent | | ×{got[1][3] / got[0][3]:.2f} | ×{got[1][4] / got[0][4]:,.0f} |")
    print("| places | report_data (escalated cases) | messages made once per key (ms) | made afresh, as before (ms) "
          "| afresh ÷ once |")
    print("|---:|---:|---:|---:|---:|")
    for n, count, cached, afresh in labels:
        print(f"| {n:,} | {count:,} | {cached:,.0f} | {afresh:,.0f} | ×{afresh / cached:,.2f} |")
    print("| places | report_data | ms (median) | peak allocated (MB) |")
    print("|---:|---|---:|---:|")
    for n, lean in leans:
        for label, ms, peak in lean:
            print(f"| {n:,} | {label} | {ms:,.0f} | {peak:,.0f} |")
        (_, ms_page, peak_page), (_, ms_whole, peak_whole) = lean
        print(f"| | the workbook's ÷ the page's | ×{ms_whole / ms_page:.2f} | ×{peak_whole / peak_page:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
