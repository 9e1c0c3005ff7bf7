"""Daily random inspections (每日随机地点督导): the draw, the stored list and the results' rules."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

import orjson
import pytest

from geo import inspections as insp
from geo.errors import Conflict, NotFound, ValidationError
from geo.rules import problem_overnight
from tests.workflow.conftest import STREETS

DAY = date(2026, 11, 24)  # the fake clock's day (16:00 in Zhengzhou)


def test_same_seed_and_data_give_the_same_list(seeded, campaign, data_dir):
    pool = insp.candidates(seeded, campaign, seeded.clock())
    first = insp.draw(pool, 5, seed=1234)
    assert insp.draw(pool, 5, seed=1234) == first
    assert any(insp.draw(pool, 5, seed=s) != first for s in range(1, 20))
    stored = insp.generate(seeded, campaign, DAY, n=5, seed=1234, user="李编")
    assert sorted(p["id"] for p in stored["places"]) == sorted(c.id for c in first)  # stored in route order
    assert [p["id"] for p in insp.generate(seeded, campaign, DAY, n=5, seed=1234, user="李编", replace=True)["places"]] \
        == [p["id"] for p in stored["places"]]
    on_disk = orjson.loads((data_dir / "inspections" / "2026-11-24.json").read_bytes())
    assert on_disk["seed"] == 1234 and on_disk["weights"] == campaign.inspections.weights()
    assert on_disk["places"] == stored["places"] and on_disk["generated_by"] == "李编"


def test_a_list_without_a_seed_records_the_seed_it_drew_with(seeded, campaign, data_dir):
    stored = insp.generate(seeded, campaign, DAY, n=4, user="李编")
    pool = insp.candidates(seeded, campaign, seeded.clock())
    assert sorted(c.id for c in insp.draw(pool, 4, stored["seed"])) == sorted(p["id"] for p in stored["places"])


@pytest.mark.parametrize(("n", "shares"), [(3, (1, 1, 1)), (4, (2, 1, 1)), (5, (2, 2, 1)), (6, (3, 2, 1)),
                                            (9, (4, 3, 2))])
def test_every_street_gets_its_proportional_share_and_at_least_one(seeded, campaign, n, shares):
    pool = insp.candidates(seeded, campaign, seeded.clock())
    for seed in range(30):
        picked = insp.draw(pool, n, seed)
        per_street = Counter(c.street for c in picked)
        assert len({c.id for c in picked}) == n
        assert tuple(per_street[s] for s in STREETS) == shares  # 4, 3 and 2 places


def test_allocation_is_proportional_with_largest_remainders():
    rng = __import__("numpy").random.default_rng(0)
    assert insp.allocate({"a": 50, "b": 30, "c": 20}, 10, rng) == {"a": 5, "b": 3, "c": 2}
    assert insp.allocate({"a": 97, "b": 2, "c": 1}, 10, rng) == {"a": 8, "b": 1, "c": 1}  # every street at least one
    assert insp.allocate({"a": 3, "b": 1}, 10, rng) == {"a": 3, "b": 1}  # never more than there is
    few = insp.allocate({"a": 5, "b": 5, "c": 5}, 2, rng)
    assert sum(few.values()) == 2 and max(few.values()) == 1


def test_weights_are_honoured_over_many_draws():
    """2,000 seeded draws of one place from a stratum weighted 5,1,1,1,1: the chi-square statistic
    against the expected shares stays under the 0.1% critical value (df=4: 18.47), and the heavy
    place comes up significantly more often than a light one (binomial bounds, 4 sigma)."""
    weights = [5.0, 1.0, 1.0, 1.0, 1.0]
    pool = [insp.Candidate("courtyards", f"a-{i}", "甲街道", w) for i, w in enumerate(weights)]
    pool += [insp.Candidate("courtyards", f"b-{i}", "乙街道", 1.0) for i in range(3)]
    draws = 2000
    counts = Counter()
    for seed in range(draws):
        picked = insp.draw(pool, 2, seed)
        assert sorted(c.street for c in picked) == ["乙街道", "甲街道"]
        counts.update(c.id for c in picked if c.street == "甲街道")
    expected = [draws * w / sum(weights) for w in weights]
    chi2 = sum((counts[f"a-{i}"] - e) ** 2 / e for i, e in enumerate(expected))
    assert chi2 < 18.47, (chi2, counts)
    p_heavy, p_light = 5 / 9, 1 / 9
    for fid, p in (("a-0", p_heavy), ("a-1", p_light)):
        sigma = math.sqrt(draws * p * (1 - p))
        assert abs(counts[fid] - draws * p) < 4 * sigma, (fid, counts[fid])
    diff_sigma = math.sqrt(draws * (p_heavy + p_light - (p_heavy - p_light) ** 2))
    assert counts["a-0"] - counts["a-1"] > 4 * diff_sigma


def test_weights_come_from_recent_acceptance_overdue_and_relapse(seeded, campaign, clock, make_feature):
    late = seeded.create("courtyards", make_feature("逾期院", "pending", x=113.66, street="大学路街道",
                                                    deadline="2026-11-01"), user="张三").feature
    weights = {c.id: c for c in insp.candidates(seeded, campaign, clock())}
    s = campaign.inspections
    accepted = [f["id"] for f in seeded.features("courtyards") if f["properties"]["status"] == "accepted"]
    assert weights[accepted[0]].weight == s.base + s.recent_done and weights[accepted[0]].reasons == ("recent_done",)
    assert weights[late["id"]].weight == s.base + s.overdue
    clock.advance(days=s.recent_days + 1)
    assert insp.candidates(seeded, campaign, clock())[0].weight == s.base  # accepted long ago: no longer a risk


def test_a_relapse_sets_the_place_relapsed_and_opens_a_problem_that_must_not_stay_overnight(
        seeded, campaign, data_dir, clock):
    listing = insp.generate(seeded, campaign, DAY, n=9, seed=7, user="李编")
    accepted = next(p for p in listing["places"] if p["status"] == "accepted")
    clock.advance(minutes=30)
    row = insp.record(seeded, campaign, DAY, accepted["id"], result="relapse", user="督导组 王五",
                      notes="楼道又堆满杂物", category="乱堆乱放")
    place = seeded.get("courtyards", accepted["id"])
    props = place["properties"]
    assert props["status"] == "relapsed" and props["updated_by"] == "督导组 王五" and props["version"] == 2
    problem = props["problems"][-1]
    assert problem["id"] == row["result"]["problem"]
    assert problem["found_by"] == "每日随机督导" and problem["found_on"] == "2026-11-24"
    assert problem["category"] == "乱堆乱放" and problem["description"] == "楼道又堆满杂物"
    assert problem["status"] == "open" and problem["deadline"] == "2026-11-25"
    entry = seeded.history("courtyards", accepted["id"])[-1]
    assert entry["user"] == "督导组 王五" and entry["after"]["properties"]["status"] == "relapsed"
    assert row["result"]["at"] == "2026-11-24T08:30:00.000000Z" and row["result"]["inspector"] == "督导组 王五"
    assert insp.load(seeded, DAY)["places"][listing["places"].index(accepted)]["result"]["result"] == "relapse"

    clock.advance(hours=15, minutes=29)  # 2026-11-25 07:59 in Zhengzhou
    assert not problem_overnight(problem, campaign, clock())
    clock.advance(minutes=1)  # 08:00, the cut-off: 问题不过夜
    assert problem_overnight(problem, campaign, clock())


def test_a_problem_found_opens_one_and_ok_changes_nothing(seeded, campaign, data_dir):
    listing = insp.generate(seeded, campaign, DAY, n=9, seed=7, user="李编")
    pending = [p for p in listing["places"] if p["status"] == "pending"]
    before = seeded.get("courtyards", pending[0]["id"])
    insp.record(seeded, campaign, DAY, pending[0]["id"], result="ok", user="王五")
    assert seeded.get("courtyards", pending[0]["id"]) == before
    row = insp.record(seeded, campaign, DAY, pending[1]["id"], result="problem", user="王五",
                      category="飞线充电", notes="一楼飞线充电", deadline="2026-11-26")
    props = seeded.get("courtyards", pending[1]["id"])["properties"]
    assert props["problems"][-1]["found_by"] == "每日随机督导" and props["problems"][-1]["deadline"] == "2026-11-26"
    assert props["status"] != "relapsed" and row["result"]["version"] == props["version"]


def test_results_are_checked(seeded, campaign, data_dir):
    listing = insp.generate(seeded, campaign, DAY, n=3, seed=1, user="李编")
    fid = listing["places"][0]["id"]
    with pytest.raises(ValidationError):
        insp.record(seeded, campaign, DAY, fid, result="maybe", user="王五")
    with pytest.raises(ValidationError):
        insp.record(seeded, campaign, DAY, fid, result="problem", user="王五")  # no category
    with pytest.raises(NotFound):
        insp.record(seeded, campaign, date(2026, 11, 23), fid, result="ok", user="王五")
    insp.record(seeded, campaign, DAY, fid, result="ok", user="王五")
    with pytest.raises(Conflict):
        insp.record(seeded, campaign, DAY, fid, result="ok", user="王五")  # already inspected
    with pytest.raises(Conflict):
        insp.generate(seeded, campaign, DAY, n=3, seed=2, user="李编", replace=True)  # has results
    with pytest.raises(ValidationError):
        insp.generate(seeded, campaign, date(2026, 11, 25), n=0, user="李编")


def test_a_list_is_kept_unless_replaced_before_any_result(seeded, campaign, data_dir):
    insp.generate(seeded, campaign, DAY, n=3, seed=1, user="李编")
    with pytest.raises(Conflict):
        insp.generate(seeded, campaign, DAY, n=3, seed=2, user="李编")
    again = insp.generate(seeded, campaign, DAY, n=4, seed=2, user="李编", replace=True)
    assert again["seed"] == 2 and len(insp.load(seeded, DAY)["places"]) == 4
    assert insp.days(seeded) == ["2026-11-24"]


def test_a_problem_fixed_on_the_spot_is_found_and_closed_the_same_day(seeded, campaign, data_dir, clock):
    listing = insp.generate(seeded, campaign, DAY, n=9, seed=7, user="李编")
    pending = next(p for p in listing["places"] if p["status"] == "pending")
    row = insp.record(seeded, campaign, DAY, pending["id"], result="problem", user="王五",
                      category="乱堆乱放", notes="当场清理", fixed=True)
    problem = seeded.get("courtyards", pending["id"])["properties"]["problems"][-1]
    assert row["result"]["fixed"] and problem["status"] == "closed" and problem["closed_on"] == "2026-11-24"
    clock.advance(days=1)
    assert not problem_overnight(problem, campaign, clock())
    sheet = insp.route_sheet(seeded, campaign, insp.load(seeded, DAY))
    assert next(r for r in sheet if r["id"] == pending["id"])["result"]["at_local"] == "2026-11-24 16:00"


def test_instances_on_one_database_share_the_list_and_lose_no_result(seeded, campaign, data_dir, clock, postgis_url,
                                                                      postgis_schema):
    """Two app instances on one PostGIS campaign: the list one draws is the other's; results recorded by both
    at once are all kept, each once, with its ledger problem."""
    import threading

    from geo.store import open_store
    from geo.store.transfer import copy_to_postgis

    copy_to_postgis(data_dir, campaign, postgis_url, schema=postgis_schema)
    a, b = (open_store(data_dir, campaign, database_url=postgis_url, schema=postgis_schema, clock=clock)
            for _ in range(2))
    try:
        drawn = insp.generate(a, campaign, DAY, n=6, seed=5, user="李编")
        assert insp.load(b, DAY) == drawn and insp.days(b) == ["2026-11-24"]
        assert not (data_dir / "inspections").exists()  # in the database, not in one machine's folder
        ids = [p["id"] for p in drawn["places"]]
        errors: list[str] = []

        def inspect(store, mine):
            try:
                for fid in mine:
                    insp.record(store, campaign, DAY, fid, result="problem", category="乱堆乱放", user="督导组",
                                notes=f"{fid} 杂物")
            except Exception as exc:  # noqa: BLE001 (reported below)
                errors.append(repr(exc))

        threads = [threading.Thread(target=inspect, args=(a, ids[0::2])),
                   threading.Thread(target=inspect, args=(b, ids[1::2]))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        final = insp.load(a, DAY)
        assert all(p["result"] and p["result"]["result"] == "problem" for p in final["places"])
        for p in final["places"]:
            problems = b.get(p["layer"], p["id"])["properties"]["problems"]
            assert [x["description"] for x in problems if x["id"] == p["result"]["problem"]] == [f"{p['id']} 杂物"]
        with pytest.raises(Conflict):
            insp.record(b, campaign, DAY, ids[0], result="ok", user="王五")  # already inspected, via the other
    finally:
        a.close()
        b.close()
