"""The case queues (待我处理, 待我核查, 我派遣的, 待派遣): a case as a queue's row (`case_row`) and who it waits for
(`in_queue`). The queues are listed — filtered to a person's queue and by stage, area, unit, overdue and
escalation, most urgent first: escalated to the district, then the sub-district, overdue, then by due time and
urgency — by geo/cases/index.py."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from geo.cases.deadlines import due_local, overdue_hours, stage_overdue
from geo.cases.escalation import escalation
from geo.cases.loop import is_dispatcher, is_handler, may_verify
from geo.cases.model import case_of, stage_label
from geo.config import Campaign
from geo.rules import problem_overnight

if TYPE_CHECKING:
    from geo.accounts import Principal

QUEUES = ("handle", "verify", "dispatched", "dispatch")


def case_row(layer: str, feature: dict, problem: dict, campaign: Campaign, now: datetime) -> dict:
    """One case as the queues and the API list it."""
    props = feature["properties"]
    case = case_of(problem, campaign)
    try:
        urgency = campaign.cases.urgency(case.get("urgency"))
    except KeyError:
        urgency = campaign.cases.urgencies[0]
    escalated = escalation(case, campaign, now)
    return {
        "layer": layer, "fid": feature["id"], "pid": problem.get("id"), "place": props.get("name") or feature["id"],
        "street": props.get("street"), "community": props.get("community"), "place_unit": props.get("unit"),
        "category": problem.get("category"), "description": problem.get("description") or "",
        "stage": case["stage"], "stage_label": stage_label(case["stage"]), "urgency": urgency.key,
        "urgency_label": urgency.label, "source": case.get("source"), "unit": case.get("unit"),
        "handler": case.get("handler"), "dispatcher": case.get("dispatcher"), "stage_since": case.get("stage_since"),
        "stage_due": case.get("stage_due"), "due_local": due_local(case, campaign),
        "overdue": stage_overdue(case, now), "overdue_hours": overdue_hours(case, now, campaign),
        "overnight": problem_overnight(problem, campaign, now), "level": escalated["level"],
        "escalated": escalated["escalated"], "returns": int(case.get("returns") or 0),
        "extension_pending": case.get("extension") is not None, "version": props.get("version"),
    }


def in_queue(queue: str, principal: Principal, props: Mapping, case: Mapping) -> bool:
    """Whether a case (its stage, unit, handler, dispatcher and reporter) of a place (its sub-district, community
    and unit) waits in `principal`'s `queue`."""
    stage = case["stage"]
    if queue == "handle":
        return stage == "handling" and is_handler(principal, case)
    if queue == "verify":
        return stage == "verifying" and principal.can("inspector") and may_verify(principal, props, case)
    if queue == "dispatched":
        return stage != "closed" and case.get("dispatcher") == principal.username
    return stage == "filed" and is_dispatcher(principal, props)

