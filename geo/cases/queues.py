"""The case queues (待我处理, 待我核查, 我派遣的, 待派遣): every case of the campaign as a row, filtered to a person's
queue and by stage, area, unit, overdue and escalation, most urgent first."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from geo.cases.deadlines import due_local, overdue_hours, stage_overdue
from geo.cases.escalation import LEVELS, escalation
from geo.cases.loop import is_dispatcher, is_handler, may_verify
from geo.cases.model import case_of, stage_label
from geo.config import Campaign
from geo.rules import problem_overnight

if TYPE_CHECKING:
    from geo.accounts import Principal
    from geo.store.base import Store

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


def _in_queue(queue: str, principal: Principal, props: dict, case: dict) -> bool:
    stage = case["stage"]
    if queue == "handle":
        return stage == "handling" and is_handler(principal, case)
    if queue == "verify":
        return stage == "verifying" and principal.can("inspector") and may_verify(principal, props, case)
    if queue == "dispatched":
        return stage != "closed" and case.get("dispatcher") == principal.username
    return stage == "filed" and is_dispatcher(principal, props)


def _urgency(row: dict, campaign: Campaign) -> tuple:
    factors = {u.key: u.factor for u in campaign.cases.urgencies}
    return (-LEVELS.index(row["level"]) if row["escalated"] else 1, not row["overdue"],
            row["stage_due"] or "9999", factors.get(row["urgency"], 1.0), row["fid"], row["pid"] or "")


def case_rows(store: Store, campaign: Campaign, now: datetime, *, principal: Principal | None = None,
              queue: str | None = None, stage: str | None = None, street: str | None = None,
              community: str | None = None, unit: str | None = None, overdue: bool | None = None,
              escalated: bool | None = None) -> list[dict]:
    """Every case (or `queue`'s, for `principal`) matching the filters, most urgent first: escalated to the
    district, then the sub-district, overdue, then by due time and urgency. `unit` matches the case's unit or
    the place's."""
    if queue is not None and (queue not in QUEUES or principal is None):
        raise ValueError(queue)
    rows = []
    for layer in store.readable_layers():
        for feature in store.each_feature(layer.id):
            props = feature["properties"]
            if (street and props.get("street") != street) or (community and props.get("community") != community):
                continue
            for problem in props.get("problems") or ():
                if not isinstance(problem, dict):
                    continue
                case = case_of(problem, campaign)
                if stage and case["stage"] != stage:
                    continue
                if unit and unit not in (case.get("unit"), props.get("unit")):
                    continue
                if queue and not _in_queue(queue, principal, props, case):
                    continue
                row = case_row(layer.id, feature, problem, campaign, now)
                if (overdue is not None and row["overdue"] != overdue) or \
                        (escalated is not None and row["escalated"] != escalated):
                    continue
                rows.append(row)
    rows.sort(key=lambda r: _urgency(r, campaign))
    return rows


def queue_counts(store: Store, campaign: Campaign, now: datetime, principal: Principal) -> dict[str, int]:
    """How many cases wait in each of the person's queues."""
    counts = dict.fromkeys(QUEUES, 0)
    for layer in store.readable_layers():
        for feature in store.each_feature(layer.id):
            props = feature["properties"]
            for problem in props.get("problems") or ():
                if isinstance(problem, dict):
                    case = case_of(problem, campaign)
                    for queue in QUEUES:
                        counts[queue] += _in_queue(queue, principal, props, case)
    return counts
