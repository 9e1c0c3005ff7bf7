"""The case loop: who may take which action from which stage, and taking it.

立案 (filed) → 派遣 (dispatch) → 处置 (handling) → 处置完成 (report) → 核查 (verifying) → 核查通过 (confirm) → 结案
(closed), with 退回 / 重新派遣 / 核查退回, 延期申请 and its approval, and 挂起 / 恢复. Three parts of the
management take the actions:

- the dispatcher: an editor or admin whose scope covers the place, at the district, a sub-district or a community
  (not a unit);
- the handler: the case's `handler`, or anyone whose scope names the case's `unit`;
- the verifier: an inspector (督导员), or a dispatcher of the place — never whoever reported the fix nor the
  case's handler.

`transition` checks the stage (CaseConflict, 409) and the person (CaseForbidden, 403), both with the actions this
person may take now, then what the action needs (ValidationError, 422), and writes the case with its problem's
ledger fields in step and the place's status by the campaign's rule — one journaled update of the place, through
the store's case write path.
"""

from __future__ import annotations

import copy
from collections.abc import Container, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from geo.cases.calendar import WorkCalendar
from geo.cases.deadlines import overnight_due, parse_due, stage_due
from geo.cases.model import (
    ACTIONS,
    FROM,
    TO,
    CaseConflict,
    CaseForbidden,
    action_label,
    blank_case,
    case_of,
    find_problem,
    in_step,
    instant,
    iso,
    responsible_text,
    stage_label,
)
from geo.config import Campaign
from geo.errors import FieldError, ValidationError
from geo.messages import t
from geo.rules import status_by_rule

if TYPE_CHECKING:
    from geo.accounts import Principal
    from geo.store.base import Store, WriteResult

MAX_NOTE = 2000
DISPATCHER = ("dispatch", "redispatch", "approve_extension", "deny_extension", "suspend", "resume")
HANDLER = ("send_back", "report", "request_extension")
VERIFIER = ("confirm", "return")
NEEDS_NOTE = ("send_back", "report", "return", "request_extension", "suspend")


# --- who ---------------------------------------------------------------------------------------------------
def is_dispatcher(principal: Principal, props: dict) -> bool:
    """An editor or admin whose scope covers the place, above the level of a unit."""
    return principal.can("editor") and principal.scope.level != "unit" and principal.scope.covers(props)


def is_handler(principal: Principal, case: dict) -> bool:
    """The case's handler, or someone whose scope names the case's unit."""
    if not principal.can("inspector"):
        return False
    if case.get("handler") and principal.username == case["handler"]:
        return True
    return bool(case.get("unit")) and case["unit"] in principal.scope.units


def may_verify(principal: Principal, props: dict, case: dict) -> bool:
    """An inspector, or a dispatcher of the place; never the one who reported the fix nor the case's handler."""
    if principal.username in (case.get("reported_by"), case.get("handler")):
        return False
    return principal.role == "inspector" or is_dispatcher(principal, props)


def _stage_allows(action: str, case: dict) -> bool:
    if case.get("stage") not in FROM[action]:
        return False
    pending = case.get("extension") is not None
    if action == "request_extension":
        return not pending
    if action in ("approve_extension", "deny_extension"):
        return pending
    return True


def _person_may(action: str, principal: Principal, props: dict, case: dict) -> bool:
    if action in DISPATCHER:
        return is_dispatcher(principal, props)
    if action in HANDLER:
        return is_handler(principal, case)
    return may_verify(principal, props, case)


def allowed_actions(problem: dict, props: dict, principal: Principal, campaign: Campaign,
                    now: datetime | None = None) -> list[str]:
    """The actions this principal may take on the problem's case now, in the loop's order."""
    case = case_of(problem, campaign)
    return [a for a in ACTIONS if _stage_allows(a, case) and _person_may(a, principal, props, case)]


def may_add_evidence(problem: dict, props: dict, principal: Principal, campaign: Campaign | None = None) -> bool:
    """The case's handler, or someone who may verify it: they may add its photos even outside their place scope."""
    case = problem.get("case")
    if not isinstance(case, dict):
        if campaign is None:
            return False
        case = case_of(problem, campaign)
    if case.get("stage") == "closed":
        return False
    return is_handler(principal, case) or (principal.can("inspector") and may_verify(principal, props, case))


def _refusal(action: str, principal: Principal, props: dict, case: dict) -> str:
    label = action_label(action)
    if action in DISPATCHER:
        return t("case.forbidden.dispatcher", action=label, scope=principal.scope.describe())
    if action in HANDLER:
        return t("case.forbidden.handler", action=label, unit=case.get("unit") or "—", handler=case.get("handler") or "—")
    if principal.username in (case.get("reported_by"), case.get("handler")):
        return t("case.forbidden.own_fix")
    return t("case.forbidden.verifier", scope=principal.scope.describe())


# --- filing (立案) -----------------------------------------------------------------------------------------------
def file_case(problem: dict, campaign: Campaign, now: datetime, *, source: str, user: str | None = None,
              by: str | None = None, may_dispatch: bool = True) -> dict:
    """The case a new ledger problem is filed as (立案): in the stage its status, deadline and responsible say —
    open → filed (handling when a deadline and a responsible are given and the filer `may_dispatch`), closed
    (fixed on the spot) → closed. A case an inspection found is due by the next morning's cut-off (问题不过夜)."""
    derived = case_of({k: v for k, v in problem.items() if k != "case"}, campaign)
    stage = "filed" if derived["stage"] == "handling" and not may_dispatch else derived["stage"]
    case = blank_case(campaign, stage=stage, source=source, at=now)
    case["reported_by"] = None
    if case["stage"] == "handling":
        case.update(unit=derived["unit"], stage_due=derived["stage_due"], dispatcher=user)
    elif case["stage"] == "filed":
        case["stage_due"] = iso(stage_due(campaign, "filed", now, case["urgency"]))
    else:
        case.update(closed_at=iso(now), verified_by=user)
    if source == "inspection" and case["stage"] != "closed":
        found = problem.get("found_on")
        day = datetime.fromisoformat(found).date() if found else now.astimezone(campaign.timezone).date()
        case["stage_due"] = iso(overnight_due(campaign, day))
    case["timeline"].append({"action": "file", "from": None, "to": case["stage"], "user": user, "by": by or user,
                             "at": iso(now), "note": "", "photos": [], "data": {"source": source}})
    return case


# --- taking an action -------------------------------------------------------------------------------------------
def _text(value, field: str, errors: list[FieldError], fid: str, *, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(FieldError(field, t(f"case.{field}_required"), fid))
        return None
    if not isinstance(value, str):
        errors.append(FieldError(field, t("request.wrong_type", expected=t("request.type_string")), fid))
        return None
    if len(value) > MAX_NOTE:
        errors.append(FieldError(field, t("case.too_long", limit=MAX_NOTE), fid))
        return None
    return value.strip()


def _photos(photos: Iterable, action: str, props: dict, pid: str, campaign: Campaign, errors: list[FieldError],
            fid: str) -> list[str]:
    if photos is None:
        photos = ()
    if isinstance(photos, str) or not isinstance(photos, (list, tuple)):
        errors.append(FieldError("photos", t("case.photos_list"), fid))
        return []
    mine = {p["id"]: p for p in props.get("photos") or () if isinstance(p, dict) and p.get("problem") == pid}
    named = []
    for i, photo in enumerate(photos):
        if not isinstance(photo, str) or photo not in mine:
            errors.append(FieldError(f"photos[{i}]", t("case.photo_not_of_problem", pid=pid), fid))
        elif photo not in named:
            named.append(photo)
    need = {"report": ("after", campaign.cases.require_photo_report),
            "confirm": ("check", campaign.cases.require_photo_confirm)}.get(action)
    if need and need[1] and not any(mine[p].get("role") == need[0] for p in named) and not any(
            e.field.startswith("photos") for e in errors):
        errors.append(FieldError("photos", t(f"case.photo_{need[0]}_required"), fid))
    return named


def _due(value, field: str, campaign: Campaign, now: datetime, errors: list[FieldError], fid: str,
         after: datetime | None = None) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        due = parse_due(value, campaign) if isinstance(value, str) else None
    except ValueError:
        due = None
    if due is None:
        errors.append(FieldError(field, t("case.bad_due"), fid))
        return None
    if due <= max(now, after or now):
        errors.append(FieldError(field, t("case.due_not_later", after=_local(max(now, after or now), campaign)), fid))
        return None
    return due


def _local(when: datetime, campaign: Campaign) -> str:
    return when.astimezone(campaign.timezone).strftime("%Y-%m-%d %H:%M")


def transition(store: Store, layer_id: str, fid: str, pid: str, action: str, *, principal: Principal,
               expected_version: int | None, campaign: Campaign, now: datetime, note: str = "",
               photos: Iterable[str] = (), unit: str | None = None, handler: str | None = None,
               deadline: str | None = None, urgency: str | None = None, until: str | None = None,
               handler_name: str | None = None, handlers: Container[str] | None = None) -> tuple[dict, WriteResult]:
    """Take `action` on the case of problem `pid` of the place: the new case and the place written.

    CaseConflict (409) when the case's stage does not allow it, CaseForbidden (403) when this person may not,
    ValidationError (422) naming what is missing; the store's 409 when the place changed since
    `expected_version` (None: the version read here). `handler_name` is the handler's name for the problem's
    `responsible` (else the username); `handlers` the usernames a case may be given to (enabled accounts that may
    handle one), so a dispatch never names someone who cannot act on it (None: not checked)."""
    if action not in ACTIONS:
        raise ValidationError([FieldError("action", t("request.not_in_enum", expected=", ".join(ACTIONS)), fid)])
    feature = store.get(layer_id, fid)
    props = feature["properties"]
    problem = find_problem(feature, pid)
    case = copy.deepcopy(case_of(problem, campaign))
    allowed = allowed_actions(problem, props, principal, campaign, now)
    if action not in allowed:
        if not _stage_allows(action, case):
            raise CaseConflict(t("case.not_from_stage", action=action_label(action), stage=stage_label(case["stage"]),
                                 next=_listed(allowed)), allowed=allowed)
        raise CaseForbidden(compose_refusal(_refusal(action, principal, props, case), allowed), allowed=allowed)

    errors: list[FieldError] = []
    note = _text(note, "note", errors, fid, required=action in NEEDS_NOTE) or ""
    named = _photos(photos, action, props, pid, campaign, errors, fid)
    data: dict = {}
    responsible = None
    if action in ("dispatch", "redispatch"):
        unit = _text(unit, "unit", errors, fid, required=False)
        handler = _text(handler, "handler", errors, fid, required=False)
        if handler and handlers is not None and handler not in handlers:
            errors.append(FieldError("handler", t("case.handler_unknown", handler=handler), fid))
        if not unit and not handler and not any(e.field in ("unit", "handler") for e in errors):
            errors.append(FieldError("unit", t("case.unit_required"), fid))
        if urgency is not None:
            try:
                campaign.cases.urgency(urgency)
            except KeyError:
                errors.append(FieldError("urgency", t("request.not_in_enum", expected=", ".join(
                    u.key for u in campaign.cases.urgencies)), fid))
        due = _due(deadline, "deadline", campaign, now, errors, fid)
    if action == "request_extension":
        extended = _due(until, "until", campaign, now, errors, fid, after=instant(case.get("stage_due")))
        if until in (None, ""):
            errors.append(FieldError("until", t("case.until_required"), fid))
    if errors:
        raise ValidationError(errors)

    before = case["stage"]
    calendar = WorkCalendar.of(campaign)
    if action in ("dispatch", "redispatch"):
        case["urgency"] = urgency or case["urgency"]
        case.update(unit=unit, handler=handler, dispatcher=principal.username, extension=None)
        case["stage_due"] = iso(due or stage_due(campaign, "handling", now, case["urgency"]))
        responsible = responsible_text(unit, handler_name or handler)
        data = {"unit": unit, "handler": handler, "urgency": case["urgency"], "due": case["stage_due"]}
    elif action == "send_back":
        case.update(unit=None, handler=None, extension=None)
        case["stage_due"] = iso(stage_due(campaign, "filed", now, case["urgency"]))
    elif action == "report":
        handling_due = instant(case.get("stage_due"))
        case.update(reported_by=principal.username, extension=None,
                    handled_on_time=handling_due is None or now <= handling_due)
        case["stage_due"] = iso(stage_due(campaign, "verifying", now, case["urgency"]))
    elif action == "confirm":
        case.update(verified_by=principal.username, closed_at=iso(now), stage_due=None)
    elif action == "return":
        case["returns"] = int(case.get("returns") or 0) + 1
        case["stage_due"] = iso(stage_due(campaign, "handling", now, case["urgency"]))
    elif action == "request_extension":
        case["extension"] = {"until": iso(extended), "reason": note, "by": principal.username, "at": iso(now)}
        data = {"until": case["extension"]["until"]}
    elif action == "approve_extension":
        data = {"until": case["extension"]["until"], "was": case.get("stage_due")}
        case.update(stage_due=case["extension"]["until"], extension=None)
    elif action == "deny_extension":
        data = {"until": case["extension"]["until"]}
        case["extension"] = None
    elif action == "suspend":
        due_at = instant(case.get("stage_due"))
        left = int(calendar.working_seconds(now, due_at)) if due_at else None
        case.update(held_stage=before, held_left_s=left, stage_due=None)
        data = {"held_left_s": left}
    elif action == "resume":
        left = case.get("held_left_s")
        case.update(stage=case["held_stage"], held_stage=None, held_left_s=None,
                    stage_due=iso(calendar.add_seconds(now, left)) if left is not None else None)
    if action in TO:
        case["stage"] = TO[action]
    if case["stage"] != before:
        case["stage_since"] = iso(now)
    case["timeline"].append({"action": action, "from": before, "to": case["stage"], "user": principal.username,
                             "by": principal.label, "at": iso(now), "note": note, "photos": named, "data": data})

    problems = [in_step(p, case, campaign, responsible=responsible) if isinstance(p, dict) and p.get("id") == pid else p
                for p in props.get("problems") or []]
    changes: dict = {"problems": problems}
    status = status_by_rule(props.get("status"), problems, campaign)
    if status != props.get("status"):
        changes["status"] = status
    version = props.get("version") if expected_version is None else expected_version
    result = store.update(layer_id, fid, expected_version=version, user=principal.label, properties=changes,
                          case_write=True)
    if status != props.get("status"):
        labels = {s.key: s.label for s in campaign.statuses}
        result.notes.append(t("case.place_status", was=labels.get(props.get("status"), props.get("status") or "—"),
                              now=labels.get(status, status)))
    return case, result


def _listed(actions: list[str]) -> str:
    """What the person may do instead, as a sentence: the actions, or that there is none."""
    if not actions:
        return t("case.nothing_allowed")
    return t("case.you_may", allowed="、".join(action_label(a) for a in actions))


def compose_refusal(reason: str, allowed: list[str]) -> str:
    """A refusal and what the person may do instead."""
    return t("case.refused_with_allowed", reason=reason, next=_listed(allowed))
