"""The benchmarks' view of the processes they start: a gunicorn master's workers and their memory (/proc)."""

from __future__ import annotations

import os
from pathlib import Path


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        out += kids
        todo += kids
    return out


def memory_mb(pid: int, field: str = "VmRSS") -> float | None:
    """A process's resident memory now (`VmRSS`) or at its peak (`VmHWM`), in MB; None once it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def server_pid(port: int) -> int:
    """The gunicorn master listening on `port` (a child of this process)."""
    for pid in children(os.getpid()):
        if "gunicorn" in cmdline(pid) and f":{port}" in cmdline(pid):
            return pid
    raise RuntimeError("the gunicorn master was not found")
