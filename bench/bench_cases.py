"""The case queues and "my places": a page of /cases and /api/cases, a person's queue counts, a person's and a unit's
places (/mine) and the names its form offers, answered from the process's kept indexes (geo/cases/index.py
`CaseIndex`, geo/responsibility.py `Responsibility`) against walking every place per request (the naive way, as
before), in one run.

    .venv/bin/python -m bench.bench_cases [--sizes 100000] [--backends geojson,postgis] [--repeat 3]

For each size and store (bench/synthetic_stores.py: the synthetic campaign; on PostgreSQL the large layer not
kept by the process, as a worker would not keep it), each query is answered both ways `--repeat` times; it checks
that both give the same rows and count and prints the median time of each way and their ratio. Then what the
index itself costs: its build (once per process) and the first page after one place's edit (the index
brought up to date from the journal).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections import Counter
from datetime import timedelta

from bench.synthetic_stores import synthetic_stores
from geo.accounts import Principal
from geo.cases.index import CaseIndex, Query
from geo.responsibility import Responsibility
from geo.scope import Scope
from tests.walked import walked_cases, walked_counts, walked_mine, walked_names

PAGE = 100  # rows of a page (/cases and /api/cases by default)


def _page(rows: list[dict]) -> tuple[list[dict], int]:
    """The first page of every case walked, and how many there are (/cases as it was answered before the index)."""
    return rows[:PAGE], len(rows)


def compare(label: str, name: str, repeat: int, mine_fn, naive_fn, size) -> tuple:
    """Both ways `repeat` times, checked equal: (label, name, size of the answer, median ms kept, median ms naive)."""
    mine, theirs = [], []
    for _ in range(repeat):
        ms, got = timed(mine_fn)
        mine.append(ms)
        ms, expected = timed(naive_fn)
        theirs.append(ms)
        assert got == expected, name
    return label, name, size(expected), statistics.median(mine), statistics.median(theirs)


def timed(fn, *args) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - started) * 1000, out


def measure(label: str, store, repeat: int) -> list[tuple]:
    """One store's rows of the table; prints what the indexes cost to build and to bring up to date."""
    campaign, now = store.campaign, store.clock()
    index = CaseIndex(store, campaign)
    built, _ = timed(index.choices, store.revision(), now)
    mine = Responsibility(store, campaign)
    built_mine, _ = timed(mine.names, store.revision(), now)
    gc.collect()
    gc.freeze()  # what is kept stays out of the collector's passes, as after a worker's warm-up (web/wall/warmup.py)
    units = Counter(c.unit for place in index._kept.places.values() for c in place.cases if c.unit)
    street = next(iter(index.choices(store.revision(), now)["streets"]))
    handler = Principal("handler", "处置人", "inspector", "session", scope=Scope(units=(units.most_common(1)[0][0],)))
    queries = [("every case, first page", Query()), ("overdue", Query(overdue=True)),
               (f"{street}", Query(street=street)), ("a unit's handler: 待我处理", Query(handler, "handle"))]
    out = [compare(label, name, repeat, lambda q=q: index.listing(store.revision(), now, q, PAGE),
                   lambda q=q: _page(walked_cases(store, campaign, now, q)), lambda r: r[1]) for name, q in queries]
    out.append(compare(label, "a handler's queue counts", repeat, lambda: index.counts(store.revision(), now, handler),
                       lambda: walked_counts(store, campaign, handler), lambda r: sum(r.values())))
    person = Counter(n for a in mine._kept.places.values() for n in a.people()).most_common(1)[0][0]
    unit = Counter(a.unit for a in mine._kept.places.values() if a.unit).most_common(1)[0][0]
    for who in ({"person": person}, {"unit": unit}):
        out.append(compare(label, f"my places: {next(iter(who.values()))}", repeat,
                           lambda who=who: mine.places(store.revision(), now, **who),
                           lambda who=who: walked_mine(store, campaign, now, **who), lambda r: r["count"]))
    out.append(compare(label, "the names my places offers", repeat, lambda: mine.names(store.revision(), now),
                       lambda: walked_names(store), lambda r: len(r["people"]) + len(r["units"])))
    layer = campaign.layers[0].id
    place = next(iter(store.each_feature(layer)))
    store.update(layer, place["id"], expected_version=place["properties"]["version"], user="bench",
                 properties={"name": f"{place['properties'].get('name') or ''}·"})
    caught, _ = timed(index.listing, store.revision(), now + timedelta(seconds=1), Query(), PAGE)
    print(f"{label}: case index built in {built:,.0f} ms, responsibility in {built_mine:,.0f} ms; "
          f"the first page after an edit {caught:,.0f} ms", flush=True)
    gc.unfreeze()  # (the next store is measured as this one was)
    return out


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
        rows_out += measure(f"{backend} {n:,}", store, args.repeat)
    print("| store, places | query | cases (places, names) | kept index (ms, median) | every place walked (ms, median) "
          "| walked ÷ kept |")
    print("|---|---|---:|---:|---:|---:|")
    for label, name, count, mine, theirs in rows_out:
        print(f"| {label} | {name} | {count:,} | {mine:,.1f} | {theirs:,.1f} | ×{theirs / mine:,.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
