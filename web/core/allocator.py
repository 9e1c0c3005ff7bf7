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

Either setting the service's environment gives glibc itself (`MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_`, or
`glibc.malloc.arena_max` / `glibc.malloc.mmap_threshold` in `GLIBC_TUNABLES`, read by glibc when the process
starts: not through gunicorn's `raw_env`, which comes too late) is left as given. Elsewhere than glibc it does
nothing.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Mapping

ARENAS = 2
MMAP_THRESHOLD = 512 * 1024  # bytes

_M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>
_M_ARENA_MAX = -8


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
