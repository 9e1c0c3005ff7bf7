"""The problem ledger (台账) of a place: adding and editing problems, and the configured rule by which a place's
status follows its problems (`status_by_rule`, geo/rules.py).

Every problem is a case (geo/cases): adding one files it (立案), and its status, deadline, responsible and
closed_on follow the case's stage, so a ledger edit may change what a problem is (category, description, …) but
never close, reopen or reschedule it — the loop's actions do that."""

from __future__ import annotations

import copy
import re
from datetime import date, datetime, time

from geo.cases import CaseConflict, allowed_actions, case_of, file_case, find_problem
from geo.config import Campaign
from geo.errors import FieldError, NotFound, ValidationError
from geo.messages import t
from geo.rules import status_by_rule

__all__ = ["EDITABLE", "LOOP_FIELDS", "add_problem", "explain_rule", "find_problem", "status_by_rule",
           "update_problem"]

EDITABLE = ("category", "description", "found_on", "found_by", "deadline", "responsible", "status", "closed_on")
LOOP_FIELDS = ("status", "closed_on", "deadline", "responsible")  # the case's (geo/cases): no ledger edit changes them


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


def add_problem(feature: dict, problem: dict, campaign: Campaign, today: date, *, now: datetime | None = None,
                user: str | None = None, by: str | None = None, source: str = "planner",
                may_dispatch: bool = True) -> dict:
    """The property changes that add `problem` to the place's ledger, filed as a case (立案, geo/cases) from
    `source` by `user` (`by`: how the timeline names them) at `now` (default: the start of `today`, campaign
    time): dispatched at once when it names a deadline and a responsible and the filer `may_dispatch`
    (geo.cases.is_dispatcher), else waiting for dispatch. Write them through the store's case path
    (`case_write=True`), or the store drops the new case and the problem is read as the case its fields give."""
    if not isinstance(problem, dict):
        raise ValidationError([FieldError("problem", t("feature.not_an_object_value"), feature["id"])])
    _check_types(problem, feature["id"])
    problems = copy.deepcopy(feature["properties"].get("problems") or [])
    entry = {k: problem.get(k) for k in EDITABLE if k in problem}
    entry.setdefault("status", next(iter(p.key for p in campaign.problem_statuses if p.open)))
    if not (entry.get("found_on") or "").strip():  # required: left out or left empty, it is today (campaign time)
        entry["found_on"] = today.isoformat()
    entry["id"] = _next_id(feature["id"], problems)
    _close_or_reopen(entry, campaign, today)
    when = now or datetime.combine(today, time(0), tzinfo=campaign.timezone)
    entry["case"] = file_case(entry, campaign, when, source=source, user=user, by=by, may_dispatch=may_dispatch)
    problems.append(entry)
    return _with_rule(feature, problems, campaign)


def update_problem(feature: dict, pid: str, changes: dict, campaign: Campaign, today: date, *,
                   principal=None, now: datetime | None = None) -> dict:
    """The property changes that edit one problem: what it is (category, description, found_on, found_by). Its
    status, closed_on, deadline and responsible follow its case: a change to one of them is refused (409) with
    the case's actions (`principal`'s, when given) — the loop is the only way to close a problem."""
    if not isinstance(changes, dict):
        raise ValidationError([FieldError("problem", t("feature.not_an_object_value"), feature["id"])])
    _check_types(changes, feature["id"])
    problems = copy.deepcopy(feature["properties"].get("problems") or [])
    for entry in problems:
        if entry.get("id") == pid:
            looped = [k for k in LOOP_FIELDS if k in changes and changes[k] != entry.get(k)]
            if looped:
                case = case_of(entry, campaign)
                allowed = allowed_actions(entry, feature["properties"], principal, campaign, now) \
                    if principal is not None else []
                raise CaseConflict(t("case.ledger_follows_case", pid=pid, fields="、".join(looped),
                                     stage=t(f"case.stage.{case['stage']}")), allowed=allowed)
            if "found_on" in changes and not (changes["found_on"] or "").strip():
                raise ValidationError([FieldError("problem.found_on", t("ledger.found_on_required", pid=pid),
                                                  feature["id"])])
            entry.update({k: changes[k] for k in EDITABLE if k in changes and k not in LOOP_FIELDS})
            return _with_rule(feature, problems, campaign)
    raise NotFound(t("ledger.no_problem", pid=repr(pid), fid=feature["id"]))


def _with_rule(feature: dict, problems: list[dict], campaign: Campaign) -> dict:
    changes: dict = {"problems": problems}
    status = status_by_rule(feature["properties"].get("status"), problems, campaign)
    if status != feature["properties"].get("status"):
        changes["status"] = status
    return changes


def explain_rule(campaign: Campaign) -> str:
    """The rule in words, for the editor's ledger panel."""
    rule = campaign.status_rule
    if not rule.enabled:
        return t("ledger.rule_off")
    label = {s.key: s.label for s in campaign.statuses}
    done = "、".join(label[k] for k in (s.key for s in campaign.statuses if s.done))
    return t("ledger.rule", done=done, when_open=label[rule.when_open], when_closed=label[rule.when_all_closed])
