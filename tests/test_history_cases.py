"""A place's history tells what happened to its cases in Chinese sentences, never as raw case dicts."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime

from geo.accounts import Principal
from geo.cases import transition
from geo.history import diff, readable_history
from geo.ledger import add_problem
from geo.scope import Scope
from geo.store import open_store

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 10:00 in the campaign's zone


def _place(problems: list[dict]) -> dict:
    return {"type": "Feature", "geometry": None, "properties": {"name": "康复前街11号院", "problems": problems}}


def _problem(case: dict | None, **fields) -> dict:
    entry = {"id": "r-0001-p1", "category": "乱堆乱放", "description": "楼道堆放杂物", "status": "open",
             "deadline": None, "responsible": None, **fields}
    if case is not None:
        entry["case"] = case
    return entry


FILED = {"stage": "filed", "urgency": "normal", "source": "planner", "unit": None, "handler": None,
         "dispatcher": None, "reported_by": None, "verified_by": None, "stage_since": "2026-12-03T01:00:00+00:00",
         "stage_due": "2026-12-03T05:00:00+00:00", "filed_at": "2026-12-03T01:00:00+00:00", "closed_at": None,
         "held_stage": None, "held_left_s": None, "extension": None, "returns": 0, "handled_on_time": None,
         "timeline": []}


def _step(case: dict, action: str, to: str, *, note: str = "", photos: tuple = (), data: dict | None = None,
          **changes) -> dict:
    after = copy.deepcopy(case)
    after["timeline"].append({"action": action, "from": case["stage"], "to": to, "user": "dai",
                              "by": "戴新民 (dai)", "at": "2026-12-03T02:00:00+00:00", "note": note,
                              "photos": list(photos), "data": data or {}})
    after.update(stage=to, **changes)
    return after


def _sentences(before_case: dict, after_case: dict, campaign, before_fields=None, after_fields=None) -> str:
    before = _place([_problem(before_case, **(before_fields or {}))])
    after = _place([_problem(after_case, **(after_fields or {}))])
    rows = [c for c in diff(before, after, campaign) if c["field"] == "problems"]
    assert len(rows) == 1
    return str(rows[0]["after"])


def test_a_dispatch_reads_as_a_sentence_with_the_unit_the_handler_and_the_due_time_in_campaign_time(campaign):
    dispatched = _step(FILED, "dispatch", "handling", data={"unit": "区住建局", "handler": "张三"},
                       unit="区住建局", handler="zhangsan", stage_due="2026-12-05T09:30:00+00:00")
    text = _sentences(FILED, dispatched, campaign, after_fields={"status": "in_progress", "deadline": "2026-12-05",
                                                                 "responsible": "区住建局 张三"})
    assert text == "问题 r-0001-p1:派遣给 区住建局(张三),期限 12月5日 17:30"
    assert "{" not in text and "stage" not in text  # no raw dict, and the fields that follow the case say nothing more


def test_each_step_of_the_loop_has_its_own_words(campaign):
    handling = _step(FILED, "dispatch", "handling", data={"unit": "区住建局"}, unit="区住建局",
                     stage_due="2026-12-05T09:30:00+00:00")
    reported = _step(handling, "report", "verifying", note="已清理", photos=("a" * 64,))
    returned = _step(reported, "return", "handling", note="楼道仍有纸箱")
    asked = _step(returned, "request_extension", "handling", note="需协调物业",
                  data={"until": "2026-12-08T09:30:00+00:00"})
    suspended = _step(asked, "suspend", "suspended", note="等待拆迁")
    resumed = _step(suspended, "resume", "handling", stage_due="2026-12-09T09:30:00+00:00")
    closed = _step(_step(resumed, "report", "verifying", note="已清理"), "confirm", "closed", note="复查无误")
    assert _sentences(handling, reported, campaign) == "问题 r-0001-p1:处置完成,待核查(已清理),照片 1 张"
    assert _sentences(reported, returned, campaign) == "问题 r-0001-p1:核查退回,重新处置(楼道仍有纸箱)"
    assert _sentences(returned, asked, campaign) == "问题 r-0001-p1:申请延期至 12月8日 17:30(需协调物业)"
    assert _sentences(asked, suspended, campaign) == "问题 r-0001-p1:挂起(等待拆迁)"
    assert _sentences(suspended, resumed, campaign).startswith("问题 r-0001-p1:恢复为")
    assert _sentences(suspended, resumed, campaign).endswith("期限 12月9日 17:30")
    two_steps = _sentences(resumed, closed, campaign)
    assert two_steps == "问题 r-0001-p1:处置完成,待核查(已清理);问题 r-0001-p1:核查通过,结案(复查无误)"


def test_a_step_without_a_note_says_so(campaign):
    handling = _step(FILED, "dispatch", "handling", data={"unit": "区住建局"}, unit="区住建局")
    sent_back = _step(handling, "send_back", "filed")
    assert _sentences(handling, sent_back, campaign) == "问题 r-0001-p1:处置单位申请退回(未填说明)"


def test_an_edit_of_the_description_beside_no_case_change_still_lists_the_field(campaign):
    text = _sentences(FILED, FILED, campaign, after_fields={"description": "楼道堆放纸箱"})
    assert text == "问题描述:楼道堆放杂物 → 楼道堆放纸箱"  # the field by its Chinese label


def test_a_new_problem_with_a_case_reads_as_filed_with_its_stage(campaign):
    rows = diff(_place([]), _place([_problem(FILED)]), campaign)
    assert [str(r["after"]) for r in rows if r["field"] == "problems"] == ["新增:楼道堆放杂物;案件阶段:立案(待派遣)"]


def test_the_sentences_render_in_english_too(campaign):
    dispatched = _step(FILED, "dispatch", "handling", data={"unit": "区住建局"}, unit="区住建局",
                       stage_due="2026-12-05T09:30:00+00:00")
    before, after = _place([_problem(FILED)]), _place([_problem(dispatched)])
    row = next(c for c in diff(before, after, campaign) if c["field"] == "problems")
    assert row["after"].in_lang("en") == "problem r-0001-p1: dispatched to 区住建局, due 12/5 17:30"


def test_the_history_of_a_place_tells_its_case_loop_as_it_was_written(data_dir, campaign, clock, make_feature):
    """The real loop (geo/cases) through a real store: filing, a dispatch with the handler's name, a report."""
    clock.now = NOW
    store = open_store(data_dir, campaign, clock=clock)
    no_photos = replace(campaign, cases=replace(campaign.cases, require_photo_report=False))
    district = Principal("zhihui", "王指挥", "editor", "session")
    handler = Principal("zhangsan", "张三", "editor", "session", scope=Scope(units=("区住建局",)))
    feature = store.create("courtyards", make_feature(name="大学路51号院", street="大学路街道", community="金桥社区"),
                           user="演示").feature
    changes = add_problem(feature, {"category": "飞线充电", "description": "墙面飞线充电"}, campaign,
                          NOW.astimezone(campaign.timezone).date(), now=NOW, user="zhihui", by="王指挥 (zhihui)")
    store.update("courtyards", feature["id"], expected_version=1, user="王指挥 (zhihui)", properties=changes,
                 case_write=True)
    pid = f"{feature['id']}-p1"
    transition(store, "courtyards", feature["id"], pid, "dispatch", principal=district, expected_version=None,
               campaign=no_photos, now=NOW, unit="区住建局", handler="zhangsan", handler_name="张三",
               deadline="2026-12-09T09:30:00Z")
    transition(store, "courtyards", feature["id"], pid, "report", principal=handler, expected_version=None,
               campaign=no_photos, now=NOW, note="已拆除飞线")

    entries = readable_history(store, "courtyards", feature["id"])
    said = [str(c["after"]) for e in entries for c in e["changes"] if c["field"] == "problems"]
    assert said == ["新增:墙面飞线充电;案件阶段:立案(待派遣)",
                    f"问题 {pid}:派遣给 区住建局(张三),期限 12月9日 17:30",
                    f"问题 {pid}:处置完成,待核查(已拆除飞线)"]
    assert all("{" not in s for s in said)
    store.close()
