"""Safe handling of uploaded files: size limits, a private scratch folder, safe unzipping.

Every upload is read from a fresh private temporary folder that is removed
afterwards, whatever happens. Zip archives (zipped Shapefiles, KMZ, XLSX) are
checked entry by entry *before* anything is extracted: too many entries, too
large once uncompressed, a suspicious compression ratio (zip bombs), absolute
paths, `..`, symlinks and encrypted entries are refused with a message that
says which entry and why. Extraction then counts the bytes it really writes,
so a lying header cannot get past the limits either.

Every refusal is a `ValidationError` on the field "file".
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from geo.errors import FieldError, ValidationError
from geo.messages import t

_CHUNK = 1 << 16
_DRIVE = re.compile(r"^[A-Za-z]:")
_RATIO_FLOOR = 1 << 20  # entries smaller than 1 MiB are never treated as bombs


@dataclass(frozen=True)
class UploadLimits:
    """What an upload may weigh; the defaults suit a district campaign's files."""

    max_bytes: int = 64 * 1024 * 1024  # the uploaded file itself
    max_entries: int = 1000  # entries in a zip archive
    max_uncompressed: int = 512 * 1024 * 1024  # all entries together, once extracted
    max_ratio: float = 200.0  # uncompressed / compressed size of one entry


def file_error(message: str) -> ValidationError:
    """An error about the uploaded file as a whole."""
    return ValidationError([FieldError("file", message)])


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"  # pragma: no cover


def check_size(data: bytes, filename: str, limits: UploadLimits) -> None:
    if not data:
        raise file_error(t("upload.empty", file=filename))
    if len(data) > limits.max_bytes:
        raise file_error(t("upload.too_large", file=filename, size=human_size(len(data)), limit=human_size(limits.max_bytes)))


@contextmanager
def private_dir() -> Iterator[Path]:
    """A temporary folder only this process can read, always removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="guatu-upload-"))
    try:
        os.chmod(path, 0o700)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _is_noise(name: str) -> bool:
    """Entries that archivers add and that are never data (macOS resource forks, folders)."""
    parts = PurePosixPath(name).parts
    return name.endswith("/") or "__MACOSX" in parts or (bool(parts) and parts[-1].startswith("._"))


def check_zip(zf: zipfile.ZipFile, archive: str, limits: UploadLimits) -> list[zipfile.ZipInfo]:
    """The entries worth extracting, after refusing anything unsafe in the archive."""
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise file_error(t("upload.too_many_entries", file=archive, count=len(infos), limit=limits.max_entries))
    total = 0
    keep = []
    for info in infos:
        name = info.filename
        shown = name.replace("\\", "/")
        if "\x00" in name:
            raise file_error(t("upload.entry_nul", file=archive, entry=repr(shown)))
        if shown.startswith("/") or _DRIVE.match(shown):
            raise file_error(t("upload.entry_absolute", file=archive, entry=repr(shown)))
        if ".." in PurePosixPath(shown).parts:
            raise file_error(t("upload.entry_outside", file=archive, entry=repr(shown)))
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise file_error(t("upload.entry_symlink", file=archive, entry=repr(shown)))
        if info.flag_bits & 0x1:
            raise file_error(t("upload.entry_encrypted", file=archive, entry=repr(shown)))
        if info.is_dir() or _is_noise(shown):
            continue
        total += info.file_size
        if total > limits.max_uncompressed:
            raise file_error(t("upload.too_big_uncompressed", file=archive, limit=human_size(limits.max_uncompressed)))
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise file_error(t("upload.zip_bomb", file=archive, entry=repr(shown), ratio=f"{ratio:.0f}",
                                 limit=f"{limits.max_ratio:.0f}"))
        keep.append(info)
    return keep


def extract_zip(path: Path, dest: Path, limits: UploadLimits, *, archive: str) -> list[Path]:
    """Check then extract the archive at `path` into `dest`; returns the extracted files."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise file_error(t("upload.not_a_zip", file=archive)) from None
    out: list[Path] = []
    written = 0
    dest = dest.resolve()
    with zf:
        for info in check_zip(zf, archive, limits):
            target = (dest / PurePosixPath(info.filename.replace("\\", "/"))).resolve()
            if dest not in target.parents:
                raise file_error(t("upload.entry_outside", file=archive, entry=repr(info.filename)))
            target.parent.mkdir(parents=True, exist_ok=True)
            left = info.file_size
            try:
                with zf.open(info) as src, open(target, "xb") as dst:
                    while chunk := src.read(_CHUNK):
                        left -= len(chunk)
                        written += len(chunk)
                        if left < 0 or written > limits.max_uncompressed:
                            raise file_error(t("upload.entry_lies", file=archive, entry=repr(info.filename)))
                        dst.write(chunk)
            except FileExistsError:
                raise file_error(t("upload.entry_twice", file=archive, entry=repr(info.filename))) from None
            except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
                raise file_error(t("upload.entry_unreadable", file=archive, entry=repr(info.filename), reason=type(exc).__name__)) from None
            out.append(target)
    return out
