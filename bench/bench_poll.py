"""The PostGIS store through a day of saves: a wall's unchanged poll and an edit, planned each time against
psycopg's prepared statements; a wall's delta poll, reading what is new against walking the day.

    .venv/bin/python -m bench.bench_poll [--places 10000] [--saves 3000,6000,12000] [--repeat 300]

A synthetic campaign (geo.synth.synthetic.write_synthetic) is copied into two schemas of a throwaway
PostgreSQL cluster started here (tests/pg_cluster.py), or of $GUATU_BENCH_DATABASE_URL; its journal starts
empty, as a campaign's does. One store on each, in this process:

* planned: the store as it runs (`prepare_threshold=None`: every statement planned each time it runs);
* prepared: psycopg's default (`prepare_threshold=5`): a statement run five times on a connection is
  prepared and PostgreSQL keeps the plan it made then.

Both take the same random status edits, in turn, up to each count of `--saves`; after each count the store's
part of an unchanged poll (`layer_revisions`, `changes_since` of the head: what `WallData.key` reads) is timed
`--repeat` times, and the median of the last 500 edits is shown. The table gives the medians and the ratio
prepared / planned.

A screen's delta poll after each count, on the planned store (`--delta-repeat` times: the screen's
revision, five saves, then `WallData.key` and `WallData.delta` timed), two ways in turn:

* kept: the wall as it runs: each layer's last change kept from the journal's new changes, the heads read
  once, the places changed read in one query per layer;
* naive: the same, but finding whether a layer lags by walking the journal from the oldest layer's
  revision (a layer nobody edits stays at the start of the day) and reading the changed places one by one.

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
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
from psycopg import sql  # noqa: E402

from geo.config import load_campaign  # noqa: E402
from geo.errors import NotFound  # noqa: E402
from geo.store.base import utc_now  # noqa: E402
from geo.store.postgis import PostGISStore  # noqa: E402
from geo.store.transfer import copy_to_postgis  # noqa: E402
from geo.synth.synthetic import write_synthetic  # noqa: E402
from geo.wall.data import WallData  # noqa: E402

LAYER = "courtyards"
WAYS = {"planned": None, "prepared": 5}


def poll_ms(store: PostGISStore, repeat: int) -> float:
    """The median time of the store's reads for one unchanged poll."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        head, _ = store.layer_revisions()
        store.changes_since(head)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


class NaiveWallData(WallData):
    """The wall walking the journal since the oldest layer's revision on each new head, a read per place."""

    def _safe_revision(self, head: int, files: tuple[tuple[str, int], ...]) -> int:
        safe, file_seq = head, dict(files)
        for change in self.store.changes_since(min((seq for _, seq in files), default=head)):
            if change.seq > file_seq.get(change.layer, change.seq):
                return min(safe, change.seq - 1)
        return safe

    def _read(self, keys):
        found = {}
        for layer_id, fid in keys:
            try:
                found[layer_id, fid] = self.store.get(layer_id, fid)
            except NotFound:
                continue
        return found


def delta_ms(stores: dict[str, PostGISStore], walls: dict[str, WallData], edit, repeat: int) -> dict[str, float]:
    """The median time of a screen's delta poll five saves after its revision, for each wall in turn."""
    store, times = stores["planned"], {way: [] for way in walls}
    for i in range(repeat):
        now = utc_now()
        since = {way: wall.key(now).revision for way, wall in walls.items()}
        for _ in range(5):
            edit()
        for way in (list(walls) if i % 2 else list(walls)[::-1]):  # in turn, either one first
            wall, now = walls[way], utc_now()
            started = time.perf_counter()
            key = wall.key(now)
            body = wall.delta(since[way], key, now)
            times[way].append((time.perf_counter() - started) * 1000)
            assert body is not None and key.revision == store.revision(), way
    return {way: statistics.median(t) for way, t in times.items()}


def run(places: int, saves: list[int], repeat: int, delta_repeat: int, db_url: str) -> list[tuple]:
    work = Path(tempfile.mkdtemp(prefix="guatu-bench-poll-"))
    stores: dict[str, PostGISStore] = {}
    try:
        data = work / "data"
        write_synthetic(data, places, seed=1)
        campaign = load_campaign(data)
        for way, threshold in WAYS.items():
            schema = f"bench_poll_{way}_{uuid.uuid4().hex[:6]}"
            copy_to_postgis(data, campaign, db_url, schema=schema)
            stores[way] = PostGISStore(db_url, campaign, schema=schema, prepare_threshold=threshold)
        ids = [f["id"] for f in stores["planned"].features(LAYER)]
        rng = random.Random(1)
        edits: dict[str, list[float]] = {way: [] for way in WAYS}
        walls = {"kept": WallData(stores["planned"], campaign), "naive": NaiveWallData(stores["planned"], campaign)}

        def edit() -> None:
            fid, status = rng.choice(ids), rng.choice(campaign.status_keys)
            for way, store in stores.items():  # in turn: a busy machine slows both alike
                version = store.get(LAYER, fid)["properties"]["version"]
                started = time.perf_counter()
                store.update(LAYER, fid, expected_version=version, user="bench", properties={"status": status})
                edits[way].append((time.perf_counter() - started) * 1000)

        rows = [(0, {way: poll_ms(s, repeat) for way, s in stores.items()}, None,
                 delta_ms(stores, walls, edit, delta_repeat))]
        for target in saves:
            while stores["planned"].revision() < target:
                edit()
            rows.append((target, {way: poll_ms(s, repeat) for way, s in stores.items()},
                         {way: statistics.median(e[-500:]) for way, e in edits.items()},
                         delta_ms(stores, walls, edit, delta_repeat)))
            print(f"  {target} saves done", file=sys.stderr, flush=True)
        return rows
    finally:
        for store in stores.values():
            store.close()
            with psycopg.connect(db_url, autocommit=True) as conn:  # a database of the caller's keeps nothing
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(store.schema)))
        shutil.rmtree(work, ignore_errors=True)


def table(rows: list[tuple]) -> str:
    lines = ["| saves so far | poll reads, planned (ms) | prepared (ms) | prepared ÷ planned "
             "| edit p50 of the last 500, planned (ms) | prepared (ms) | prepared ÷ planned "
             "| delta poll, kept (ms) | naive (ms) | naive ÷ kept |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for saves, poll, edit, delta in rows:
        e = (f"{edit['planned']:.2f} | {edit['prepared']:.2f} | {edit['prepared'] / edit['planned']:.1f}×"
             if edit else "— | — | —")
        lines.append(f"| {saves:,} | {poll['planned']:.3f} | {poll['prepared']:.3f} | "
                     f"{poll['prepared'] / poll['planned']:.1f}× | {e} | {delta['kept']:.2f} | {delta['naive']:.2f} | "
                     f"{delta['naive'] / delta['kept']:.1f}× |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_poll", description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--saves", default="3000,6000,12000", help="counts of saves to measure after, comma-separated")
    parser.add_argument("--repeat", type=int, default=300, help="unchanged polls timed after each count")
    parser.add_argument("--delta-repeat", type=int, default=60, help="delta polls timed after each count")
    args = parser.parse_args(argv)
    saves = sorted(int(s) for s in args.saves.split(","))
    db_url = os.environ.get("GUATU_BENCH_DATABASE_URL")
    cluster = None
    try:
        if not db_url:
            from tests.pg_cluster import ThrowawayCluster

            cluster = ThrowawayCluster(durable=True).start()
            db_url = cluster.url
        started = time.monotonic()
        rows = run(args.places, saves, args.repeat, args.delta_repeat, db_url)
        print(table(rows))
        print(f"\n({time.monotonic() - started:.0f} s; {args.places:,} places; medians)")
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
