"""Move a campaign between the embedded GeoJSON store and PostGIS, losslessly, both ways.

Features and the whole journal are copied; the layers' revisions, the
records kept beside them (the daily inspection lists) and every photo's
files (geo/photos/blobs.py: `<data>/photos` ↔ the table `photo_blobs` or the
configured object store; written before the places that name them) too, so wall screens,
exports and reports carry on where they were. The ids ever given go with the
journal (it names every place ever created or deleted): PostGIS counts them
into `id_counters`, the embedded store counts them from the journal, so a
deleted place's id is not given again after a copy either. GeoJSON → PostGIS → GeoJSON
gives byte-identical layer files, journal and records. A copy never
overwrites: the target schema must be empty, the target folder must not
hold layer files or a journal yet.

    python -m geo.store.transfer to-postgis --data data/ --to postgresql://… [--schema erqi]
    python -m geo.store.transfer to-geojson --from postgresql://… [--schema erqi] --data data/ --to-dir DIR

(`flask --app web store copy --to …` / `--from … --to-dir DIR` does the same for the app's campaign.)
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from psycopg import sql

from geo.config import Campaign, load_campaign
from geo.errors import GuatuError
from geo.geojson_io import atomic_write, collection_bytes, dumps, feature_line, fsync_dir, layer_members
from geo.messages import t
from geo.photos.blobs import Blobs, FileBlobs, copy_blobs
from geo.store.base import RECORD_KINDS
from geo.store.geojson import JOURNAL_FILE, LOCK_FILE, PHOTOS_DIR, GeoJSONStore, record_name
from geo.store.postgis import DEFAULT_SCHEMA, PostGISStore, journal_row, row_entry


class CopyRefused(GuatuError):
    http_status = 409
    code = "copy_refused"


@dataclass
class CopyReport:
    features: dict[str, int]
    changes: int
    revision: int
    seconds: float
    heads: dict[str, int] = field(default_factory=dict)  # each layer's last change (seq) in the copy
    photos: int = 0  # photos whose files were copied

    def __str__(self) -> str:
        layers = "、".join(t("db.copied_layer", layer=k, count=v) for k, v in self.features.items())
        return t("db.copied", layers=layers, changes=self.changes, revision=self.revision, seconds=f"{self.seconds:.1f}",
                 photos=self.photos)


def copy_to_postgis(data_dir: Path | str, campaign: Campaign, database_url: str, *,
                    schema: str = DEFAULT_SCHEMA, blobs: Blobs | None = None) -> CopyReport:
    """Copy the GeoJSON campaign in `data_dir` (features, journal, layer revisions, photos) into an empty schema;
    `blobs`: where the target keeps photos (an object store), else its table `photo_blobs`."""
    started = time.perf_counter()
    source = GeoJSONStore(data_dir, campaign)
    target = PostGISStore(database_url, campaign, schema=schema, blobs=blobs)
    try:
        with source.exclusive():  # no write lands in the source while it is copied
            with target._conn() as conn:  # refused before a photo is copied
                _refuse_unless_empty(conn, schema)
            photos = copy_blobs(source.blobs, target.blobs)  # before the places that name them
            summaries = source.changes_since(0)
            last_write = {(s.layer, s.id): s.seq for s in summaries}
            counts: dict[str, int] = {}
            with target._conn() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (target._lock_key,))
                _refuse_unless_empty(conn, schema)
                pos = 0
                conn.execute("CREATE TEMP TABLE copy_features (layer text, id text, pos bigint, version integer, "
                             "seq bigint, geometry text, properties text, feature text) ON COMMIT DROP")
                with conn.cursor().copy("COPY copy_features FROM STDIN") as copy:
                    for layer in campaign.layers:
                        features = source.features(layer.id)
                        counts[layer.id] = len(features)
                        for f in features:
                            pos += 1
                            geometry = dumps(f["geometry"]).decode() if f.get("geometry") else None
                            copy.write_row((layer.id, f["id"], pos, f["properties"]["version"],
                                            last_write.get((layer.id, f["id"]), 0), geometry,
                                            dumps(f["properties"]).decode(), feature_line(f).decode()))
                conn.execute("INSERT INTO features (layer, id, pos, version, seq, geom, properties, feature) "
                             "SELECT layer, id, pos, version, seq, ST_SetSRID(ST_Force2D(ST_GeomFromGeoJSON(geometry)), 4326), "
                             "properties::jsonb, feature::json FROM copy_features")
                conn.execute("SELECT setval('feature_pos', greatest(%s, 1), %s)", (pos, pos > 0))
                with conn.cursor().copy('COPY journal (seq, at, "user", op, layer, id, version, before, after, '
                                        "status, status_before, geometry_changed, changed) FROM STDIN") as copy:
                    for entry in source.change_entries(summaries):
                        copy.write_row(journal_row(entry))
                conn.execute("SELECT rebuild_id_counters()")  # every id the places and journal name: never given again
                for layer in campaign.layers:  # a head row (even at 0) also says "this layer has a file"
                    seq = source.layer_revision(layer.id)
                    if seq or (Path(data_dir) / layer.file).exists():
                        conn.execute("INSERT INTO layer_heads (layer, seq) VALUES (%s, %s)", (layer.id, seq))
                for kind in RECORD_KINDS:  # the inspection lists: their text as it is, so they come back byte for byte
                    for key in source.record_keys(kind):
                        conn.execute("INSERT INTO records (kind, key, body) VALUES (%s, %s, %s)",
                                     (kind, key, source._record_path(kind, key).read_text(encoding="utf-8")))
            with target._conn() as conn:  # the planner's statistics of the new rows: indexes are chosen at once
                conn.execute("ANALYZE features")
                conn.execute("ANALYZE journal")
            revision = target.revision()
    finally:
        target.close()
        source.close()
    return CopyReport(counts, len(summaries), revision, time.perf_counter() - started, photos=photos)


def _refuse_unless_empty(conn, schema: str) -> None:
    places, changes, records = conn.execute("SELECT (SELECT count(*) FROM features), (SELECT count(*) FROM journal), "
                                            "(SELECT count(*) FROM records)").fetchone()
    if places or changes or records:
        raise CopyRefused(t("db.copy_schema_not_empty", schema=repr(schema), places=places, changes=changes))


def copy_to_geojson(database_url: str, campaign: Campaign, to_dir: Path | str, *, schema: str = DEFAULT_SCHEMA,
                    campaign_dir: Path | str | None = None, blobs: Blobs | None = None) -> CopyReport:
    """Write the PostGIS campaign into `to_dir` as the embedded store keeps it: one file per layer and
    journal.jsonl, from one consistent snapshot, and every photo's files under `photos/` (from `blobs`, the
    object store the campaign keeps them in, else its table `photo_blobs`). The campaign's other files
    (campaign.json, boundaries, …) are copied from `campaign_dir` when given."""
    started = time.perf_counter()
    to_dir = Path(to_dir)
    existing = [x.file for x in campaign.layers if (to_dir / x.file).exists()] + \
        ([JOURNAL_FILE] if (to_dir / JOURNAL_FILE).exists() else [])
    if existing:
        raise CopyRefused(t("db.copy_folder_not_empty", folder=to_dir, files=", ".join(existing)))
    if campaign_dir is not None and Path(campaign_dir).resolve() != to_dir.resolve():
        _copy_campaign_files(Path(campaign_dir), to_dir,
                             {x.file for x in campaign.layers} | {JOURNAL_FILE, LOCK_FILE, PHOTOS_DIR, *RECORD_KINDS})
    to_dir.mkdir(parents=True, exist_ok=True)
    source = PostGISStore(database_url, campaign, schema=schema, blobs=blobs)
    counts: dict[str, int] = {}
    changes = revision = 0
    try:
        with source._conn() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            heads = dict(conn.execute("SELECT layer, seq FROM layer_heads").fetchall())
            for layer in campaign.layers:
                lines = [row[0].encode() for row in conn.execute(
                    "SELECT feature::text FROM features WHERE layer = %s ORDER BY pos", (layer.id,))]
                counts[layer.id] = len(lines)
                if lines or layer.id in heads:
                    atomic_write(to_dir / layer.file,
                                 collection_bytes(lines, name=layer.id, checksum="guatu",  # opened without parsing
                                                  members=layer_members(heads.get(layer.id, 0), len(lines))))
            journal = to_dir / JOURNAL_FILE
            tmp = journal.with_name(f".{journal.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh, conn.cursor(name="guatu_journal_export") as cur:
                cur.itersize = 5000
                cur.execute(sql.SQL('SELECT seq, at, "user", op, layer, id, version, before::text, after::text '
                                    "FROM journal ORDER BY seq"))
                for row in cur:
                    fh.write(dumps(row_entry(row)) + b"\n")
                    changes += 1
                    revision = row[0]
                fh.flush()
                os.fsync(fh.fileno())
            if changes:
                os.replace(tmp, journal)
                fsync_dir(to_dir)
            else:
                tmp.unlink()
            for kind, key, body in conn.execute("SELECT kind, key, body FROM records WHERE kind = ANY(%s) "
                                                "ORDER BY kind, key", (list(RECORD_KINDS),)):
                atomic_write(to_dir / record_name(kind) / f"{record_name(key)}.json", body.encode())
        # after the snapshot: a photo's files are written before any place names it, and never change
        photos = copy_blobs(source.blobs, FileBlobs(to_dir / PHOTOS_DIR))
    finally:
        source.close()
    return CopyReport(counts, changes, revision, time.perf_counter() - started, heads, photos=photos)


def _copy_campaign_files(src: Path, dst: Path, skip: set[str]) -> None:
    def ignore(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).resolve().relative_to(src.resolve())
        return {n for n in names if n.startswith(".") or (rel / n).as_posix() in skip}

    shutil.copytree(src, dst, ignore=ignore, dirs_exist_ok=True)


def same_campaign(a: Path | str, b: Path | str, campaign: Campaign) -> list[str]:
    """Differences between two GeoJSON campaign folders' layer files, journals and records (empty: identical
    bytes)."""
    out = []
    records = sorted({p.relative_to(root).as_posix() for root in (Path(a), Path(b)) for kind in RECORD_KINDS
                      for p in (root / kind).glob("*.json")})
    for rel in [x.file for x in campaign.layers] + [JOURNAL_FILE] + records:
        pa, pb = Path(a) / rel, Path(b) / rel
        if pa.exists() != pb.exists():
            out.append(f"{rel}: only in {'the first' if pa.exists() else 'the second'}")
        elif pa.exists() and pa.read_bytes() != pb.read_bytes():
            out.append(f"{rel}: differs")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.store.transfer", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("to-postgis", help="copy a GeoJSON campaign folder into an empty PostGIS schema")
    up.add_argument("--data", type=Path, required=True, help="the campaign's data folder (campaign.json, layers)")
    up.add_argument("--to", required=True, metavar="DATABASE_URL")
    up.add_argument("--schema", default=DEFAULT_SCHEMA)
    down = sub.add_parser("to-geojson", help="write a PostGIS campaign into a new GeoJSON campaign folder")
    down.add_argument("--from", dest="source", required=True, metavar="DATABASE_URL")
    down.add_argument("--schema", default=DEFAULT_SCHEMA)
    down.add_argument("--data", type=Path, required=True, help="the campaign's folder (campaign.json, boundaries…)")
    down.add_argument("--to-dir", type=Path, required=True)
    args = parser.parse_args(argv)
    campaign = load_campaign(args.data)
    try:
        if args.command == "to-postgis":
            report = copy_to_postgis(args.data, campaign, args.to, schema=args.schema)
        else:
            report = copy_to_geojson(args.source, campaign, args.to_dir, schema=args.schema, campaign_dir=args.data)
    except GuatuError as exc:
        parser.exit(1, f"error: {exc.message}\n")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

