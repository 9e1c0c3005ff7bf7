"""The PostGIS store: a campaign in one PostgreSQL schema, shared by every app instance.

Same rules as the embedded store (they live in `Store`); this module only
reads and writes. Tables (geo/store/migrations/, applied at open):

* `features` — the current places: the exact GeoJSON line Guatu validated
  (so reads return the same features, and `collection_bytes` the same bytes,
  as the embedded store's layer file), `geometry(Geometry, 4326)` with a GiST
  index, properties as jsonb;
* `journal` — every change, written in the same database transaction as
  the feature row it changes; `revision`, `changes_since`, `history` and
  `change_entries` read it, so an instance sees every other instance's writes;
* `layer_heads` — the last change of each layer (`layer_revision`);
* `id_counters` — per layer and id prefix, the highest number ever given: ids are never given twice.

Writers take a transaction-level advisory lock on the campaign: changes are
numbered and committed one batch at a time, exactly as the embedded store's
file lock does, so journal order is commit order and a reader that has seen
change n has seen every change before it. Inside the lock the version check
reads the row `FOR UPDATE`, and the `UPDATE`/`DELETE` is conditional on that
version again, so not even a writer that bypassed the lock can slip a stale
write in.

Reads: items queries (`select_items`, `layer_summary`: OGC API – Features),
bbox reads (`shapes_in_bbox`) and single places (`get`, when the layer is not
copied) are answered in SQL — bbox on the GiST index, `datetime` and property
filters on the generated columns' indexes (migration 0008), CQL2 filters translated by
`geo/store/filter_sql.py`, pages in the layer's order (`pos`), counts by
COUNT. Whole-layer reads (`features`, `collection_bytes`: the wall's state,
the dashboard) use a copy of the layer each process keeps, brought up to
date from the journal's after-images (one indexed query per read, nothing
when unchanged), like the embedded store re-reads a layer file only when it
changed — for layers up to `layer_cache` places; a larger layer is read
whole when asked and not kept, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import re
import threading
import time
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout
from pygeofilter.ast import Node as CQLNode

from geo.bulk import collector_paused
from geo.config import Campaign, Layer
from geo.diskspace import disk_full
from geo.errors import BadParameter, BrokenLayer, Conflict, GuatuError, NotFound, StoreBusy
from geo.features_query import (
    CRS84,
    GEOMETRY_NAMES,
    QUERYABLES,
    TRS_GREGORIAN,
    ItemsQuery,
    LayerSummary,
    Selection,
    timestamp,
)
from geo.geojson_io import collection_bytes, collection_pieces, dumps, feature_line, layer_members
from geo.journal import ChangeSummary, change_summary
from geo.kept import interned, kept_place
from geo.messages import t
from geo.name_search import found_place, name_key
from geo.photos.blobs import Blobs, PostgresBlobs
from geo.store import filter_sql
from geo.store.base import (
    DRAWN_GEOMETRIES,
    Clock,
    Finding,
    LeaderLock,
    RepairReport,
    Store,
    Transaction,
    iso,
    parse_record,
    utc_now,
)
from geo.store.breaker import Breaker, Open
from geo.store.photo_check import photo_findings, photo_summary, unrecovered
from geo.store.postgis_integrity import findings, rebuild, survey
from geo.wall.codec import PACKED_PROPERTIES, AttributeColumns, PlaceAttributes

log = logging.getLogger(__name__)

WAIT_SLICE = 0.25  # seconds a request waits for a pooled connection before it looks whether the breaker opened

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_SCHEMA = "guatu"
DEFAULT_LAYER_CACHE = 200_000  # places: a larger layer is not copied into each process (GUATU_DATABASE_LAYER_CACHE)
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_MIGRATION_LOCK = 0x6775617475  # "guatu": one migrating process per database at a time
_JOURNAL_COLUMNS = 'seq, at, "user", op, layer, id, version, before::text, after::text'
_SUMMARY_COLUMNS = 'seq, at, "user", op, layer, id, version, status, geometry_changed, status_before, changed'
_TAIL_PAGE = 10_000  # journal rows read at a time by the change summaries
# The journal's tail after a change, a page at a time. Bounded on both sides, the condition is a range the
# planner estimates as a small part of the table even before the table was ever analysed, and reads by the
# key's index; `seq > $1` alone it takes for a third of the table, and on a day's journal not yet analysed it
# started a parallel scan — a worker process — on every poll.
_TAIL_SQL = (f"SELECT {_SUMMARY_COLUMNS} FROM journal WHERE seq > %s AND seq <= (SELECT max(seq) FROM journal) "
             "ORDER BY seq LIMIT %s")


class DatabaseUnavailable(GuatuError):
    """The PostgreSQL server cannot be reached or refused the connection (503, with when to try again)."""

    http_status = 503
    code = "store_unavailable"

    def __init__(self, message: str, *, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def check_schema_name(schema: str) -> str:
    if not isinstance(schema, str) or not _SCHEMA_NAME.match(schema):
        raise ValueError(t("db.bad_schema_name", schema=repr(schema)))
    return schema


def _lock_key(schema: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"guatu-campaign:{schema}".encode(), digest_size=8).digest(), "big",
                          signed=True)


BOXES_CHUNK = 65536  # places per row of `layer_boxes`: 2.6 MB of numbers as the server sends them
SHAPES_CHUNK = 20000  # rows per fetch of a view's places (`shapes_in_bbox`): a district's million never at once
EACH_FEATURE_BATCH = 2000  # rows per fetch when a layer too large to keep is read through (each_feature)


@dataclass
class _Layer:
    """This process's copy of one layer, as of change `seq`."""

    seq: int = -1
    features: dict[str, dict] = field(default_factory=dict)
    lines: dict[str, bytes] = field(default_factory=dict)
    body: bytes | None = None


def _stacked(chunks: list[np.ndarray], width: int) -> np.ndarray:
    """The chunks' rows in one array, each chunk let go once copied (a district's 860,000 rows of five numbers are
    34 MB: `np.concatenate` held them twice at once)."""
    out = np.empty((sum(len(c) for c in chunks), width))
    at = 0
    while chunks:
        chunk = chunks.pop(0)
        out[at:at + len(chunk)] = chunk
        at += len(chunk)
    return out


class PostGISStore(Store):
    def __init__(self, database_url: str, campaign: Campaign, *, schema: str = DEFAULT_SCHEMA, clock: Clock = utc_now,
                 pool_size: int = 10, lock_timeout: float = 10.0, connect_timeout: float = 10.0, lazy: bool = False,
                 probe_timeout: float = 0.5, cooldown: float = 2.0, blobs: Blobs | None = None,
                 layer_cache: int = DEFAULT_LAYER_CACHE, prepare_threshold: int | None = None) -> None:
        """`lazy`: do not wait for the database (a server process starting while it is down); the schema
        is checked and migrated when it first answers. Otherwise connect and migrate now, raising
        DatabaseUnavailable when it cannot be reached within `connect_timeout` (the command line).

        While the database is down (see geo/store/breaker.py) requests fail at once for `cooldown`
        seconds, then one at a time tries again, waiting at most `probe_timeout` for a connection.

        `prepare_threshold`: None, every statement planned each time it runs. A statement psycopg prepares (by
        default after its fifth run on a connection) keeps the plan PostgreSQL made first: made while the
        journal was small, the head's `max(seq)` stayed a sequential scan that grew with every save of the day
        until the table was next analysed (bench/bench_poll.py measures psycopg's default, 5). The journal's
        tail is read as a range up to the head for the same reason: as `seq > $1` alone, on a journal never
        analysed, the planner started a parallel scan on every poll.

        `blobs`: where the photos' files are kept (an `S3Blobs` when an object store is configured); by
        default the table `photo_blobs` of the schema.

        `layer_cache`: a layer of at most this many places is kept in this process (the wall's and the
        dashboard's whole-layer reads cost a look at the journal); a larger one is read from the database
        whenever a whole-layer read asks for it and never kept, so a worker's memory does not grow with the
        campaign. Items queries, counts and bbox reads never need the copy: they are answered in SQL."""
        super().__init__(campaign, clock=clock)
        self.schema = check_schema_name(schema)
        self.database_url = database_url
        self.where = _where(database_url)
        self._lock_key = _lock_key(schema)
        self._lock_timeout_ms = int(lock_timeout * 1000)
        self._layers: dict[str, _Layer] = {}
        self._layer_summaries: dict[str, tuple[int, LayerSummary]] = {}  # layer → (revision, summary)
        self.layer_cache = layer_cache
        self._counts: dict[str, tuple[int, int]] = {}  # layer → (revision, places), for layers not kept
        self._layer_locks = {x.id: threading.Lock() for x in campaign.layers}
        self._summaries: list[ChangeSummary] = []
        self._summary_lock = threading.Lock()
        self.applied_migrations: list[int] = []
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        self.connect_timeout = connect_timeout
        self.probe_timeout = probe_timeout
        self.breaker = Breaker(cooldown)
        self.blobs = blobs if blobs is not None else PostgresBlobs(self)
        # A failed connection attempt is retried by the pool for a few seconds only: after that the next
        # request asks for a new attempt at once, so a database that is back is found within one poll.
        self.pool = ConnectionPool(database_url, min_size=1, max_size=max(1, pool_size), open=False,
                                   timeout=connect_timeout, reconnect_timeout=max(2.0, 2 * cooldown),
                                   kwargs={"autocommit": True, "connect_timeout": max(2, math.ceil(connect_timeout)),
                                           # a server gone from the network fails a request, never hangs it
                                           "tcp_user_timeout": int(connect_timeout * 1000),
                                           "prepare_threshold": prepare_threshold},
                                   configure=self._configure, name=f"guatu-{schema}")
        self.pool.open(wait=False)
        if lazy:
            return
        try:
            self.pool.wait(timeout=connect_timeout)
            with self._conn():
                pass
        except PoolTimeout as exc:
            self.pool.close()
            raise DatabaseUnavailable(t("db.unavailable", where=self.where, seconds=math.ceil(connect_timeout))
                                      + f" ({exc})") from None
        except BaseException:
            self.pool.close()
            raise

    def _configure(self, conn: psycopg.Connection) -> None:
        conn.execute(sql.SQL("SET search_path TO {}, public").format(sql.Identifier(self.schema)))
        # No JIT compilation: it pays off for analytical queries that run for long; the store's are short, or
        # scans of a large layer whose cost estimate starts it anyway (the district's viewport at a million
        # places spent 0.5 of its 2.4 s of execution compiling).
        conn.execute("SET jit = off")

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection]:
        """A pooled connection, through the breaker; the schema is made ready on the first one."""
        try:
            admission = self.breaker.admit()
        except Open as exc:
            raise DatabaseUnavailable(t("db.unavailable", where=self.where, seconds=exc.retry_after),
                                      retry_after=exc.retry_after) from None
        conn: psycopg.Connection | None = None
        try:
            if admission.probe and self.breaker.state == "down":
                self.pool.check()  # connections left from before the outage are dead: drop them first
            with self._pooled(admission.probe) as conn:
                if not self._schema_ready:
                    self._prepare_schema(conn)
                if self.breaker.state != "up":
                    log.info("the campaign database (%s) answers again", self.where)
                    self.breaker.succeeded()
                yield conn
        except PoolTimeout as exc:
            raise self._down(f"no connection within {self.probe_timeout if admission.probe else self.connect_timeout}"
                             f" s: {exc}") from None
        except psycopg.OperationalError as exc:
            if isinstance(exc, psycopg.errors.LockNotAvailable):
                raise StoreBusy(t("store.busy")) from None
            if isinstance(exc, psycopg.errors.DiskFull):  # the transaction rolled back: nothing was kept
                raise disk_full(t("db.where", sqlstate=exc.sqlstate)) from None
            if conn is None or conn.broken or conn.closed:
                raise self._down(str(exc).strip()) from None
            raise DatabaseUnavailable(t("db.unavailable", where=self.where, seconds=1) + f" ({str(exc).strip()})",
                                      retry_after=1) from None
        finally:
            if admission.probe:
                self.breaker.released()

    @contextmanager
    def _pooled(self, probe: bool) -> Iterator[psycopg.Connection]:
        """A connection from the pool. A probe waits `probe_timeout` for it; any other request up to
        `connect_timeout`, in short slices, and gives up as soon as another request has found the database
        down meanwhile: a request that was queued for a connection when an outage began is answered within a
        slice, like the requests the open breaker refuses, not after the whole timeout."""
        if probe:
            with self.pool.connection(timeout=self.probe_timeout) as conn:
                yield conn
            return
        deadline = time.monotonic() + self.connect_timeout
        while True:
            try:
                conn = self.pool.getconn(timeout=max(0.01, min(WAIT_SLICE, deadline - time.monotonic())))
                break
            except PoolTimeout:
                if self.breaker.state == "down" or time.monotonic() >= deadline:
                    raise
        try:
            yield conn
        finally:
            self.pool.putconn(conn)

    def connection(self) -> AbstractContextManager[psycopg.Connection]:
        """A pooled connection (autocommit, search_path set to the schema) through the breaker, for the
        campaign's other tables (the login throttle's counters): DatabaseUnavailable at once while the
        database is known to be down."""
        return self._conn()

    def _down(self, detail: str) -> DatabaseUnavailable:
        """The database failed: open the breaker and say so (to the log once per outage)."""
        if self.breaker.state != "down":
            log.warning("the campaign database (%s) is unavailable: %s", self.where, detail)
        seconds = self.breaker.failed(detail)
        return DatabaseUnavailable(t("db.unavailable", where=self.where, seconds=seconds), retry_after=seconds)

    def _prepare_schema(self, conn: psycopg.Connection) -> None:
        """Create or migrate the schema, once per store, when the database first answers."""
        with self._schema_lock:
            if not self._schema_ready:
                self.applied_migrations = migrate(conn, self.schema)
                self._schema_ready = True

    # --- integrity (geo/store/postgis_integrity.py) ----------------------------------------
    def check(self) -> list[Finding]:
        """The tables against the journal, the journal's numbering, records, migrations; reads only."""

        with self._conn() as conn:
            found = survey(conn, self.schema, self._migrations())
        return findings(found, self.schema, [x.id for x in self.campaign.layers]) + photo_findings(self)

    def check_summary(self) -> str:

        layers = self.campaign.layers
        return photo_summary(self, t("db.check_sound", where=self.where, schema=self.schema, layers=len(layers),
                                     places=sum(len(self.features(x.id)) for x in layers), revision=self.revision()))

    def repair(self, *, backups: Path | None = None, from_journal: tuple[str, ...] = ()) -> RepairReport:
        """Under the write lock, in one transaction: damaged rows moved to damaged_features and rebuilt
        from the journal, layer heads set from it; what cannot be recovered is listed. The database's
        journal is the only source: backups and --from-journal are for the embedded store's files."""
        if backups is not None or from_journal:
            raise GuatuError(t("db.repair_no_options"))
        report = RepairReport()
        with self._conn() as conn, conn.transaction():
            conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(f"{self._lock_timeout_ms}ms")))
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            found = survey(conn, self.schema, self._migrations())
            rebuild(conn, found, self.schema, [x.id for x in self.campaign.layers], report)
        self._layers.clear()  # this process's copies may hold the damaged rows: read the layers again

        report.unrecovered += unrecovered(self)  # a photo's file is never rebuilt: said, not hidden
        return report

    @staticmethod
    def _migrations() -> list[tuple[int, str]]:
        return [(version, name) for version, name, _ in migration_files()]

    def problems(self) -> list[Finding]:
        """The database unreachable (code database_unavailable), asked with one `SELECT 1`, refused at
        once by the breaker while it is known to be down."""
        found = super().problems()
        try:
            with self._conn() as conn:
                conn.execute("SELECT 1")
        except DatabaseUnavailable as exc:
            found.append(Finding(where=self.where, problem=exc.message, remedy=t("db.unavailable_remedy"),
                                 repairable=False, code="database_unavailable"))
        return found

    # --- reads -------------------------------------------------------------
    def revision(self) -> int:
        with self._conn() as conn:
            return conn.execute("SELECT coalesce(max(seq), 0) FROM journal").fetchone()[0]

    def _add_layers(self, layers: list[Layer]) -> None:
        for layer in layers:  # its places are rows of `features` like any layer's; its head appears at its first write
            self._layer_locks.setdefault(layer.id, threading.Lock())

    def layer_revision(self, layer_id: str) -> int:
        self.layer(layer_id)
        with self._conn() as conn:
            row = conn.execute("SELECT seq FROM layer_heads WHERE layer = %s", (layer_id,)).fetchone()
        return row[0] if row else 0

    def layer_revisions(self) -> tuple[int, dict[str, int]]:
        """The journal's last change and each layer's, in one query."""
        with self._conn() as conn:
            rows = conn.execute("SELECT NULL, coalesce(max(seq), 0) FROM journal UNION ALL "
                                "SELECT layer, seq FROM layer_heads").fetchall()
        heads = dict(rows)  # the journal's under None
        return heads.pop(None), {x.id: heads.get(x.id, 0) for x in self.campaign.layers}

    def features(self, layer_id: str) -> list[dict]:
        if self._too_large(layer_id):  # parsed as they come: never the rows' text and the places at once
            return list(self._stream_features(layer_id))
        state = self._current(layer_id)
        with self._layer_locks[layer_id]:  # catch-ups apply in place: list the places between two of them
            return list(state.features.values())

    def _too_large(self, layer_id: str) -> bool:
        """A layer this process does not keep a copy of: more places than `layer_cache`."""
        self.layer(layer_id)
        return layer_id not in self._layers and self.place_count(layer_id) > self.layer_cache

    def each_feature(self, layer_id: str) -> Iterator[dict]:
        """A layer kept in this process (up to `layer_cache` places) from its copy; a larger one read from the
        database through a server-side cursor, `EACH_FEATURE_BATCH` rows at a time, so a worker building a view
        of a million places holds the view and one batch, never the layer."""
        return self._stream_features(layer_id) if self._too_large(layer_id) else iter(self.features(layer_id))

    def _stream_features(self, layer_id: str) -> Iterator[dict]:
        return (orjson.loads(line) for line in self._stream_lines(layer_id, head=False))

    def _stream_lines(self, layer_id: str, *, head: bool = True) -> Iterator:
        """One snapshot of the layer: first, with `head`, (its head seq, its number of places); then each
        place's line (its feature's JSON text, as the layer's copy keeps it), `EACH_FEATURE_BATCH` rows at a
        time. A walker that pauses between batches is not taken for an idle session."""
        with self._conn() as conn, conn.transaction(), conn.cursor(name="guatu_each_feature") as cursor:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            conn.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
            if head:
                yield conn.execute("SELECT coalesce((SELECT seq FROM layer_heads WHERE layer = %s), 0), "
                                   "(SELECT count(*) FROM features WHERE layer = %s)", (layer_id, layer_id)).fetchone()
            cursor.itersize = EACH_FEATURE_BATCH
            cursor.execute("SELECT feature::text FROM features WHERE layer = %s ORDER BY pos", (layer_id,))
            for (text,) in cursor:
                yield text.encode()

    def place_count(self, layer_id: str) -> int:
        """From the layer's copy when this process keeps one, else COUNT in SQL, kept for the layer's revision."""
        if layer_id in self._layers:
            return len(self.features(layer_id))
        revision = self.layer_revision(layer_id)
        hit = self._counts.get(layer_id)
        if hit is not None and hit[0] == revision:
            return hit[1]
        with self._conn() as conn:
            count = conn.execute("SELECT count(*) FROM features WHERE layer = %s", (layer_id,)).fetchone()[0]
        self._counts[layer_id] = (revision, count)
        return count

    def ids_in_area(self, layer_id: str, street: str | None, community: str | None) -> frozenset[str]:
        """In SQL over the columns migration 8 keeps (a street's places found through its index): a large layer
        is never read whole for it."""
        self.layer(layer_id)
        with self._conn() as conn:
            rows = conn.execute("SELECT id FROM features WHERE layer = %(layer)s"
                                " AND (%(street)s::text IS NULL OR street = %(street)s)"
                                " AND (%(community)s::text IS NULL OR community = %(community)s)",
                                {"layer": layer_id, "street": street or None, "community": community or None}).fetchall()
        return frozenset(fid for (fid,) in rows)

    def places_extent(self, layer_id: str, street: str | None = None,
                      community: str | None = None) -> tuple[float, float, float, float] | None:
        """In SQL over the stored geometries (a million places: one scan, where the walk took 15 s and held their
        positions)."""
        self.layer(layer_id)
        with self._conn() as conn:
            row = conn.execute("SELECT min(ST_XMin(geom)), min(ST_YMin(geom)), max(ST_XMax(geom)), max(ST_YMax(geom))"
                               " FROM features WHERE layer = %(layer)s AND ST_GeometryType(geom) = ANY(%(kinds)s)"
                               " AND (%(street)s::text IS NULL OR street = %(street)s)"
                               " AND (%(community)s::text IS NULL OR community = %(community)s)",
                               {"layer": layer_id, "kinds": [f"ST_{kind}" for kind in DRAWN_GEOMETRIES],
                                "street": street or None, "community": community or None}).fetchone()
        return None if row[0] is None else (float(row[0]), float(row[1]), float(row[2]), float(row[3]))

    def get(self, layer_id: str, fid: str) -> dict:
        self.layer(layer_id)
        if layer_id in self._layers:
            feature = self._current(layer_id).features.get(fid)
        else:  # one place: no need to load the whole layer
            with self._conn() as conn:
                row = conn.execute("SELECT feature::text FROM features WHERE layer = %s AND id = %s",
                                   (layer_id, fid)).fetchone()
            feature = orjson.loads(row[0]) if row else None
        if feature is None:
            raise NotFound(t("store.no_feature", fid=fid, layer=self.layer(layer_id).title))
        return feature

    def find_by_name(self, layer_id: str, text: str, limit: int, *, street: str | None = None,
                     community: str | None = None) -> list[dict]:
        """In SQL, whatever this process keeps, so that every process answers alike: over each name's normal form
        that PostgreSQL keeps (migration 0009; lower case folds A–Z only there), the text put in the same form."""
        self.layer(layer_id)
        if not name_key(text):
            return []
        with self._conn() as conn:  # the text put in its normal form as the names are, by the database
            rows = conn.execute(_FIND_BY_NAME, {"layer": layer_id, "text": text, "limit": limit,
                                                "street": street or None, "community": community or None}).fetchall()
        return [found_place(row) for row in rows]

    def get_many(self, layer_id: str, fids: Iterable[str]) -> dict[str, dict]:
        self.layer(layer_id)
        fids = list(dict.fromkeys(fids))
        if not fids:
            return {}
        if layer_id in self._layers:
            state = self._current(layer_id)
            with self._layer_locks[layer_id]:  # catch-ups apply in place: read the places between two of them
                found = {fid: state.features.get(fid) for fid in fids}
            return {fid: f for fid, f in found.items() if f is not None}
        with self._conn() as conn:
            rows = conn.execute("SELECT id, feature::text FROM features WHERE layer = %s AND id = ANY(%s)",
                                (layer_id, fids)).fetchall()
        return {fid: orjson.loads(text) for fid, text in rows}

    def collection_bytes(self, layer_id: str) -> bytes:
        """The layer as the embedded store writes its file (same bytes), built once per change (a layer too
        large to keep: from its lines as they come, never parsed)."""
        if self._too_large(layer_id):
            lines = self._stream_lines(layer_id)
            seq, count = next(lines)
            return collection_bytes(lines, name=layer_id, checksum="guatu", members=layer_members(seq, count))
        state = self._current(layer_id)
        with self._layer_locks[layer_id]:
            if state.body is None:
                state.body = collection_bytes(state.lines.values(), name=layer_id, checksum="guatu",
                                              members=layer_members(state.seq, len(state.lines)))
            return state.body

    def collection_stream(self, layer_id: str) -> Iterator[bytes] | None:
        """A layer too large to keep: its lines from a server-side cursor in one snapshot, begun now (so a database
        that cannot answer is known before the first byte is sent), `EACH_FEATURE_BATCH` rows at a time."""
        if not self._too_large(layer_id):
            return None
        lines = self._stream_lines(layer_id)
        seq, count = next(lines)
        return collection_pieces(lines, name=layer_id, members=layer_members(seq, count))

    def _current(self, layer_id: str) -> _Layer:
        """This process's copy of the layer, brought up to date from the journal. The changes since are
        applied to the copy in place, under the layer's lock (copying 100k places per change would cost
        more than the change): whoever reads more than one place of it holds that lock meanwhile."""
        self.layer(layer_id)
        with self._layer_locks[layer_id]:
            state = self._layers.get(layer_id)
            with self._conn() as conn:
                if state is not None:
                    rows = conn.execute(
                        "SELECT h.seq, j.seq, j.op, j.id, j.after::text FROM "
                        "(SELECT coalesce((SELECT seq FROM layer_heads WHERE layer = %s), 0) AS seq) h "
                        "LEFT JOIN journal j ON j.layer = %s AND j.seq > %s AND j.seq <= h.seq ORDER BY j.seq",
                        (layer_id, layer_id, state.seq)).fetchall()
                    head = rows[0][0]
                    if head == state.seq:
                        return state
                    if rows[-1][1] == head:  # every change since our copy is in the journal: apply them
                        state.body = None
                        for _, seq, op, fid, after in rows:
                            if op == "delete":
                                state.features.pop(fid, None)
                                state.lines.pop(fid, None)
                            else:
                                state.features[fid] = kept_place(orjson.loads(after))
                                state.lines[fid] = feature_line(state.features[fid])
                            state.seq = seq
                        if len(state.features) > self.layer_cache:  # grown past the bound: not kept from now on
                            self._layers.pop(layer_id, None)
                        return state
                rows = conn.execute(
                    "SELECT h.seq, f.id, f.feature::text FROM "
                    "(SELECT coalesce((SELECT seq FROM layer_heads WHERE layer = %s), 0) AS seq) h "
                    "LEFT JOIN features f ON f.layer = %s ORDER BY f.pos", (layer_id, layer_id)).fetchall()
            state = _Layer(rows[0][0])
            with collector_paused():  # every place of the layer, all kept
                for _, fid, text in rows:
                    if fid is not None:
                        line = text.encode()
                        state.features[fid] = kept_place(orjson.loads(line))
                        state.lines[fid] = line
            if len(state.features) <= self.layer_cache:
                self._layers[layer_id] = state
            else:  # too large to keep in every process: read again when asked (queries do not ask, see above)
                self._layers.pop(layer_id, None)
            return state

    def _refresh_summaries(self) -> list[ChangeSummary]:
        with self._summary_lock:
            last = self._summaries[-1].seq if self._summaries else 0
            rows: list = []
            with self._conn() as conn:
                while True:
                    page = conn.execute(_TAIL_SQL, (rows[-1][0] if rows else last, _TAIL_PAGE)).fetchall()
                    rows += page
                    if len(page) < _TAIL_PAGE:
                        break
            if rows:  # appended in place: readers bisect and slice it, and only ever see more at its end
                with collector_paused() if last == 0 else nullcontext():  # the first read: every change's summary
                    self._summaries.extend([_row_summary(r) for r in rows])
            return self._summaries

    def retired_ids(self, layer_id: str, fids: Iterable[str]) -> set[str]:
        self.layer(layer_id)
        ids = sorted(set(fids))
        if not ids:
            return set()
        with self._conn() as conn:
            rows = conn.execute("SELECT DISTINCT j.id FROM journal j WHERE j.layer = %s AND j.id = ANY(%s) AND NOT EXISTS "
                                "(SELECT 1 FROM features f WHERE f.layer = j.layer AND f.id = j.id)",
                                (layer_id, ids)).fetchall()
        return {r[0] for r in rows}

    def changes_since(self, seq: int, upto: int | None = None) -> list[ChangeSummary]:
        items = self._summaries
        if upto is None or upto > (items[-1].seq if items else 0):
            items = self._refresh_summaries()
        return items[bisect_right(items, seq, key=lambda s: s.seq):]

    def history(self, layer_id: str, fid: str) -> list[dict]:
        self.layer(layer_id)
        with self._conn() as conn:
            rows = conn.execute(f"SELECT {_JOURNAL_COLUMNS} FROM journal WHERE layer = %s AND id = %s ORDER BY seq",
                                (layer_id, fid)).fetchall()
        return [row_entry(r) for r in rows]

    def change_entries(self, summaries: list[ChangeSummary]) -> list[dict]:
        if not summaries:
            return []
        with self._conn() as conn:
            rows = conn.execute(f"SELECT {_JOURNAL_COLUMNS} FROM journal WHERE seq = ANY(%s)",
                                ([s.seq for s in summaries],)).fetchall()
        by_seq = {r[0]: r for r in rows}
        return [row_entry(by_seq[s.seq]) for s in summaries if s.seq in by_seq]

    def journal_entries(self, after: int = 0, batch: int = 5000) -> Iterator[dict]:
        """Every journal entry after `after`, oldest first, read in batches (copying a campaign)."""
        while True:
            with self._conn() as conn:
                rows = conn.execute(f"SELECT {_JOURNAL_COLUMNS} FROM journal WHERE seq > %s ORDER BY seq LIMIT %s",
                                    (after, batch)).fetchall()
            if not rows:
                return
            for row in rows:
                yield row_entry(row)
            after = rows[-1][0]

    # --- items queries in SQL (OGC API – Features; the same answers as the base's in-memory index) ----------
    def select_items(self, layer_id: str, query: ItemsQuery) -> Selection:
        """The page and the number matched, found in SQL: the bbox on the GiST index, `datetime` and the
        property filters on the generated columns' indexes (migration 0008), in the layer's order (`pos`, as the
        embedded store keeps its file), counted by COUNT only when the page does not tell; the CQL2 filter too."""
        return self.select_where(layer_id, query, query.filter)

    def select_where(self, layer_id: str, query: ItemsQuery, cql: CQLNode | None) -> Selection:
        """`select_items` with a CQL2 filter (a pygeofilter AST, checked and in CRS84), as geo/store/filter_sql.py
        translates it.

        Rows skipped by `offset` are passed over on the (layer, pos) index and never read whole (`_page`). With
        `after-id` the page starts after that place's position, sought on the same index."""
        self.layer(layer_id)
        where, params = items_where(layer_id, query, cql)
        with self._conn() as conn:
            after = None
            if query.after is not None:
                found = conn.execute("SELECT pos FROM features WHERE layer = %s AND id = %s",
                                     (layer_id, query.after)).fetchone()
                after = found[0] if found else None
            # one row more than the page: whether places follow it (its `next` link)
            seek = [after, query.limit + 1] if after is not None else [query.limit + 1, query.offset]
            rows = conn.execute(_page(where, counted=cql is not None, after=after is not None,
                                      skips=after is None and query.offset > 0), [*params, *seek]).fetchall()
            more = len(rows) > query.limit
            rows = rows[:query.limit]
            if rows and cql is not None:
                matched = rows[0][1]  # counted in the same pass over the filtered rows
            elif after is None and (rows and not more or not rows and query.offset == 0):
                matched = query.offset + len(rows)  # the last page: the count is known
            elif cql is None and not (query.filters or query.interval or query.bbox):
                matched = self.place_count(layer_id)  # the layer alone: its count is kept per revision
            else:
                matched = conn.execute(sql.SQL("SELECT count(*) FROM features WHERE {}").format(where),
                                       params).fetchone()[0]
        return Selection([orjson.loads(r[0]) for r in rows], matched, more)

    def bbox_query_ready(self, layer_id: str) -> bool:
        return True  # the GiST index

    def layer_summary(self, layer_id: str) -> LayerSummary:
        """Count, extent and the text queryables' values, in SQL, kept for the layer's revision (one per layer)."""
        revision = self.readable_revision(layer_id)
        hit = self._layer_summaries.get(layer_id)
        if hit is not None and hit[0] == revision:
            return hit[1]
        with self._conn() as conn:
            count, west, south, east, north, first, last = conn.execute(
                "SELECT count(*), min(ST_XMin(geom)), min(ST_YMin(geom)), max(ST_XMax(geom)), max(ST_YMax(geom)), "
                "min(updated_at), max(updated_at) FROM features WHERE layer = %s", (layer_id,)).fetchone()
            found = {key: _distinct_texts(conn, layer_id, key) for key in QUERYABLES}
            found["unit"] = sorted(r[0] for r in conn.execute(  # no column of its own: one pass over the layer
                "SELECT DISTINCT properties ->> 'unit' FROM features WHERE layer = %s "
                "AND jsonb_typeof(properties -> 'unit') = 'string' AND properties ->> 'unit' > ''", (layer_id,)))
            kinds = {r[0] for r in conn.execute("SELECT DISTINCT ST_GeometryType(geom) FROM features "
                                                 "WHERE layer = %s AND geom IS NOT NULL", (layer_id,))}
            found["geometry"] = [name for name in GEOMETRY_NAMES if f"ST_{name}" in kinds]
        extent: dict = {}
        if west is not None:
            extent["spatial"] = {"bbox": [[round(float(b), 6) for b in (west, south, east, north)]], "crs": CRS84}
        if first is not None:
            extent["temporal"] = {"interval": [[timestamp(first), timestamp(last)]], "trs": TRS_GREGORIAN}
        summary = LayerSummary(count=count, extent=extent, values=found)
        self._layer_summaries[layer_id] = (revision, summary)
        return summary

    def layer_boxes(self, layer_id: str) -> tuple[list[str], np.ndarray]:
        """Every place of the layer with a geometry (not an empty one: it meets no view), in the layer's order: its
        id, and its bounding box and area as five columns, west, south, east, north and area (float64, 5 × places;
        the area in square degrees, -1 for a place that is not a polygon). Read in one scan, `BOXES_CHUNK` places
        to a row of two aggregates: their ids as one text, a line each (an id has no line break: geo/validate.py),
        their numbers as one block of bytes (a million rows as tuples cost twice the time and their objects). Not
        the whole layer in one row: the connection's input buffer grows to the largest row it receives and keeps
        that size while the connection lives (a million places' boxes in one row left 75 MB resident in every
        pooled connection that read them). geo/viewport.py keeps these per shapes revision to find a view's dots
        and boxes."""
        self.layer(layer_id)
        query = ("SELECT count(*), string_agg(id, E'\\n' ORDER BY pos), string_agg(float8send(ST_XMin(box)) "
                 "|| float8send(ST_YMin(box)) || float8send(ST_XMax(box)) || float8send(ST_YMax(box)) "
                 "|| float8send(area), ''::bytea ORDER BY pos) FROM ("
                 "SELECT f.id, f.pos, Box3D(f.geom) AS box, "
                 "CASE WHEN ST_Dimension(f.geom) = 2 THEN ST_Area(f.geom) ELSE -1 END AS area, "
                 "(row_number() OVER (ORDER BY f.pos) - 1) / %s AS chunk FROM features f "
                 "WHERE f.layer = %s AND f.geom IS NOT NULL AND NOT ST_IsEmpty(f.geom)) AS p GROUP BY chunk ORDER BY chunk")
        ids: list[str] = []
        blocks: list[bytes] = []
        with self._conn() as conn:
            for count, text, block in conn.execute(query, (BOXES_CHUNK, layer_id)):
                chunk = text.split("\n")
                if len(chunk) != count or len(block) != 40 * count:  # else a box would be taken for another place's
                    raise BrokenLayer(t("db.boxes_misaligned", layer=layer_id, places=len(ids) + len(chunk),
                                        numbers=(sum(map(len, blocks)) + len(block)) // 8))
                ids += chunk
                blocks.append(block)
        numbers = np.frombuffer(b"".join(blocks), dtype=">f8") if blocks else np.empty(0, dtype=">f8")
        return ids, numbers.reshape(-1, 5).T.astype(np.float64, order="C")

    def shapes_in_bbox(self, layer_id: str, bbox: tuple[float, float, float, float], tolerance: float,
                       *, attributes: bool = False, small_size: tuple[float, float] = (0.0, 0.0), dots: bool = False,
                       ids: list[str] | None = None, street: str | None = None, community: str | None = None
                       ) -> tuple[list[str], PlaceAttributes | None, list[bytes | None], np.ndarray]:
        """`shapes_in_bbox_chunks`' places all at once: their ids, with `attributes` what a map shows of them (as
        columns, the names as their JSON texts: a district's 860,000; else None), WKB geometries, and with `dots`
        the numbers of the places sent as dots and boxes (a row of five each)."""
        found: list[str] = []
        shown = AttributeColumns(encoded=True)
        wkb: list[bytes | None] = []
        numbers: list[np.ndarray] = []
        with closing(self.shapes_in_bbox_chunks(layer_id, bbox, tolerance, attributes=attributes,
                                                small_size=small_size, dots=dots, ids=ids, street=street,
                                                community=community)) as chunks:
            for chunk_ids, columns, chunk_wkb, chunk_numbers in chunks:
                found += chunk_ids
                if columns is not None:
                    shown.add(*columns)
                wkb += chunk_wkb
                if chunk_numbers is not None:
                    numbers.append(chunk_numbers)
        return found, shown.done() if attributes else None, wkb, _stacked(numbers, 5)

    def shapes_in_bbox_chunks(self, layer_id: str, bbox: tuple[float, float, float, float], tolerance: float,
                              *, attributes: bool = False, small_size: tuple[float, float] = (0.0, 0.0),
                              dots: bool = False, ids: list[str] | None = None, street: str | None = None,
                              community: str | None = None
                              ) -> Iterator[tuple[list[str], list[list] | None, list[bytes | None], np.ndarray | None]]:
        """Places of a layer whose geometry meets `bbox`, simplified by `tolerance` degrees (GiST index,
        ST_SimplifyPreserveTopology), a chunk at a time: each chunk's ids, with `attributes` what a map shows of
        them (a list of values per `PACKED_PROPERTIES`, read from the place's JSON; else None), WKB geometries, and
        with `dots` the numbers of the places sent as dots and boxes (else None). Only what simplifying can shorten
        is simplified, as the embedded store's viewport index does: not a polygon under `small_size` degrees of
        longitude wide and of latitude high (it is sent as a dot or a box), nor a ring of four corners.
        Topology-preserving simplification is the costliest step, and at a district's zoom nearly every place is
        such a dot. With `dots`, such a polygon comes as no geometry and its bounding box and area (west, south,
        east, north, area, a row of the last array; NaN five times for any other place: geo/viewport.py
        `small_places` makes its dot or box): no outline is sent or parsed for it. `ids`: only these places (found
        by id, the view's box still checked). `street`, `community`: only the places of that sub-district and
        community (a wall screen's scope; the generated columns of migration 0008, which hold a property only when
        it is a text, as geo/wall/params.py `in_scope` compares it).
        The rows come `SHAPES_CHUNK` at a time (libpq's chunked rows), each chunk handed on before the next is
        read: a district's million rows with their attributes, fetched at once as tuples, held a gigabyte. The
        connection, and the query's snapshot, are held until the chunks are all read or the iterator is closed:
        while the caller writes them (a GeoJSON view of a district: seconds)."""
        self.layer(layer_id)
        properties = PACKED_PROPERTIES if attributes else ()
        columns = [sql.SQL("id"), *(sql.SQL("properties ->> {}").format(sql.Literal(p)) for p in properties)]
        small = sql.SQL("b.small")  # the place's box and whether it is a dot or a box, worked out once a row (below)
        geom = sql.SQL("geom")
        params: dict = {"layer": layer_id, "w": bbox[0], "s": bbox[1], "e": bbox[2], "n": bbox[3],
                        "small_x": small_size[0], "small_y": small_size[1], "tolerance": tolerance, "ids": ids,
                        "street": street, "community": community}
        if tolerance > 0:
            geom = sql.SQL("CASE WHEN ST_NPoints(geom) <= 5 OR {small} THEN geom "
                           "ELSE ST_SimplifyPreserveTopology(geom, %(tolerance)s) END").format(small=small)
        outline = sql.SQL("ST_AsBinary({geom})").format(geom=geom)
        if dots and tolerance > 0:
            outline = sql.SQL("CASE WHEN {small} THEN NULL ELSE {outline} END, "
                              "CASE WHEN {small} THEN ST_XMin(b.box) END, CASE WHEN {small} THEN ST_YMin(b.box) END, "
                              "CASE WHEN {small} THEN ST_XMax(b.box) END, CASE WHEN {small} THEN ST_YMax(b.box) END, "
                              "CASE WHEN {small} THEN ST_Area(geom) END").format(small=small, outline=outline)
        else:
            outline = sql.SQL("{outline}, NULL::float8, NULL::float8, NULL::float8, NULL::float8, NULL::float8"
                              ).format(outline=outline)
        query = sql.SQL("SELECT {columns}, {outline} FROM features CROSS JOIN LATERAL ("
                        "SELECT box, ST_Dimension(features.geom) = 2 AND ST_XMax(box) - ST_XMin(box) < %(small_x)s "
                        "AND ST_YMax(box) - ST_YMin(box) < %(small_y)s AS small "
                        "FROM (SELECT Box3D(features.geom) AS box) AS bounds) AS b "
                        "WHERE layer = %(layer)s AND geom IS NOT NULL {by_id}{scope}"
                        "AND geom && ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, 4326) "
                        "AND ST_Intersects(geom, ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, 4326)) ORDER BY pos"
                        ).format(columns=sql.SQL(", ").join(columns), outline=outline,
                                 by_id=sql.SQL("AND id = ANY(%(ids)s) " if ids is not None else ""),
                                 scope=sql.SQL("".join(("AND street = %(street)s " if street else "",
                                                        "AND community = %(community)s " if community else ""))))
        n = len(properties)
        # libpq's chunked rows (libpq 17 on; the pinned psycopg-binary brings its own), else a row at a time; the
        # stream closed before the connection goes back (a failure meanwhile: the query cancelled, the connection kept)
        size = SHAPES_CHUNK if psycopg.capabilities.has_stream_chunked() else 1
        with self._conn() as conn, conn.cursor() as cursor, closing(cursor.stream(query, params, size=size)) as stream:
            while rows := list(itertools.islice(stream, SHAPES_CHUNK)):
                yield ([interned(r[0]) for r in rows],  # (the object the wall's state holds: this one let go)
                       [[r[k] for r in rows] for k in range(1, 1 + n)] if attributes else None,
                       [r[1 + n] for r in rows],
                       np.array([r[2 + n:7 + n] for r in rows], dtype=float) if dots else None)

    def vector_tile(self, layer_id: str, z: int, x: int, y: int, extent: int, buffer: int, *, dot: int = 0,
                    pixel: int = 16, street: str | None = None, community: str | None = None) -> bytes:
        """The layer's Mapbox Vector Tile z/x/y (geo/tiles.py): one feature per place meeting it (of the sub-district
        and community when given), clipped to it and `buffer` units around, with the place's id, made by ST_AsMVT;
        the GiST index finds the places. With `dot`, a polygon smaller than `dot` units each way is the centre of
        its bounding box, and such points are one per `pixel` units square: the first place's (by position),
        with `count` when there are more."""
        self.layer(layer_id)
        query = (
            "SELECT ST_AsMVT(t, %(layer)s, %(extent)s, 'geom') FROM ("
            " SELECT r.id, CASE WHEN r.n > 1 THEN r.n END AS count,"
            "  ST_AsMVTGeom(r.g, ST_TileEnvelope(%(z)s, %(x)s, %(y)s), %(extent)s, %(buffer)s, true) AS geom FROM ("
            "  SELECT DISTINCT ON (q.cell) q.id, q.pos, q.g, count(*) OVER (PARTITION BY q.cell) AS n FROM ("
            "   SELECT p.id, p.pos,"
            "    CASE WHEN p.small THEN ST_SetSRID(ST_MakePoint(p.cx, p.cy), 3857) ELSE ST_Transform(p.geom, 3857) END AS g,"
            "    CASE WHEN p.small THEN 'd' || floor((p.cx - %(west)s) / %(pixel_m)s)::text || ','"
            "     || floor((p.cy - %(south)s) / %(pixel_m)s)::text ELSE 'p' || p.id END AS cell FROM ("
            "    SELECT f.id, f.pos, f.geom, (m.x0 + m.x1) / 2 AS cx, (m.y0 + m.y1) / 2 AS cy,"
            "     ST_Dimension(f.geom) = 2 AND m.x1 - m.x0 < %(dot_m)s AND m.y1 - m.y0 < %(dot_m)s AS small"
            # the box's corners, not the outline, to EPSG:3857 (spherical Mercator, x and y apart): the same bounds
            "    FROM features f CROSS JOIN LATERAL (SELECT ST_XMin(f.geom) * %(k)s AS x0, ST_XMax(f.geom) * %(k)s AS x1,"
            "     ln(tan(pi() / 4 + radians(ST_YMin(f.geom)) / 2)) * %(r)s AS y0,"
            "     ln(tan(pi() / 4 + radians(ST_YMax(f.geom)) / 2)) * %(r)s AS y1) m"
            "    WHERE f.layer = %(layer)s AND f.geom IS NOT NULL"
            "     AND f.geom && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s), 4326)"
            "     AND (%(street)s::text IS NULL OR f.street = %(street)s)"
            "     AND (%(community)s::text IS NULL OR f.community = %(community)s)) p) q"
            "  ORDER BY q.cell, q.pos) r ORDER BY r.pos) t WHERE t.geom IS NOT NULL")
        side = 2 * 20037508.342789244 / 2**z
        params = {"layer": layer_id, "z": z, "x": x, "y": y, "extent": extent, "buffer": buffer,
                  "margin": buffer / extent, "street": street, "community": community, "dot_m": dot * side / extent,
                  "pixel_m": pixel * side / extent, "west": -20037508.342789244 + x * side,
                  "k": 20037508.342789244 / 180, "r": 20037508.342789244 / math.pi,
                  "south": 20037508.342789244 - (y + 1) * side}
        with self._conn() as conn:
            row = conn.execute(query, params).fetchone()
        return bytes(row[0]) if row and row[0] is not None else b""

    # --- records beside the layers (table `records`) -----------------------------
    def record(self, kind: str, key: str) -> dict | None:
        with self._conn() as conn:
            row = conn.execute("SELECT body FROM records WHERE kind = %s AND key = %s", (kind, key)).fetchone()
        return parse_record(row[0], f"{kind}/{key}") if row else None

    def record_keys(self, kind: str) -> list[str]:
        with self._conn() as conn:
            return [r[0] for r in conn.execute("SELECT key FROM records WHERE kind = %s ORDER BY key", (kind,))]

    @contextmanager
    def records_locked(self, kind: str) -> Iterator[None]:
        """A session advisory lock per campaign and kind, held on one pooled connection for the block."""
        key = _lock_key(f"{self.schema}:records:{kind}")
        deadline = time.monotonic() + self._lock_timeout_ms / 1000
        with self._conn() as conn:
            while not conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]:
                if time.monotonic() > deadline:
                    raise StoreBusy(t("store.records_busy", kind=kind))
                time.sleep(0.02)
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

    def put_record(self, kind: str, key: str, value: dict) -> None:
        body = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
        with self._conn() as conn:
            conn.execute("INSERT INTO records (kind, key, body) VALUES (%s, %s, %s) ON CONFLICT (kind, key) "
                         "DO UPDATE SET body = excluded.body, updated_at = now()", (kind, key, body))

    def delete_record(self, kind: str, key: str) -> None:
        with self._conn() as conn:
            conn.execute("DELETE FROM records WHERE kind = %s AND key = %s", (kind, key))

    def leader_lock(self, name: str) -> LeaderLock:
        """A session advisory lock of the campaign's schema and `name`, on a connection of its own (not the
        pool's): the server lets it go when that connection ends, so a holder that dies or loses the network
        hands it on."""
        return AdvisoryLeaderLock(self.database_url, _lock_key(f"{self.schema}:leader:{name}"),
                                  connect_timeout=self.connect_timeout)

    # --- writes ------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[Transaction]:
        with self._conn() as conn, conn.transaction():
            conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(f"{self._lock_timeout_ms}ms")))
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            yield _PGTransaction(conn)


class _PGTransaction(Transaction):
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def current(self, layer: str, fid: str) -> dict | None:
        row = self.conn.execute("SELECT feature::text FROM features WHERE layer = %s AND id = %s FOR UPDATE",
                                (layer, fid)).fetchone()
        return orjson.loads(row[0]) if row else None

    def next_id(self, layer: Layer) -> str:
        """After the highest number ever given (table id_counters, kept by every create), or of a place
        there (one written around the store): a deleted place's id is never given again."""
        prefix = f"{layer.id_prefix}-"
        width, top = self.conn.execute(
            "SELECT greatest(max(w), 0), greatest(max(n), 0) FROM ("
            "SELECT width AS w, top AS n FROM id_counters WHERE layer = %s AND prefix = %s UNION ALL "
            "SELECT max(length(s)), max(s::numeric) FROM "
            "(SELECT substr(id, %s) AS s FROM features WHERE layer = %s AND starts_with(id, %s)) x "
            "WHERE s ~ '^[0-9]+$') c", (layer.id, layer.id_prefix, len(prefix) + 1, layer.id, prefix)).fetchone()
        return f"{prefix}{int(top) + 1:0{max(4, width)}d}"

    def used_before(self, layer: str, fid: str) -> bool:
        return self.conn.execute("SELECT EXISTS (SELECT 1 FROM journal WHERE layer = %s AND id = %s)",
                                 (layer, fid)).fetchone()[0]

    def last_seq(self) -> int:
        return self.conn.execute("SELECT coalesce(max(seq), 0) FROM journal").fetchone()[0]

    def commit(self, changes: list[dict]) -> None:
        checks: list[tuple[psycopg.Cursor, dict]] = []
        heads: dict[str, int] = {}
        with self.conn.pipeline():
            for change in changes:
                cur = self.conn.cursor()
                write_feature(cur, change)
                if change["op"] != "create":
                    checks.append((cur, change))
                insert_journal(self.conn.cursor(), change)
                if change["op"] == "create":
                    count_id(self.conn.cursor(), change["layer"], change["id"])
                heads[change["layer"]] = change["seq"]
            for layer, seq in heads.items():
                self.conn.execute("INSERT INTO layer_heads (layer, seq) VALUES (%s, %s) "
                                  "ON CONFLICT (layer) DO UPDATE SET seq = excluded.seq", (layer, seq))
        for cur, change in checks:
            if cur.rowcount != 1:  # the row moved on although we held the lock: refuse rather than overwrite
                raise Conflict(t("store.changed_by_another", id=change["id"]))


# --- items queries ----------------------------------------------------------------------

# geo/name_search.py's search in SQL: a name starting with the text before one containing it, shorter first, then by
# name (code point order, as Python compares), then in the layer's order; the id typed in full finds its place too
_FIND_BY_NAME = """
SELECT id, properties ->> 'name', street, community FROM features, guatu_name_key(%(text)s) AS wanted
WHERE layer = %(layer)s AND ((wanted <> '' AND strpos(name_key, wanted) > 0) OR id = %(text)s)
  AND (%(street)s::text IS NULL OR street = %(street)s) AND (%(community)s::text IS NULL OR community = %(community)s)
ORDER BY CASE WHEN strpos(name_key, wanted) = 1 THEN 0 ELSE 1000 END + length(name_key),
         coalesce(properties ->> 'name', '') COLLATE "C", pos
LIMIT %(limit)s
"""


def items_where(layer_id: str, query: ItemsQuery, cql: CQLNode | None) -> tuple[sql.Composable, list]:
    """The WHERE of an items query, with its parameters: what `LayerIndex.select` keeps, said in SQL."""
    parts: list[sql.Composable] = [sql.SQL("layer = %s")]
    params: list = [layer_id]
    for key, wanted in sorted(query.filters.items()):
        if key not in QUERYABLES:
            raise BadParameter(key, t("ogc.not_queryable"))
        parts.append(sql.SQL("{} = ANY(%s)").format(sql.Identifier(key)))  # the generated column (migration 0008)
        params.append(sorted(wanted))
    if query.interval is not None:
        stamp = sql.SQL("updated_at")
        if query.interval.start is not None:
            parts.append(sql.SQL("{} >= %s").format(stamp))
            params.append(query.interval.start)
        if query.interval.end is not None:
            parts.append(sql.SQL("{} <= %s").format(stamp))
            params.append(query.interval.end)
        if query.interval.start is None and query.interval.end is None:
            parts.append(sql.SQL("{} IS NOT NULL").format(stamp))
    if query.bbox is not None:
        west, south, east, north = query.bbox
        boxes = [(west, south, east, north)] if west <= east else [(west, south, 180, north), (-180, south, east, north)]
        parts.append(sql.SQL("({})").format(sql.SQL(" OR ").join(
            sql.SQL("ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, 4326))") for _ in boxes)))
        params += [v for box in boxes for v in box]
    if cql is not None:
        implied = filter_sql.hint(cql)
        if implied is not None:
            parts.append(implied[0])
            params += implied[1]
        condition, more = filter_sql.condition(cql)
        parts.append(condition)
        params += more
    return sql.SQL(" AND ").join(parts), params


def _page(where: sql.Composable, *, counted: bool, after: bool, skips: bool) -> sql.Composable:
    """An items page's rows in the layer's order. Its parameters, after the WHERE's: with a cursor (`after`) its
    position and the limit, else the limit and the offset. `counted`: each row also carries how many rows match in
    all, counted in the pass that finds them (a CQL2 filter may unpack every row). When rows are skipped (`skips`)
    or counted, the page's positions are found first and only its own rows are read whole: a row passed over is
    never made into text."""
    if counted:
        every = sql.SQL("SELECT layer, pos, count(*) OVER () AS total FROM features WHERE {}").format(where)
        if after:
            positions = sql.SQL("SELECT * FROM ({}) m WHERE pos > %s ORDER BY pos LIMIT %s").format(every)
        else:
            positions = sql.SQL("{} ORDER BY pos LIMIT %s OFFSET %s").format(every)
        columns = sql.SQL("f.feature::text, p.total")
    elif after:
        return sql.SQL("SELECT feature::text FROM features WHERE {} AND pos > %s ORDER BY pos LIMIT %s").format(where)
    elif not skips:
        return sql.SQL("SELECT feature::text FROM features WHERE {} ORDER BY pos LIMIT %s OFFSET %s").format(where)
    else:
        positions = sql.SQL("SELECT layer, pos FROM features WHERE {} ORDER BY pos LIMIT %s OFFSET %s").format(where)
        columns = sql.SQL("f.feature::text")
    return sql.SQL("SELECT {} FROM ({}) p JOIN features f ON f.layer = p.layer AND f.pos = p.pos ORDER BY p.pos"
                   ).format(columns, positions)


def _distinct_texts(conn: psycopg.Connection, layer_id: str, key: str) -> list[str]:
    """The non-empty string values of a queryable over a layer, sorted as Python sorts them: a loose index scan
    of the (layer, column) index, one step per value rather than a pass over every place."""
    query = sql.SQL(
        "WITH RECURSIVE v(x) AS ("
        "(SELECT {c} FROM features WHERE layer = %(layer)s AND {c} > '' ORDER BY {c} LIMIT 1) "
        "UNION ALL SELECT (SELECT {c} FROM features WHERE layer = %(layer)s AND {c} > v.x ORDER BY {c} LIMIT 1) "
        "FROM v WHERE v.x IS NOT NULL) "
        "SELECT x FROM v WHERE x IS NOT NULL").format(c=sql.Identifier(key))
    return sorted(r[0] for r in conn.execute(query, {"layer": layer_id}))


# --- rows <-> Guatu's dicts (shared with geo.store.transfer) --------------------------

def write_feature(cur: psycopg.Cursor, change: dict) -> None:
    """Apply one journal change to the features table (update/delete only from the version before it)."""
    op, after, before = change["op"], change["after"], change["before"]
    if op == "delete":
        cur.execute("DELETE FROM features WHERE layer = %s AND id = %s AND version = %s",
                    (change["layer"], change["id"], before["properties"]["version"]))
        return
    line = feature_line(after).decode()
    geometry = dumps(after["geometry"]).decode() if after.get("geometry") else None
    props = dumps(after["properties"]).decode()
    if op == "create":
        cur.execute("INSERT INTO features (layer, id, version, seq, geom, properties, feature) VALUES "
                    "(%s, %s, %s, %s, ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(%s)), 4326), %s::jsonb, %s::json)",
                    (change["layer"], change["id"], change["version"], change["seq"], geometry, props, line))
    else:
        cur.execute("UPDATE features SET version = %s, seq = %s, geom = ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(%s)), 4326), "
                    "properties = %s::jsonb, feature = %s::json WHERE layer = %s AND id = %s AND version = %s",
                    (change["version"], change["seq"], geometry, props, line, change["layer"], change["id"],
                     before["properties"]["version"]))


_NUMBERED_ID = re.compile(r"^(.*)-([0-9]+)$")  # as migration 0005 counts ids: <prefix>-<digits>


def count_id(cur: psycopg.Cursor, layer: str, fid: str) -> None:
    """Count a created id in id_counters, so that its number is never given again."""
    m = _NUMBERED_ID.match(fid)
    if m is None:
        return
    cur.execute("INSERT INTO id_counters (layer, prefix, top, width) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (layer, prefix) DO UPDATE SET top = greatest(id_counters.top, excluded.top), "
                "width = greatest(id_counters.width, excluded.width)",
                (layer, m.group(1), int(m.group(2)), len(m.group(2))))


def insert_journal(cur: psycopg.Cursor, entry: dict) -> None:
    """One journal row, with the summary columns a wall poll reads."""
    cur.execute(
        'INSERT INTO journal (seq, at, "user", op, layer, id, version, before, after, status, status_before, '
        "geometry_changed, changed) VALUES (%s, %s, %s, %s, %s, %s, %s, %s::json, %s::json, %s, %s, %s, %s)",
        journal_row(entry))


def journal_row(entry: dict) -> tuple:
    s = change_summary(entry, 0, 0)
    before = dumps(entry["before"]).decode() if entry.get("before") is not None else None
    after = dumps(entry["after"]).decode() if entry.get("after") is not None else None
    return (entry["seq"], entry["at"], entry.get("user", ""), entry["op"], entry["layer"], entry["id"],
            entry.get("version", 0), before, after, s.status, s.status_before, s.geometry_changed, list(s.changed))


def row_entry(row: tuple) -> dict:
    seq, at, user, op, layer, fid, version, before, after = row
    return {"seq": seq, "at": iso(at), "user": user, "op": op, "layer": layer, "id": fid, "version": version,
            "before": orjson.loads(before) if before is not None else None,
            "after": orjson.loads(after) if after is not None else None}


def _row_summary(row: tuple) -> ChangeSummary:
    seq, at, user, op, layer, fid, version, status, geometry_changed, status_before, changed = row
    return ChangeSummary(seq=seq, at=iso(at), user=user, op=op, layer=layer, id=fid, version=version, status=status,
                         geometry_changed=geometry_changed, offset=seq, length=0, status_before=status_before,
                         changed=tuple(changed or ()))


# --- migrations ----------------------------------------------------------------------

def migration_files() -> list[tuple[int, str, Path]]:
    """geo/store/migrations/NNNN_name.sql, in order."""
    out = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        head, _, name = path.stem.partition("_")
        if not head.isdigit():
            raise ValueError(f"migration file {path.name}: expected NNNN_name.sql")
        out.append((int(head), name, path))
    return out


def migrate(conn: psycopg.Connection, schema: str) -> list[int]:
    """Create the schema and apply the migrations it has not had yet; returns the versions applied now.

    Safe to run from many processes at once (an advisory lock makes them take turns) and again and again."""
    check_schema_name(schema)
    ident = sql.Identifier(schema)
    applied_now: list[int] = []
    conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
    try:
        _ensure_postgis(conn)
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(ident))
        conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {}.schema_migrations (version integer PRIMARY KEY, "
                             "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())").format(ident))
        done = {r[0] for r in conn.execute(sql.SQL("SELECT version FROM {}.schema_migrations").format(ident))}
        for version, name, path in migration_files():
            if version in done:
                continue
            with conn.transaction():
                conn.execute(sql.SQL("SET LOCAL search_path TO {}, public").format(ident))
                conn.execute(path.read_text(encoding="utf-8").encode(), prepare=False)
                conn.execute(sql.SQL("INSERT INTO {}.schema_migrations (version, name) VALUES (%s, %s)").format(ident),
                             (version, name))
            applied_now.append(version)
            log.info("schema %s: applied migration %04d_%s", schema, version, name)
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))
    return applied_now


def _ensure_postgis(conn: psycopg.Connection) -> None:
    if conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
        return
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except psycopg.errors.InsufficientPrivilege:
        raise DatabaseUnavailable(t("db.no_postgis")) from None
    except psycopg.errors.FeatureNotSupported as exc:
        raise DatabaseUnavailable(t("db.postgis_missing", detail=str(exc).strip())) from None


def _where(url: str) -> str:
    """Which database, for messages people see: host, port and name, never the user or password."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "PostgreSQL"
    host = info.get("host") or "localhost"
    port = f":{info['port']}" if info.get("port") else ""
    return f"PostgreSQL {host}{port}/{info.get('dbname') or ''}"


class AdvisoryLeaderLock(LeaderLock):
    """One holder among every process and instance on the database: `pg_try_advisory_lock` on a dedicated
    connection, checked again on every `try_acquire` (a connection that broke has lost the lock)."""

    def __init__(self, database_url: str, key: int, *, connect_timeout: float = 10.0) -> None:
        self._url = database_url
        self._key = key
        self._timeout = connect_timeout
        self._conn: psycopg.Connection | None = None

    def try_acquire(self) -> bool:
        if self._conn is not None:
            try:
                self._conn.execute("SELECT 1")
                return True
            except psycopg.Error:
                self._drop()
        try:
            conn = psycopg.connect(self._url, autocommit=True, connect_timeout=max(2, math.ceil(self._timeout)))
        except psycopg.Error as exc:
            log.warning("the leader lock needs the database: %s", str(exc).strip())
            return False
        try:
            won = conn.execute("SELECT pg_try_advisory_lock(%s)", (self._key,)).fetchone()[0]
        except psycopg.Error:
            won = False
        if not won:
            conn.close()
            return False
        self._conn = conn
        return True

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except psycopg.Error as exc:  # a connection already gone holds nothing
                log.debug("closing the leader lock's connection: %s", exc)

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (self._key,))
            except psycopg.Error as exc:  # closing the connection lets it go all the same
                log.debug("releasing the leader lock: %s", exc)
            self._drop()
