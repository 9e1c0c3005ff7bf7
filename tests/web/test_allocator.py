"""A worker's allocator (web/core/allocator.py), read back from glibc itself in a fresh process: the arenas its
threads get and where a large block is made after one was freed."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

ARENAS = """
import ctypes, os, sys, tempfile, threading
from web.core.allocator import tune_allocator
if sys.argv[1] == "tuned":
    assert tune_allocator() == ["MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=524288"]
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.fopen.restype, libc.fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes, libc.fclose.argtypes = [ctypes.c_int, ctypes.c_void_p], [ctypes.c_void_p]
together = threading.Barrier(8)
def work():
    together.wait()  # all eight alive at once: an arena let go by a thread that ended would be given again
    blocks = [libc.malloc(1000) for _ in range(100)]
    together.wait()
    for b in blocks:
        libc.free(b)
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
path = os.path.join(tempfile.mkdtemp(), "info.xml")
f = libc.fopen(path.encode(), b"w"); libc.malloc_info(0, f); libc.fclose(f)
print(open(path).read().count("<heap nr="))
"""

LARGE = """
import ctypes, sys
from web.core.allocator import tune_allocator
if sys.argv[1] == "tuned":
    assert tune_allocator() == ["MALLOC_ARENA_MAX=2", "MALLOC_MMAP_THRESHOLD_=524288"]
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                               "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = Info
libc.free(libc.malloc(4 << 20))  # a 4 MB answer made and let go
before = libc.mallinfo2().hblkhd  # bytes in blocks straight from the system
block = libc.malloc(2 << 20)  # the next one
print(libc.mallinfo2().hblkhd - before)
libc.free(block)
"""


TRIMMED = """
import ctypes, sys, threading
from web.core.allocator import Trimmer
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
def resident():
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS")) * 1024
def made():  # 128 MB of 64 KB blocks, each followed by a block of 3,000 bytes that stays
    big, small = [], []
    for _ in range(2000):
        block = libc.malloc(64 << 10)
        ctypes.memset(block, 1, 64 << 10)
        big.append(block)
        small.append(libc.malloc(3000))
    return big
def answer():  # made, then the large blocks freed
    for block in made():
        libc.free(block)
start = resident()
answer()
held = resident() - start
if sys.argv[1] == "trimmer":
    trimmed = threading.Event()
    trimmer = Trimmer(every=0.01, on_trim=lambda free: trimmed.set())
    assert trimmer.start() and trimmed.wait(60)
    trimmer.stop()
    assert trimmer.trims == 1 and not trimmer.look()  # the free chunks stay free after a trim: not trimmed again
    after = resident() - start
    answer()  # another answer, made and freed between two looks (the resident memory grew): trimmed again
    assert trimmer.look() and trimmer.trims == 2
    held_now = made()  # one still being made at a look: nothing to trim; freed after it: trimmed at the next
    assert not trimmer.look()
    for block in held_now:
        libc.free(block)
    assert trimmer.look() and trimmer.trims == 3 and not trimmer.look()
    print(held >> 20, after >> 20, (resident() - start) >> 20)
else:
    print(held >> 20, (resident() - start) >> 20)
"""


def run(script: str, how: str) -> int | tuple[int, ...]:
    """`script` in a fresh process, glibc's allocator as it sets it itself or, as `how` says, `tuned` or with the
    `trimmer`; what it prints."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    out = subprocess.run([sys.executable, "-c", script, how], cwd=REPO, env=env, capture_output=True, text=True,
                         check=True)
    return tuple(map(int, out.stdout.split())) if " " in out.stdout.strip() else int(out.stdout.strip())


def test_a_tuned_worker_s_threads_share_two_arenas():
    assert run(ARENAS, "as glibc sets it") > 2  # each thread its own
    assert run(ARENAS, "tuned") == 2


def test_a_tuned_worker_makes_a_large_block_from_the_system_after_one_was_freed():
    assert run(LARGE, "as glibc sets it") == 0  # glibc raised its threshold: made in the arena, kept there when freed
    assert run(LARGE, "tuned") >= 2 << 20


def test_a_setting_the_service_gives_glibc_itself_is_left_as_given():
    def said(env: dict) -> str:
        script = "from web.core.allocator import tune_allocator; print('; '.join(tune_allocator()))"
        clean = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
        return subprocess.run([sys.executable, "-c", script], cwd=REPO, env={**clean, **env}, capture_output=True,
                              text=True, check=True).stdout.strip()

    assert said({}) == "MALLOC_ARENA_MAX=2; MALLOC_MMAP_THRESHOLD_=524288"
    assert said({"MALLOC_ARENA_MAX": "4"}) == ("MALLOC_ARENA_MAX as the environment gives it; "
                                               "MALLOC_MMAP_THRESHOLD_=524288")
    assert said({"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"}) == (
        "MALLOC_ARENA_MAX=2; MALLOC_MMAP_THRESHOLD_ as the environment gives it")


def test_a_worker_gives_back_what_its_arenas_hold_free():
    """128 MB freed below blocks still in use stay resident as glibc sets it; the trimmer gives them back, looks
    again without trimming while nothing more was freed, and trims again after an answer made and freed between
    two looks, and after one still held at a look and freed after it."""
    held, after = run(TRIMMED, "as glibc sets it")
    assert held >= 120 and after >= 120
    held, after, again = run(TRIMMED, "trimmer")
    assert held >= 120 and after < 24 and again < 24 + 16  # (each later answer's small blocks stay: 6 MB)
