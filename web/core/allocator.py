"""The C library's allocator set for a server worker that runs threads and keeps every place's share in memory.

glibc gives each thread that allocates an arena of its own (up to eight per core), and memory freed in one arena
serves only that arena: a worker's four request threads, its warm-up and its sender each grow their own to the
largest answer they have made. glibc also raises its threshold for allocating large blocks straight from the
system each time such a block is freed, so that after a few large answers (a packed state of 4.6 MB, a viewport
of 3.6 MB) they are made in the arenas and stay there once freed. `tune_allocator` keeps two arenas and a fixed
threshold of 512 KB: every block of 512 KB or more goes back to the system when freed. Serving the demo to eight
clients at once, a worker held seven arenas as glibc sets it and two tuned; what that saves at a million places
is not established by the bench runs so far, whose worker memory moves more from run to run (docs/scale-benchmark.md,
"The dashboard's alert rows and the allocator"). gunicorn.conf.py calls it in each worker before the app is loaded.

`Trimmer` gives what a worker's arenas hold free back to the system now and then. glibc returns memory by itself
only from the top of a heap; what a large answer's many smaller blocks (a viewport's rows, a dashboard's JSON)
freed below blocks still in use stays resident, and `malloc_trim` is what hands those pages back. At a million
places a warmed-up process held 133 MB free after one viewport answer and up to 169 MB after three wall pages, each
given back by one `malloc_trim` of a few milliseconds (docs/scale-benchmark.md, "Per-place structures made
smaller, free memory given back"). A trim runs only when the arenas hold more than `TRIM_ABOVE` free and the free
or the resident bytes have grown by as much since the last one, at most every `TRIM_EVERY` seconds.

Either setting the service's environment gives glibc itself (`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`, or
`glibc.malloc.arena_max` / `glibc.malloc.mmap_threshold` in `GLIBC_TUNABLES`, read by glibc when the process
starts: not through gunicorn's `raw_env`, which comes too late) is left as given. Elsewhere than glibc it does
nothing.
"""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Callable, Mapping

ARENAS = 2
MMAP_THRESHOLD = 512 * 1024  # bytes

TRIM_EVERY = 10.0  # seconds between two looks at the free memory
TRIM_ABOVE = 32 << 20  # bytes held free, and grown (free or resident) since the last trim, for a trim

_M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>
_M_ARENA_MAX = -8


class _MallInfo2(ctypes.Structure):  # glibc's struct mallinfo2 (2.33 and later)
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                     "fsmblks", "uordblks", "fordblks", "keepcost")]


def tune_allocator(arenas: int = ARENAS, mmap_threshold: int = MMAP_THRESHOLD,
                   environ: Mapping[str, str] = os.environ) -> list[str]:
    """Set glibc's arenas and large-block threshold for this process (call it before its threads start), each
    unless `environ` gives it; what became of each, for the log ("MALLOC_ARENA_MAX=2", "MALLOC_ARENA_MAX as the
    environment gives it", "… refused"), or nothing where the C library is not glibc."""
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return []
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    tunables = environ.get("GLIBC_TUNABLES", "")
    out = []
    for name, tunable, option, value in (("MALLOC_ARENA_MAX", "arena_max", _M_ARENA_MAX, arenas),
                                         ("MALLOC_MMAP_THRESHOLD_", "mmap_threshold", _M_MMAP_THRESHOLD, mmap_threshold)):
        if name in environ or f"glibc.malloc.{tunable}=" in tunables:
            out.append(f"{name} as the environment gives it")
        elif mallopt(option, value) == 1:
            out.append(f"{name}={value}")
        else:
            out.append(f"{name} refused")
    return out


def resident_bytes() -> int:
    """This process's resident memory (0 where /proc cannot tell)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class Trimmer:
    """A daemon thread that, every `every` seconds, trims the arenas (`malloc_trim`) when they hold more than
    `above` bytes free (`mallinfo2`'s free chunks) and, since the last trim, either the free bytes or the process's
    resident memory has grown by more than `above` over the least it was. (A trim hands the free chunks' pages back
    but leaves the chunks free, so the free bytes alone would have it trim again every time; memory freed after a
    trim shows in the free bytes, memory taken and freed again between two looks in the resident memory.) Only the
    thread calls `look` once started. `start` answers False where the C library lacks either call (not glibc, or a
    glibc before 2.33); `on_trim` is told the free bytes found before each trim."""

    def __init__(self, every: float = TRIM_EVERY, above: int = TRIM_ABOVE,
                 on_trim: Callable[[int], None] | None = None) -> None:
        self.every, self.above, self.on_trim = every, above, on_trim
        self.trims = 0
        self._free_low = self._resident_low = 0  # the least free and resident bytes since the last trim (none yet: 0)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        try:
            libc = ctypes.CDLL("libc.so.6")
            self._trim, self._info = libc.malloc_trim, libc.mallinfo2
        except (OSError, AttributeError):
            self._trim = self._info = None
            return
        self._trim.argtypes, self._trim.restype = [ctypes.c_size_t], ctypes.c_int
        self._info.argtypes, self._info.restype = [], _MallInfo2

    def free_bytes(self) -> int:
        """What the arenas hold free now (0 where it cannot be read)."""
        return self._info().fordblks if self._info is not None else 0

    def start(self) -> bool:
        if self._trim is None:
            return False
        self._thread = threading.Thread(target=self._run, name="guatu-trim", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def look(self) -> bool:
        """One look: trim if over `above` is free and the free or resident bytes grew by more than `above` over
        the least they were since the last trim; whether it did."""
        if self._trim is None:
            return False
        free, resident = self.free_bytes(), resident_bytes()
        self._free_low, self._resident_low = min(self._free_low, free), min(self._resident_low, resident)
        if free <= self.above or (free - self._free_low <= self.above and resident - self._resident_low <= self.above):
            return False
        self._trim(0)
        self._free_low, self._resident_low = self.free_bytes(), resident_bytes()
        self.trims += 1
        if self.on_trim is not None:
            self.on_trim(free)
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.look()
