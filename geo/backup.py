"""Backups of a campaign's data directory, and their restore.

A backup is one `.tar.gz` holding `manifest.json` (format, time, revision,
each layer's sequence number, and the SHA-256 and size of every file) and
the data directory under `data/`: campaign.json, layers, boundaries, the
journal and the photos' files (`photos/`, wherever the store keeps them). The files are copied while the store's write lock is held
(`GeoJSONStore.exclusive`), so a backup taken while the server runs is one
consistent snapshot: no write lands between copying the journal and the
layer files. Compression happens after the lock is released, so writers
wait only for the copy — and not for the photos' files, copied after it
(they never change, and each is written before a place names it). A PostGIS campaign is written out as the embedded
store keeps it (`copy_to_geojson`: layers and journal from one REPEATABLE
READ snapshot, so writers never wait) beside the data directory's other
files: its archive restores as a GeoJSON campaign, which `flask --app web
store copy --to …` puts back into a database.

A backup works in a hidden staging folder `.guatu-backup-*` beside the
archive (the copies and the archive being compressed) that it locks while it
runs; a backup that was killed leaves its folder behind unlocked, and the
next backup into the same folder removes it (and the `.<archive>.<pid>.tmp`
files older versions left), under a lock on the folder so that it never
touches a staging folder a running backup owns. Archives are written 0600.

Restore refuses a non-empty target, refuses archive members that are not
plain files inside `data/` (absolute paths, `..`, links, devices), refuses a
member whose size differs from the manifest's before writing a byte of it
(and stops writing one that grows past it), checks every file against the
manifest, and only then moves the files into place (files 0600, folders
0700): a damaged or truncated archive leaves nothing half-restored and ends
in a message, not a traceback.

`flask --app web backup|restore` is the usual entry; `python -m geo.backup`
does the same without the web app (e.g. when the data directory is gone).
"""

from __future__ import annotations

import argparse
import fcntl
import gzip
import hashlib
import io
import logging
import os
import re
import shutil
import sys
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import orjson

from geo.geojson_io import fsync_dir
from geo.messages import t
from geo.store.base import Store, iso, utc_now
from geo.store.geojson import PHOTOS_DIR

log = logging.getLogger(__name__)

FORMAT = "guatu-backup/1"
MANIFEST = "manifest.json"
DATA = "data"
_CHUNK = 1 << 20
STAGING_PREFIX = ".guatu-backup-"  # a backup's working folder beside the archive
OWNER = ".owner"  # in a staging folder: locked by the backup that works there, as long as it runs
MAX_MANIFEST = 64 * 1024 * 1024
_OLD_TEMP = re.compile(r"^\.(?P<name>.+\.tar\.gz)\.(?P<pid>\d+)\.tmp$")  # what earlier versions wrote beside the archive
_READ_ERRORS = (EOFError, tarfile.TarError, zlib.error, gzip.BadGzipFile)  # a truncated or damaged .tar.gz


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
    staging, owner = _claim_staging(target_dir)
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
        tmp = staging / f"{archive.name}.tmp"  # inside the staging folder: a killed backup leaves it there
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                body = orjson.dumps(manifest, option=orjson.OPT_INDENT_2)
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(now.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(body))
                for rel in copied:
                    tar.add(staging / DATA / rel, arcname=f"{DATA}/{rel}", recursive=False, filter=_normalise)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, archive)
        fsync_dir(archive.parent)
        return archive, manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        owner.close()


@contextmanager
def _folder_locked(folder: Path) -> Iterator[None]:
    """Hold the backup lock of `folder` (one sweep or claim at a time, in every process)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)  # the folder itself is locked: no lock file is left there
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # (closing releases the lock)


def _claim_staging(folder: Path) -> tuple[Path, BinaryIO]:
    """A new staging folder in `folder`, locked by this backup (the open lock file keeps it), after removing
    what killed backups left there."""
    with _folder_locked(folder):
        _remove_leftovers(folder)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))  # 0700
        owner = open(staging / OWNER, "wb")
        fcntl.flock(owner.fileno(), fcntl.LOCK_EX)
    return staging, owner


def sweep_leftovers(folder: Path | str) -> list[Path]:
    """Remove the staging folders and temporary archives that killed backups left in `folder` (every backup
    does this first); never one a running backup owns. Returns what was removed."""
    with _folder_locked(Path(folder)):
        return _remove_leftovers(Path(folder))


def _remove_leftovers(folder: Path) -> list[Path]:
    """What `sweep_leftovers` removes: staging folders whose lock nobody holds, temporary archives of earlier
    versions whose process is gone. Call while holding the folder's backup lock (a staging folder is made and
    locked under it, so one without its lock file yet is never seen)."""
    removed = []
    for path in sorted(folder.glob(STAGING_PREFIX + "*")):
        if path.is_dir() and not _owned(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for path in sorted(folder.glob(".*.tmp")):
        m = _OLD_TEMP.match(path.name)
        if m and path.is_file() and not _alive(int(m.group("pid"))):
            path.unlink(missing_ok=True)
            removed.append(path)
    for path in removed:
        log.warning(t("backup.leftover_removed", lang="en", path=path))
    return removed


def _owned(staging: Path) -> bool:
    """Whether a running backup holds the lock of this staging folder."""
    try:
        fh = open(staging / OWNER, "rb")
    except FileNotFoundError:
        return False  # claimed and locked in one step under the folder lock: no lock file, no owner
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
            _copy_files(folder, into, lambda rel: rel.parts[0] != PHOTOS_DIR)
        # The photos' files after the lock: they never change and each is written before any place names it, so
        # every photo the snapshot's places name is there already (one added since is only an unnamed extra).
        _copy_files(folder, into, lambda rel: rel.parts[0] == PHOTOS_DIR)
        return revision, layers
    database_url = getattr(store, "database_url", None)
    if database_url is None:
        raise BackupError(t("backup.unsupported_backend", backend=type(store).__name__))
    if data_dir is None:
        raise BackupError(t("backup.needs_data_dir"))
    from geo.store.transfer import copy_to_geojson

    report = copy_to_geojson(database_url, store.campaign, into, schema=store.schema, campaign_dir=data_dir,
                             blobs=store.blobs)  # the photos too, wherever the campaign keeps them
    return report.revision, {layer.id: {"file": layer.file, "seq": report.heads.get(layer.id, 0)}
                             for layer in store.campaign.layers}


def _copy_files(folder: Path, into: Path, wanted: Callable[[PurePosixPath], bool]) -> None:
    """Copy the data files under `folder` whose relative path is `wanted` into `into`."""
    for path in sorted(folder.rglob("*")):
        rel = PurePosixPath(path.relative_to(folder).as_posix())
        if path.is_file() and _included(rel) and wanted(rel):
            dest = into / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


def _normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def read_manifest(archive: Path | str) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return _manifest(tar, archive)


def _manifest(tar: tarfile.TarFile, archive) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        if member.size > MAX_MANIFEST:
            raise BackupError(t("backup.manifest_too_large", archive=archive, size=member.size, limit=MAX_MANIFEST))
        manifest = orjson.loads(tar.extractfile(member).read())
    except (KeyError, AttributeError, orjson.JSONDecodeError):
        raise BackupError(t("backup.not_a_backup", archive=archive, manifest=MANIFEST)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError(t("backup.wrong_format", archive=archive, manifest=MANIFEST, format=FORMAT))
    return manifest


def _member_path(name: str, archive) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2 or path.parts[0] != DATA:
        raise BackupError(t("backup.member_outside", archive=archive, member=repr(name), data=DATA))
    return PurePosixPath(*path.parts[1:])


def restore(archive: Path | str, target: Path | str) -> dict:
    """Unpack a backup into an empty or new directory, checking every file; returns the manifest."""
    archive, target = Path(archive), Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(t("backup.target_not_empty", target=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.restore-", dir=target.parent))  # 0700
    try:
        try:
            tar = tarfile.open(archive, "r:gz")
        except _READ_ERRORS:
            raise BackupError(t("backup.archive_incomplete", archive=archive)) from None
        except OSError as exc:
            raise BackupError(t("backup.not_readable", archive=archive, detail=exc)) from None
        with tar:
            try:
                manifest = _unpack(tar, archive, staging)
            except _READ_ERRORS:
                raise BackupError(t("backup.archive_incomplete", archive=archive)) from None
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


def _unpack(tar: tarfile.TarFile, archive: Path, staging: Path) -> dict:
    """Check and write every member into `staging` (files 0600, folders 0700); returns the manifest."""
    manifest = _manifest(tar, archive)
    expected = manifest["files"]
    seen: set[str] = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        rel = _member_path(member.name, archive)
        if not member.isreg():
            raise BackupError(t("backup.member_not_file", archive=archive, member=repr(member.name)))
        key = str(rel)
        if key not in expected:
            raise BackupError(t("backup.member_unlisted", archive=archive, member=member.name))
        if key in seen:
            raise BackupError(t("backup.member_twice", archive=archive, member=member.name))
        seen.add(key)
        want = expected[key]
        limit = want.get("size") if isinstance(want, dict) else None
        if not isinstance(limit, int) or isinstance(limit, bool) or member.size != limit:
            raise BackupError(t("backup.member_size", archive=archive, member=key, size=member.size, expected=limit))
        dest = staging / rel
        dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with tar.extractfile(member) as src, os.fdopen(os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600),
                                                       "wb") as fh:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > limit:  # never more than the manifest says, whatever the stream holds
                    raise BackupError(t("backup.member_size", archive=archive, member=key, size=size, expected=limit))
                digest.update(chunk)
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        if digest.hexdigest() != want.get("sha256") or size != limit:
            raise BackupError(t("backup.member_checksum", archive=archive, member=key))
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(t("backup.members_missing", archive=archive, members=", ".join(missing[:5])))
    while tar.fileobj.read(_CHUNK):  # to the end of the gzip stream, whose trailer (CRC, length) is then checked
        pass
    return manifest


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
