"""What a server process keeps between requests stays bounded under steady edits: the caches of serialised
answers hold at most their entries, and together the bytes of one budget (every revision brings new keys, the
old ones age out), and the views kept between revisions (the wall state, the dashboard, the milestones) keep one
copy, not one per revision."""

from __future__ import annotations

import gzip
import threading

import pytest
from flask import Flask

from web import create_app
from web.core.cached import LARGE_BODY, CacheBudget, Cached, RevisionCache
from web.core.http import send_cached


def test_a_cache_of_answers_drops_the_oldest_beyond_its_bytes_and_sends_an_answer_too_large_to_keep():
    cache = RevisionCache(10, CacheBudget(1000))
    for revision in range(8):
        cache.get(("layer", revision), lambda r=revision: Cached(body=b"x" * 300, etag=f'"{r}"'))
    assert len(cache) == 3 and cache.held_bytes() == cache.budget.held_bytes() == 900
    newest = cache.get(("layer", 7), lambda: Cached(body=b"", etag='"rebuilt"'))
    assert newest.etag == '"7"'  # still there, not built again
    large = cache.get(("layer", 8), lambda: Cached(body=b"y" * 600, etag='"8"'))  # over half the budget
    assert large.etag == '"8"' and len(cache) == 3 and cache.held_bytes() == 900  # sent, nothing pushed out


def test_an_answer_is_kept_with_its_gzipped_copy_made_before_and_counted_from_the_start():
    budget = CacheBudget(1_000_000)
    cache = RevisionCache(10, budget)
    body = b"".join(b"%d," % i for i in range(2000))
    kept = cache.get(("a",), lambda: Cached(body=body, etag='"a"'))
    assert kept.gzipped is not None and gzip.decompress(kept.gzipped) == body
    assert budget.held_bytes() == len(body) + len(kept.gzipped) == cache.held_bytes()
    small = cache.get(("b",), lambda: Cached(body=b"[1]", etag='"b"'))
    assert small.gzipped is None and budget.held_bytes() == len(body) + len(kept.gzipped) + 3


def test_what_a_cache_keeps_besides_answers_is_bounded_by_its_entries_not_pushed_out_by_others_bytes():
    """A display link's place ids (web/access/display_scope.py) are no answer: the viewports' bytes coming and
    going leave them, and their own cache's count of entries bounds them."""
    budget = CacheBudget(1000)
    scopes, viewports = RevisionCache(2, budget), RevisionCache(10, budget)
    ids = scopes.get(("display-ids", 1), lambda: frozenset({"c-1", "c-2"}))
    for n in range(20):
        viewports.get(("viewport", n), lambda n=n: Cached(body=b"v" * 300, etag=f'"{n}"'))
    assert scopes.get(("display-ids", 1), lambda: frozenset()) is ids
    for n in (2, 3):
        scopes.get(("display-ids", n), lambda: frozenset())
    assert len(scopes) == 2 and budget.held_bytes() <= 1000


def test_the_caches_of_a_process_share_one_budget_and_let_go_of_the_answer_used_longest_ago_whichever_holds_it():
    budget = CacheBudget(1000)
    answers, viewports = RevisionCache(10, budget), RevisionCache(10, budget)
    answers.get(("state", 1), lambda: Cached(body=b"s" * 400, etag='"s1"'))
    viewports.get(("view", 1), lambda: Cached(body=b"v" * 400, etag='"v1"'))
    answers.get(("state", 1), lambda: Cached(body=b"", etag='"rebuilt"'))  # used again: now the newest
    viewports.get(("view", 2), lambda: Cached(body=b"v" * 400, etag='"v2"'))  # 1,200 bytes: one must go
    assert (len(answers), len(viewports)) == (1, 1) and budget.held_bytes() == 800
    assert answers.get(("state", 1), lambda: Cached(body=b"", etag='"rebuilt"')).etag == '"s1"'
    answers.get(("state", 2), lambda: Cached(body=b"s" * 400, etag='"s2"'))  # the view used longest ago goes
    assert (len(answers), len(viewports)) == (2, 0) and len(budget) == 2


def test_a_large_answer_of_a_cache_that_only_sends_is_kept_gzipped_alone_and_sent_alike_either_way():
    body = b"".join(b'[%d,%d],' % (i, i * 7 % 1013) for i in range(LARGE_BODY // 8))  # dots, as a viewport's
    cache = RevisionCache(8, CacheBudget(), compress_large=True)
    kept = cache.get(("viewport", 1), lambda: Cached(body=body, etag="v1"))
    assert kept.held_bytes() == len(kept.gzipped) < len(body) // 2 and cache.held_bytes() == kept.held_bytes()
    app = Flask(__name__)
    with app.test_request_context(headers={"Accept-Encoding": "gzip"}):
        zipped = send_cached(kept)
    with app.test_request_context():
        plain = send_cached(kept)
    assert zipped.headers["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain.headers
    assert gzip.decompress(zipped.get_data()) == plain.get_data() == body
    small = cache.get(("viewport", 2), lambda: Cached(body=b"[1,2]", etag='"w"'))
    assert small.held_bytes() == 5 and small.gzipped is None  # a small one as it came


def test_an_answer_written_in_pieces_is_held_whole_while_small_and_compressed_as_it_comes_once_large():
    pieces = [b'[%d,%d],' % (i, i * 7 % 1013) for i in range(LARGE_BODY // 8)]  # dots, as a viewport's
    body = b"".join(pieces)
    large = Cached.of_pieces(iter(pieces), "v1")
    assert large.size == len(body) > LARGE_BODY and large.held_bytes() == len(large.gzipped) < len(body) // 2
    assert large.gzipped[8] == 4  # (the gzip header's XFL: the fastest compression, as a large body's)
    cache = RevisionCache(8, CacheBudget(), compress_large=True)
    assert cache.get(("viewport", 1), lambda: large) is large and cache.held_bytes() == large.held_bytes()
    app = Flask(__name__)
    with app.test_request_context(headers={"Accept-Encoding": "gzip"}):
        zipped = send_cached(large)
    with app.test_request_context():
        plain = send_cached(large)
    assert gzip.decompress(zipped.get_data()) == plain.get_data() == body
    small = Cached.of_pieces(iter([b'{"a":', b"[1,2]", b"}"]), "w")
    assert (small.body, small.size, small.gzipped) == (b'{"a":[1,2]}', 11, None)
    assert Cached.of_pieces(iter([]), "e").body == b""


def test_an_answer_that_fails_half_way_lets_go_of_what_it_was_written_from_at_once():
    closed = []

    def pieces():
        try:
            yield b"["
            yield None  # (a writer's mistake: not bytes)
            yield b"]"
        finally:
            closed.append("closed")  # (a database's rows: the stream closed, the connection back in its pool)

    with pytest.raises(TypeError) as caught:
        Cached.of_pieces(pieces(), "e")
    assert caught.traceback and closed == ["closed"]  # while the failure is still held, not once it is let go


def test_answers_a_cache_is_told_are_superseded_are_let_go_and_their_bytes_with_them():
    budget = CacheBudget()
    cache = RevisionCache(8, budget)
    for revision in (1, 2, 3):
        cache.get(("wall-full", revision, True), lambda r=revision: Cached(body=b"s" * 2000 * r, etag=f"r{r}"))
    cache.get(("wall-delta", 1, 3), lambda: Cached(body=b"d" * 10, etag="d"))
    held = budget.held_bytes()
    assert cache.forget(lambda key: key[0] == "wall-full" and key[1] != 3) == 2
    assert len(cache) == 2 and len(budget) == 2 and budget.held_bytes() < held
    assert cache.get(("wall-full", 3, True), lambda: Cached(body=b"", etag="rebuilt")).etag == "r3"  # kept
    assert cache.forget(lambda key: False) == 0 and len(cache) == 2


def test_every_cache_of_the_app_draws_on_the_one_budget_its_setting_names(seeded, clock, instance_dir):
    app = create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock,
                      "GUATU_INSTANCE": str(instance_dir), "GUATU_CACHE_MB": 8})
    ctx = app.extensions["guatu"]
    budgets = {id(c.budget) for c in (ctx.cache, ctx.viewports, ctx.tiles, ctx.display_scopes)}
    assert len(budgets) == 1 and ctx.cache.budget.max_bytes == 8 * 2**20


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


def test_a_full_state_made_late_for_an_earlier_key_leaves_the_newer_one_kept(app, clock):
    """A request that read its state's key just before an edit may make that state after another request made the
    newer one: the newer stays kept (it is asked for next), and the earlier goes when the newer is next asked."""
    from web.wall.data import full_state

    ctx = app.extensions["guatu"]
    with app.app_context():
        now = ctx.now()
        before = ctx.wall.key(now)
        f = ctx.store.get("courtyards", "c-0002")
        ctx.store.update("courtyards", "c-0002", expected_version=f["properties"]["version"], user="t",
                         properties={"status": "rectified"})
        after = ctx.wall.key(now)
        assert after.revision > before.revision
        newer = full_state(after, now, packed=True)
        full_state(before, now, packed=True)  # (late)
        assert {key[1] for key in ctx.cache._items if key[0] == "wall-full"} == {before, after}
        assert full_state(after, now, packed=True) is newer  # kept, not made again
        assert [key[1] for key in ctx.cache._items if key[0] == "wall-full"] == [after]


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
    assert len(ctx.cache) <= 32 and ctx.cache.budget.held_bytes() <= 256 * 2**20
    full = [key for key in ctx.cache._items if key[0] == "wall-full"]
    assert len(full) == 1 and full[0][1] == ctx.wall.key(ctx.now())  # the current revision's full state alone
    # the kept views were brought up to date, one copy each, not built again per revision
    assert kept == kept_before
    assert len(ctx.progress._kept.places) == len(ctx.dashboard._kept.parts) == 3
