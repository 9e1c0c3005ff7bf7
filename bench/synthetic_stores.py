"""The synthetic campaigns a benchmark measures, opened on each store: `synthetic_stores(sizes, backends)` yields
(backend, places, store) for each size and backend — a campaign written by geo.synth.synthetic.write_synthetic
and, for PostGIS, copied into a schema of a throwaway PostgreSQL cluster started here (or of
$GUATU_BENCH_DATABASE_URL). The stores are closed, the cluster stopped and the files removed at the end.
`existing_store` opens a campaign already in a schema of $GUATU_BENCH_DATABASE_URL instead (`--schema`, `--data`:
`add_existing_arguments`); `stores_to_measure` gives a benchmark whichever its arguments name."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.config import load_campaign
from geo.store import open_store
from geo.store.base import Store
from geo.store.transfer import copy_to_postgis
from geo.synth.synthetic import write_synthetic


@contextmanager
def bench_database(backends: list[str]) -> Iterator[str | None]:
    """The URL of the PostgreSQL the benchmark writes its schemas to when `backends` names postgis: a throwaway
    cluster started here and stopped at the end (or $GUATU_BENCH_DATABASE_URL); None otherwise."""
    db_url = os.environ.get("GUATU_BENCH_DATABASE_URL")
    if "postgis" not in backends or db_url:
        yield db_url if "postgis" in backends else None
        return
    from tests.pg_cluster import ThrowawayCluster

    cluster = ThrowawayCluster(durable=True).start()
    try:
        yield cluster.url
    finally:
        cluster.stop()


def synthetic_stores(sizes: list[int], backends: list[str], name: str) -> Iterator[tuple[str, int, Store]]:
    """Each size's synthetic campaign on each backend, in that order; `name` tells the folders and schemas apart."""
    work = Path(tempfile.mkdtemp(prefix=f"guatu-bench-{name}-"))
    try:
        with bench_database(backends) as db_url:
            for n in sizes:
                pristine = work / f"synthetic-{n}"
                write_synthetic(pristine, n, seed=1)
                for backend in backends:
                    data = work / f"{backend}-{n}"
                    shutil.copytree(pristine, data)
                    campaign = load_campaign(data)
                    kwargs: dict = {}
                    if backend == "postgis":
                        kwargs = {"database_url": db_url, "schema": f"bench_{name}_{n}_{uuid.uuid4().hex[:6]}"}
                        copy_to_postgis(data, campaign, db_url, schema=kwargs["schema"])
                    store = open_store(data, campaign, **kwargs)
                    try:
                        yield backend, n, store
                    finally:
                        store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def add_existing_arguments(parser: argparse.ArgumentParser) -> None:
    """`--schema` and `--data`: measure a campaign already in a schema of $GUATU_BENCH_DATABASE_URL."""
    parser.add_argument("--schema", help="measure the campaign already in this schema (with --data)")
    parser.add_argument("--data", type=Path, help="the folder of that campaign (its campaign.json)")


@contextmanager
def existing_store(schema: str, data: Path | None) -> Iterator[Store]:
    """The campaign of `data` as the app opens it on `schema` of $GUATU_BENCH_DATABASE_URL; closed at the end."""
    url = os.environ.get("GUATU_BENCH_DATABASE_URL")
    if not (url and data):
        raise SystemExit("--schema needs GUATU_BENCH_DATABASE_URL and --data")
    store = open_store(data, load_campaign(data), database_url=url, schema=schema)
    try:
        yield store
    finally:
        store.close()


def stores_to_measure(args: argparse.Namespace, backends: list[str], name: str) -> Iterator[tuple[str, int | None, Store]]:
    """(backend, places, store) to measure: the campaign `--schema` and `--data` name (PostGIS; places None), or each
    of `--sizes`' synthetic campaigns on each of `backends`."""
    if args.schema:
        with existing_store(args.schema, args.data) as store:
            yield "postgis", None, store
        return
    yield from synthetic_stores([int(s) for s in args.sizes.split(",")], backends, name)
