"""A resident's pin: the place it falls on or nearest to, and the open cases within 300 m, found from the places
around it (geo/residents/nearby.py) against measuring every place (the naive way, as before), in one run.

    .venv/bin/python -m bench.bench_nearby [--sizes 100000] [--backends geojson,postgis] [--pins 20]

For each size and store (bench/synthetic_stores.py: the synthetic campaign, on PostgreSQL in a throwaway
cluster, the large layer not kept by the process as a worker would not keep it), `--pins` pins are dropped at
random places' corners and at random points of the district, and each is answered both ways; it checks that
both give the same place and prints the median time of each way and their ratio. The embedded store is measured
twice: its layers not indexed for their revision (after a change: every place is measured, as the naive way),
then indexed (by a bbox query, as the OGC API's); and what indexing a layer costs, the first time in a process and
again after a change (the places unchanged keep their geometries), against measuring every place once.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import numpy as np

from bench.synthetic_stores import synthetic_stores
from geo.features_query import ItemsQuery
from geo.residents.nearby import MERGE_RADIUS_M, Near, _distances, nearest_place, open_cases_near


def naive_nearest(store, lon: float, lat: float) -> Near | None:
    """Every place of every layer read and measured (geo/residents/nearby.py before the squares)."""
    best = None
    for layer in store.readable_layers():
        features = store.features(layer.id)
        if not features:
            continue
        metres = _distances(features, lon, lat)
        i = int(np.argmin(metres))
        if np.isfinite(metres[i]) and (best is None or metres[i] < best.metres):
            best = Near(layer.id, features[i], float(metres[i]))
    return best


def near_cases(store, lon: float, lat: float) -> list[dict]:
    return open_cases_near(store, lon, lat, within_m=MERGE_RADIUS_M)


def indexing(store, layer: str, pin: tuple[float, float], label: str) -> str:
    """What making the layer's query index costs the first time in the process, and again after a change (the
    places unchanged keep their geometries), against measuring every place once for a pin; the layer is left with
    no index for its revision."""
    made = []
    for i in range(3):
        f = store.features(layer)[0]
        store.update(layer, f["id"], expected_version=f["properties"]["version"], user="bench",
                     properties={"name": f"{f['properties'].get('name') or ''}·"})
        if i < 2:
            made.append(timed(store.select_items, layer, ItemsQuery(limit=1))[0])
    naive, _ = timed(naive_nearest, store, *pin)
    return (f"{label}: the layer's query index made in {made[0]:,.0f} ms the first time, {made[1]:,.0f} ms again "
            f"after a change; measuring every place for one pin {naive:,.0f} ms")


def timed(fn, *args) -> tuple[float, object]:
    """How long fn(*args) took (ms), and what it gave."""
    started = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - started) * 1000, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--backends", default="geojson,postgis")
    parser.add_argument("--pins", type=int, default=20)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    backends = [b for b in args.backends.split(",") if b.strip()]
    print("| store, places | pins | nearest place: around the pin (ms, median) | every place (ms, median) "
          "| every ÷ around | open cases within 300 m (ms, median) |")
    print("|---|---:|---:|---:|---:|---:|")
    notes = []
    for backend, n, store in synthetic_stores(sizes, backends, "nearby"):
        if backend == "postgis":
            store.layer_cache = 0  # a large layer is not kept by a worker: read from the database each time
        rng = random.Random(5)
        layer = store.campaign.layers[0].id
        features = store.features(layer)
        corners = [f["geometry"]["coordinates"][0][0] for f in rng.sample(features, args.pins // 2)]
        lons, lats = zip(*corners, strict=True)
        pins = corners + [(rng.uniform(min(lons), max(lons)), rng.uniform(min(lats), max(lats)))
                          for _ in range(args.pins - len(corners))]
        if backend == "geojson":
            notes.append(indexing(store, layer, pins[0], f"{backend} {n:,}"))
        rounds = [("not indexed", False), ("indexed", True)] if backend == "geojson" else [("", True)]
        for label, index in rounds:
            if index:
                for x in store.readable_layers():
                    store.select_items(x.id, ItemsQuery(limit=1))  # (PostgreSQL's index is always there)
            around, every, cases = [], [], []
            for lon, lat in pins:
                ms, mine = timed(nearest_place, store, lon, lat)
                around.append(ms)
                ms, theirs = timed(naive_nearest, store, lon, lat)
                every.append(ms)
                assert (mine.layer, mine.feature["id"]) == (theirs.layer, theirs.feature["id"]), (lon, lat)
                cases.append(timed(near_cases, store, lon, lat)[0])
            a, e = statistics.median(around), statistics.median(every)
            print(f"| {backend} {n:,} {label} | {len(pins)} | {a:,.1f} | {e:,.1f} | ×{e / a:,.1f} | "
                  f"{statistics.median(cases):,.1f} |")
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
