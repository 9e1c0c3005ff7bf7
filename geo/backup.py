"""Backups of a campaign's data directory, and their restore.

A backup is one `.tar.gz` holding `manifest.json` (format, time, revision,
each layer's sequence number, and the SHA-256 and size of every file) and
the data directory under `data/`: campaign.json, layers, boundaries and the
journal. The files are copied while the store's write lock is held
(`GeoJSONStore.exclusive`), so a backup taken while the server runs is one
consistent snapshot: no write lands between copying the journal and the
layer files. Compression happens after the lock is released, so writers
wait only for the copy. A PostGIS campaign is written out as the embedded
store keeps it (`copy_to_geojson`: layers and journal from one REPEATABLE
READ snapshot, so writers never wait) beside the data directory's other
files: its archive restores as a GeoJSON campaign, which `flask --app web
store copy --to …` puts back into a database.

Restore refuses a non-empty target, refuses archive members that are not
plain files inside `data/` (absolute paths, `..`, links, devices), checks
every file against the manifest, and only then moves the files into place:
a damaged archive leaves nothing half-restored.

`flask --app web backup|restore` is the usual entry; `python -m geo.backup`
does the same without the web app (e.g. when the data directory is gone).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import sys
import tarfile
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePosixPath

import orjson

from geo.geojson_io import fsync_dir
from geo.store.base import Store, iso, utc_now

FORMAT = "guatu-backup/1"
MANIFEST = "manifest.json"
DATA = "data"
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _included(rel: PurePosixPath) -> bool:
    """Data files: everything but hidden files (locks, temporary files)."""
    return not any(part.startswith(".") for part in rel.parts)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _archive_path(out: Path, revision: int, now: datetime) -> Path:
    if out.is_dir() or str(out).endswith(os.sep):
        return out / f"guatu-backup-{now.strftime('%Y%m%dT%H%M%SZ')}-r{revision}.tar.gz"
    return out


def backup(store: Store, out: Path | str, *, data_dir: Path | str | None = None,
           clock: Callable[[], datetime] = utc_now) -> tuple[Path, dict]:
    """Snapshot the campaign into a .tar.gz; returns its path and manifest. `data_dir` (the campaign's
    folder: campaign.json, boundaries) is needed for a PostGIS store, whose places live in the database."""
    out = Path(out)
    target_dir = out if (out.is_dir() or str(out).endswith(os.sep)) else out.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".guatu-backup-", dir=target_dir))
    try:
        now = clock()
        revision, layers = _snapshot(store, data_dir, staging / DATA)
        copied = [PurePosixPath(p.relative_to(staging / DATA).as_posix()) for p in sorted((staging / DATA).rglob("*"))
                  if p.is_file()]
        files = {str(rel): {"sha256": _sha256(staging / DATA / rel), "size": (staging / DATA / rel).stat().st_size}
                 for rel in copied}
        manifest = {"format": FORMAT, "created_at": iso(now), "revision": revision,
                    "campaign": store.campaign.title, "layers": layers, "files": files}
        archive = _archive_path(out, revision, now)
        tmp = archive.with_name(f".{archive.name}.{os.getpid()}.tmp")
        try:
            with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
                body = orjson.dumps(manifest, option=orjson.OPT_INDENT_2)
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(now.timestamp()), 0o644
                tar.addfile(info, io.BytesIO(body))
                for rel in copied:
                    tar.add(staging / DATA / rel, arcname=f"{DATA}/{rel}", recursive=False, filter=_normalise)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, archive)
            fsync_dir(archive.parent)
        finally:
            tmp.unlink(missing_ok=True)
        return archive, manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _snapshot(store: Store, data_dir: Path | str | None, into: Path) -> tuple[int, dict]:
    """Copy one consistent state of the campaign's files into `into`; returns the revision and each layer's
    file and last change (None for a layer that cannot be read)."""
    exclusive = getattr(store, "exclusive", None)
    if exclusive is not None:  # the embedded store: its files, under every process's write lock
        with exclusive() as folder:
            folder = Path(folder)
            revision = store.revision()
            errors = store.layer_errors()
            layers = {layer.id: {"file": layer.file, "seq": None if layer.id in errors else store.layer_revision(layer.id)}
                      for layer in store.campaign.layers}
            for path in sorted(folder.rglob("*")):
                rel = PurePosixPath(path.relative_to(folder).as_posix())
                if path.is_file() and _included(rel):
                    dest = into / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, dest)
        return revision, layers
    database_url = getattr(store, "database_url", None)
    if database_url is None:
        raise BackupError(f"the {type(store).__name__} backend cannot be backed up here")
    if data_dir is None:
        raise BackupError("a PostGIS campaign's backup needs its data directory (campaign.json, boundaries)")
    from geo.store.migrate import copy_to_geojson

    report = copy_to_geojson(database_url, store.campaign, into, schema=store.schema, campaign_dir=data_dir)
    return report.revision, {layer.id: {"file": layer.file, "seq": report.heads.get(layer.id, 0)}
                             for layer in store.campaign.layers}


def _normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o644
    return info


def read_manifest(archive: Path | str) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return _manifest(tar, archive)


def _manifest(tar: tarfile.TarFile, archive) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = orjson.loads(tar.extractfile(member).read())
    except (KeyError, AttributeError, orjson.JSONDecodeError):
        raise BackupError(f"{archive}: no readable {MANIFEST}; not a Guatu backup") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError(f"{archive}: {MANIFEST} is not a {FORMAT} manifest")
    return manifest


def _member_path(name: str, archive) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2 or path.parts[0] != DATA:
        raise BackupError(f"{archive}: refusing member {name!r} outside {DATA}/")
    return PurePosixPath(*path.parts[1:])


def restore(archive: Path | str, target: Path | str) -> dict:
    """Unpack a backup into an empty or new directory, checking every file; returns the manifest."""
    archive, target = Path(archive), Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} is not empty; restore into a new or empty directory")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.restore-", dir=target.parent))
    try:
        try:
            tar = tarfile.open(archive, "r:gz")
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(f"{archive}: not a readable .tar.gz ({exc})") from None
        with tar:
            manifest = _manifest(tar, archive)
            expected = manifest["files"]
            seen: set[str] = set()
            for member in tar:
                if member.name == MANIFEST:
                    continue
                rel = _member_path(member.name, archive)
                if not member.isreg():
                    raise BackupError(f"{archive}: refusing {member.name!r}: not a plain file")
                key = str(rel)
                if key not in expected:
                    raise BackupError(f"{archive}: {member.name} is not listed in the manifest")
                if key in seen:
                    raise BackupError(f"{archive}: {member.name} appears twice")
                seen.add(key)
                dest = staging / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with tar.extractfile(member) as src, open(dest, "wb") as fh:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        fh.write(chunk)
                    fh.flush()
                    os.fsync(fh.fileno())
                want = expected[key]
                if digest.hexdigest() != want.get("sha256") or size != want.get("size"):
                    raise BackupError(f"{archive}: {key} does not match its checksum in the manifest; the archive is damaged")
            missing = sorted(set(expected) - seen)
            if missing:
                raise BackupError(f"{archive}: missing {', '.join(missing[:5])}; the archive is incomplete")
        if target.exists():
            for item in staging.iterdir():
                os.replace(item, target / item.name)
            staging.rmdir()
        else:
            os.replace(staging, target)
        fsync_dir(target.parent)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """`python -m geo.backup backup DATA_DIR --out DIR_OR_FILE` or `restore ARCHIVE --to DIR`."""
    parser = argparse.ArgumentParser(prog="python -m geo.backup", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("backup", help="snapshot a data directory into a .tar.gz")
    b.add_argument("data_dir", type=Path)
    b.add_argument("--out", type=Path, required=True)
    r = sub.add_parser("restore", help="unpack a backup into a new or empty directory")
    r.add_argument("archive", type=Path)
    r.add_argument("--to", dest="target", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            from geo.config import load_campaign
            from geo.store import open_store

            store = open_store(args.data_dir, load_campaign(args.data_dir))
            path, manifest = backup(store, args.out, data_dir=args.data_dir)
            print(f"backed up revision {manifest['revision']} ({len(manifest['files'])} files) to {path}")
        else:
            manifest = restore(args.archive, args.target)
            print(f"restored revision {manifest['revision']} ({len(manifest['files'])} files) into {args.target}")
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
