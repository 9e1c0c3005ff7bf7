"""What a case is: its stages and actions, their labels, the case record kept in a ledger problem, the case read
from a problem written before cases existed, and the ledger fields that follow the case.

A case lives in its problem, under `case` (see docs/cases.md for the record). Only geo/cases writes it (the store
keeps a problem's `case` as it is on every other write path); the problem's own `status`, `deadline`,
`responsible` and `closed_on` follow the case (`in_step`), so the rules written for problems — overdue,
overnight, the place's status rule, the daily report — keep working on cases.
"""

from __future__ import annotations

import copy
import weakref
from datetime import UTC, date, datetime, time
from functools import lru_cache

from geo.cases.deadlines import OPEN_STAGES, instant, iso, stage_due
from geo.config import Campaign
from geo.errors import Conflict, FieldError, GuatuError, NotFound
from geo.messages import t

STAGES = ("filed", "handling", "verifying", "closed", "suspended")
ACTIONS = ("dispatch", "redispatch", "send_back", "report", "confirm", "return", "request_extension",
           "approve_extension", "deny_extension", "suspend", "resume")
SOURCES = ("inspection", "planner", "resident", "migrated")
FROM = {  # the stages each action may be taken from
    "dispatch": ("filed",), "redispatch": ("handling",), "send_back": ("handling",), "report": ("handling",),
    "confirm": ("verifying",), "return": ("verifying",), "request_extension": ("handling",),
    "approve_extension": ("handling",), "deny_extension": ("handling",),
    "suspend": ("filed", "handling", "verifying"), "resume": ("suspended",),
}
TO = {"dispatch": "handling", "redispatch": "handling", "send_back": "filed", "report": "verifying",
      "confirm": "closed", "return": "handling", "suspend": "suspended"}  # the others stay (resume: the held stage)


class CaseConflict(Conflict):
    """An action the case's stage does not allow (409, kind `case_step`: not the version conflict whose answer is
    to reload and merge), with the actions this user may take now."""

    code = "case_step"

    def __init__(self, message: str, *, allowed: list[str]) -> None:
        super().__init__(message)
        self.allowed = allowed

    def to_dict(self) -> dict:
        return {**super().to_dict(), "allowed": labelled(self.allowed)}


class CaseForbidden(GuatuError):
    """An action this user may not take on this case (403), with the actions they may take now."""

    http_status = 403
    code = "forbidden"

    def __init__(self, message: str, *, allowed: list[str]) -> None:
        super().__init__(message)
        self.allowed = allowed

    def to_dict(self) -> dict:
        return {**super().to_dict(), "allowed": labelled(self.allowed)}


def stage_label(key: str) -> str:
    return t(f"case.stage.{key}")


def action_label(key: str) -> str:
    return t(f"case.action.{key}")


def source_label(key: str) -> str:
    return t(f"case.source.{key}")


def labelled(actions: list[str]) -> list[dict]:
    """[{"action": key, "label": …}] — the shape problem documents and the API list actions in."""
    return [{"action": a, "label": action_label(a)} for a in actions]


def find_problem(feature: dict, pid: str) -> dict:
    """The ledger entry `pid` of the place; NotFound when its ledger has none."""
    for entry in feature["properties"].get("problems") or []:
        if isinstance(entry, dict) and entry.get("id") == pid:
            return entry
    raise NotFound(t("ledger.no_problem", pid=repr(pid), fid=feature["id"]))


def blank_case(campaign: Campaign, *, stage: str, source: str, at: datetime) -> dict:
    """A case record with every key, in `stage` since `at`."""
    return _blank(campaign, stage, source, iso(at))


def _blank(campaign: Campaign, stage: str, source: str, at: str) -> dict:
    return {"stage": stage, "urgency": campaign.cases.urgencies[0].key, "source": source, "unit": None,
            "handler": None, "dispatcher": None, "reported_by": None, "verified_by": None,
            "stage_since": at, "stage_due": None, "filed_at": at, "closed_at": None,
            "held_stage": None, "held_left_s": None, "extension": None, "returns": 0, "handled_on_time": None,
            "timeline": []}


def _local_day(campaign: Campaign, day: str | None, when: time) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(day), when, tzinfo=campaign.timezone) if day else None
    except (TypeError, ValueError):
        return None


def case_of(problem: dict, campaign: Campaign) -> dict:
    """The problem's case: the stored one, or the one a problem written before cases is read as — open → filed
    (handling when it has a deadline and a responsible), closed → closed. A derived case is a new dict each time
    (its caller may change it)."""
    stored = problem.get("case")
    if isinstance(stored, dict):
        return stored
    # a day that is not text (a number, a list) is no day
    days = [d if type(d) is str else None for d in (problem.get("found_on"), problem.get("deadline"),
                                                    problem.get("closed_on"))]
    responsible = (problem.get("responsible") or "").strip() or None
    if problem.get("status") in campaign.open_problem_statuses:
        days[2] = None  # an open case is not closed: its closing day is not read
        return {**_migrated(CampaignKey(campaign), *days, True, responsible), "timeline": []}
    # a closed case: its deadline and responsible are not read (one kept template for all that share their days)
    return {**_migrated(CampaignKey(campaign), days[0], None, days[2], False, None), "timeline": []}


# A case derived from a problem's days, status and responsible, made once per campaign and such problem: the
# dashboard, the wall and the cases' panels each read every problem's case (at a million places, millions of
# times a warm-up), and most problems share their days and responsible with others. Never changed: `case_of`
# answers a copy.
@lru_cache(maxsize=8192)
def _migrated(same: CampaignKey, found_on, deadline, closed_on, is_open: bool, responsible: str | None) -> dict:
    campaign = same.ref()
    found, due, closed, filed_due = _instants(same, found_on, deadline, closed_on)
    if not is_open:
        case = _blank(campaign, "closed", "migrated", found)
        case.update(stage_since=closed, closed_at=closed)
    elif due is not None and responsible:
        case = _blank(campaign, "handling", "migrated", found)
        case.update(unit=responsible, stage_due=due)
    else:
        case = _blank(campaign, "filed", "migrated", found)
        case["stage_due"] = filed_due
    return case


class CampaignKey:
    """A campaign as a cache key: this very object (a campaign holds dicts, so it has no hash of its own), held
    weakly: a campaign replaced (campaign.json edited) is not kept alive by the cache, and its entries match no
    other campaign."""

    __slots__ = ("ref", "key")

    def __init__(self, campaign: Campaign) -> None:
        self.ref, self.key = weakref.ref(campaign), id(campaign)

    def __hash__(self) -> int:
        return self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CampaignKey) and self.ref() is not None and other.ref() is self.ref()


def _instants(same: CampaignKey, found_on, deadline, closed_on) -> tuple[str, str | None, str, str]:
    """A migrated case's instants from the problem's days: found (its day's start; 2000-01-01 when unknown),
    the deadline's day end, the closing day's end (else found), and when a filed case found then is due."""
    found = _day_start(same, found_on) or UNKNOWN_FOUND
    return found, _day_end(same, deadline), _day_end(same, closed_on) or found, _filed_due(same, found)


UNKNOWN_FOUND = iso(datetime(2000, 1, 1, tzinfo=UTC))


# Each day read once per campaign: many problems share a day, few share all three (a campaign has some hundreds
# of distinct days, and tens of thousands of problems).
@lru_cache(maxsize=4096)
def _day_start(same: CampaignKey, day) -> str | None:
    at = _local_day(same.ref(), day, same.ref().cases.calendar.day_start)
    return iso(at) if at is not None else None


@lru_cache(maxsize=4096)
def _day_end(same: CampaignKey, day) -> str | None:
    at = _local_day(same.ref(), day, same.ref().cases.calendar.day_end)
    return iso(at) if at is not None else None


@lru_cache(maxsize=4096)
def _filed_due(same: CampaignKey, found: str) -> str:
    campaign = same.ref()
    return iso(stage_due(campaign, "filed", instant(found), campaign.cases.urgencies[0].key))


CASE_KEYS = ("stage", "urgency", "source", "unit", "handler", "dispatcher", "reported_by", "verified_by", "stage_since",
             "stage_due", "filed_at", "closed_at", "held_stage", "held_left_s", "extension", "returns",
             "handled_on_time", "timeline")


def case_errors(case: object, campaign: Campaign, where: str = "case") -> list[FieldError]:
    """What is wrong with a case record made outside the loop (an imported workbook's): its stage, urgency and
    source, its instants, its timeline — each named by field, in Chinese. Empty when it may be written."""
    if not isinstance(case, dict):
        return [FieldError(where, t("feature.not_an_object_value"))]
    errors = []
    checks = (("stage", STAGES), ("source", SOURCES), ("urgency", tuple(u.key for u in campaign.cases.urgencies)))
    for key, allowed in checks:
        if case.get(key) not in allowed:
            errors.append(FieldError(f"{where}.{key}", t("request.not_in_enum", expected=", ".join(allowed))))
    if case.get("stage") == "suspended" and case.get("held_stage") not in OPEN_STAGES:
        errors.append(FieldError(f"{where}.held_stage", t("request.not_in_enum", expected=", ".join(OPEN_STAGES))))
    for key in ("stage_since", "stage_due", "filed_at", "closed_at"):
        try:
            instant(case.get(key))
        except (TypeError, ValueError, AttributeError):
            errors.append(FieldError(f"{where}.{key}", t("case.bad_due")))
    for key in ("unit", "handler", "dispatcher", "reported_by", "verified_by"):
        if case.get(key) is not None and not isinstance(case.get(key), str):
            errors.append(FieldError(f"{where}.{key}", t("request.wrong_type", expected=t("request.type_string"))))
    if not isinstance(case.get("timeline", []), list):
        errors.append(FieldError(f"{where}.timeline", t("case.timeline_list")))
    unknown = sorted(set(case) - set(CASE_KEYS))
    errors += [FieldError(f"{where}.{k}", t("request.not_in_enum", expected=", ".join(CASE_KEYS))) for k in unknown]
    return errors


def responsible_text(unit: str | None, handler_name: str | None) -> str:
    """The problem's `responsible` once a case is dispatched: the unit and the handler's name."""
    return " ".join(p for p in (unit, handler_name) if p)


def in_step(problem: dict, case: dict, campaign: Campaign, *, responsible: str | None = None) -> dict:
    """The problem with `case` and its ledger fields in step with it: status by `cases.problem_status`, the
    deadline (the handling due day), closed_on, and `responsible` when a dispatch names one."""
    out = copy.deepcopy(problem)
    out["case"] = case
    out["status"] = campaign.cases.problem_status[case["stage"]]
    if case["stage"] == "handling" and case.get("stage_due"):
        due = instant(case["stage_due"]).astimezone(campaign.timezone).date().isoformat()
        out["deadline"] = max(due, out.get("found_on") or due)
    if responsible:
        out["responsible"] = responsible
    closed = instant(case.get("closed_at")) if case["stage"] == "closed" else None
    out["closed_on"] = closed.astimezone(campaign.timezone).date().isoformat() if closed else None
    return out
