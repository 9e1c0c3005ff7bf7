"""The notifications' sender at scale: its rounds with the open cases kept in the store in shards, a round
reading only the shards it needs (geo/notify/open_cases.py), against the naive round measured in the same run —
the index kept as one record, read whole, every open case looked at by the clock, and written whole again (as
the sender did before).

    .venv/bin/python -m bench.bench_notify [--sizes 10000,100000] [--backends geojson,postgis] [--rounds 7]

For each size a synthetic campaign is written (geo.synth.synthetic.write_synthetic) and, for PostGIS, copied into
a throwaway PostgreSQL cluster started here (or $GUATU_BENCH_DATABASE_URL). Measured, in one process:

* first round: the index built from every place and its shards written (told nothing: it is the first);
* a quiet round (nothing new): the sender's and the naive one (median ms);
* a round after one new problem on a place: both again, with the bytes each writes to the store;
* memory (Python allocations traced, MB): the most the sender's first round and a round after an edit hold at
  once (it keeps nothing between rounds), against the naive index, held whole.

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import orjson  # noqa: E402

from bench.synthetic_stores import synthetic_stores  # noqa: E402
from geo.ledger import add_problem  # noqa: E402
from geo.notify.case_news import case_entry, case_key, clock_events  # noqa: E402
from geo.notify.open_cases import stored_entries  # noqa: E402
from geo.notify.sources import CURSOR, KEY, collect  # noqa: E402
from geo.store.base import iso  # noqa: E402

NAIVE = "bench-naive-cursor"


def ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


class Written:
    """Counts the bytes a store's records take as they are written (the store's own encoding)."""

    def __init__(self, store) -> None:
        self.bytes = 0
        put = store.put_record

        def counted(kind: str, key: str, value: dict) -> None:
            self.bytes += len(orjson.dumps(value, option=orjson.OPT_INDENT_2))
            put(kind, key, value)

        store.put_record = counted


def naive_index(store, campaign) -> dict:
    cases: dict[str, dict] = {}
    for layer in store.readable_layers():
        for feature in store.each_feature(layer.id):
            for problem in feature["properties"].get("problems") or ():
                entry = case_entry(layer.id, feature, problem, campaign)
                if entry is not None:
                    cases[case_key(entry)] = entry
    return {"seq": store.revision(), "cases": cases, "fired": {}}


def naive_round(store, campaign, now) -> int:
    """The index read whole, brought up to the journal, every open case looked at, the index written whole."""
    state = store.record(NAIVE, "journal")
    at = iso(now)
    for change in store.change_entries(store.changes_since(state["seq"])):
        place = f"{change['layer']}/{change['id']}/"
        for key in [k for k in state["cases"] if k.startswith(place)]:
            del state["cases"][key]
        for problem in ((change.get("after") or {}).get("properties") or {}).get("problems") or ():
            entry = case_entry(change["layer"], change["after"], problem, campaign)
            if entry is not None:
                state["cases"][case_key(entry)] = entry
        state["seq"] = change["seq"]
    new = 0
    for key, entry in state["cases"].items():
        for event in clock_events(entry, campaign, now, at):
            if event.id not in state["fired"].setdefault(key, []):
                state["fired"][key].append(event.id)
                new += 1
    with store.records_locked(NAIVE):
        store.put_record(NAIVE, "journal", state)
    return new


def traced_mb(build) -> tuple[object, float, float]:
    """What `build` returns, the memory it left allocated and the most it held at once (MB)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    built = build()
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return built, (after - before) / 2**20, (peak - before) / 2**20


def one_edit(store, campaign, now) -> None:
    """A new problem on the first place of the courtyards (a case opened: the index changes)."""
    feature = next(iter(store.each_feature("courtyards")))
    changes = add_problem(feature, {"category": campaign.categories[0], "description": "压测新增问题"}, campaign,
                          now.astimezone(campaign.timezone).date(), now=now, user="bench", by="压测")
    store.update("courtyards", feature["id"], expected_version=feature["properties"]["version"], user="压测",
                 properties=changes, case_write=True)


def measure(store, campaign, rounds: int) -> dict:
    now = store.clock()
    out: dict = {}
    started = time.perf_counter()
    written = Written(store)
    collect(store, campaign, now)
    out["first_ms"] = ms(started)
    out["first_bytes"] = written.bytes
    out["open_cases"] = sum(1 for _ in stored_entries(store))

    def first_round() -> None:  # again, traced
        with store.records_locked(CURSOR):
            store.delete_record(CURSOR, KEY)
        collect(store, campaign, now)

    out["first_peak_mb"] = traced_mb(first_round)[2]
    naive, out["naive_mb"], _ = traced_mb(lambda: naive_index(store, campaign))
    started = time.perf_counter()
    with store.records_locked(NAIVE):
        store.put_record(NAIVE, "journal", naive)
    del naive
    naive_round(store, campaign, now)  # the events due now noted (as the sender's first round notes them)
    out["naive_first_ms"] = ms(started)
    quiet, quiet_naive, edit, edit_naive, edit_bytes, edit_naive_bytes = [], [], [], [], [], []
    for _ in range(rounds):
        now = now + timedelta(seconds=10)
        started = time.perf_counter()
        collect(store, campaign, now)
        quiet.append(ms(started))
        started = time.perf_counter()
        naive_round(store, campaign, now)
        quiet_naive.append(ms(started))
        one_edit(store, campaign, now)
        written.bytes = 0
        started = time.perf_counter()
        collect(store, campaign, now)
        edit.append(ms(started))
        edit_bytes.append(written.bytes)
        written.bytes = 0
        started = time.perf_counter()
        naive_round(store, campaign, now)
        edit_naive.append(ms(started))
        edit_naive_bytes.append(written.bytes)
    out.update(quiet_ms=statistics.median(quiet), quiet_naive_ms=statistics.median(quiet_naive),
               edit_ms=statistics.median(edit), edit_naive_ms=statistics.median(edit_naive),
               edit_bytes=statistics.median(edit_bytes), edit_naive_bytes=statistics.median(edit_naive_bytes))
    one_edit(store, campaign, now)
    _, out["kept_mb"], out["edit_peak_mb"] = traced_mb(lambda: collect(store, campaign, now))
    return out


ROWS = [
    ("open cases", "open_cases", "{:,}"),
    ("first round: index built, shards written (ms)", "first_ms", "{:,.0f}"),
    ("first round: bytes written", "first_bytes", "{:,.0f}"),
    ("naive: index built and written whole, first look (ms)", "naive_first_ms", "{:,.0f}"),
    ("quiet round, sender (ms)", "quiet_ms", "{:,.1f}"), ("quiet round, naive (ms)", "quiet_naive_ms", "{:,.1f}"),
    ("round after one edit, sender (ms)", "edit_ms", "{:,.1f}"),
    ("round after one edit, naive (ms)", "edit_naive_ms", "{:,.1f}"),
    ("bytes written after one edit, sender", "edit_bytes", "{:,.0f}"),
    ("bytes written after one edit, naive", "edit_naive_bytes", "{:,.0f}"),
    ("first round: the most held at once (MB)", "first_peak_mb", "{:,.0f}"),
    ("round after one edit: the most held at once (MB)", "edit_peak_mb", "{:,.1f}"),
    ("left allocated after a round, sender (MB)", "kept_mb", "{:,.1f}"), ("index in memory, naive (MB)", "naive_mb", "{:,.0f}"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_notify", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="geojson,postgis")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = args.backends.split(",")
    results: dict = {}
    for backend, n, store in synthetic_stores(sizes, backends, "notify"):
        results[(backend, n)] = measure(store, store.campaign, args.rounds)
        print(f"{backend} {n:,}: {results[(backend, n)]}", file=sys.stderr)
    cols = [(b, n) for n in sizes for b in backends]
    print("| figure | " + " | ".join(f"{b} {n // 1000}k" for b, n in cols) + " |")
    print("|---" * (1 + len(cols)) + "|")
    for label, key, fmt in ROWS:
        print(f"| {label} | " + " | ".join(fmt.format(results[c][key]) for c in cols) + " |")
    for b, n in cols:
        r = results[(b, n)]
        print(f"\n{b} {n:,}: a quiet round ×{r['quiet_naive_ms'] / r['quiet_ms']:.0f} faster than naive, "
              f"after an edit ×{r['edit_naive_ms'] / r['edit_ms']:.0f} faster, "
              f"×{r['edit_naive_bytes'] / max(1, r['edit_bytes']):.0f} fewer bytes written", end="")
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
