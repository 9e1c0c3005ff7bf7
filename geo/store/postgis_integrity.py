"""`store check` and `store repair` for the PostGIS store: the tables against the journal.

The journal is the campaign's record of every change; the `features` rows
and `layer_heads` are derived from it (each row is the after-image of its
place's last change, each head the layer's last change). `check` compares
them, in SQL where the data is large (one pass over each table, jsonb
comparison of each row with its after-image), and looks at the journal
itself (gaps in its numbering, entries whose after-image is not the place
they name), the records beside the layers (each must parse) and the applied
migrations against the files.

`repair` takes the campaign's write lock and, in one transaction, moves every
row that disagrees with the journal into `damaged_features` (migration 0004)
and writes it again from the journal's after-image, sets each layer's head
from the journal, and lists what it could not recover: a place whose own
chain of versions has a hole (its lost change may be the one the row shows),
rows the journal does not know while changes are missing from it, a damaged
journal, records that do not parse. Nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson
import psycopg
from psycopg import sql

from geo.geojson_io import dumps, feature_line
from geo.messages import t
from geo.store.base import Finding, RepairReport

# A row the journal never mentions is a place from before the journal began (a campaign copied in from
# files that had no journal, like the demo) when the row says so itself: written by no change (seq below
# the journal's first) and stamped by the store no later than the journal's first change. Anything else
# the journal does not know was written behind the store's back.
_BEFORE_THE_JOURNAL = """(f.seq < coalesce(start.seq, 1) AND f.properties ? 'updated_at'
    AND (start.at IS NULL OR (f.properties ->> 'updated_at')::timestamptz <= start.at))"""

# Each place's row against its last journal entry: only those that disagree.
_PLACES = """
WITH last AS (
    SELECT DISTINCT ON (layer, id) layer, id, seq, op, version, after
    FROM journal ORDER BY layer, id, seq DESC
), start AS (SELECT min(seq) AS seq, min(at) AS at FROM journal)
SELECT coalesce(f.layer, l.layer), coalesce(f.id, l.id), f.version, l.seq, l.op, l.version,
       f.layer IS NOT NULL, l.layer IS NOT NULL,
       CASE WHEN f.layer IS NOT NULL AND l.after IS NOT NULL THEN f.feature::jsonb = l.after::jsonb END
FROM features f FULL OUTER JOIN last l ON f.layer = l.layer AND f.id = l.id CROSS JOIN start
WHERE NOT (f.layer IS NULL AND l.op = 'delete')
  AND (f.layer IS NULL OR l.op = 'delete' OR f.version <> l.version OR f.feature::jsonb <> l.after::jsonb
       OR (l.layer IS NULL AND NOT """ + _BEFORE_THE_JOURNAL + """))
ORDER BY 1, 2
"""

# Journal entries whose after-image is not the place and version they name.
_BAD_ENTRIES = """
SELECT seq, layer, id FROM journal
WHERE (op = 'delete' AND after IS NOT NULL)
   OR (op <> 'delete' AND (after IS NULL OR json_typeof(after) <> 'object' OR after ->> 'id' IS DISTINCT FROM id
       OR json_typeof(after -> 'properties') IS DISTINCT FROM 'object'
       OR after -> 'properties' ->> 'version' IS DISTINCT FROM version::text))
ORDER BY seq
"""

# Holes in the numbering (1, 2, … with none missing) and numbers used twice.
_GAPS = """
SELECT prev + 1, seq - 1 FROM (SELECT seq, coalesce(lag(seq) OVER (ORDER BY seq), 0) AS prev FROM journal) s
WHERE seq > prev + 1 ORDER BY seq
"""
_DUPLICATES = "SELECT seq FROM journal GROUP BY seq HAVING count(*) > 1 ORDER BY seq"

# Places whose versions in the journal do not follow each other (a change of theirs is missing): 1, 2, 3…
# from a create, or v, v+1… from the first change of a place from before the journal began.
_BROKEN_CHAINS = """
SELECT layer, id FROM (
    SELECT layer, id, version, row_number() OVER w AS n, first_value(version) OVER w AS v0,
           first_value(op) OVER w AS op0
    FROM journal WINDOW w AS (PARTITION BY layer, id ORDER BY seq)) v
GROUP BY layer, id HAVING bool_or(version <> v0 + n - 1 OR (op0 = 'create' AND v0 <> 1))
"""

_HEADS = """
SELECT coalesce(h.layer, j.layer), h.seq, j.seq FROM layer_heads h
FULL OUTER JOIN (SELECT layer, max(seq) AS seq FROM journal GROUP BY layer) j ON h.layer = j.layer
WHERE coalesce(h.seq, 0) <> coalesce(j.seq, 0) ORDER BY 1
"""


@dataclass(frozen=True)
class _Place:
    """One place whose row disagrees with the journal."""

    layer: str
    id: str
    row_version: int | None
    seq: int | None
    op: str | None
    version: int | None
    has_row: bool
    in_journal: bool
    same: bool | None


@dataclass
class _Survey:
    places: list[_Place]
    gaps: list[tuple[int, int]]
    duplicates: list[int]
    bad_entries: list[tuple[int, str, str]]
    broken_chains: set[tuple[str, str]]
    heads: list[tuple[str, int | None, int | None]]
    bad_records: list[tuple[str, str, str]]
    missing_migrations: list[tuple[int, str]]
    unknown_migrations: list[tuple[int, str]]

    @property
    def journal_complete(self) -> bool:
        return not self.gaps and not self.duplicates

    def damaged_places(self) -> set[tuple[str, str]]:
        return self.broken_chains | {(layer, fid) for _, layer, fid in self.bad_entries}

    def recoverable(self, p: _Place) -> bool:
        """The journal can rebuild this place: its own chain of versions is whole and, while changes are
        missing from the journal, the journal knows the place and is not behind its row (the missing
        change may be the one the row shows)."""
        if (p.layer, p.id) in self.damaged_places():
            return False
        if self.journal_complete:
            return True
        return p.in_journal and (p.row_version is None or p.op == "delete" or p.row_version <= p.version)


def survey(conn: psycopg.Connection, schema: str, migrations: list[tuple[int, str]]) -> _Survey:
    """Everything check and repair look at, read on one connection (in repair's transaction)."""
    places = [_Place(*row) for row in conn.execute(_PLACES)]
    records = []
    for kind, key, body in conn.execute("SELECT kind, key, body FROM records ORDER BY kind, key"):
        try:
            orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            records.append((kind, key, str(exc)))
    applied = {v: n for v, n in conn.execute(
        sql.SQL("SELECT version, name FROM {}.schema_migrations").format(sql.Identifier(schema)))}
    known = dict(migrations)
    return _Survey(
        places=places,
        gaps=[tuple(r) for r in conn.execute(_GAPS)],
        duplicates=[r[0] for r in conn.execute(_DUPLICATES)],
        bad_entries=[tuple(r) for r in conn.execute(_BAD_ENTRIES)],
        broken_chains={tuple(r) for r in conn.execute(_BROKEN_CHAINS)},
        heads=[tuple(r) for r in conn.execute(_HEADS)],
        bad_records=records,
        missing_migrations=[(v, n) for v, n in migrations if v not in applied],
        unknown_migrations=[(v, n) for v, n in sorted(applied.items()) if v not in known],
    )


def findings(s: _Survey, schema: str, layers: list[str]) -> list[Finding]:
    out: list[Finding] = []
    journal = f"{schema}.journal"
    for first, last in s.gaps:
        out.append(Finding(journal, t("db.check.seq_gap", first=first, last=last, count=last - first + 1),
                           t("db.remedy.journal"), repairable=False, code="journal_damaged"))
    for seq in s.duplicates:
        out.append(Finding(f"{journal} seq {seq}", t("db.check.seq_duplicate", seq=seq),
                           t("db.remedy.journal"), repairable=False, code="journal_damaged"))
    for seq, layer, fid in s.bad_entries:
        out.append(Finding(f"{journal} seq {seq}",
                           t("db.check.entry_unreadable", seq=seq, detail=f"{layer}/{fid}"),
                           t("db.remedy.journal"), repairable=False, code="journal_damaged"))
    for p in s.places:
        where = f"{schema}.features {p.layer}/{p.id}"
        remedy = "db.remedy.rebuild_row"  # what repair does with it: the remedy says that, no more
        if not p.has_row:
            problem = t("db.check.row_missing", layer=p.layer, id=p.id, seq=p.seq, version=p.version)
            remedy = "db.remedy.restore_row"
        elif not p.in_journal or p.op == "delete":
            state = t("db.check.state_deleted") if p.in_journal else t("db.check.state_unknown")
            problem = t("db.check.row_extra", layer=p.layer, id=p.id, version=p.row_version, state=state)
            remedy = "db.remedy.move_row_aside"
        elif p.row_version != p.version:
            problem = t("db.check.row_version", layer=p.layer, id=p.id, have=p.row_version, seq=p.seq, want=p.version)
        else:
            problem = t("db.check.row_differs", layer=p.layer, id=p.id, seq=p.seq)
        ok = s.recoverable(p)
        out.append(Finding(where, problem, t(remedy) if ok else t("db.remedy.journal"), repairable=ok, code="damaged"))
    for layer, have, want in s.heads:
        if layer not in layers:
            out.append(Finding(f"{schema}.layer_heads {layer}", t("db.check.head_unknown_layer", layer=layer),
                               t("db.remedy.manual"), repairable=False, code="damaged"))
        else:
            out.append(Finding(f"{schema}.layer_heads {layer}",
                               t("db.check.head_wrong", layer=layer, have=have or 0, want=want or 0),
                               t("db.remedy.rebuild_head"), code="damaged"))
    for kind, key, detail in s.bad_records:
        out.append(Finding(f"{schema}.records {kind}/{key}", t("db.check.record_unreadable", kind=kind, key=key,
                                                                detail=detail),
                           t("db.remedy.manual"), repairable=False, code="damaged"))
    for version, name in s.missing_migrations:
        out.append(Finding(f"{schema}.schema_migrations", t("db.check.migration_missing", version=version, name=name),
                           t("db.remedy.migrate"), repairable=False, code="migrations"))
    for version, name in s.unknown_migrations:
        out.append(Finding(f"{schema}.schema_migrations", t("db.check.migration_unknown", version=version, name=name),
                           t("db.remedy.upgrade"), repairable=False, code="migrations"))
    return out


def rebuild(conn: psycopg.Connection, s: _Survey, schema: str, layers: list[str], report: RepairReport) -> None:
    """Inside the write lock's transaction: move aside and rebuild what the survey can recover."""
    reasons = {f.where: f.problem for f in findings(s, schema, layers)}
    for p in s.places:
        where = f"{schema}.features {p.layer}/{p.id}"
        if not s.recoverable(p):
            report.unrecovered.append(reasons[where])
            continue
        pos = None
        if p.has_row:
            pos = conn.execute(
                "WITH moved AS (DELETE FROM features WHERE layer = %s AND id = %s RETURNING *) "
                "INSERT INTO damaged_features (reason, layer, id, pos, version, seq, geom, properties, feature) "
                "SELECT %s, layer, id, pos, version, seq, geom, properties, feature FROM moved RETURNING pos",
                (p.layer, p.id, reasons[where])).fetchone()[0]
            report.moved_aside.append(t("db.repair.moved", layer=p.layer, id=p.id, version=p.row_version,
                                        table=f"{schema}.damaged_features"))
        if p.in_journal and p.op != "delete":
            after = orjson.loads(conn.execute("SELECT after::text FROM journal WHERE seq = %s", (p.seq,)).fetchone()[0])
            geometry = dumps(after["geometry"]).decode() if after.get("geometry") else None
            conn.execute(
                "INSERT INTO features (layer, id, pos, version, seq, geom, properties, feature) VALUES "
                "(%s, %s, coalesce(%s, nextval('feature_pos')), %s, %s, ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(%s)), 4326), "
                "%s::jsonb, %s::json)",
                (p.layer, p.id, pos, p.version, p.seq, geometry, dumps(after["properties"]).decode(),
                 feature_line(after).decode()))
            report.rebuilt.append(t("db.repair.rebuilt", layer=p.layer, id=p.id, seq=p.seq, version=p.version))
    for layer, _, want in s.heads:
        if layer not in layers:
            report.unrecovered.append(t("db.check.head_unknown_layer", layer=layer))
            continue
        conn.execute("INSERT INTO layer_heads (layer, seq) VALUES (%s, %s) ON CONFLICT (layer) DO UPDATE SET "
                     "seq = excluded.seq", (layer, want or 0))
        report.rebuilt.append(t("db.repair.head", layer=layer, seq=want or 0))
    for f in findings(s, schema, layers):
        if not f.repairable and f.code != "damaged":  # the journal, unknown migrations: for people
            report.unrecovered.append(f.problem)
    for kind, key, detail in s.bad_records:
        report.unrecovered.append(t("db.check.record_unreadable", kind=kind, key=key, detail=detail))
    incomplete = sorted({layer for layer, _ in s.damaged_places()})
    report.unrecovered.extend(t("db.repair.layer_incomplete", layer=layer) for layer in incomplete)
