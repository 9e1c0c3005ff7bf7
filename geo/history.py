"""A place's history made readable, reverts (and what one will do), and layers as they stood on a date.

All of it is derived from the change journal: a revert is a new change whose
content is an earlier version, and a past state is the present with later
changes undone (their `before` restored), so it works even for places that
existed before the journal began.

Readable means: times in the campaign's time zone, every field under its
Chinese label, every value in words (statuses by label, dates as 2026年11月28日,
四包一 as "包联领导 蔡红梅", lists and objects as text — never a Python dict).
`revert_preview` tells, in the same words, what a revert would really change:
the store keeps photos and each existing problem's case on a revert (it is not
a case write, geo/store/base.py `keep_cases`), so the preview is made the way
the store will write it, and it warns when a ledger problem would be deleted,
reopened or brought back, and when a case step is not undone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pyproj
import shapely
from shapely.geometry import shape

from geo.cases import ACTIONS, STAGES, action_label, stage_label
from geo.config import Campaign
from geo.errors import NotFound
from geo.labels import FIELD_LABELS, PROBLEM_LABELS
from geo.messages import join, t
from geo.photo_labels import photo_changes
from geo.store.base import Op, Store, iso, keep_cases

_GEOD = pyproj.Geod(ellps="WGS84")
SYSTEM = ("version", "updated_at", "updated_by")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def readable_value(key: str, value: object, campaign: Campaign, statuses: dict[str, str] | None = None) -> str:
    """A property's value as people read it: a status by its label (`statuses`: key → label, the place's by
    default), a date as 2026年11月28日, 四包一 as "包联领导 蔡红梅、…", yes/no, lists and objects as text."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if key == "status" and isinstance(value, str):
        labels = statuses if statuses is not None else {s.key: s.label for s in campaign.statuses}
        return labels.get(value, value)
    if isinstance(value, bool):
        return t("history.yes") if value else t("history.no")
    if isinstance(value, str):
        day = _DAY.match(value)
        return t("history.date", year=day[1], month=int(day[2]), day=int(day[3])) if day else value
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if key == "people" and isinstance(value, dict):
        roles = {r.key: r.label for r in campaign.roles}
        order = [r.key for r in campaign.roles]
        names = sorted(value, key=lambda k: order.index(k) if k in order else len(order))
        return join("、", [t("history.person", role=roles.get(k, k), name=readable_value("", value[k], campaign))
                          for k in names if value[k]])
    if isinstance(value, dict):
        return join(";", [t("history.pair", name=FIELD_LABELS.get(k, PROBLEM_LABELS.get(k, k)),
                                value=readable_value(k, v, campaign)) for k, v in value.items() if v not in (None, "")])
    if isinstance(value, (list, tuple)):
        return join("、", [readable_value("", v, campaign) for v in value])
    return str(value)


def local_time(at: str, campaign: Campaign) -> str:
    """A journal time (UTC) as the campaign's clock shows it: "2026-11-23 12:01:00"."""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return str(at)
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.astimezone(campaign.timezone).strftime("%Y-%m-%d %H:%M:%S")


def _area_m2(geometry: dict | None) -> float:
    if not geometry:
        return 0.0
    geom = shape(geometry)
    if geom.area == 0:
        return 0.0
    return abs(_GEOD.geometry_area_perimeter(geom)[0])


def describe_geometry_change(before: dict | None, after: dict | None) -> str:
    if before == after:
        return ""
    if not before:
        return t("history.geometry_created")
    if not after:
        return t("history.geometry_deleted")
    b, a = shape(before), shape(after)
    parts = [t("history.vertices", before=shapely.get_num_coordinates(b), after=shapely.get_num_coordinates(a))]
    area_b, area_a = _area_m2(before), _area_m2(after)
    if area_b or area_a:
        parts.append(t("history.area", before=f"{area_b:,.0f}", after=f"{area_a:,.0f}"))
    moved = shapely.centroid(b).distance(shapely.centroid(a)) * 111_000
    if moved >= 0.5:
        parts.append(t("history.moved", metres=f"{moved:,.0f}"))
    return join(",", parts)


def diff(before: dict | None, after: dict | None, campaign: Campaign) -> list[dict]:
    """What one change did, field by field, in words a planner reads."""
    bp = (before or {}).get("properties") or {}
    ap = (after or {}).get("properties") or {}
    labels = {s.key: s.label for s in campaign.statuses}
    out = []
    for key in list(dict.fromkeys([*bp, *ap])):
        if key in SYSTEM or key in ("problems", "photos") or bp.get(key) == ap.get(key):
            continue
        old, new = readable_value(key, bp.get(key), campaign, labels), readable_value(key, ap.get(key), campaign, labels)
        out.append({"field": key, "label": FIELD_LABELS.get(key, key), "before": old, "after": new})
    out.extend(_problem_diff(bp.get("problems") or [], ap.get("problems") or [], campaign))
    out.extend({"field": "photos", "label": FIELD_LABELS["photos"], "before": None, "after": c["text"], "photos": c["photos"]}
               for c in photo_changes(bp.get("photos"), ap.get("photos")))
    geometry = describe_geometry_change((before or {}).get("geometry"), (after or {}).get("geometry"))
    if geometry:
        out.append({"field": "geometry", "label": FIELD_LABELS["geometry"], "before": None, "after": geometry})
    return out


def _problem_diff(before: list[dict], after: list[dict], campaign: Campaign) -> list[dict]:
    labels = {p.key: p.label for p in campaign.problem_statuses}
    old = {p.get("id"): p for p in before}
    out = []
    for p in after:
        was = old.pop(p.get("id"), None)
        title = t("history.problem_title", id=p.get("id"), category=p.get("category"))
        if was is None:
            case = p.get("case") if isinstance(p.get("case"), dict) else None
            if case and case.get("stage") in STAGES:
                added = t("history.case.added", description=p.get("description") or "", stage=stage_label(case["stage"]))
            else:
                added = t("history.problem_added", description=p.get("description") or "",
                          status=labels.get(p.get("status"), p.get("status")))
            out.append({"field": "problems", "label": title, "before": None, "after": added})
        elif was != p:
            sentences = case_sentences(p.get("id"), was.get("case"), p.get("case"), campaign, p.get("responsible"))
            follows = CASE_FOLLOWS if sentences else ()  # fields the case keeps in step need no words of their own
            changed = [t("history.case.field", field=PROBLEM_LABELS.get(k, k), before=_shown(k, was.get(k), labels, campaign),
                         after=_shown(k, p.get(k), labels, campaign))
                       for k in dict.fromkeys([*was, *p])
                       if k not in ("case", "id") and k not in follows and was.get(k) != p.get(k)]
            out.append({"field": "problems", "label": title, "before": None, "after": join(";", [*sentences, *changed])})
    for p in old.values():
        out.append({"field": "problems", "label": t("history.problem", id=p.get("id")), "before": p.get("description"),
                    "after": t("history.problem_deleted")})
    return out


# A problem's ledger fields that follow its case (geo/cases keeps them in step).
CASE_FOLLOWS = ("status", "deadline", "responsible", "closed_on")


def _shown(key: str, value: object, labels: dict[str, str], campaign: Campaign) -> str:
    """A ledger field's value in words (`labels`: the problem statuses'); an emptied one reads as 空."""
    return readable_value(key, value, campaign, labels) or t("history.empty")


def case_sentences(pid: str | None, before: dict | None, after: dict | None, campaign: Campaign,
                   responsible: str | None = None) -> list[str]:
    """What a case change did, one Chinese sentence per step of its timeline that `after` adds to `before`:
    "问题 r-0001-p1:派遣给 区住建局(张三),期限 12月5日 17:30" (`responsible`: the problem's after the change,
    which names the handler as people know them)."""
    if not isinstance(after, dict):
        return []
    done = len((before or {}).get("timeline") or []) if isinstance(before, dict) else 0
    timeline = [e for e in after.get("timeline") or [] if isinstance(e, dict)]
    out = []
    for n, entry in enumerate(timeline[done:], start=done):
        latest = n == len(timeline) - 1
        out.append(_step_sentence(t("history.problem", id=pid), entry, after if latest else None, campaign,
                                  responsible if latest else None))
    return out


def _step_sentence(pid: str, entry: dict, case: dict | None, campaign: Campaign, responsible: str | None) -> str:
    """One step: `case` is the case after it when it is the newest step (its due time is then the case's)."""
    action = entry.get("action")
    data = entry.get("data") if isinstance(entry.get("data"), dict) else {}
    note = (entry.get("note") or "").strip() or t("history.case.no_note")
    due = _when(data.get("due") or (case or {}).get("stage_due"), campaign)
    if action in ("dispatch", "redispatch"):
        text = t(f"history.case.{action}", pid=pid, assignee=_assignee(data, responsible), due=due)
    elif action in ("send_back", "report", "confirm", "return", "suspend"):
        text = t(f"history.case.{action}", pid=pid, note=note)
    elif action in ("request_extension", "approve_extension"):
        text = t(f"history.case.{action}", pid=pid, until=_when(data.get("until"), campaign), note=note)
    elif action == "deny_extension":
        text = t("history.case.deny_extension", pid=pid)
    elif action == "resume":
        text = t("history.case.resume", pid=pid, stage=_stage(entry.get("to")), due=due)
    elif action == "import":  # set by a district's ledger import (geo/exchange/ledger_cases.py)
        holder = {"unit": (case or {}).get("unit"), "handler": (case or {}).get("handler"), **data}
        text = t("history.case.import", pid=pid, stage=_stage(entry.get("to")), assignee=_assignee(holder, responsible),
                 due=due)
    elif entry.get("from") is None:  # filed (立案) or made a case by the migration
        text = t("history.case.entered", pid=pid, action=_action(action), stage=_stage(entry.get("to")))
    else:
        text = t("history.case.other", pid=pid, action=_action(action), before=_stage(entry.get("from")),
                 after=_stage(entry.get("to")))
    photos = entry.get("photos") or []
    return t("history.case.photos", text=text, n=len(photos)) if photos else text


def _assignee(data: dict, responsible: str | None) -> str:
    """"区住建局(张三)": the unit and the handler — by name when the problem's responsible gives it (a dispatch
    writes "unit name" there), else by account."""
    unit, handler = data.get("unit"), data.get("handler")
    if handler and responsible:
        name = responsible.removeprefix(f"{unit} ").strip() if unit else responsible.strip()
        handler = name or handler
    if unit and handler:
        return f"{unit}({handler})"
    return unit or handler or t("history.case.nobody")


def _stage(key: object) -> str:
    return stage_label(key) if isinstance(key, str) and key in STAGES else str(key or "")


def _action(key: object) -> str:
    return action_label(key) if isinstance(key, str) and key in (*ACTIONS, *ENTERED) else str(key or "")


ENTERED = ("file", "migrate")  # the steps that make a problem a case


def _when(value: object, campaign: Campaign) -> str:
    """A due date as people read it, in the campaign's time: "12月5日 17:30" (a date alone: "12月5日")."""
    if not isinstance(value, str) or not value:
        return t("history.case.no_due")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if len(value) <= 10:  # a date without a time
        return t("history.case.day", month=moment.month, day=moment.day)
    if moment.tzinfo is not None:
        moment = moment.astimezone(campaign.timezone)
    return t("history.case.when", month=moment.month, day=moment.day, time=moment.strftime("%H:%M"))


def readable_history(store: Store, layer_id: str, fid: str) -> list[dict]:
    entries = store.history(layer_id, fid)
    if not entries:
        store.get(layer_id, fid)  # NotFound for an unknown place
    return [
        {"seq": e["seq"], "at": e["at"], "when": local_time(e["at"], store.campaign), "user": e["user"],
         "op": e["op"], "version": e["version"], "changes": diff(e["before"], e["after"], store.campaign)}
        for e in entries
    ]


def revert_op(store: Store, layer_id: str, fid: str, to_version: int, expected_version: int) -> Op:
    """An update that brings the place back to how it was at `to_version`."""
    for entry in store.history(layer_id, fid):
        if entry["version"] == to_version and entry["after"] is not None:
            old = entry["after"]
            props = {k: v for k, v in old["properties"].items() if k not in SYSTEM}
            current = store.get(layer_id, fid)["properties"]
            for k in current:  # drop attributes added since
                if k not in props and k not in SYSTEM:
                    props[k] = None
            return Op("update", layer_id, fid, properties=props, geometry=old["geometry"],
                      expected_version=expected_version)
    raise NotFound(t("history.no_version", fid=fid, version=to_version))


def revert_preview(store: Store, layer_id: str, fid: str, to_version: int) -> dict:
    """What reverting to `to_version` would really do, before anyone asks for it: the place as the store would
    write it (photos kept, each existing problem's case and the fields that follow it kept — a revert is not a case
    write), its changes field by field (`diff`), one sentence of them ("将恢复:状态 整改中 → 待整改;…") and
    `warnings`: the ledger problems it deletes (open ones first), reopens or brings back, and the cases it leaves
    as they are. `version` is the current version, which the revert must name (If-Match)."""
    current = store.get(layer_id, fid)
    version = current["properties"]["version"]
    op = revert_op(store, layer_id, fid, to_version, version)
    props = {k: v for k, v in current["properties"].items() if k not in SYSTEM}
    props.update({k: v for k, v in (op.properties or {}).items() if k != "photos"})  # photos: the photo API's
    if "problems" in props:
        props["problems"] = keep_cases(current["properties"].get("problems"), props["problems"])
    after = {"type": "Feature", "id": fid, "properties": props, "geometry": op.geometry}
    changes = diff(current, after, store.campaign)
    warnings = _revert_warnings(current["properties"], props, op.properties or {}, store.campaign)
    parts = [t("history.revert.change", label=c["label"], before=c["before"] or t("history.empty"), after=c["after"])
             if c["field"] not in ("problems", "photos", "geometry") else t("history.pair", name=c["label"], value=c["after"])
             for c in changes]
    summary = t("history.revert.summary", version=to_version, changes=join(";", parts)) if parts \
        else t("history.revert.nothing", version=to_version)
    return {"to_version": to_version, "version": version, "changes": changes, "summary": summary,
            "warnings": warnings}


def _revert_warnings(now: dict, after: dict, target: dict, campaign: Campaign) -> list[dict]:
    """{"kind", "problem", "text"} of each ledger problem a revert deletes, reopens or brings back, of each case
    it does not undo, and of photos it keeps."""
    open_keys = campaign.open_problem_statuses
    labels = {p.key: p.label for p in campaign.problem_statuses}
    before = {p.get("id"): p for p in now.get("problems") or [] if isinstance(p, dict)}
    result = {p.get("id"): p for p in after.get("problems") or [] if isinstance(p, dict)}
    wanted = {p.get("id"): p for p in target.get("problems") or [] if isinstance(p, dict)}
    out = []
    for pid, p in before.items():
        what = {"pid": pid, "category": p.get("category") or "", "state": _state(p, labels, campaign)}
        if pid not in result:
            kind = "delete_open" if p.get("status") in open_keys else "delete"
            out.append({"kind": kind, "problem": pid, "text": t(f"history.revert.{kind}", **what)})
        elif result[pid].get("status") in open_keys and p.get("status") not in open_keys:
            out.append({"kind": "reopen", "problem": pid, "text": t("history.revert.reopen", **what)})
        elif isinstance(p.get("case"), dict) and pid in wanted and _steps(wanted[pid]) != _steps(p):
            out.append({"kind": "case_kept", "problem": pid, "text": t("history.revert.case_kept", **what)})
    for pid, p in result.items():
        if pid not in before:
            out.append({"kind": "restore", "problem": pid,
                        "text": t("history.revert.restore", pid=pid, category=p.get("category") or "",
                                  state=_state(p, labels, campaign))})
    if "photos" in target and (target.get("photos") or []) != (now.get("photos") or []):
        out.append({"kind": "photos_kept", "problem": None, "text": t("history.revert.photos_kept")})
    return sorted(out, key=lambda w: REVERT_WARNINGS.index(w["kind"]))


REVERT_WARNINGS = ("delete_open", "reopen", "delete", "restore", "case_kept", "photos_kept")  # the gravest first


def _steps(problem: dict) -> int:
    case = problem.get("case")
    return len(case.get("timeline") or []) if isinstance(case, dict) else 0


def _state(problem: dict, labels: dict[str, str], campaign: Campaign) -> str:
    """A problem's stage as its case says (处置中), else its ledger status."""
    case = problem.get("case")
    if isinstance(case, dict) and case.get("stage") in STAGES:
        return stage_label(case["stage"])
    return readable_value("status", problem.get("status"), campaign, labels)


def end_of_day(day: date, campaign: Campaign) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=campaign.timezone)


def layer_as_of(store: Store, layer_id: str, when: datetime) -> list[dict]:
    """The layer as it stood at `when`: later changes undone, newest first."""
    cutoff = iso(when)
    features = {f["id"]: f for f in store.features(layer_id)}
    later = [s for s in store.changes_since(0) if s.layer == layer_id and s.at > cutoff]
    for entry in reversed(list(store.change_entries(later))):
        if entry["before"] is None:
            features.pop(entry["id"], None)
        else:
            features[entry["id"]] = entry["before"]
    return list(features.values())


def feature_as_of(store: Store, layer_id: str, fid: str, when: datetime) -> dict:
    """One place as it stood at `when`: its first later change's before-image, else as it is now. NotFound
    when it did not exist then (created later, or deleted before)."""
    cutoff = iso(when)
    later = next((e for e in store.history(layer_id, fid) if e["at"] > cutoff), None)
    feature = store.get(layer_id, fid) if later is None else later["before"]
    if feature is None:
        raise NotFound(t("history.not_then", layer=layer_id, fid=fid))
    return feature
