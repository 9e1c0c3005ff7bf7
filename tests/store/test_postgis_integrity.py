"""`check` and `repair` of the PostGIS store on a real database damaged behind the store's back.

Each test builds a small campaign through the store, then breaks a table with
plain SQL as a careless administrator or a bad restore would, and asserts what
`check` finds and what `repair` does: damaged rows moved to damaged_features,
never deleted, rebuilt from the journal; what cannot be recovered said so.
"""

from __future__ import annotations

import psycopg
import pytest

from geo.messages import t as message
from geo.store import open_store

LAYER = "courtyards"


@pytest.fixture
def store(store_factory, make_feature):
    s = store_factory("postgis")
    s.create(LAYER, make_feature(name="一号院"), user="张三")
    s.create(LAYER, make_feature(name="二号院", x=113.64), user="张三")
    s.create(LAYER, make_feature(name="三号院", x=113.65), user="张三")
    s.update(LAYER, "c-0001", expected_version=1, user="李四", properties={"status": "in_progress"})
    s.update(LAYER, "c-0002", expected_version=1, user="李四", properties={"notes": "楼道堆物"})
    s.create("roads", make_feature(name="京广路", kind="道路"), user="张三")
    s.create(LAYER, make_feature(name="待删院", x=113.66), user="王五")
    s.delete(LAYER, "c-0004", expected_version=1, user="王五")
    return s


@pytest.fixture
def db(postgis_url, postgis_schema):
    with psycopg.connect(postgis_url, autocommit=True) as conn:
        conn.execute(f"SET search_path TO {postgis_schema}, public")
        yield conn


def fresh(store_factory):
    """Another instance of the campaign, reading the tables anew."""
    return store_factory("postgis")


def test_a_sound_campaign_has_no_findings_and_repair_changes_nothing(store, db):
    assert store.check() == []
    before = db.execute("SELECT layer, id, version, feature::text FROM features ORDER BY layer, id").fetchall()
    report = store.repair()
    assert report.moved_aside == [] and report.rebuilt == [] and report.unrecovered == []
    assert db.execute("SELECT layer, id, version, feature::text FROM features ORDER BY layer, id").fetchall() == before


def test_a_row_deleted_behind_the_store_is_found_and_rebuilt_from_the_journal(store, db, store_factory):
    expected = store.get(LAYER, "c-0002")
    db.execute("DELETE FROM features WHERE layer = %s AND id = 'c-0002'", (LAYER,))
    found = store.check()
    assert [(f.where.split()[-1], f.repairable) for f in found] == [(f"{LAYER}/c-0002", True)]
    assert found[0].problem == message("db.check.row_missing", layer=LAYER, id="c-0002", seq=5, version=2)
    assert found[0].remedy == message("db.remedy.restore_row")  # no row to move aside: it is only rebuilt
    report = store.repair()
    assert report.moved_aside == []  # nothing was there to move
    assert report.rebuilt == [message("db.repair.rebuilt", layer=LAYER, id="c-0002", seq=5, version=2)]
    assert store.check() == []
    assert fresh(store_factory).get(LAYER, "c-0002") == expected
    assert store.get(LAYER, "c-0002") == expected


def test_a_changed_version_is_moved_aside_and_the_row_rebuilt(store, db, store_factory):
    expected = store.get(LAYER, "c-0001")
    db.execute("UPDATE features SET version = 7 WHERE layer = %s AND id = 'c-0001'", (LAYER,))
    found = store.check()
    assert [f.problem for f in found] == [message("db.check.row_version", layer=LAYER, id="c-0001", have=7, seq=4,
                                                  want=2)]
    report = store.repair()
    assert len(report.moved_aside) == 1 and "c-0001" in report.moved_aside[0]
    moved = db.execute("SELECT layer, id, version, reason FROM damaged_features").fetchall()
    assert moved == [(LAYER, "c-0001", 7, found[0].problem)]  # kept, with why
    assert store.check() == []
    again = fresh(store_factory)
    assert again.get(LAYER, "c-0001") == expected
    # the places keep their order: the rebuilt row kept its position
    assert [f["id"] for f in again.features(LAYER)] == ["c-0001", "c-0002", "c-0003"]


def test_a_row_whose_content_was_edited_by_hand_is_rebuilt(store, db, store_factory):
    expected = store.get(LAYER, "c-0003")
    db.execute("""UPDATE features SET feature = json_build_object('type', 'Feature', 'id', 'c-0003',
                  'properties', json_build_object('name', '改过的名字', 'version', 1), 'geometry', NULL)
                  WHERE layer = %s AND id = 'c-0003'""", (LAYER,))
    assert [f.problem for f in store.check()] == [message("db.check.row_differs", layer=LAYER, id="c-0003", seq=3)]
    store.repair()
    assert fresh(store_factory).get(LAYER, "c-0003") == expected
    assert db.execute("SELECT feature->'properties'->>'name' FROM damaged_features").fetchone()[0] == "改过的名字"


def test_rows_the_journal_deleted_or_never_wrote_are_moved_aside(store, db, make_feature):
    db.execute("""INSERT INTO features (layer, id, version, seq, properties, feature)
                  VALUES (%s, 'c-0004', 1, 7, '{}'::jsonb, '{"type": "Feature", "id": "c-0004"}'::json),
                         (%s, 'c-9999', 3, 0, '{}'::jsonb, '{"type": "Feature", "id": "c-9999"}'::json)""",
               (LAYER, LAYER))
    findings = store.check()
    assert {f.remedy for f in findings} == {message("db.remedy.move_row_aside")}  # moved aside, not rebuilt
    found = {f.where.split()[-1]: f.problem for f in findings}
    assert found == {
        f"{LAYER}/c-0004": message("db.check.row_extra", layer=LAYER, id="c-0004", version=1,
                                   state=message("db.check.state_deleted")),
        f"{LAYER}/c-9999": message("db.check.row_extra", layer=LAYER, id="c-9999", version=3,
                                   state=message("db.check.state_unknown")),
    }
    report = store.repair()
    assert len(report.moved_aside) == 2 and report.rebuilt == [] and report.unrecovered == []
    assert db.execute("SELECT count(*) FROM features WHERE id IN ('c-0004', 'c-9999')").fetchone()[0] == 0
    assert sorted(r[0] for r in db.execute("SELECT id FROM damaged_features")) == ["c-0004", "c-9999"]
    assert store.check() == []


def test_a_wrong_layer_revision_is_set_from_the_journal(store, db):
    db.execute("UPDATE layer_heads SET seq = 2 WHERE layer = %s", (LAYER,))
    assert [f.problem for f in store.check()] == [message("db.check.head_wrong", layer=LAYER, have=2, want=8)]
    store.repair()
    assert store.layer_revision(LAYER) == 8
    assert store.check() == []


def test_a_deleted_journal_row_is_reported_and_the_place_it_belonged_to_is_not_rebuilt(store, db, store_factory):
    db.execute("DELETE FROM journal WHERE seq = 4")  # c-0001's update to version 2
    db.execute("DELETE FROM features WHERE layer = %s AND id = 'c-0002'", (LAYER,))  # and a row
    found = store.check()
    gap = message("db.check.seq_gap", first=4, last=4, count=1)
    assert gap in [f.problem for f in found]
    assert all(not f.repairable for f in found if f.code == "journal_damaged")
    by_place = {f.where.split()[-1]: f for f in found if f.where.startswith(f"{store.schema}.features")}
    # c-0001: its row (version 2) is ahead of what is left of its journal (version 1): not judged
    assert not by_place[f"{LAYER}/c-0001"].repairable
    assert by_place[f"{LAYER}/c-0001"].remedy == message("db.remedy.journal")
    # c-0002's own history is whole: it can still be rebuilt
    assert by_place[f"{LAYER}/c-0002"].repairable

    report = store.repair()
    assert report.rebuilt == [message("db.repair.rebuilt", layer=LAYER, id="c-0002", seq=5, version=2)]
    assert gap in report.unrecovered
    assert by_place[f"{LAYER}/c-0001"].problem in report.unrecovered
    assert db.execute("SELECT version FROM features WHERE layer = %s AND id = 'c-0001'",
                      (LAYER,)).fetchone()[0] == 2  # left as it was, not rolled back
    assert fresh(store_factory).get(LAYER, "c-0002")["properties"]["notes"] == "楼道堆物"


def test_a_place_whose_own_history_has_a_hole_is_not_rebuilt(store, db):
    db.execute("DELETE FROM journal WHERE seq = 1")  # c-0001's creation: its versions start at 2
    db.execute("UPDATE features SET version = 5 WHERE layer = %s AND id = 'c-0001'", (LAYER,))
    found = {f.where.split()[-1]: f for f in store.check() if f.code == "damaged"}
    assert not found[f"{LAYER}/c-0001"].repairable
    report = store.repair()
    assert report.moved_aside == [] and report.rebuilt == []
    assert any("c-0001" in line for line in report.unrecovered)
    assert db.execute("SELECT version FROM features WHERE layer = %s AND id = 'c-0001'", (LAYER,)).fetchone()[0] == 5


def test_a_record_that_does_not_parse_is_found_and_left_for_people(store, db):
    store.put_record("inspections", "2026-11-24", {"items": []})
    db.execute("UPDATE records SET body = '{\"items\": [' WHERE kind = 'inspections'")
    found = store.check()
    assert [(f.where, f.repairable) for f in found] == [(f"{store.schema}.records inspections/2026-11-24", False)]
    assert found[0].remedy == message("db.remedy.manual")
    assert found[0].problem in store.repair().unrecovered


def test_migrations_are_checked_against_the_files(store, db, postgis_schema):
    db.execute(f"DELETE FROM {postgis_schema}.schema_migrations WHERE version = 4")
    db.execute(f"INSERT INTO {postgis_schema}.schema_migrations (version, name) VALUES (99, 'from_the_future')")
    problems = [f.problem for f in store.check()]
    assert problems == [message("db.check.migration_missing", version=4, name="damaged_features"),
                        message("db.check.migration_unknown", version=99, name="from_the_future")]


def test_check_answers_for_a_store_opened_lazily(store, data_dir, campaign, postgis_url, postgis_schema):
    other = open_store(data_dir, campaign, database_url=postgis_url, schema=postgis_schema, lazy=True)
    try:
        assert other.check() == []
    finally:
        other.close()
