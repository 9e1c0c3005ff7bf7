"""What a server process keeps between requests stays bounded under steady edits: the caches of serialised
answers hold at most their entries and bytes (every revision brings new keys, the old ones age out), and the
views kept between revisions (the wall state, the dashboard, the milestones) keep one copy, not one per
revision."""

from __future__ import annotations

import threading

from web.core.context import Cached, RevisionCache


def test_a_cache_of_answers_drops_the_oldest_beyond_its_bytes_and_keeps_the_newest_whatever_its_size():
    cache = RevisionCache(size=10, max_bytes=1000)
    for revision in range(8):
        cache.get(("layer", revision), lambda r=revision: Cached(body=b"x" * 300, etag=f'"{r}"'))
    assert len(cache) == 3 and cache.held_bytes() == 900
    newest = cache.get(("layer", 7), lambda: Cached(body=b"", etag='"rebuilt"'))
    assert newest.etag == '"7"'  # still there, not built again
    cache.get(("layer", 8), lambda: Cached(body=b"y" * 5000, etag='"8"'))  # larger than the whole bound
    assert len(cache) == 1 and cache.held_bytes() == 5000


def test_a_gzipped_copy_made_after_caching_counts_when_the_next_entry_comes():
    cache = RevisionCache(size=10, max_bytes=1000)
    first = cache.get(("a",), lambda: Cached(body=b"x" * 400, etag='"a"'))
    first.gzipped = b"z" * 400  # as web/core/http.py send_cached adds it
    cache.get(("b",), lambda: Cached(body=b"x" * 400, etag='"b"'))
    assert cache.held_bytes() <= 1000 and len(cache) == 1


def _second_request_waiting(cache: RevisionCache, first_build_fails: bool) -> tuple[list, list]:
    """A first request builds an answer and holds in its build until a second request for it waits; then the
    build ends (or fails). The builds made and the answers each request got."""
    entered, release, builds, answers = threading.Event(), threading.Event(), [], []

    def build() -> Cached:
        builds.append(threading.current_thread().name)
        if len(builds) == 1:
            entered.set()
            assert release.wait(30)
            if first_build_fails:
                raise OSError("the store went away")
        return Cached(body=b"x", etag=f'"{len(builds)}"')

    def ask() -> None:
        try:
            answers.append(cache.get(("viewport", 7), build))
        except OSError as exc:
            answers.append(exc)

    first, second = threading.Thread(target=ask, name="first"), threading.Thread(target=ask, name="second")
    first.start()
    assert entered.wait(30)
    second.start()
    while cache.waited < 1:  # until the second request found the build running and waits for it
        second.join(0.005)
    release.set()
    first.join(30)
    second.join(30)
    return builds, answers


def test_two_requests_for_the_same_answer_build_it_once():
    builds, answers = _second_request_waiting(RevisionCache(), first_build_fails=False)
    assert builds == ["first"] and len(answers) == 2 and answers[0] is answers[1]


def test_a_request_waiting_for_a_build_that_fails_builds_it_itself():
    builds, answers = _second_request_waiting(RevisionCache(), first_build_fails=True)
    assert builds == ["first", "second"]
    assert isinstance(answers[0], OSError) and answers[1].etag == '"2"'


def test_steady_edits_leave_every_cache_and_kept_view_bounded(app, client, clock):
    ctx = app.extensions["guatu"]
    store = ctx.store
    kept_before = None
    for i in range(60):
        f = store.get("courtyards", "c-0002")
        store.update("courtyards", "c-0002", expected_version=f["properties"]["version"], user="t",
                     properties={"status": ("pending", "in_progress", "rectified")[i % 3]})
        clock.advance(minutes=1)
        for path in ("/api/layers/courtyards/features", "/api/wall/state", "/api/wall/dashboard",
                     "/api/progress/milestones", "/api/wall/state?since=1"):
            assert client.get(path).status_code == 200, path
        kept = (id(ctx.dashboard._kept), id(ctx.progress._kept), id(ctx.wall._kept))
        kept_before = kept_before or kept
    assert len(ctx.cache) <= 32 and ctx.cache.held_bytes() <= 256 * 2**20
    # the kept views were brought up to date, one copy each, not built again per revision
    assert kept == kept_before
    assert len(ctx.progress._kept.places) == len(ctx.dashboard._kept.parts) == 3
