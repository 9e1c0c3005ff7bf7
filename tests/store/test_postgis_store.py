"""The PostGIS store beyond the shared contract: many writers, many instances, migrations, copying.

Runs on the session's throwaway PostgreSQL cluster (tests/conftest.py:
`postgis_url`), one fresh schema per test.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from pathlib import Path

import orjson
import psycopg
import pytest

from geo.config import load_campaign
from geo.errors import Conflict
from geo.messages import t as message
from geo.store import open_store
from geo.store.postgis import _TAIL_PAGE, _TAIL_SQL, DatabaseUnavailable, migrate, migration_files
from geo.store.transfer import CopyRefused, copy_to_geojson, copy_to_postgis, same_campaign
from geo.synth.synthetic import write_synthetic
from tests.waiting import retry

LAYER = "courtyards"
SPAWN = multiprocessing.get_context("spawn")
WRITERS, ROUNDS = 4, 15


def _writer(url: str, schema: str, data_dir: str, name: str, rounds: int, errors) -> None:
    """One process: append its name to a shared place's notes `rounds` times, retrying on conflict,
    create a place of its own each round, and check that a stale write is always refused."""
    try:
        store = open_store(data_dir, load_campaign(data_dir), database_url=url, schema=schema)
        def append_mine() -> None:
            current = store.get(LAYER, "c-0001")
            store.update(LAYER, "c-0001", expected_version=current["properties"]["version"], user=name,
                         properties={"notes": (current["properties"].get("notes") or "") + name[-1]})

        for i in range(rounds):
            retry(append_mine, f"{name}: round {i}", on=Conflict, timeout=120)
            try:
                store.update(LAYER, "c-0001", expected_version=1, user=name, properties={"notes": "stale"})
                errors.put(f"{name}: a stale write was applied")
            except Conflict:
                pass
            ring = [[113.6 + i * 0.001, 34.7], [113.601 + i * 0.001, 34.7], [113.601 + i * 0.001, 34.701],
                    [113.6 + i * 0.001, 34.7]]
            store.create(LAYER, {"type": "Feature", "properties": {"name": f"{name}-{i}", "kind": "楼院",
                                                                   "status": "pending"},
                                 "geometry": {"type": "Polygon", "coordinates": [ring]}}, user=name)
        store.close()
    except Exception:
        errors.put(traceback.format_exc())


def test_concurrent_writers_in_several_processes_lose_nothing(store_factory, postgis_url, postgis_schema, data_dir,
                                                             make_feature):
    store = store_factory("postgis")
    store.create(LAYER, make_feature(name="共享院", notes=""), user="setup")
    errors = SPAWN.Queue()
    names = [f"writer{i}" for i in range(WRITERS)]
    procs = [SPAWN.Process(target=_writer, args=(postgis_url, postgis_schema, str(data_dir), n, ROUNDS, errors))
             for n in names]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    problems = [errors.get() for _ in range(errors.qsize())] if not errors.empty() else []
    assert not problems, "\n".join(problems)

    shared = store.get(LAYER, "c-0001")["properties"]
    assert len(shared["notes"]) == WRITERS * ROUNDS  # every increment landed once
    assert sorted(shared["notes"]) == sorted("".join(n[-1] * ROUNDS for n in names))
    assert shared["version"] == 1 + WRITERS * ROUNDS
    places = store.features(LAYER)
    assert len(places) == 1 + WRITERS * ROUNDS
    assert len({f["id"] for f in places}) == len(places)
    seqs = [c.seq for c in store.changes_since(0)]
    assert seqs == list(range(1, len(seqs) + 1))  # no gap, no duplicate: one numbered change per write
    assert len(seqs) == 1 + 2 * WRITERS * ROUNDS
    versions = [h["version"] for h in store.history(LAYER, "c-0001")]
    assert versions == list(range(1, 2 + WRITERS * ROUNDS))


def test_threads_sharing_one_store_lose_nothing(store_factory, make_feature):
    store = store_factory("postgis", pool_size=4)
    store.create(LAYER, make_feature(notes=""), user="setup")
    failures: list[str] = []

    def work(letter: str) -> None:
        try:
            def append_mine() -> None:
                f = store.get(LAYER, "c-0001")
                store.update(LAYER, "c-0001", expected_version=f["properties"]["version"], user=letter,
                             properties={"notes": (f["properties"].get("notes") or "") + letter})

            for i in range(10):
                retry(append_mine, f"{letter}: round {i}", on=Conflict, timeout=60)
        except Exception:
            failures.append(traceback.format_exc())

    threads = [threading.Thread(target=work, args=(c,)) for c in "abcdef"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures[0]
    assert sorted(store.get(LAYER, "c-0001")["properties"]["notes"]) == sorted("abcdef" * 10)


def test_another_instance_sees_every_write(store_factory, make_feature):
    one, two = store_factory("postgis"), store_factory("postgis")
    assert two.features(LAYER) == []  # two holds a (still empty) copy of the layer from here on
    one.create(LAYER, make_feature(name="甲"), user="alice")
    one.create(LAYER, make_feature(name="乙"), user="alice")
    one.update(LAYER, "c-0001", expected_version=1, user="bob", properties={"status": "accepted"})
    one.delete(LAYER, "c-0002", expected_version=1, user="bob")
    assert two.revision() == 4
    assert [c.seq for c in two.changes_since(1)] == [2, 3, 4]
    assert two.features(LAYER) == one.features(LAYER)
    assert two.get(LAYER, "c-0001")["properties"]["status"] == "accepted"
    assert two.collection_bytes(LAYER) == one.collection_bytes(LAYER)
    assert two.history(LAYER, "c-0002")[-1]["op"] == "delete"
    two.update(LAYER, "c-0001", expected_version=2, user="carol", properties={"status": "relapsed"})
    assert one.get(LAYER, "c-0001")["properties"]["version"] == 3


def test_readers_see_whole_states_while_the_copy_catches_up_in_place(store_factory, make_feature):
    """A process's copy of a layer takes other instances' changes in place; threads listing it or reading
    its file bytes meanwhile always get one consistent state, never a half-applied one or an error."""
    writer, reader = store_factory("postgis"), store_factory("postgis")
    for i in range(30):
        writer.create(LAYER, make_feature(name=f"院{i}"), user="alice")
    reader.features(LAYER)
    stop, seen, errors = threading.Event(), [], []

    def read() -> None:
        try:
            while not stop.is_set():
                ids = [f["id"] for f in reader.features(LAYER)]
                assert len(ids) == len(set(ids))
                body = orjson.loads(reader.collection_bytes(LAYER))
                seq, count = body["guatu"]["seq"], len(body["features"])
                seen.append((seq, count))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(repr(exc))

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    counts = {30: 30}  # seq → places after it
    for i in range(40):  # creates and deletes change the copy's size while the readers list it
        if i % 2:
            fid = f"c-{i:04d}"
            writer.delete(LAYER, fid, expected_version=1, user="bob")
        else:
            writer.create(LAYER, make_feature(name=f"新{i}"), user="bob")
        counts[writer.revision()] = len(writer.features(LAYER))
    stop.set()
    for t in threads:
        t.join(30)
    assert errors == []
    assert seen and all(counts[seq] == count for seq, count in seen)  # each body is the state at its seq
    assert reader.features(LAYER) == writer.features(LAYER)
    assert reader.collection_bytes(LAYER) == writer.collection_bytes(LAYER)


def test_campaigns_in_separate_schemas_do_not_mix(store_factory, postgis_url, data_dir, campaign, make_feature):
    first = store_factory("postgis")
    other_schema = first.schema + "_b"
    second = store_factory("postgis", schema=other_schema)
    try:
        first.create(LAYER, make_feature(name="甲"), user="alice")
        assert second.features(LAYER) == [] and second.revision() == 0
        assert second.create(LAYER, make_feature(name="乙"), user="bob").feature["id"] == "c-0001"
        assert first.get(LAYER, "c-0001")["properties"]["name"] == "甲"
    finally:
        second.close()
        with psycopg.connect(postgis_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {other_schema} CASCADE")


def test_migrations_are_applied_once_and_are_idempotent(store_factory, postgis_url, postgis_schema):
    first = store_factory("postgis")
    assert first.applied_migrations == [v for v, _, _ in migration_files()]
    assert store_factory("postgis").applied_migrations == []
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        assert migrate(conn, postgis_schema) == []
        rows = conn.execute(f"SELECT version, name FROM {postgis_schema}.schema_migrations ORDER BY version").fetchall()
        assert rows == [(v, n) for v, n, _ in migration_files()]
        index = conn.execute("SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND indexname = 'features_geom'",
                             (postgis_schema,)).fetchone()
        assert "gist" in index[0].lower()


def test_instances_starting_together_migrate_once(store_factory, postgis_url, postgis_schema):
    # the schema and server fixtures are set up here, before the threads: pytest's fixtures are not thread-safe
    opened, failures = [], []

    def start() -> None:
        try:
            opened.append(store_factory("postgis"))
        except Exception:
            failures.append(traceback.format_exc())

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures[0]
    assert sorted(len(s.applied_migrations) for s in opened) == [0, 0, 0, len(migration_files())]


def test_unreachable_database_is_reported_as_unavailable(data_dir, campaign, tmp_path):
    with pytest.raises(DatabaseUnavailable) as info:
        open_store(data_dir, campaign, database_url=f"postgresql://nobody:secret@/guatu?host={tmp_path}",
                   connect_timeout=1)
    assert info.value.http_status == 503
    assert "secret" not in info.value.message


# --- copying a campaign both ways -----------------------------------------------------

def _busy_campaign(store, make_feature, clock) -> None:
    """Creates, edits (properties, geometry, ledger), deletes and a road: everything a journal holds."""
    store.create(LAYER, make_feature(name="兑周村1—11号院", deadline="2026-12-31", unit="区住建局",
                                     people={"leader": "王五", "grid_worker": "赵六"},
                                     problems=[{"category": "飞线充电", "description": "楼道私拉电线",
                                                "found_on": "2026-11-20", "found_by": "每日随机督导",
                                                "status": "open"}]), user="张三")
    clock.advance(minutes=3)
    store.create(LAYER, make_feature(name="中原东路5号院", x=113.6312345, y=34.7212345), user="张三")
    store.update(LAYER, "c-0001", expected_version=1, user="李四", properties={"status": "in_progress"})
    clock.advance(hours=2)
    store.update(LAYER, "c-0002", expected_version=1, user="李四", geometry=make_feature(x=113.64)["geometry"])
    store.create(LAYER, make_feature(name="待删院"), user="王五")
    store.delete(LAYER, "c-0003", expected_version=1, user="王五")
    store.create("roads", make_feature(name="京广路", kind="道路"), user="张三")


def test_geojson_to_postgis_to_geojson_is_byte_identical(store_factory, data_dir, campaign, postgis_url,
                                                        postgis_schema, make_feature, clock, tmp_path):
    source = store_factory("geojson")
    _busy_campaign(source, make_feature, clock)
    listing = {"date": "2026-11-24", "seed": 7, "places": [{"id": "c-0001", "name": "兑周村1号院", "result": None}]}
    with source.records_locked("inspections"):
        source.put_record("inspections", "2026-11-24", listing)
    report = copy_to_postgis(data_dir, campaign, postgis_url, schema=postgis_schema)
    assert report.features == {"courtyards": 2, "roads": 1, "villages": 0}
    assert report.changes == 7 and report.revision == 7

    copied = store_factory("postgis")
    for layer in campaign.layers:
        assert copied.features(layer.id) == source.features(layer.id)
        assert copied.layer_revision(layer.id) == source.layer_revision(layer.id)
        assert copied.collection_bytes(layer.id) == source.collection_bytes(layer.id)
    assert copied.changes_since(0) == [_without_offsets(s, copied) for s in source.changes_since(0)]
    assert copied.history(LAYER, "c-0003") == source.history(LAYER, "c-0003")
    assert copied.record("inspections", "2026-11-24") == listing and copied.record_keys("inspections") == ["2026-11-24"]

    back = tmp_path / "back"
    report = copy_to_geojson(postgis_url, campaign, back, schema=postgis_schema, campaign_dir=data_dir)
    assert report.changes == 7
    assert same_campaign(data_dir, back, campaign) == []
    assert (back / "inspections" / "2026-11-24.json").read_bytes() == \
        (data_dir / "inspections" / "2026-11-24.json").read_bytes()
    assert (back / "campaign.json").read_bytes() == (data_dir / "campaign.json").read_bytes()
    # and the copy carries on: the next id and seq follow on in both directions; the deleted c-0003 stays retired
    assert copied.create(LAYER, make_feature(), user="x").feature["id"] == "c-0004"
    assert copied.revision() == 8
    assert copied.retired_ids(LAYER, ["c-0003", "c-0004"]) == {"c-0003"}
    assert store_factory("geojson").create(LAYER, make_feature(), user="x").feature["id"] == "c-0004"  # the source
    copied_back = open_store(back, campaign)
    try:
        assert copied_back.retired_ids(LAYER, ["c-0003"]) == {"c-0003"}
        assert copied_back.create(LAYER, make_feature(), user="x").feature["id"] == "c-0004"
    finally:
        copied_back.close()


def _without_offsets(summary, store):
    return summary._replace(offset=summary.seq, length=0)


def test_synthetic_campaign_round_trips(tmp_path, postgis_url, postgis_schema):
    data = tmp_path / "synthetic"
    write_synthetic(data, 300, seed=3)
    campaign = load_campaign(data)
    copy_to_postgis(data, campaign, postgis_url, schema=postgis_schema)
    back = tmp_path / "back"
    copy_to_geojson(postgis_url, campaign, back, schema=postgis_schema, campaign_dir=data)
    assert same_campaign(data, back, campaign) == []


def test_copy_never_overwrites(store_factory, data_dir, campaign, postgis_url, postgis_schema, make_feature, tmp_path):
    store_factory("geojson").create(LAYER, make_feature(), user="alice")
    copy_to_postgis(data_dir, campaign, postgis_url, schema=postgis_schema)
    with pytest.raises(CopyRefused):
        copy_to_postgis(data_dir, campaign, postgis_url, schema=postgis_schema)
    with pytest.raises(CopyRefused):
        copy_to_geojson(postgis_url, campaign, data_dir, schema=postgis_schema)
    assert Path(data_dir / "journal.jsonl").exists()


# --- the database down: lazy start, the breaker, problems() ---------------------------------

def test_a_lazy_store_opens_without_the_database_and_refuses_fast_while_it_is_down(data_dir, campaign, tmp_path):
    store = open_store(data_dir, campaign, database_url=f"postgresql://nobody:secret@/guatu?host={tmp_path}",
                       lazy=True)
    try:
        with pytest.raises(DatabaseUnavailable) as first:
            store.revision()
        assert first.value.http_status == 503 and first.value.retry_after >= 1
        assert "secret" not in first.value.message and "nobody" not in first.value.message
        assert store.breaker.state == "down"
        with pytest.raises(DatabaseUnavailable) as second:  # refused by the breaker, nothing tried
            store.features(LAYER)
        assert second.value.message == message("db.unavailable", where=store.where, seconds=second.value.retry_after)
        problems = store.problems()  # never raises: says what is wrong
        assert [p.code for p in problems] == ["database_unavailable"]
        assert problems[0].where == store.where and not problems[0].repairable
        assert problems[0].remedy == message("db.unavailable_remedy")
    finally:
        store.close()


def test_a_lazy_store_migrates_when_the_database_first_answers(data_dir, campaign, postgis_url, postgis_schema):
    store = open_store(data_dir, campaign, database_url=postgis_url, schema=postgis_schema, lazy=True)
    try:
        assert store.applied_migrations == []
        assert store.revision() == 0
        assert store.applied_migrations == [v for v, _, _ in migration_files()]
        assert store.problems() == []
        assert store.breaker.state == "up"
    finally:
        store.close()


def test_the_change_summaries_are_read_a_page_at_a_time_in_order(store_factory, make_feature, monkeypatch):
    """The journal's tail is read in pages (`ORDER BY seq LIMIT`, so the planner walks the key's index however
    stale the table's statistics): a tail longer than a page comes whole and in order, the first read and later."""
    monkeypatch.setattr("geo.store.postgis._TAIL_PAGE", 3)
    store = store_factory("postgis")
    for i in range(7):
        store.create(LAYER, make_feature(name=f"楼院{i}", x=113.60 + i * 0.01), user="alice")
    assert [c.seq for c in store.changes_since(0)] == [1, 2, 3, 4, 5, 6, 7]
    for version in range(1, 6):
        store.update(LAYER, "c-0001", expected_version=version, user="bob", properties={"households": version})
    assert [(c.seq, c.op) for c in store.changes_since(6)] == [(7, "create")] + [(s, "update") for s in range(8, 13)]
    assert [c.seq for c in store_factory("postgis").changes_since(0)] == list(range(1, 13))  # another process, from 0


def test_the_journal_is_asked_only_for_changes_past_the_head_the_caller_read(store_factory, make_feature):
    """A poll reads the heads once, then asks for changes several times (its key, its catch-up, its delta):
    with the head it read, the store asks the database again only if this process has not seen that far."""
    writer, reader = store_factory("postgis"), store_factory("postgis")
    writer.create(LAYER, make_feature(), user="alice")
    assert [c.seq for c in reader.changes_since(0)] == [1]
    writer.create(LAYER, make_feature(x=113.64), user="alice")
    assert [c.seq for c in reader.changes_since(0, upto=1)] == [1]  # seen that far: the database not asked
    assert [c.seq for c in reader.changes_since(0, upto=2)] == [1, 2]
    writer.create(LAYER, make_feature(x=113.65), user="alice")
    assert [c.seq for c in reader.changes_since(1)] == [2, 3]  # no head given: always asked


def test_statements_are_planned_each_time_never_kept_prepared(store_factory, make_feature):
    """psycopg prepares a statement run five times on a connection, and PostgreSQL then keeps the plan it made
    first: made while the journal was empty, the revision's and the tail's were sequential scans that grew with
    every save of the day, until the table was next analysed. The store's connections prepare nothing."""
    store = store_factory("postgis")
    store.create(LAYER, make_feature(), user="alice")
    for version in range(1, 12):
        store.update(LAYER, "c-0001", expected_version=version, user="bob", properties={"households": version})
        store.revision(), store.layer_revisions(), store.changes_since(version)
    with store._conn() as conn:
        assert conn.prepare_threshold is None  # every connection of the pool, not only the one asked here
        assert conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0] == 0
        # nor does any compile a plan (JIT): the district's viewport at a million places spent 0.5 s doing so
        assert conn.execute("SHOW jit").fetchone()[0] == "off"


def test_the_journal_tail_is_read_by_its_key_before_the_table_is_ever_analysed(store_factory):
    """A day's journal no one has analysed yet: the planner knows only its size. Asked for what follows the head
    by `seq > $1` alone, it expected a third of the table and started a parallel scan (a worker process per poll,
    on PostgreSQL 15); the store's tail, bounded by the head too, is read through the key's index."""
    store = store_factory("postgis")
    with store._conn() as conn:
        conn.execute("ALTER TABLE journal SET (autovacuum_enabled = false)")  # no analysis during the test either
        conn.execute('INSERT INTO journal (seq, at, "user", op, layer, id, version, geometry_changed) '
                     "SELECT g, now(), 'bench', 'update', 'courtyards', 'c-0001', g, false FROM generate_series(1, 30000) g")
        assert conn.execute("SELECT last_analyze, last_autoanalyze FROM pg_stat_user_tables "
                            "WHERE relname = 'journal' AND schemaname = current_schema()").fetchone() == (None, None)
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + _TAIL_SQL, (30000, _TAIL_PAGE)).fetchall())
    assert "Index Scan on journal_pkey" in plan or "Index Scan using journal_pkey on journal " in plan, plan
    assert "Gather" not in plan and "Seq Scan" not in plan, plan
