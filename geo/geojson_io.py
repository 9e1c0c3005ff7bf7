"""Reading and writing GeoJSON (RFC 7946) the way Guatu keeps it on disk.

Layer files are diff-friendly: one feature per line, keys in a fixed order,
coordinates rounded to 6 decimals (about 0.1 m). Every write goes to a
temporary file in the same folder, is fsync'ed, then atomically renamed over
the old file, so a crash leaves either the old or the new file, never half.
"""

from __future__ import annotations

import glob
import math
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from geo.diskspace import refused_when_full

PRECISION = 6
FEATURE_KEYS = ("type", "id", "properties", "geometry")
# Properties appear in this order; any others follow, sorted.
PROPERTY_ORDER = (
    "name", "kind", "street", "community", "status", "deadline", "unit", "people",
    "notes", "problems", "version", "updated_at", "updated_by",
)
PROBLEM_ORDER = (
    "id", "category", "description", "found_on", "found_by", "deadline",
    "responsible", "status", "closed_on",
)


def round_coords(coords: Any, ndigits: int = PRECISION) -> Any:
    """Round nested coordinate arrays; returns lists."""
    if isinstance(coords, (int, float)):
        return round(float(coords), ndigits)
    return [round_coords(c, ndigits) for c in coords]


def _ordered(d: dict, order: tuple[str, ...]) -> dict:
    out = {k: d[k] for k in order if k in d}
    for k in sorted(d):
        if k not in out:
            out[k] = d[k]
    return out


def canonical_feature(feature: dict) -> dict:
    """The feature with keys in storage order (geometry left as given)."""
    props = dict(feature.get("properties") or {})
    if isinstance(props.get("problems"), list):
        props["problems"] = [
            _ordered(p, PROBLEM_ORDER) if isinstance(p, dict) else p for p in props["problems"]
        ]
    out = {"type": "Feature", "id": feature.get("id"), "properties": _ordered(props, PROPERTY_ORDER),
           "geometry": feature.get("geometry")}
    return out


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON; refuses NaN and Infinity instead of writing null."""
    return orjson.dumps(obj, default=_refuse)


def _refuse(obj: Any) -> Any:
    raise TypeError(f"cannot write {type(obj).__name__} as JSON")


def feature_line(feature: dict) -> bytes:
    """One feature as a single line of JSON, in storage order."""
    _check_finite(feature.get("geometry"))
    return dumps(canonical_feature(feature))


def _check_finite(geometry: Any) -> None:
    if not geometry:
        return
    stack = [geometry.get("coordinates")] if isinstance(geometry, dict) else []
    if isinstance(geometry, dict) and geometry.get("geometries"):
        stack.extend(g.get("coordinates") for g in geometry["geometries"])
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                raise ValueError("geometry has a NaN or infinite coordinate")
        elif isinstance(item, list):
            stack.extend(item)


def layer_members(seq: int, count: int, since: int = 0) -> dict:
    """Guatu's member of a layer file's first line: the seq of the last change the file holds, its number
    of places (so a file cut short is seen), and, when Guatu took over a file another program saved, the
    seq before which the journal does not tell the file's places."""
    return {"guatu": {"seq": seq, "count": count, **({"since": since} if since else {})}}


def collection_bytes(lines: Iterable[bytes], *, name: str | None = None, members: dict | None = None,
                     checksum: str | None = None) -> bytes:
    """A FeatureCollection with one feature per line.

    The whole document is made by one join (the head glued to the first line,
    the tail to the last): a layer of 100 MB is copied once, not four times.
    With `checksum` (a member of `members`), that member also records `crc`, the
    CRC-32 of every byte after the first line (a reader can trust the lines then).
    """
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if name:
        head["name"] = name
    if members:
        head.update(members)
    if checksum:
        parts = list(lines)
        rest = b",\n".join(parts) + b"\n]}\n" if parts else b"]}\n"
        head[checksum] = {**head[checksum], "crc": zlib.crc32(rest)}
        return dumps(head)[:-1] + b',"features":[\n' + rest
    head_bytes = dumps(head)[:-1] + b',"features":[\n'  # the head without its closing brace
    parts = list(lines)
    if not parts:
        return head_bytes + b"]}\n"
    parts[0] = head_bytes + parts[0]
    parts[-1] = parts[-1] + b"\n]}\n"
    return b",\n".join(parts)


def collection_pieces(lines: Iterable[bytes], *, name: str | None = None, members: dict | None = None) -> Iterator[bytes]:
    """The FeatureCollection of `collection_bytes` (without a checksum, which would have to come before the
    lines), piece by piece as the lines come: a reader that sends it on never holds the whole layer. Closed
    halfway (a client gone), it closes the lines too (a database cursor gives its connection back)."""
    head: dict[str, Any] = {"type": "FeatureCollection"}
    if name:
        head["name"] = name
    if members:
        head.update(members)
    first = True
    try:
        yield dumps(head)[:-1] + b',"features":[\n'
        for line in lines:
            yield line if first else b",\n" + line
            first = False
    finally:
        close = getattr(lines, "close", None)
        if close:
            close()
    yield b"\n]}\n" if not first else b"]}\n"


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write `data` to `path` so that readers see the old or the new file; `mode` 0o600 for a private file
    (it is never readable by others, not even while being written). A full disk raises `DiskFull` (507)
    and leaves the old file as it was, with no part-written copy beside it."""
    install(stage_write(path, data, mode=mode), path)


def stage_write(path: Path, data: bytes, *, mode: int = 0o644) -> Path:
    """Write `data` durably to `path`'s temporary name and return it: the part of `atomic_write` that
    needs disk space. `install` puts it in place; a caller that changes its mind unlinks it."""
    path = Path(path)
    with refused_when_full(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_path(path)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            try:
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                os.close(fd)
        except BaseException:  # a full disk, say: no part-written copy is left beside the old file
            tmp.unlink(missing_ok=True)
            raise
    return tmp


def install(tmp: Path, path: Path) -> None:
    """Rename a `stage_write` copy over `path` (atomic) and make the rename durable."""
    path = Path(path)
    with refused_when_full(path):
        try:
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        fsync_dir(path.parent)


def temp_path(path: Path) -> Path:
    """Where `atomic_write` writes `path`'s next version before renaming it into place."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Remove what writes of `path` killed before their rename left beside it (`.name.<pid>.tmp`).
    Call only while holding the lock every writer of `path` holds, so none of them is anyone's write
    in progress. Returns the files removed."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.\d+\.tmp")
    removed = []
    for candidate in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        if pattern.fullmatch(candidate.name):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_collection(path: Path, features: Iterable[dict], *, name: str | None = None,
                     members: dict | None = None, checksum: str | None = None) -> None:
    atomic_write(path, collection_bytes((feature_line(f) for f in features), name=name, members=members,
                                        checksum=checksum))


def loads(data: bytes | str) -> Any:
    return orjson.loads(data)
