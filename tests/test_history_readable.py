"""A place's history reads in words and campaign time, and a revert says beforehand what it will really do."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from geo.accounts import Principal
from geo.cases import transition
from geo.history import diff, readable_history, readable_value, revert_op, revert_preview
from geo.ledger import add_problem
from geo.store import open_store

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Monday 10:00 in the campaign's zone


def test_every_kind_of_value_reads_as_words_never_as_a_python_dict(campaign):
    before = {"properties": {"status": "pending", "deadline": "2026-11-28", "people": {"leader": "蔡红梅"},
                             "楼栋数": 11, "标签": ["文明楼院", "示范"], "整治内容": {"deadline": "2026-12-01", "note": "补绿"},
                             "已核实": False}}
    after = {"properties": {"status": "in_progress", "deadline": "2026-12-31",
                            "people": {"grid_worker": "戴新民", "leader": "蔡红梅"}, "楼栋数": 12, "标签": ["文明楼院"],
                            "整治内容": {"deadline": "2026-12-02", "note": "补绿"}, "已核实": True}}
    rows = {c["label"]: (str(c["before"]), str(c["after"])) for c in diff(before, after, campaign)}
    roles = {r.key: r.label for r in campaign.roles}
    assert rows["状态"] == ("待整改", "整改中")
    assert rows["时间节点"] == ("2026年11月28日", "2026年12月31日")
    assert rows["责任人(四包一)"] == (f"{roles['leader']} 蔡红梅", f"{roles['leader']} 蔡红梅、{roles['grid_worker']} 戴新民")
    assert rows["楼栋数"] == ("11", "12") and rows["标签"] == ("文明楼院、示范", "文明楼院") and rows["已核实"] == ("否", "是")
    assert rows["整治内容"] == ("时间节点:2026年12月1日;note:补绿", "时间节点:2026年12月2日;note:补绿")
    assert not any(ch in text for pair in rows.values() for text in pair for ch in "{}[]'")


def test_a_ledger_edit_names_the_problem_field_and_its_value_in_chinese(campaign):
    problem = {"id": "c-0001-p1", "category": "飞线充电", "description": "飞线", "found_on": "2026-11-20", "status": "open"}
    rows = diff({"properties": {"problems": [problem]}},
                {"properties": {"problems": [{**problem, "found_on": "2026-11-21", "found_by": "社区排查"}]}}, campaign)
    assert str(rows[0]["after"]) == "发现日期:2026年11月20日 → 2026年11月21日;发现方式:(空) → 社区排查"
    assert readable_value("status", "closed", campaign, {p.key: p.label for p in campaign.problem_statuses}) == \
        next(p.label for p in campaign.problem_statuses if p.key == "closed")


def test_history_times_are_in_the_campaign_time_zone(data_dir, campaign, clock, make_feature):
    clock.now = datetime(2026, 11, 23, 16, 30, tzinfo=UTC)  # 00:30 the next day in Zhengzhou
    store = open_store(data_dir, campaign, clock=clock)
    fid = store.create("courtyards", make_feature(name="大学路51号院"), user="演示").feature["id"]
    entry = readable_history(store, "courtyards", fid)[0]
    assert entry["when"] == "2026-11-24 00:30:00" and entry["at"].startswith("2026-11-23T16:30:00")
    store.close()


def _place_with_a_case(data_dir, campaign, clock, make_feature):
    """A place at version 1 (no problems), then v2: a problem filed, then v3: dispatched (a case step)."""
    clock.now = NOW
    store = open_store(data_dir, campaign, clock=clock)
    feature = store.create("courtyards", make_feature("大学路51号院", "pending", street="大学路街道", community="金桥社区"),
                           user="演示").feature
    changes = add_problem(feature, {"category": "飞线充电", "description": "墙面飞线充电"}, campaign,
                          NOW.astimezone(campaign.timezone).date(), now=NOW, user="zhihui", by="王指挥 (zhihui)")
    store.update("courtyards", feature["id"], expected_version=1, user="王指挥 (zhihui)", properties=changes,
                 case_write=True)
    district = Principal("zhihui", "王指挥", "editor", "session")
    transition(store, "courtyards", feature["id"], f"{feature['id']}-p1", "dispatch", principal=district,
               expected_version=None, campaign=replace(campaign, cases=replace(campaign.cases, require_photo_report=False)),
               now=NOW, unit="区住建局", handler="zhangsan", handler_name="张三", deadline="2026-12-09T09:30:00Z")
    return store, feature["id"]


def test_a_revert_that_would_delete_an_open_problem_says_so_first_and_does_what_it_said(data_dir, campaign, clock,
                                                                                        make_feature):
    store, fid = _place_with_a_case(data_dir, campaign, clock, make_feature)
    now = store.get("courtyards", fid)
    preview = revert_preview(store, "courtyards", fid, 1)
    assert preview["version"] == now["properties"]["version"] == 3
    warning = preview["warnings"][0]
    assert warning["kind"] == "delete_open" and warning["problem"] == f"{fid}-p1"
    assert str(warning["text"]).startswith(f"将删除未销号的问题 {fid}-p1(飞线充电,处置中)")
    assert str(preview["summary"]).startswith("将恢复到第 1 版:")
    assert any(c["field"] == "problems" and str(c["after"]) == "已删除" for c in preview["changes"])
    assert store.get("courtyards", fid)["properties"]["version"] == 3  # a preview writes nothing

    store.apply([revert_op(store, "courtyards", fid, 1, preview["version"])], user="王指挥 (zhihui)")
    assert store.get("courtyards", fid)["properties"]["problems"] == []  # as it said
    store.close()


def test_a_revert_never_undoes_a_case_step_and_the_preview_tells_the_truth(data_dir, campaign, clock, make_feature):
    store, fid = _place_with_a_case(data_dir, campaign, clock, make_feature)
    stage_now = store.get("courtyards", fid)["properties"]["problems"][0]["case"]["stage"]
    preview = revert_preview(store, "courtyards", fid, 2)  # before the dispatch
    assert [w["kind"] for w in preview["warnings"]] == ["case_kept"]
    assert "恢复不会撤销案件的办理步骤" in str(preview["warnings"][0]["text"])
    assert preview["changes"] == [] and "没有可恢复的差别" in str(preview["summary"])

    store.apply([revert_op(store, "courtyards", fid, 2, preview["version"])], user="王指挥 (zhihui)")
    assert store.get("courtyards", fid)["properties"]["problems"][0]["case"]["stage"] == stage_now  # kept, as said
    store.close()


def test_a_revert_preview_lists_a_status_change_in_the_same_words(data_dir, campaign, clock, make_feature):
    clock.now = NOW
    store = open_store(data_dir, campaign, clock=clock)
    fid = store.create("courtyards", make_feature("大学路51号院", "pending"), user="演示").feature["id"]
    store.update("courtyards", fid, expected_version=1, user="李编", properties={"status": "in_progress"})
    preview = revert_preview(store, "courtyards", fid, 1)
    assert str(preview["summary"]) == "将恢复到第 1 版:状态 整改中 → 待整改" and preview["warnings"] == []
    assert preview["summary"].in_lang("en") == "Restores version 1: State 整改中 → 待整改"  # labels are the campaign's
    store.close()
