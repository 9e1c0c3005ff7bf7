"""The problem ledger (台账) of a place: adding, editing and closing problems,
and the configured rule by which a place's status follows its problems."""

from __future__ import annotations

import copy
import re
from datetime import date

from geo.config import Campaign
from geo.errors import FieldError, NotFound, ValidationError
from geo.messages import t

EDITABLE = ("category", "description", "found_on", "found_by", "deadline", "responsible", "status", "closed_on")


def _next_id(fid: str, problems: list[dict]) -> str:
    numbers = [int(m.group(1)) for p in problems if (m := re.search(r"-p(\d+)$", str(p.get("id", ""))))]
    return f"{fid}-p{max(numbers, default=0) + 1}"


def _close_or_reopen(problem: dict, campaign: Campaign, today: date) -> None:
    if problem.get("status") in campaign.open_problem_statuses:
        problem["closed_on"] = None
    elif problem.get("status") and not problem.get("closed_on"):
        problem["closed_on"] = today.isoformat()


def _check_types(problem: dict, fid: str) -> None:
    """Every ledger field is text or empty: anything else (an object for `status`) is refused by name here,
    before comparisons with the campaign's statuses and categories see it."""
    wrong = [k for k in EDITABLE if problem.get(k) is not None and not isinstance(problem.get(k), str)]
    if wrong:
        raise ValidationError([FieldError(f"problem.{k}", t("request.wrong_type", expected=t("request.type_string")), fid) for k in wrong])


def add_problem(feature: dict, problem: dict, campaign: Campaign, today: date) -> dict:
    """The property changes that add `problem` to the place's ledger."""
    if not isinstance(problem, dict):
        raise ValidationError([FieldError("problem", t("feature.not_an_object_value"), feature["id"])])
    _check_types(problem, feature["id"])
    problems = copy.deepcopy(feature["properties"].get("problems") or [])
    entry = {k: problem.get(k) for k in EDITABLE if k in problem}
    entry.setdefault("status", next(iter(p.key for p in campaign.problem_statuses if p.open)))
    entry.setdefault("found_on", today.isoformat())
    entry["id"] = _next_id(feature["id"], problems)
    _close_or_reopen(entry, campaign, today)
    problems.append(entry)
    return _with_rule(feature, problems, campaign)


def update_problem(feature: dict, pid: str, changes: dict, campaign: Campaign, today: date) -> dict:
    """The property changes that edit (or close, or reopen) one problem."""
    if not isinstance(changes, dict):
        raise ValidationError([FieldError("problem", t("feature.not_an_object_value"), feature["id"])])
    _check_types(changes, feature["id"])
    problems = copy.deepcopy(feature["properties"].get("problems") or [])
    for entry in problems:
        if entry.get("id") == pid:
            was_status = entry.get("status")
            entry.update({k: changes[k] for k in EDITABLE if k in changes})
            if entry.get("status") != was_status and "closed_on" not in changes:
                entry["closed_on"] = None
            _close_or_reopen(entry, campaign, today)
            return _with_rule(feature, problems, campaign)
    raise NotFound(t("ledger.no_problem", pid=repr(pid), fid=feature["id"]))


def find_problem(feature: dict, pid: str) -> dict:
    """The ledger entry `pid` of the place; NotFound when its ledger has none."""
    for entry in feature["properties"].get("problems") or []:
        if isinstance(entry, dict) and entry.get("id") == pid:
            return entry
    raise NotFound(t("ledger.no_problem", pid=repr(pid), fid=feature["id"]))


def _with_rule(feature: dict, problems: list[dict], campaign: Campaign) -> dict:
    changes: dict = {"problems": problems}
    status = status_by_rule(feature["properties"].get("status"), problems, campaign)
    if status != feature["properties"].get("status"):
        changes["status"] = status
    return changes


def status_by_rule(status: str | None, problems: list[dict], campaign: Campaign) -> str | None:
    """The status the configured rule gives a place with these problems."""
    rule = campaign.status_rule
    if not rule.enabled:
        return status
    has_open = any(p.get("status") in campaign.open_problem_statuses for p in problems)
    if has_open and status in campaign.done_statuses:
        return rule.when_open
    if not has_open and problems and status not in campaign.done_statuses:
        return rule.when_all_closed
    return status


def explain_rule(campaign: Campaign) -> str:
    """The rule in words, for the editor's ledger panel."""
    rule = campaign.status_rule
    if not rule.enabled:
        return t("ledger.rule_off")
    label = {s.key: s.label for s in campaign.statuses}
    done = "、".join(label[k] for k in (s.key for s in campaign.statuses if s.done))
    return t("ledger.rule", done=done, when_open=label[rule.when_open], when_closed=label[rule.when_all_closed])
