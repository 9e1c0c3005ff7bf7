"""A real small filesystem for tests of a full disk: a tmpfs of a few megabytes mounted on a test folder
(a loop-mounted ext4 image file where tmpfs may not be mounted), filled with one file until the disk
refuses to take another byte. Mounting needs root, as CI runs the tests."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _mount(argv: list[str]) -> str | None:
    """None when mounted, else why not."""
    done = subprocess.run(argv, capture_output=True, text=True)
    return None if done.returncode == 0 else (done.stderr.strip() or f"exit status {done.returncode}")


@contextmanager
def small_disk(where: Path, size_mb: int = 4) -> Iterator[Path]:
    """A filesystem of `size_mb` mounted on `where` for the block; unmounted (and its image removed) after."""
    where.mkdir(parents=True, exist_ok=True)
    image = where.with_name(where.name + ".img")
    why = _mount(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0755", "guatu-test-disk", str(where)])
    if why is not None:  # tmpfs refused (a container without CAP_SYS_ADMIN for it): an ext4 image on a loop device
        with open(image, "wb") as fh:
            fh.truncate(size_mb * 1024 * 1024)
        subprocess.run(["mkfs.ext4", "-q", "-F", "-m", "0", str(image)], check=True, capture_output=True)
        loop = _mount(["mount", "-o", "loop", str(image), str(where)])
        if loop is not None:
            raise RuntimeError(f"cannot mount a small filesystem on {where}: tmpfs: {why}; ext4 image: {loop}")
    try:
        yield where
    finally:
        if _mount(["umount", str(where)]) is not None:  # still busy (an app's open SQLite file, say): detach it now,
            subprocess.run(["umount", "--lazy", str(where)], check=True, capture_output=True)  # freed when closed
        image.unlink(missing_ok=True)


def fill(disk: Path) -> Path:
    """Write one file until the disk holds no more (ENOSPC); returns it (delete it to free the space)."""
    filler = disk / "filler.bin"
    chunk = b"\0" * (64 * 1024)
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        while chunk:
            try:
                os.write(fd, chunk)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                chunk = chunk[: len(chunk) // 2]  # then smaller pieces, down to a single byte
        os.fsync(fd)
    finally:
        os.close(fd)
    return filler
