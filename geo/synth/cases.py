"""The demo's cases (案件): every ledger problem of the demo gets the case geo/cases would have made of it.

`demo_cases` turns each problem of the generated places into a case with a
timeline whose people are the demo's users (`DEMO_USERS`: one at each level of
三级管理, see README "Cases on the wall map and the dashboard"): closed problems
were dispatched, reported fixed and confirmed (some late, some returned once
by the verifier on the way); open ones stand in every stage — 立案 (today's
inspection findings and residents' reports), 处置 (dispatched to the place's
unit, due at the end of the problem's deadline; one with a pending 延期申请,
one returned by a verifier), 核查 and 挂起. A handling stage whose deadline is
long past is overdue whenever the demo is served, so the wall shows
escalated cases at the district's and the sub-districts' level. The problem's
own ledger fields follow the case (`status` from the stage). Deterministic:
one random generator of its own, drawn in the order of the places.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np

from geo.cases import WorkCalendar, in_step, overnight_due
from geo.cases.model import blank_case, iso
from geo.config import Campaign

# The demo's users at each level, as `flask --app web users demo` makes them (web/cli/accounts.py DEMO_USERS):
# 指挥部, 大学路街道, its 金桥社区, 区住建局 and an inspector (督导员).
DEMO_USERS = {"zhihuibu": "陈志远", "daxuelu": "王建国", "jinqiao": "李秀兰", "zhujianju": "张伟", "duchayuan": "刘芳"}
INSPECTOR = "duchayuan"
DEMO_STREET, DEMO_COMMUNITY, DEMO_UNIT = "大学路街道", "金桥社区", "区住建局"


def _at(day: date, clock: time, campaign: Campaign) -> str:
    """A local day and time of the campaign as cases store their times (UTC)."""
    return iso(datetime.combine(day, clock, tzinfo=campaign.timezone))


def _end(day: date, campaign: Campaign) -> str:
    """The end of the working day `day` (a deadline day's due time), as cases store times."""
    return iso(WorkCalendar.of(campaign).day_end(day))


def _step(action: str, source: str | None, target: str | None, user: str | None, at: str, note: str = "",
          *, by_unit: str | None = None, **data) -> dict:
    """A timeline entry by a demo user, or (`user` None) by a unit the demo has no account for (`by_unit`)."""
    by = f"{DEMO_USERS[user]} ({user})" if user else by_unit
    return {"action": action, "from": source, "to": target, "user": user, "by": by, "at": at, "note": note,
            "photos": [], "data": data}


def _dispatcher(props: dict) -> str:
    """Who dispatches the place's cases: the community's or sub-district's account where the demo has one."""
    if props.get("community") == DEMO_COMMUNITY:
        return "jinqiao"
    if props.get("street") == DEMO_STREET:
        return "daxuelu"
    return "zhihuibu"


def _source(problem: dict, campaign: Campaign) -> str:
    if problem.get("found_by") in campaign.inspection_sources:
        return "inspection"
    return "resident" if problem.get("found_by") == "群众反映" else "planner"


def _case(stage: str, problem: dict, props: dict, campaign: Campaign, found: date, urgency: str) -> dict:
    """A case filed on the morning `found`, by the inspector when an inspection found it, else by the dispatcher."""
    unit = props.get("unit")
    source = _source(problem, campaign)
    case = blank_case(campaign, stage=stage, source=source,
                      at=datetime.combine(found, time(9, 30), tzinfo=campaign.timezone))
    filer = INSPECTOR if source == "inspection" else _dispatcher(props)
    case.update(urgency=urgency, unit=unit if stage != "filed" else None,
                handler="zhujianju" if unit == DEMO_UNIT and stage != "filed" else None,
                dispatcher=_dispatcher(props) if stage != "filed" else None,
                reported_by=INSPECTOR if source == "inspection" else None,
                timeline=[_step("file", None, "filed", filer, case["filed_at"], problem.get("description") or "")])
    return case


def _closed(problem: dict, props: dict, campaign: Campaign, rng: np.random.Generator) -> dict:
    found = date.fromisoformat(problem["found_on"])
    closed = date.fromisoformat(problem.get("closed_on") or problem["found_on"])
    deadline = date.fromisoformat(problem["deadline"]) if problem.get("deadline") else closed
    case = _case("closed", problem, props, campaign, found, "normal")
    who = case["dispatcher"]
    handler, unit = case["handler"], case["unit"]  # the unit's own account where the demo has one
    dispatched = _at(found, time(10, 0), campaign)
    timeline = [*case["timeline"], _step("dispatch", "filed", "handling", who, dispatched, unit=unit)]
    returned = closed > found and rng.random() < 0.15
    if returned:
        first = _at(closed - timedelta(days=1), time(11, 0), campaign)
        timeline += [_step("report", "handling", "verifying", handler, first, "已整改", by_unit=unit),
                     _step("return", "verifying", "handling", INSPECTOR, _at(closed - timedelta(days=1), time(15, 0),
                                                                        campaign), "整改不彻底,退回重办")]
    reported = _at(closed, time(11, 0) if closed > found else time(10, 30), campaign)
    confirmed = _at(closed, time(15, 0) if closed > found else time(11, 0), campaign)
    timeline += [_step("report", "handling", "verifying", handler, reported, "已整改完毕", by_unit=unit),
                 _step("confirm", "verifying", "closed", INSPECTOR, confirmed, "核查通过")]
    case.update(stage_since=confirmed, closed_at=confirmed, verified_by=INSPECTOR, returns=int(returned),
                handled_on_time=closed <= deadline, timeline=timeline)
    return case


def _open(problem: dict, props: dict, campaign: Campaign, today: date, rng: np.random.Generator,
          story: dict[str, int]) -> dict:
    found = date.fromisoformat(problem["found_on"])
    deadline = date.fromisoformat(problem["deadline"]) if problem.get("deadline") else found + timedelta(days=3)
    urgency = "urgent" if rng.random() < 0.15 else "normal"
    recent = found >= today - timedelta(days=1)
    if recent and (problem.get("found_by") in campaign.inspection_sources or rng.random() < 0.5):
        case = _case("filed", problem, props, campaign, found, urgency)  # 立案, waiting to be dispatched
        case["stage_due"] = iso(overnight_due(campaign, found))  # 问题不过夜: the next morning's cut-off
        return case
    case = _case("handling", problem, props, campaign, found, urgency)
    who = case["dispatcher"]
    handler, unit = case["handler"], case["unit"]  # the unit's own account where the demo has one
    dispatched = _at(found, time(10, 0), campaign)
    due = _end(deadline, campaign)
    case["timeline"].append(_step("dispatch", "filed", "handling", who, dispatched, unit=unit,
                                  deadline=deadline.isoformat()))
    case.update(stage_since=dispatched, stage_due=due)
    if found + timedelta(days=2) > today:
        return case
    pick = rng.random()
    middle = found + timedelta(days=max(1, (today - found).days // 2))
    if pick < 0.12 or not story["verifying"]:  # reported fixed, waiting for the verifier
        story["verifying"] += 1
        at = _at(middle, time(11, 0), campaign)
        case["timeline"].append(_step("report", "handling", "verifying", handler, at, "已整改,请核查", by_unit=unit))
        case.update(stage="verifying", stage_since=at, stage_due=_end(middle + timedelta(days=1), campaign),
                    handled_on_time=middle <= deadline)
    elif pick < 0.18 or not story["returned"]:  # returned by the verifier, in hand again
        story["returned"] += 1
        at = _at(middle, time(11, 0), campaign)
        back = _at(middle, time(15, 0), campaign)
        case["timeline"] += [_step("report", "handling", "verifying", handler, at, "已整改", by_unit=unit),
                             _step("return", "verifying", "handling", INSPECTOR, back, "整改后照片与现场不符,退回重办")]
        case.update(stage_since=back, returns=1, handled_on_time=middle <= deadline)
    elif pick < 0.22 or not story["extension"]:  # asked for more time, waiting for the dispatcher
        story["extension"] += 1
        at = _at(middle, time(16, 0), campaign)
        until = _end(deadline + timedelta(days=7), campaign)
        case["extension"] = {"until": until, "reason": "需协调产权单位,材料未到", "by": handler or unit, "at": at}
        case["timeline"].append(_step("request_extension", "handling", "handling", handler, at,
                                      "需协调产权单位,材料未到", by_unit=unit, until=until))
    elif pick < 0.25 or not story["suspended"]:  # held: waiting for something outside the campaign
        story["suspended"] += 1
        at = _at(middle, time(9, 40), campaign)
        case["timeline"].append(_step("suspend", "handling", "suspended", who, at, "涉及产权纠纷,待司法确认"))
        left = int(WorkCalendar.of(campaign).working_seconds(_instant(at), _instant(due)))
        case.update(stage="suspended", stage_since=at, stage_due=None, held_stage="handling", held_left_s=left)
    return case


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def demo_cases(layers: dict[str, list[dict]], campaign: Campaign, today: date, seed: int) -> dict[str, int]:
    """Give every problem of the demo's places its case; the problem's ledger fields follow it (`in_step`).
    Returns how many cases stand in each stage."""
    rng = np.random.default_rng([seed, 5])
    story = {"verifying": 0, "returned": 0, "extension": 0, "suspended": 0}
    stages: dict[str, int] = {}
    for features in layers.values():
        for f in features:
            props = f["properties"]
            problems = []
            for p in props.get("problems") or ():
                if p.get("status") == "closed":
                    case = _closed(p, props, campaign, rng)
                else:
                    case = _open(p, props, campaign, today, rng, story)
                problems.append(in_step(p, case, campaign))
                stages[case["stage"]] = stages.get(case["stage"], 0) + 1
            props["problems"] = problems
    return stages
