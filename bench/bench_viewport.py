"""A wall's viewport of a large layer on PostgreSQL, not yet cached: found from the kept boxes against the query.

    .venv/bin/python -m bench.bench_viewport [--sizes 200000,1000000] [--repeat 3]
    GUATU_BENCH_DATABASE_URL=… .venv/bin/python -m bench.bench_viewport --schema <schema> --data <folder>

For each size a synthetic campaign is written (geo.synth.synthetic.write_synthetic) and copied into a schema of a
throwaway PostgreSQL cluster started here (tests/pg_cluster.py), or of $GUATU_BENCH_DATABASE_URL; `--schema` and
`--data` measure a campaign already there instead. One process then answers what a wall screen asks for
(`format=binary&part=geometry`, the answer's bytes built as the server builds them, before any cache) for the
district at zoom 13 and closer views at 14, 15 and 16, two ways, in turn:

* boxes: the layer's boxes read once per shapes revision and kept (`ViewportIndex.boxes`, timed once: a
  worker's warm-up reads them), a view's dots found from them, the database asked for the places along the
  view's edge and the outlines (geo/viewport.py `_dots_from_boxes`);
* query: every place meeting the view read from the database (`PostGISStore.shapes_in_bbox`), as before.

Both must give the same bytes. Then a screen of one sub-district (`street=`, the one with most places) asks for
the district at zoom 13 and views of the same sizes in the middle of its sub-district, two ways:

* scope in SQL: the database keeps to the sub-district in its query (the generated `street` column);
* read and cut: every place of the view read with its attributes (name, kind, sub-district, community) and the
  other sub-districts' cut away in Python, as before.

Prints the medians of `--repeat` (each answer timed after a garbage collection, so that one way does not pay for
the other's garbage) and the ratios. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from bench.synthetic_stores import add_existing_arguments, stores_to_measure  # noqa: E402
from geo.viewport import (  # noqa: E402
    ViewportIndex,
    _box_limits,
    _found,
    packed_viewport,
    parse_viewport,
    viewport_shapes,
)

LAYER = "courtyards"
# the synthetic district (geo/synth/synthetic.py) at zoom 13, as bench_scale asks, then closer views inside it
VIEWS = (("113.56,34.62,113.70,34.77", 13), ("113.60,34.66,113.66,34.70", 14),
         ("113.62,34.68,113.645,34.695", 15), ("113.63,34.685,113.64,34.69", 16))


def answer(store, index, view) -> bytes:
    ids, props, geoms, dots = viewport_shapes(store, index, LAYER, 1, view, attributes=False, dots=True)
    return packed_viewport(LAYER, 1, view, ids, props, geoms, binary=True, dots=dots)


def measure(store, repeat: int) -> list[str]:
    index = ViewportIndex(store)
    started = time.perf_counter()
    index.boxes(LAYER, 1)
    lines = [f"the layer's boxes read once: {1000 * (time.perf_counter() - started):,.0f} ms", "",
             "| view | places | dots | bytes | boxes (ms) | query (ms) | query ÷ boxes |", "|---|---:|---:|---:|---:|---:|---:|"]
    for bbox, zoom in VIEWS:
        view = parse_viewport(bbox, str(zoom), "1")  # (boxes: as a wall screen asks)
        times: dict[str, list[float]] = {"boxes": [], "query": []}
        bodies = {}
        for _ in range(repeat):
            for way, kept in (("boxes", index), ("query", None)):
                gc.collect()  # each from the same start: the last answer's garbage would land on the next one
                started = time.perf_counter()
                bodies[way] = answer(store, kept, view)
                times[way].append(1000 * (time.perf_counter() - started))
        if bodies["boxes"] != bodies["query"]:
            raise SystemExit(f"the two ways disagree at zoom {zoom}")
        ids, _, _, dots = viewport_shapes(store, index, LAYER, 1, view, attributes=False, dots=True)
        kept, asked = statistics.median(times["boxes"]), statistics.median(times["query"])
        lines.append(f"| zoom {zoom} | {len(ids):,} | {int(dots.mask.sum()):,} | {len(bodies['boxes']):,} "
                     f"| {kept:,.0f} | {asked:,.0f} | ×{asked / kept:.1f} |")
    return lines


def read_and_cut(store, view, street: str) -> bytes:
    """A sub-district's view as it was made before: the whole view read with its attributes, then cut."""
    ids, attrs, wkb, numbers = store.shapes_in_bbox(LAYER, view.bbox, view.tolerance, attributes=True,
                                                    small_size=_box_limits(view), dots=True)
    keep = np.flatnonzero(attrs.in_scope(street, None))
    geoms = shapely.from_wkb(np.array(wkb, dtype=object)[keep])
    dots = _found(numbers, view).rows(keep)
    return packed_viewport(LAYER, 1, view, np.asarray(ids, dtype=object)[keep].tolist(), None, geoms, binary=True,
                           dots=dots)


def measure_scoped(store, repeat: int) -> list[str]:
    with store.connection() as conn:
        street, count = conn.execute("SELECT street, count(*) FROM features WHERE layer = %s AND street IS NOT NULL "
                                     "GROUP BY street ORDER BY count(*) DESC LIMIT 1", (LAYER,)).fetchone()
    west, south, east, north = store.places_extent(LAYER, street)
    cx, cy = (west + east) / 2, (south + north) / 2
    views = [(VIEWS[0][0], 13)]  # the district, then views of the same sizes as above in the sub-district's middle
    for bbox, zoom in VIEWS[1:]:
        x0, y0, x1, y1 = map(float, bbox.split(","))
        dx, dy = (x1 - x0) / 2, (y1 - y0) / 2
        views.append((f"{cx - dx},{cy - dy},{cx + dx},{cy + dy}", zoom))
    lines = ["", f"a screen of one sub-district ({count:,} places)", "",
             "| view | places | scope in SQL (ms) | read and cut (ms) | read and cut ÷ scope in SQL |",
             "|---|---:|---:|---:|---:|"]
    for bbox, zoom in views:
        view = parse_viewport(bbox, str(zoom), "1")
        times: dict[str, list[float]] = {"sql": [], "cut": []}
        bodies = {}
        ways = {"sql": lambda v=view: viewport_shapes(store, None, LAYER, 1, v, street=street, attributes=False,
                                                      dots=True),
                "cut": lambda v=view: read_and_cut(store, v, street)}
        for _ in range(repeat):
            for way, run in ways.items():
                gc.collect()
                started = time.perf_counter()
                made = run()
                if way == "sql":
                    ids, props, geoms, dots = made
                    made = packed_viewport(LAYER, 1, view, ids, props, geoms, binary=True, dots=dots)
                bodies[way] = made
                times[way].append(1000 * (time.perf_counter() - started))
        if bodies["sql"] != bodies["cut"]:
            raise SystemExit(f"the two ways disagree at zoom {zoom} for {street}")
        mine, before = statistics.median(times["sql"]), statistics.median(times["cut"])
        lines.append(f"| zoom {zoom} | {len(ids):,} | {mine:,.0f} | {before:,.0f} | ×{before / mine:.1f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_viewport", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200000")
    parser.add_argument("--repeat", type=int, default=3)
    add_existing_arguments(parser)
    args = parser.parse_args(argv)
    for _, n, store in stores_to_measure(args, ["postgis"], "viewport"):
        if n is not None:
            print(f"\n{n:,} places\n")
        print("\n".join(measure(store, args.repeat) + measure_scoped(store, args.repeat)))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
