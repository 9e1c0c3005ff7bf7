"""geo/bulk.py: the garbage collector pauses for a bulk build and comes back as it was."""

from __future__ import annotations

import gc
import threading

import pytest

from geo.bulk import collector_paused


@pytest.fixture(autouse=True)
def collector_restored():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_paused_inside_and_running_again_after():
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_ends_the_pause():
    gc.enable()
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a damaged file")
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_builds_in_two_threads_end_the_pause_when_the_last_ends():
    gc.enable()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def second():
        first_in.wait()
        with collector_paused():
            second_in.set()
            first_out.wait()
            seen["after the first ended"] = gc.isenabled()
        seen["after both ended"] = gc.isenabled()

    thread = threading.Thread(target=second)
    thread.start()
    with collector_paused():
        first_in.set()
        second_in.wait()
    first_out.set()
    thread.join()
    assert seen == {"after the first ended": False, "after both ended": True}
