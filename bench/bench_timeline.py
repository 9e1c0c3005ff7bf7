"""`/api/timeline` (places per status at the end of each day) of a large campaign: answered from the status steps a
process keeps for the milestones (geo/progress_kept.py `ProgressData.timeline`, as the route answers now; it also
keeps one answer per revision and day) against the walk of every place and the whole journal per request
(geo/progress.py `timeline`, as the route answered before), in one run: an unchanged revision, and a revision
after one edit.

    .venv/bin/python -m bench.bench_timeline [--sizes 100000] [--backends geojson,postgis] [--repeat 5]

For each size and store (bench/synthetic_stores.py: the synthetic campaign) the kept steps are built once (as a
worker's warm-up or first request builds them); then the median of `--repeat` answers each way, and of `--repeat`
edits each followed by an answer. Both ways give the same days (checked).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from bench.synthetic_stores import synthetic_stores
from geo.progress import timeline
from geo.progress_kept import ProgressData
from geo.rules import local_now

DAYS = 30  # the route's default range


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(backend: str, n: int, store, repeat: int) -> tuple:
    campaign = store.campaign
    kept_steps = ProgressData(store, campaign)
    layer = campaign.layers[0].id
    place = next(iter(store.each_feature(layer)))["id"]
    statuses = [s.key for s in campaign.statuses]

    def days():
        last = local_now(campaign, store.clock()).date()
        return last - timedelta(days=DAYS - 1), last

    def kept():
        return kept_steps.timeline(store.revision(), store.clock(), *days())

    def walked():
        return timeline(store, campaign, *days())

    assert kept() == walked(), "the kept answer differs from the walk's"  # (the first builds the kept steps)
    unchanged = median_ms(kept, repeat), median_ms(walked, repeat)

    def edit_then(fn):
        def run():
            current = store.get(layer, place)["properties"]
            status = statuses[(statuses.index(current["status"]) + 1) % len(statuses)]
            store.update(layer, place, expected_version=current["version"], user="bench", properties={"status": status})
            fn()
        return run

    edited = median_ms(edit_then(kept), repeat), median_ms(edit_then(walked), repeat)
    assert kept() == walked(), "the kept answer differs from the walk's after the edits"
    for label, (k, w) in (("unchanged revision", unchanged), ("after one edit", edited)):
        print(f"{backend} {n:,}: {label}: kept {k:,.1f} ms, walked {w:,.0f} ms, ×{w / k:,.0f}", flush=True)
    return backend, n, unchanged, edited


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--backends", default="geojson,postgis")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rows = []
    backends = [b for b in args.backends.split(",") if b.strip()]
    for backend, n, store in synthetic_stores([int(s) for s in args.sizes.split(",") if s.strip()], backends,
                                              "timeline"):
        rows.append(measure(backend, n, store, args.repeat))
    print(f"| store | places | /api/timeline ({DAYS} days) | kept steps (ms) | walk per request, before (ms) "
          "| walk ÷ kept |")
    print("|---|---:|---|---:|---:|---:|")
    for backend, n, unchanged, edited in rows:
        for label, (k, w) in (("unchanged revision", unchanged), ("after one edit (the edit included)", edited)):
            print(f"| {backend} | {n:,} | {label} | {k:,.1f} | {w:,.0f} | ×{w / k:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
