"""The case queues: a page of /cases and /api/cases, and a person's queue counts, answered from the process's kept
index (geo/cases/index.py `CaseIndex`) against walking every place and making every case's row per request (the
naive way, as before), in one run.

    .venv/bin/python -m bench.bench_cases [--sizes 100000] [--backends geojson,postgis] [--repeat 3]

For each size and store (bench/synthetic_stores.py: the synthetic campaign; on PostgreSQL the large layer not
kept by the process, as a worker would not keep it), each query is answered both ways `--repeat` times; it checks
that both give the same rows and count and prints the median time of each way and their ratio. Then what the
index itself costs: its build (once per process and day) and the first page after one place's edit (the index
brought up to date from the journal).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from datetime import timedelta

from bench.synthetic_stores import synthetic_stores
from geo.accounts import Principal
from geo.cases import LEVELS, QUEUES, case_of, case_row, in_queue
from geo.cases.index import CaseIndex, Query
from geo.scope import Scope

PAGE = 100  # rows of a page (/cases and /api/cases by default)


def naive_page(store, campaign, now, q: Query) -> tuple[list[dict], int]:
    """Every case's row made, filtered, ordered and cut to the page (geo/cases/queues.py `case_rows` before the
    index)."""
    factors = {u.key: u.factor for u in campaign.cases.urgencies}
    rows = []
    for layer in store.readable_layers():
        for feature in store.each_feature(layer.id):
            props = feature["properties"]
            if (q.street and props.get("street") != q.street) or (q.community and props.get("community") != q.community):
                continue
            for problem in props.get("problems") or ():
                case = case_of(problem, campaign)
                if (q.stage and case["stage"] != q.stage) or (q.unit and q.unit not in (case.get("unit"), props.get("unit"))) \
                        or (q.queue and not in_queue(q.queue, q.principal, props, case)):
                    continue
                row = case_row(layer.id, feature, problem, campaign, now)
                if (q.overdue is None or row["overdue"] == q.overdue) and \
                        (q.escalated is None or row["escalated"] == q.escalated):
                    rows.append(row)
    rows.sort(key=lambda r: (-LEVELS.index(r["level"]) if r["escalated"] else 1, not r["overdue"],
                             r["stage_due"] or "9999", factors.get(r["urgency"], 1.0), r["fid"], r["pid"] or ""))
    return rows[:PAGE], len(rows)


def naive_counts(store, campaign, principal) -> dict[str, int]:
    counts = dict.fromkeys(QUEUES, 0)
    for layer in store.readable_layers():
        for feature in store.each_feature(layer.id):
            props = feature["properties"]
            for problem in props.get("problems") or ():
                case = case_of(problem, campaign)
                for queue in QUEUES:
                    counts[queue] += in_queue(queue, principal, props, case)
    return counts


def timed(fn, *args) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - started) * 1000, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--backends", default="geojson,postgis")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    backends = [b for b in args.backends.split(",") if b.strip()]
    rows_out = []
    for backend, n, store in synthetic_stores(sizes, backends, "cases"):
        if backend == "postgis":
            store.layer_cache = 0  # a large layer is not kept by a worker: read from the database each time
        campaign, now = store.campaign, store.clock()
        index = CaseIndex(store, campaign)
        built, _ = timed(index.choices, store.revision(), now)
        units = Counter(c.unit for place in index._kept.places.values() for c in place.cases if c.unit)
        street = next(iter(index.choices(store.revision(), now)["streets"]))
        handler = Principal("handler", "处置人", "inspector", "session", scope=Scope(units=(units.most_common(1)[0][0],)))
        queries = [("every case, first page", Query()), ("overdue", Query(overdue=True)),
                   (f"{street}", Query(street=street)), ("a unit's handler: 待我处理", Query(handler, "handle"))]
        label = f"{backend} {n:,}"
        for name, q in queries:
            mine, theirs = [], []
            for _ in range(args.repeat):
                ms, got = timed(index.listing, store.revision(), now, q, PAGE)
                mine.append(ms)
                ms, expected = timed(naive_page, store, campaign, now, q)
                theirs.append(ms)
                assert got == expected, name
            rows_out.append((label, name, expected[1], statistics.median(mine), statistics.median(theirs)))
        mine, theirs = [], []
        for _ in range(args.repeat):
            ms, got = timed(index.counts, store.revision(), now, handler)
            mine.append(ms)
            ms, expected = timed(naive_counts, store, campaign, handler)
            theirs.append(ms)
            assert got == expected
        rows_out.append((label, "a handler's queue counts", sum(expected.values()), statistics.median(mine),
                         statistics.median(theirs)))
        layer = campaign.layers[0].id
        place = next(iter(store.each_feature(layer)))
        store.update(layer, place["id"], expected_version=place["properties"]["version"], user="bench",
                     properties={"name": f"{place['properties'].get('name') or ''}·"})
        caught, _ = timed(index.listing, store.revision(), now + timedelta(seconds=1), Query(), PAGE)
        print(f"{label}: index built in {built:,.0f} ms; first page after an edit {caught:,.0f} ms", flush=True)
    print("| store, places | query | cases | kept index (ms, median) | every place walked (ms, median) | walked ÷ kept |")
    print("|---|---|---:|---:|---:|---:|")
    for label, name, count, mine, theirs in rows_out:
        print(f"| {label} | {name} | {count:,} | {mine:,.1f} | {theirs:,.1f} | ×{theirs / mine:,.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
