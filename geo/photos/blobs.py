"""Where photo files are kept: content-addressed blobs behind one interface, one class per place.

A blob is named by the photo's id (the sha256 of the uploaded original) and
a variant (`original`, `full`, `preview`, `thumb`). Blobs are written once and
never changed: `put` is atomic (a reader sees the whole blob or none) and
idempotent (putting a blob that exists does nothing), so attaching a photo can
write its blobs before the place's change and a failed change leaves only an
unreferenced blob, which `store check` counts as collectable.

* `FileBlobs` — the embedded store: `<data>/photos/<aa>/<sha256>/<variant>.<ext>`
  (`original.bin`, the others `.jpg`), written to a hidden temporary file,
  fsynced and renamed. Backups copy the folder with the rest of the data.
* `PostgresBlobs` — the PostGIS store: table `photo_blobs` of the campaign's
  schema (migration 0006), so every instance sees every photo.
* `S3Blobs` — any S3-compatible object store (boto3: endpoint URL, bucket,
  key prefix, keys), for the PostGIS store when one is configured.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from geo.diskspace import refused_when_full
from geo.errors import NotFound
from geo.geojson_io import fsync_dir
from geo.messages import t

if TYPE_CHECKING:
    from geo.store.postgis import PostGISStore

VARIANTS = ("original", "full", "preview", "thumb")
SERVED = ("thumb", "preview", "full")  # the variants the pages show (the original is kept, not served)
_ID = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20

Source = BinaryIO | bytes


def check_name(photo_id: str, variant: str) -> None:
    """Refuse a name that is not a photo id and variant (NotFound: no such photo): never a path of our making."""
    if not isinstance(photo_id, str) or not _ID.match(photo_id):
        raise NotFound(t("photo.bad_id"))
    if variant not in VARIANTS:
        raise NotFound(t("photo.unknown_variant", variant=variant, variants=", ".join(VARIANTS)))


def _bytes_of(source: Source) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    source.seek(0)
    return source.read()


class Blobs(ABC):
    """The photo files of one campaign."""

    @abstractmethod
    def put(self, photo_id: str, variant: str, source: Source) -> None:
        """Keep `source` (bytes or a readable file, read from its start) as the blob; nothing when it exists."""

    @abstractmethod
    def get(self, photo_id: str, variant: str) -> bytes:
        """The blob's bytes; NotFound when there is none."""

    @abstractmethod
    def has(self, photo_id: str, variant: str = "original") -> bool: ...

    @abstractmethod
    def size(self, photo_id: str, variant: str) -> int:
        """The blob's size in bytes; NotFound when there is none."""

    @abstractmethod
    def ids(self) -> Iterator[str]:
        """The id of every photo whose original is kept."""

    def missing(self, photo_ids: Iterable[str]) -> set[str]:
        """Those of `photo_ids` whose original is not kept."""
        return {p for p in set(photo_ids) if not self.has(p)}

    def digest(self, photo_id: str) -> str:
        """The sha256 of the kept original (equal to `photo_id` unless the blob was damaged)."""
        return hashlib.sha256(self.get(photo_id, "original")).hexdigest()


class FileBlobs(Blobs):
    """Blobs as files under one folder (the embedded store's `<data>/photos`)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, photo_id: str, variant: str) -> Path:
        check_name(photo_id, variant)
        return self.root / photo_id[:2] / photo_id / f"{variant}.{'bin' if variant == 'original' else 'jpg'}"

    def put(self, photo_id: str, variant: str, source: Source) -> None:
        path = self.path(photo_id, variant)
        if path.exists():
            return
        with refused_when_full(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{variant}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    if isinstance(source, (bytes, bytearray, memoryview)):
                        fh.write(source)
                    else:
                        source.seek(0)
                        while chunk := source.read(_CHUNK):
                            fh.write(chunk)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, 0o644)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            fsync_dir(path.parent)

    def get(self, photo_id: str, variant: str) -> bytes:
        try:
            return self.path(photo_id, variant).read_bytes()
        except FileNotFoundError:
            raise NotFound(t("photo.no_file", photo=photo_id)) from None

    def has(self, photo_id: str, variant: str = "original") -> bool:
        return self.path(photo_id, variant).is_file()

    def size(self, photo_id: str, variant: str) -> int:
        try:
            return self.path(photo_id, variant).stat().st_size
        except FileNotFoundError:
            raise NotFound(t("photo.no_file", photo=photo_id)) from None

    def ids(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for original in sorted(self.root.glob("??/*/original.bin")):
            if _ID.match(original.parent.name):
                yield original.parent.name

    def digest(self, photo_id: str) -> str:
        digest = hashlib.sha256()
        try:
            with open(self.path(photo_id, "original"), "rb") as fh:
                while chunk := fh.read(_CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            raise NotFound(t("photo.no_file", photo=photo_id)) from None
        return digest.hexdigest()


class PostgresBlobs(Blobs):
    """Blobs in the table `photo_blobs` of the PostGIS store's schema, through the store's pooled connections."""

    def __init__(self, store: PostGISStore) -> None:
        self.store = store

    def put(self, photo_id: str, variant: str, source: Source) -> None:
        check_name(photo_id, variant)
        content = _bytes_of(source)
        with self.store.connection() as conn:
            conn.execute("INSERT INTO photo_blobs (id, variant, content, bytes) VALUES (%s, %s, %s, %s) "
                         "ON CONFLICT (id, variant) DO NOTHING", (photo_id, variant, content, len(content)))

    def get(self, photo_id: str, variant: str) -> bytes:
        check_name(photo_id, variant)
        with self.store.connection() as conn:
            row = conn.execute("SELECT content FROM photo_blobs WHERE id = %s AND variant = %s",
                               (photo_id, variant)).fetchone()
        if row is None:
            raise NotFound(t("photo.no_file", photo=photo_id))
        return bytes(row[0])

    def has(self, photo_id: str, variant: str = "original") -> bool:
        check_name(photo_id, variant)
        with self.store.connection() as conn:
            return conn.execute("SELECT 1 FROM photo_blobs WHERE id = %s AND variant = %s",
                                (photo_id, variant)).fetchone() is not None

    def size(self, photo_id: str, variant: str) -> int:
        check_name(photo_id, variant)
        with self.store.connection() as conn:
            row = conn.execute("SELECT bytes FROM photo_blobs WHERE id = %s AND variant = %s",
                               (photo_id, variant)).fetchone()
        if row is None:
            raise NotFound(t("photo.no_file", photo=photo_id))
        return row[0]

    def ids(self) -> Iterator[str]:
        with self.store.connection() as conn:
            rows = conn.execute("SELECT id FROM photo_blobs WHERE variant = 'original' ORDER BY id").fetchall()
        yield from (r[0] for r in rows)

    def missing(self, photo_ids: Iterable[str]) -> set[str]:
        wanted = sorted(set(photo_ids))
        if not wanted:
            return set()
        with self.store.connection() as conn:
            have = {r[0] for r in conn.execute("SELECT id FROM photo_blobs WHERE variant = 'original' AND id = ANY(%s)",
                                               (wanted,))}
        return set(wanted) - have


class S3Blobs(Blobs):
    """Blobs as objects `<prefix><aa>/<sha256>/<variant>.<ext>` of a bucket in any S3-compatible store."""

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, prefix: str = "", region: str | None = None,
                 access_key: str | None = None, secret_key: str | None = None, client=None) -> None:
        import boto3

        self.bucket = bucket
        self.prefix = prefix
        self.client = client or boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None,
                                             aws_access_key_id=access_key or None,
                                             aws_secret_access_key=secret_key or None)

    def key(self, photo_id: str, variant: str) -> str:
        check_name(photo_id, variant)
        return f"{self.prefix}{photo_id[:2]}/{photo_id}/{variant}.{'bin' if variant == 'original' else 'jpg'}"

    def _head(self, photo_id: str, variant: str) -> dict | None:
        from botocore.exceptions import ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=self.key(photo_id, variant))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def put(self, photo_id: str, variant: str, source: Source) -> None:
        if self._head(photo_id, variant) is not None:
            return
        body = io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else source
        body.seek(0)
        content_type = "application/octet-stream" if variant == "original" else "image/jpeg"
        self.client.upload_fileobj(body, self.bucket, self.key(photo_id, variant),
                                   ExtraArgs={"ContentType": content_type})

    def get(self, photo_id: str, variant: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(photo_id, variant))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise NotFound(t("photo.no_file", photo=photo_id)) from None
            raise
        return answer["Body"].read()

    def has(self, photo_id: str, variant: str = "original") -> bool:
        return self._head(photo_id, variant) is not None

    def size(self, photo_id: str, variant: str) -> int:
        head = self._head(photo_id, variant)
        if head is None:
            raise NotFound(t("photo.no_file", photo=photo_id))
        return int(head["ContentLength"])

    def ids(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                parts = item["Key"][len(self.prefix):].split("/")
                if len(parts) == 3 and parts[2] == "original.bin" and _ID.match(parts[1]):
                    yield parts[1]


def copy_blobs(source: Blobs, target: Blobs) -> int:
    """Put every photo of `source` (each variant it keeps) into `target`; returns the number of photos. Blobs
    the target already keeps are left as they are (content-addressed: the same name is the same bytes)."""
    count = 0
    for photo_id in source.ids():
        for variant in VARIANTS:
            if source.has(photo_id, variant) and not target.has(photo_id, variant):
                target.put(photo_id, variant, source.get(photo_id, variant))
        count += 1
    return count
