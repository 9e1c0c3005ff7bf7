"""PostgreSQL-native reads: items queries answered in SQL against the in-memory path, at 100k and more places.

    .venv/bin/python -m bench.bench_pg_reads [--sizes 100000,1000000] [--repeat 7]

For each size a synthetic campaign is written (geo.synth.synthetic.write_synthetic) and copied into a schema
of a throwaway PostgreSQL cluster started here (tests/pg_cluster.py), or of $GUATU_BENCH_DATABASE_URL. Then
two fresh processes each open the store and answer the same queries:

* sql: `PostGISStore.select_items` / `layer_summary` — bbox on the GiST index, filters on the expression
  indexes, CQL2 through geo/store/filter_sql.py, counts by COUNT; the layer is never copied
  (layer_cache=0);
* memory: the path PostGIS took before (and the embedded store still takes): the whole layer copied into the
  process and `LayerIndex` (STRtree and columns) built over it, then the same queries with numpy.

Queries: a page of 100 in a box of about 1/400 of the district (what a desktop GIS asks when zoomed in), the
same box on the last page, the count of the layer (numberMatched), a property filter (status), a CQL2 filter
(status and a number), the collection's summary. Times are medians of `--repeat` after one warm-up; `first`
is the first answer of a fresh process (the memory path loads the layer and builds its index then). RSS is
the process's resident memory after answering everything (VmRSS; VmHWM is its peak). Prints one table per
size with the ratio memory / sql for each figure. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import psycopg  # noqa: E402
from psycopg import sql as psql  # noqa: E402

from geo.config import load_campaign  # noqa: E402
from geo.features_query import ItemsQuery  # noqa: E402
from geo.store.transfer import copy_to_postgis  # noqa: E402
from geo.synth.synthetic import write_synthetic  # noqa: E402

LAYER = "courtyards"
SPAWN = multiprocessing.get_context("spawn")


def _memory_kb() -> dict[str, int]:
    out = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                out[line.split(":")[0]] = int(line.split()[1])
    return out


def _queries(bounds: tuple[float, float, float, float]) -> dict[str, ItemsQuery]:
    west, south, east, north = bounds
    cx, cy = (west + east) / 2, (south + north) / 2
    dx, dy = (east - west) / 40, (north - south) / 40  # 1/20 of each side: 1/400 of the district
    box = (cx - dx, cy - dy, cx + dx, cy + dy)
    return {
        "bbox page (100)": ItemsQuery(limit=100, bbox=box),
        "count (numberMatched)": ItemsQuery(limit=1),
        "status filter page": ItemsQuery(limit=100, offset=500, filters={"status": frozenset({"pending", "relapsed"})}),
        "bbox + status": ItemsQuery(limit=100, bbox=box, filters={"status": frozenset({"accepted"})}),
    }


CQL = "status = 'pending' AND name LIKE '%1号院'"


def _measure(path: str, url: str, schema: str, data: str, repeat: int, out) -> None:
    """One fresh process: open the store, answer every query `repeat` times on `path`, report times and memory."""
    from pygeofilter.parsers.cql2_text import parse

    from geo.store.base import Store
    from geo.store.postgis import PostGISStore

    campaign = load_campaign(data)
    store = PostGISStore(url, campaign, schema=schema, layer_cache=0 if path == "sql" else 10**9)
    queries = _queries(campaign.map.bounds)
    cql = parse(CQL)
    if path == "sql":
        def select(q):
            return store.select_items(LAYER, q)

        def filtered(q):
            return store.select_where(LAYER, q, cql)

        def summary():
            return store.layer_summary(LAYER)
    else:
        def keep(f: dict) -> bool:  # the CQL2 filter read in Python
            props = f["properties"]
            return props.get("status") == "pending" and (props.get("name") or "").endswith("1号院")

        def select(q):
            return Store.select_items(store, LAYER, q)

        def filtered(q):  # the whole layer evaluated in Python, then paged (what a filter costs without SQL)
            hits = [f for f in Store._query_index(store, LAYER).features if keep(f)]
            return hits[q.offset:q.offset + q.limit], len(hits)

        def summary():
            return Store.layer_summary(store, LAYER)
    result: dict = {}
    started = time.perf_counter()
    first = select(queries["bbox page (100)"])
    result["first answer (ms)"] = (time.perf_counter() - started) * 1000
    matched = {"bbox page (100)": first.matched}
    cases = {**{name: (lambda q=q: select(q)) for name, q in queries.items()},
             "CQL2 filter page": lambda: filtered(ItemsQuery(limit=100)),
             "collection summary": summary}
    for name, run in cases.items():
        run()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            answer = run()
            times.append((time.perf_counter() - started) * 1000)
        result[f"{name} (ms)"] = statistics.median(times)
        if hasattr(answer, "matched"):
            matched[name] = answer.matched
        elif isinstance(answer, tuple):
            matched[name] = answer[1]
    memory = _memory_kb()
    result["RSS after (MB)"] = memory["VmRSS"] / 1024
    result["peak RSS (MB)"] = memory["VmHWM"] / 1024
    store.close()
    out.put((result, matched))


def measure(path: str, url: str, schema: str, data: Path, repeat: int) -> tuple[dict, dict]:
    out = SPAWN.Queue()
    proc = SPAWN.Process(target=_measure, args=(path, url, schema, str(data), repeat, out))
    proc.start()
    result = out.get()
    proc.join()
    return result


def _ratio(r: float) -> str:
    return f"{r:,.0f}" if r >= 100 else f"{r:.1f}" if r >= 1 else f"{r:.2f}"


def table(n: int, sql: dict, memory: dict) -> str:
    lines = [f"\n{n:,} places", "| figure | SQL-native | in-memory | in-memory / SQL |", "|---|---:|---:|---:|"]
    for name in sql:
        a, b = sql[name], memory[name]
        lines.append(f"| {name} | {a:,.1f} | {b:,.1f} | ×{_ratio(b / a)} |" if a else f"| {name} | {a} | {b} | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pg_reads", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    cluster = None
    url = os.environ.get("GUATU_BENCH_DATABASE_URL")
    work = Path(tempfile.mkdtemp(prefix="guatu-bench-pg-reads-"))
    try:
        if not url:
            from tests.pg_cluster import ThrowawayCluster

            cluster = ThrowawayCluster(durable=True).start()
            url = cluster.url
        for n in (int(s) for s in args.sizes.split(",")):
            data = work / f"synthetic-{n}"
            started = time.perf_counter()
            write_synthetic(data, n, seed=1)
            schema = f"bench_reads_{n}_{uuid.uuid4().hex[:6]}"
            copy_to_postgis(data, load_campaign(data), url, schema=schema)
            with psycopg.connect(url, autocommit=True) as conn:  # what autovacuum does soon after a bulk load
                conn.execute(psql.SQL("VACUUM ANALYZE {}.features").format(psql.Identifier(schema)))
            print(f"{n:,} places written and copied into PostgreSQL in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
            sql, sql_matched = measure("sql", url, schema, data, args.repeat)
            memory, memory_matched = measure("memory", url, schema, data, args.repeat)
            if sql_matched != memory_matched:
                raise SystemExit(f"the two paths disagree at {n:,}: {sql_matched} != {memory_matched}")
            print(table(n, sql, memory))
            print("matched: " + ", ".join(f"{k} {v:,}" for k, v in sql_matched.items()))
            sys.stdout.flush()
            shutil.rmtree(data, ignore_errors=True)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
