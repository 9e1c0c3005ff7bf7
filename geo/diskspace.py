"""Disk space where the campaign writes: a full disk refused cleanly, a low one reported before it fills.

`refused_when_full` turns the operating system's "no space left on device" (and
"disk quota exceeded") into `DiskFull`, the HTTP 507 every writer raises after
it has removed what it had half-written. `SpaceWatch` measures the free space
of the folders the app writes to (the data directory, the instance folder) and
names those below the threshold, for `Store.problems()` and so `/api/health`
and the banner on every screen.

The threshold is `GUATU_MIN_FREE_MB` (`min_free_mb` in the settings file);
unset, it is 1024 MB, or 5 % of the disk on disks smaller than 20 GB.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from geo.errors import DiskFull
from geo.messages import t

log = logging.getLogger(__name__)

NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})
DEFAULT_MIN_FREE_MB = 1024
DEFAULT_MIN_FREE_SHARE = 0.05  # on small disks: warn below this share of the disk instead
MB = 1024 * 1024


def is_disk_full(exc: BaseException) -> bool:
    """The error says the disk (or the user's quota) has no room left."""
    return isinstance(exc, OSError) and exc.errno in NO_SPACE


def disk_full(where: str | os.PathLike | None = None) -> DiskFull:
    """The 507 error for a write (of `where`, logged for the operator) that found the disk full."""
    log.error("disk full: %s could not be written; nothing of the operation was kept", where or "a file")
    return DiskFull(t("store.disk_full"))


@contextmanager
def refused_when_full(where: str | os.PathLike) -> Iterator[None]:
    """Raise `DiskFull` instead of the OSError when the block runs out of space writing `where`.
    The block must have cleaned up what it half-wrote before the error leaves it."""
    try:
        yield
    except OSError as exc:
        if is_disk_full(exc):
            raise disk_full(where) from exc
        raise


@dataclass(frozen=True)
class LowSpace:
    """A folder whose disk has less free space than the threshold."""

    path: Path
    free_mb: int
    min_mb: int

    def message(self, lang: str = "zh") -> str:
        return t("store.disk_low", lang=lang, where=str(self.path), free_mb=self.free_mb, min_mb=self.min_mb)


@dataclass(frozen=True)
class SpaceWatch:
    """The folders to watch and the free space below which they are reported (None: the default)."""

    paths: tuple[Path, ...]
    min_free_mb: float | None = None

    @classmethod
    def of(cls, paths: Iterable[str | os.PathLike], min_free_mb: float | str | None = None) -> SpaceWatch:
        value = None if min_free_mb in (None, "") else float(min_free_mb)
        if value is not None and value < 0:
            raise ValueError(t("config.min_free_mb", got=repr(min_free_mb)))
        return cls(tuple(Path(p) for p in paths), value)

    def threshold_bytes(self, total: int) -> int:
        if self.min_free_mb is not None:
            return int(self.min_free_mb * MB)
        return int(min(DEFAULT_MIN_FREE_MB * MB, DEFAULT_MIN_FREE_SHARE * total))

    def low(self) -> list[LowSpace]:
        """The watched folders whose disk is below the threshold, one per disk."""
        out, seen = [], set()
        for path in self.paths:
            try:
                device = os.stat(path).st_dev
                usage = shutil.disk_usage(path)
            except FileNotFoundError:
                continue
            if device in seen:
                continue
            seen.add(device)
            threshold = self.threshold_bytes(usage.total)
            if usage.free < threshold:
                out.append(LowSpace(path, usage.free // MB, -(-threshold // MB)))
        return out
