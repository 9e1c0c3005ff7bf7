"""The demo's made-up history (geo/synth/history.py `write_history`) and the working copy `./guatu serve` makes of data/."""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from geo import progress
from geo.config import load_campaign
from geo.dashboard import dashboard
from geo.history import end_of_day, layer_as_of
from geo.messages import t
from geo.store import open_store
from geo.store.base import Store
from geo.synth.campaign import DEFAULT_CAMPAIGN, TODAY
from geo.synth.cli import main
from geo.synth.history import write_history
from geo.synth.synthetic import write_synthetic
from geo.validate import SYSTEM_PROPERTIES

DEMO = DEFAULT_CAMPAIGN.parent  # data/ of this checkout: only ever read here
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 16:00 in Zhengzhou on the demo's today


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("journal.jsonl", "*.lock"))
    return target


def _features(data: Path) -> dict[str, list[dict]]:
    campaign = load_campaign(data)
    return {layer.id: orjson.loads((data / layer.file).read_bytes())["features"] for layer in campaign.layers}


def _journal(data: Path) -> list[dict]:
    return [orjson.loads(line) for line in (data / "journal.jsonl").read_bytes().splitlines()]


def _without_stamps(feature: dict) -> dict:
    return {**feature, "properties": {k: v for k, v in feature["properties"].items() if k not in SYSTEM_PROPERTIES}}


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    data = _copy(DEMO, tmp_path_factory.mktemp("history") / "data")
    before = _features(data)
    summary = write_history(data)
    campaign = load_campaign(data)
    store = open_store(data, campaign, clock=lambda: NOW)
    first, last = date.fromisoformat(summary["from"]), date.fromisoformat(summary["to"])
    days = progress.timeline(store, campaign, first - timedelta(days=1), last)["days"]
    return {"data": data, "before": before, "summary": summary, "campaign": campaign, "store": store,
            "first": first, "last": last, "days": {row["date"]: row for row in days}}


def test_history_ends_with_every_place_exactly_as_it_is_now(story):
    after = _features(story["data"])
    journal = _journal(story["data"])
    entries = Counter((e["layer"], e["id"]) for e in journal)
    last_at = {(e["layer"], e["id"]): e["at"] for e in journal}
    for layer_id, features in story["before"].items():
        assert [f["id"] for f in after[layer_id]] == [f["id"] for f in features]  # same places, same order
        for was, now in zip(features, after[layer_id], strict=True):
            assert _without_stamps(now) == _without_stamps(was)  # status, ledger, shape, everything
            key = (layer_id, now["id"])
            assert now["properties"]["version"] == entries[key]
            if now["properties"]["status"] != "unsurveyed":  # created 待排查 on day 0, so moved on since
                assert entries[key] >= 2
            assert now["properties"]["updated_at"] == last_at[key]
    assert story["summary"]["writes"] == len(journal)
    assert [e["seq"] for e in journal] == list(range(1, len(journal) + 1))


def test_history_creates_every_place_on_day_zero_and_moves_it_in_office_hours(story):
    journal = _journal(story["data"])
    zone = story["campaign"].timezone
    creates = [e for e in journal if e["op"] == "create"]
    assert len(creates) == sum(len(f) for f in story["before"].values())
    assert {e["at"][:10] for e in creates} == {story["summary"]["from"]}
    assert all(e["op"] in ("create", "update") for e in journal)
    stamps = [e["at"] for e in journal]
    assert stamps == sorted(stamps)  # times rise with the sequence numbers, as the timeline and playback assume
    for e in journal:
        local = datetime.fromisoformat(e["at"]).astimezone(zone)
        assert 8 <= local.hour < 18
        if local.date() == TODAY:
            assert local.hour < 10  # the demo's today has barely begun
    by_place: dict[tuple, list[dict]] = {}
    for e in journal:
        by_place.setdefault((e["layer"], e["id"]), []).append(e)
    for entries in by_place.values():  # one save per place and day, versions in a row
        assert [e["version"] for e in entries] == list(range(1, len(entries) + 1))
        days = [e["at"][:10] for e in entries]
        assert len(days) == len(set(days))


def test_history_starts_where_the_dashboard_chart_does(story):
    found = min(p["found_on"] for fs in story["before"].values() for f in fs for p in f["properties"]["problems"])
    assert story["summary"]["from"] == found
    chart = dashboard(story["store"], story["campaign"], NOW, data_dir=story["data"])["progress"]
    assert chart["start"] == story["summary"]["from"]
    assert chart["days"][-1] == TODAY.isoformat()
    timeline_done = [story["days"][day]["done"] for day in chart["days"]]
    assert chart["done"] == timeline_done  # the chart and the timeline tell the same story


def test_history_replays_from_the_journal_as_the_timeline_counts(story):
    store, campaign, first, last = story["store"], story["campaign"], story["first"], story["last"]
    for day in (first - timedelta(days=1), first, first + timedelta(days=30), date(2026, 10, 31),
                last - timedelta(days=1), last):
        statuses = Counter(f["properties"]["status"] for layer in campaign.layers
                           for f in layer_as_of(store, layer.id, end_of_day(day, campaign)))
        counts = {s: n for s, n in story["days"][day.isoformat()]["counts"].items() if n}
        assert statuses == counts, day
    assert story["days"][(first - timedelta(days=1)).isoformat()]["total"] == 0  # nothing before day 0


def test_history_share_done_rises_from_almost_nothing_except_for_relapses(story):
    campaign, first, last = story["campaign"], story["first"], story["last"]
    rows = [story["days"][(first + timedelta(days=n)).isoformat()] for n in range((last - first).days + 1)]
    assert rows[0]["share_done"] <= 0.05
    assert rows[0]["counts"]["unsurveyed"] >= 0.9 * rows[0]["total"]
    relapses: Counter = Counter()
    for c in story["store"].changes_since(0):
        if c.status == "relapsed" and c.status_before in campaign.done_statuses:
            relapses[progress.change_day(c.at, campaign).isoformat()] += 1
    assert sum(relapses.values()) > 0
    for before, row in zip(rows, rows[1:]):
        assert row["done"] - before["done"] >= -relapses[row["date"]], row["date"]
    total, done, share = progress._share(progress.current_statuses(story["store"], campaign), campaign)
    assert (rows[-1]["total"], rows[-1]["done"]) == (total, done)
    assert rows[len(rows) // 2]["share_done"] < share


def test_history_meets_a_past_milestone_and_is_near_the_plan_today(story):
    m = progress.milestones(story["store"], story["campaign"], NOW)
    passed = [r for r in m["milestones"] if r["passed"]]
    assert passed and any(r["verdict"] in ("ahead", "on_track") for r in passed)
    assert all(0 < r["share_actual"] < 1 for r in passed)
    assert abs(m["share_done"] - m["share_planned"]) < 0.1


def _small(tmp_path: Path, name: str) -> Path:
    out = tmp_path / name
    write_synthetic(out, 60, seed=3)
    return out


def test_history_is_deterministic_for_a_seed(tmp_path):
    a, b, c = (_small(tmp_path, n) for n in "abc")
    for data, seed in ((a, 5), (b, 5), (c, 6)):
        write_history(data, seed=seed)
    assert _tree(a) == _tree(b)
    assert (a / "journal.jsonl").read_bytes() != (c / "journal.jsonl").read_bytes()


def test_history_with_days_starts_that_many_days_before_today(tmp_path):
    data = _small(tmp_path, "d")
    before = _features(data)
    summary = write_history(data, days=10)
    assert summary["from"] == (TODAY - timedelta(days=10)).isoformat()
    journal = _journal(data)
    assert min(e["at"] for e in journal)[:10] == summary["from"]
    after = _features(data)
    assert {k: [_without_stamps(f) for f in v] for k, v in after.items()} == \
        {k: [_without_stamps(f) for f in v] for k, v in before.items()}


def test_history_refuses_a_campaign_that_has_a_journal(tmp_path):
    data = _small(tmp_path, "j")
    write_history(data)
    files = _tree(data)
    with pytest.raises(ValueError) as refused:
        write_history(data)
    assert str(refused.value) == t("synth.journal_exists", folder=data)
    assert _tree(data) == files


def test_a_failed_history_leaves_the_campaign_as_it_was(tmp_path, monkeypatch):
    data = _small(tmp_path, "f")
    files = _tree(data)
    real_apply, calls = Store.apply, []

    def failing(self, ops, **kwargs):
        calls.append(len(ops))
        if len(calls) == 3:
            raise OSError("disk full")
        return real_apply(self, ops, **kwargs)

    monkeypatch.setattr(Store, "apply", failing)
    with pytest.raises(OSError, match="disk full"):
        write_history(data)
    assert {k: v for k, v in _tree(data).items() if not k.endswith(".lock")} == files


def test_serve_copies_the_demo_once_and_leaves_data_untouched(story, tmp_path, capsys):
    source = _tree(DEMO)
    target = tmp_path / "instance" / "demo"
    assert main(["demo-copy", str(DEMO), str(target)]) == 0
    assert "made-up history" in capsys.readouterr().out
    assert _tree(DEMO) == source  # nothing written into data/, not even a lock file
    assert sorted(p.name for p in target.parent.iterdir()) == ["demo"]  # no half-made copy beside it
    assert (target / "journal.jsonl").read_bytes() == (story["data"] / "journal.jsonl").read_bytes()
    assert _tree(target)["campaign.json"] == source["campaign.json"]

    campaign = load_campaign(target)  # an edit in the copy, as the served demo would make
    store = open_store(target, campaign, clock=lambda: NOW)
    place = store.features("courtyards")[0]
    store.update("courtyards", place["id"], expected_version=place["properties"]["version"], user="admin",
                 properties={"notes": "编辑后保留"})
    edited = _tree(target)
    assert main(["demo-copy", str(DEMO), str(target)]) == 0  # a later start: the copy is kept as it is
    assert "kept as it is" in capsys.readouterr().out
    assert _tree(target) == edited
    assert _tree(DEMO) == source


def _cases_at(store: Store, campaign, now: datetime) -> Counter:
    """How many open cases stand at each stage, overdue or not, at each escalation level, at `now`."""
    from geo.cases import case_of, escalation

    seen = Counter()
    for layer in campaign.layers:
        for f in store.features(layer.id):
            for p in f["properties"].get("problems") or []:
                case = case_of(p, campaign)
                seen[(case["stage"], escalation(case, campaign, now)["level"])] += 1
    return seen


def test_a_demo_copy_moved_in_time_is_the_same_campaign_on_another_today(story, tmp_path):
    weeks = 2  # whole weeks: the working calendar's weekdays line up, so every case stands as it did
    target = tmp_path / "instance" / "demo"
    assert main(["demo-copy", "--as-of", (TODAY + timedelta(weeks=weeks)).isoformat(), str(DEMO), str(target)]) == 0
    campaign = load_campaign(target)
    later = NOW + timedelta(weeks=weeks)
    store = open_store(target, campaign, clock=lambda: later)
    try:
        entries = [orjson.loads(line) for line in (target / "journal.jsonl").read_bytes().splitlines()]
        assert max(e["at"] for e in entries)[:10] == (TODAY + timedelta(weeks=weeks)).isoformat()
        assert [m.date for m in campaign.milestones] == [
            (date.fromisoformat(m.date) + timedelta(weeks=weeks)).isoformat() for m in story["campaign"].milestones]
        standing = _cases_at(story["store"], story["campaign"], NOW)
        assert {"street", "district", "community"} <= {level for _, level in standing}  # a demo of every level
        assert _cases_at(store, campaign, later) == standing
        moved = {f["id"]: f["properties"] for f in store.features("courtyards")}
        for f in story["store"].features("courtyards"):
            for mine, theirs in zip(moved[f["id"]].get("problems") or [], f["properties"].get("problems") or [],
                                    strict=True):
                assert date.fromisoformat(mine["found_on"]) == date.fromisoformat(theirs["found_on"]) + timedelta(
                    weeks=weeks)
    finally:
        store.close()
    assert campaign.cases.calendar.holidays == story["campaign"].cases.calendar.holidays  # real dates stay


def test_a_demo_copy_refuses_a_day_that_is_no_day(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["demo-copy", "--as-of", "next tuesday", str(DEMO), str(tmp_path / "demo")])
    assert exit_.value.code == 1
    assert t("synth.bad_day", value="next tuesday") in capsys.readouterr().err
    assert not (tmp_path / "demo").exists()
