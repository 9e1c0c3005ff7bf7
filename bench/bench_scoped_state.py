"""The full wall state of one sub-district's (or one community's) screen: cut from the whole state's JSON as before,
and made from the state the process keeps.

    .venv/bin/python -m bench.bench_scoped_state [--sizes 100000] [--backends geojson,postgis] [--repeat 5]
    GUATU_BENCH_DATABASE_URL=… .venv/bin/python -m bench.bench_scoped_state --schema <schema> --data <folder>

A screen of one sub-district (`/wall?street=…`) or a display link of a narrower scope is sent the state of its
places only: the page carries it, and `/api/wall/state` answers it whenever a full state is due. Two ways to it, in
one run, after a status edit each time (a new revision: nothing is cached for it but the whole state):

* naive, what the server did before: the whole state's JSON (made once per revision for every whole screen, and
  not timed here) parsed, every place's id unpacked and looked up in the scope, and the rest written again
  (`geo.display_scope.scoped_state`);
* kept: `geo.display_scope.scoped_full`: only the scope's places taken from the state the process keeps, and written.

Both must give the same bytes (checked). The scope is the sub-district with most places, then its largest
community. Times are medians of `--repeat`, in ms; the traced peak is what Python allocated at most while one
answer was made (tracemalloc, a separate pass). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import orjson  # noqa: E402

from bench.synthetic_stores import add_existing_arguments, stores_to_measure  # noqa: E402
from geo.display_scope import DisplayScope, scoped_full, scoped_state  # noqa: E402
from geo.geojson_io import dumps  # noqa: E402
from geo.store.base import Op, Store  # noqa: E402
from geo.store.postgis import PostGISStore  # noqa: E402
from geo.wall.data import WallData  # noqa: E402

LAYER = "courtyards"


def largest_scopes(store: Store) -> list[tuple[str, DisplayScope]]:
    """The sub-district with most places of the layer, and its community with most."""
    if isinstance(store, PostGISStore):  # (counted in SQL: a million places are not read)
        with store.connection() as conn:
            rows = conn.execute("SELECT street, community, count(*) FROM features WHERE layer = %s "
                                "GROUP BY street, community", (LAYER,)).fetchall()
    else:
        rows = Counter(((f.get("properties") or {}).get("street"), (f.get("properties") or {}).get("community"))
                       for f in store.features(LAYER))
        rows = [(street, community, n) for (street, community), n in rows.items()]
    streets: Counter = Counter()
    for street, _, n in rows:
        if isinstance(street, str) and street:
            streets[street] += n
    street = streets.most_common(1)[0][0]
    community = max((n, c) for s, c, n in rows if s == street and isinstance(c, str) and c)[1]
    layers = tuple(x.id for x in store.campaign.layers)
    return [(f"sub-district {street}", DisplayScope(layers=layers, street=street)),
            (f"community {community}", DisplayScope(layers=layers, community=community))]


def _edit(store: Store, fid: str, turn: int) -> None:
    """A status edit of one place in scope: a new revision, as a working day makes them."""
    feature = store.get(LAYER, fid)
    status = store.campaign.status_keys[turn % len(store.campaign.status_keys)]
    store.apply([Op("update", LAYER, id=fid, properties={"status": status},
                    expected_version=feature["properties"]["version"])], user="bench")


def measure(store: Store, scope: DisplayScope, repeat: int) -> dict[str, float]:
    wall = WallData(store, store.campaign)
    campaign = store.campaign
    keep = {layer_id: scope.place_ids(store, layer_id) for layer_id in scope.layers}
    fid = min(keep[LAYER])
    ways = {
        "naive": lambda key, now, whole: orjson.dumps(scoped_state(orjson.loads(whole), keep, campaign)),
        "kept": lambda key, now, whole: dumps(scoped_full(wall, key, now, keep, packed=True)),
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    peaks: dict[str, float] = {}
    for turn in range(repeat + 1):
        _edit(store, fid, turn)
        now = datetime.now(UTC)
        key = wall.key(now)
        whole = b"".join(wall.full_body(key, now, packed=True))  # (every whole screen's, made once per revision)
        answers = {}
        for name, way in ways.items():
            started = time.perf_counter()
            answers[name] = way(key, now, whole)
            if turn:  # (the first turn warms up)
                times[name].append((time.perf_counter() - started) * 1000)
        if not turn:  # what a worker does after its warm-up: the kept state out of the collector's way
            gc.collect()
            gc.freeze()
        if answers["naive"] != answers["kept"]:
            raise SystemExit(f"the two ways disagree for {scope.describe()}")
        if turn == repeat:
            for name, way in ways.items():
                tracemalloc.start()
                way(key, now, whole)
                peaks[name] = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            sizes = (len(whole), len(answers["kept"]))
    return {**{f"{n}_ms": statistics.median(v) for n, v in times.items()}, **{f"{n}_mb": v for n, v in peaks.items()},
            "whole_bytes": sizes[0], "scoped_bytes": sizes[1], "places": len(keep[LAYER])}


def report(backend: str, store: Store, repeat: int) -> None:
    total = sum(store.place_count(x.id) for x in store.campaign.layers)
    print(f"\n{backend}, {total:,} places",
          "| scope | its places | whole state (bytes) | its state (bytes) | naive (ms) | kept (ms) | naive ÷ kept "
          "| traced peak, naive / kept (MB) |",
          "|---|---:|---:|---:|---:|---:|---:|---:|", sep="\n")
    for label, scope in largest_scopes(store):
        m = measure(store, scope, repeat)
        print(f"| {label} | {m['places']:,} | {m['whole_bytes']:,} | {m['scoped_bytes']:,} | {m['naive_ms']:,.0f} | "
              f"{m['kept_ms']:,.0f} | ×{m['naive_ms'] / m['kept_ms']:.1f} | {m['naive_mb']:,.0f} / {m['kept_mb']:,.0f} |")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_scoped_state", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--backends", default="geojson,postgis")
    parser.add_argument("--repeat", type=int, default=5)
    add_existing_arguments(parser)
    args = parser.parse_args(argv)
    for backend, _n, store in stores_to_measure(args, args.backends.split(","), "scoped"):
        report(backend, store, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
