"""OGC API items paged deep into a large PostGIS layer: the page found by offset as before, by offset with its rows
read last, and after the previous page's last place (the `next` link's `after-id`).

    .venv/bin/python -m bench.bench_paging [--sizes 100000,1000000] [--limit 1000] [--repeat 3]
    GUATU_BENCH_DATABASE_URL=… .venv/bin/python -m bench.bench_paging --schema <schema> --data <folder>

Each size's synthetic campaign (geo.synth.synthetic.write_synthetic) is copied into a schema of a throwaway
PostgreSQL cluster started here (or of $GUATU_BENCH_DATABASE_URL), vacuumed and analysed as autovacuum does soon
after a bulk load, and opened as the app opens it (`--schema` and `--data` measure a campaign already there
instead). Three ways to the same page, in one run:

* naive: what the store did before, `SELECT feature::text … ORDER BY pos LIMIT … OFFSET …`: every row skipped
  is read and made into text first;
* offset: `PostGISStore.select_items` with `offset`: the page's positions found on the (layer, pos) index, only
  its own rows read whole;
* after-id: `select_items` with the cursor a `next` link carries: the database seeks to the place.

Pages start at 0, a tenth, half and nine tenths of the layer, the layer alone and with a status filter; the
three ways must give the same places (checked). Up to `--walk-upto` places, the whole layer is also read page by
page by following `next` links, as GDAL and QGIS do, the naive way and with the cursor. Times are medians of
`--repeat` after one warm-up, in ms. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import orjson  # noqa: E402
from psycopg import sql  # noqa: E402

from bench.synthetic_stores import add_existing_arguments, stores_to_measure  # noqa: E402
from geo.features_query import ItemsQuery, Selection  # noqa: E402
from geo.store.postgis import PostGISStore, items_where  # noqa: E402

LAYER = "courtyards"


def naive_page(store: PostGISStore, query: ItemsQuery) -> Selection:
    """The page and its count as the store found them before: every row before the page read whole and skipped."""
    where, params = items_where(LAYER, query, None)
    page = sql.SQL("SELECT feature::text FROM features WHERE {} ORDER BY pos LIMIT %s OFFSET %s").format(where)
    with store.connection() as conn:
        rows = conn.execute(page, [*params, query.limit, query.offset]).fetchall()
        if rows and len(rows) < query.limit or not rows and query.offset == 0:
            matched = query.offset + len(rows)
        elif len(params) == 1:
            matched = store.place_count(LAYER)
        else:
            matched = conn.execute(sql.SQL("SELECT count(*) FROM features WHERE {}").format(where),
                                   params).fetchone()[0]
    return Selection([orjson.loads(r[0]) for r in rows], matched)


def _timed(run, repeat: int) -> tuple[float, object]:
    answer = run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), answer


def _ids(features: list[dict]) -> list[str]:
    return [f["id"] for f in features]


def pages(store: PostGISStore, limit: int, repeat: int) -> list[tuple[str, float, float, float]]:
    """(case, naive ms, offset ms, after-id ms) for pages at four depths, unfiltered and filtered."""
    out = []
    for label, filters in (("", {}), (", status = pending", {"status": frozenset({"pending"})})):
        matched = store.select_items(LAYER, ItemsQuery(limit=1, filters=filters)).matched
        for share in (0, 0.1, 0.5, 0.9):  # (pages of a small filtered layer may coincide)
            offset = int(matched * share) // limit * limit
            before = store.select_items(LAYER, ItemsQuery(limit=1, offset=offset - 1, filters=filters)) if offset else None
            after = before.features[0]["id"] if before else None
            by_offset = ItemsQuery(limit=limit, offset=offset, filters=filters)
            by_cursor = ItemsQuery(limit=limit, offset=offset, after=after, filters=filters)
            naive_ms, naive = _timed(lambda q=by_offset: naive_page(store, q), repeat)
            offset_ms, deferred = _timed(lambda q=by_offset: store.select_items(LAYER, q), repeat)
            cursor_ms, sought = _timed(lambda q=by_cursor: store.select_items(LAYER, q), repeat)
            if not _ids(naive.features) == _ids(deferred.features) == _ids(sought.features) or not naive.features:
                raise SystemExit(f"the three ways disagree at {offset:,}{label}")
            out.append((f"page of {limit:,} at {offset:,} of {matched:,}{label}", naive_ms, offset_ms, cursor_ms))
    return out


def walk(store: PostGISStore, limit: int) -> tuple[float, float, int]:
    """The whole layer read page by page, as a client following `next` links does: (naive s, after-id s, pages)."""
    started = time.perf_counter()
    offset, naive_ids = 0, []
    while True:
        page = naive_page(store, ItemsQuery(limit=limit, offset=offset))
        naive_ids += _ids(page.features)
        offset += len(page.features)
        if offset >= page.matched or not page.features:
            break
    naive_s = time.perf_counter() - started
    started = time.perf_counter()
    offset, after, ids, count = 0, None, [], 0
    while True:
        selection = store.select_items(LAYER, ItemsQuery(limit=limit, offset=offset, after=after))
        ids += _ids(selection.features)
        count += 1
        offset += len(selection.features)
        if offset >= selection.matched or not selection.features:
            break
        after = selection.features[-1]["id"]
    cursor_s = time.perf_counter() - started
    if ids != naive_ids:
        raise SystemExit("the walks disagree")
    return naive_s, cursor_s, count


def _ratio(r: float) -> str:
    return f"{r:,.0f}" if r >= 100 else f"{r:.1f}" if r >= 1 else f"{r:.2f}"


def report(store, args: argparse.Namespace) -> None:
    assert isinstance(store, PostGISStore)
    n = store.place_count(LAYER)
    print(f"\n{n:,} places on PostGIS",
          "| page | naive (ms) | offset (ms) | after-id (ms) | naive ÷ offset | naive ÷ after-id |",
          "|---|---:|---:|---:|---:|---:|", sep="\n")
    for case, naive_ms, offset_ms, cursor_ms in pages(store, args.limit, args.repeat):
        print(f"| {case} | {naive_ms:,.1f} | {offset_ms:,.1f} | {cursor_ms:,.1f} | "
              f"×{_ratio(naive_ms / offset_ms)} | ×{_ratio(naive_ms / cursor_ms)} |")
    if n <= args.walk_upto:
        naive_s, cursor_s, count = walk(store, args.limit)
        print(f"\nthe whole layer by `next` links, {count} pages of {args.limit:,}: naive {naive_s:.1f} s, "
              f"after-id {cursor_s:.1f} s (×{_ratio(naive_s / cursor_s)})")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_paging", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--walk-upto", type=int, default=100_000)
    add_existing_arguments(parser)
    args = parser.parse_args(argv)
    for _, n, store in stores_to_measure(args, ["postgis"], "paging"):
        if n is not None:  # a campaign loaded just now: what autovacuum does soon after a bulk load
            with store.connection() as conn:
                conn.execute("VACUUM ANALYZE features")
        report(store, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
