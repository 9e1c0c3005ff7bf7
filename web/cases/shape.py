"""What the API and the pages answer about cases: the queue listing with its counts, and one case in full.

Thin: the rows, the stages, who may do what and the deadlines are geo/cases' (the process's `CaseIndex`,
`case_of`, `allowed_actions`). Here they are gathered for one request — the reader's queues counted, one case's
timeline given its local times and action labels, its photos their image URLs — so the JSON answer and the
server-rendered page say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from geo.accounts import role_at_least
from geo.cases import QUEUES, STAGES, TO, action_label, allowed_actions, case_of, case_row, stage_label
from geo.cases.index import Query
from geo.errors import BadParameters, FieldError, NotFound
from geo.ledger import find_problem
from geo.messages import t
from geo.photo_labels import role_label
from geo.photos import photos_of
from geo.rules import status_by_rule
from web.access.auth import accounts, principal
from web.core.context import guatu
from web.core.http import yes_no
from web.core.photo_links import with_urls
from web.core.withheld import withheld

FILTERS = ("stage", "street", "community", "unit")
MAX_LIMIT = 500


def local_time(stamp: str | None) -> str | None:
    """An ISO UTC time as people read it: "YYYY-MM-DD HH:MM" in the campaign's time zone."""
    if not stamp:
        return None
    return datetime.fromisoformat(stamp).astimezone(guatu().campaign.timezone).strftime("%Y-%m-%d %H:%M")


def query_of(args: Mapping[str, str]) -> dict:
    """case_rows' keyword filters from a query string (empty values: no filter). A bad value is a 400."""
    out: dict = {name: (args.get(name) or "").strip() or None for name in ("queue", *FILTERS)}
    errors = []
    if out["queue"] not in (None, *QUEUES):
        errors.append(FieldError("queue", t("request.not_in_enum", expected=", ".join(QUEUES))))
    for name in ("overdue", "escalated"):  # "only overdue" / "only escalated"; off or absent: every case
        out[name] = True if yes_no(args, name, parameter=True) else None
    if errors:
        raise BadParameters(errors)
    return out


def page_of(args: Mapping[str, str]) -> tuple[int, int]:
    """`limit` (1–500, default 100) and `offset` (default 0); a bad value is a 400."""
    out = []
    for name, default, low, high in (("limit", 100, 1, MAX_LIMIT), ("offset", 0, 0, None)):
        raw = (args.get(name) or "").strip()
        try:
            value = int(raw) if raw else default
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise BadParameters([FieldError(name, t("cases.bad_number", low=low, high=high or "∞"))])
        out.append(value)
    return out[0], out[1]


def handler_choices() -> list[tuple[str, str]]:
    """Who a case may be dispatched to, as (username, name): the enabled accounts that may handle one (督导员
    and above), so a dispatch never leaves a case with a handler who cannot act on it."""
    return sorted((u.username, u.name) for u in accounts().users()
                  if not u.disabled and role_at_least(u.role, "inspector"))


def stage_choices() -> list[tuple[str, str]]:
    return [(key, stage_label(key)) for key in STAGES]


def urgency_choices() -> list[tuple[str, str]]:
    """The campaign's urgency levels (campaign.json `cases.urgencies`), key and label."""
    return [(u.key, u.label) for u in guatu().campaign.cases.urgencies]


def counts_of() -> dict[str, int]:
    """How many cases each of the reader's queues holds (none for a reader who is not signed in)."""
    ctx, who = guatu(), principal()
    if who is None:
        return dict.fromkeys(QUEUES, 0)
    return ctx.cases.counts(ctx.store.revision(), ctx.now(), who)


def listing(query: dict, limit: int, offset: int, counts: dict[str, int] | None = None) -> dict:
    """The cases of a query (most urgent first), a page of them, and how many each of the reader's queues holds
    (`counts`, when the caller has them already). A reader not signed in has no queue of their own."""
    ctx, who = guatu(), principal()
    if counts is None:
        counts = counts_of()
    if query.get("queue") and who is None:
        return {"cases": [], "count": 0, "counts": counts, "withheld": withheld(ctx.store)}
    rows, count = ctx.cases.listing(ctx.store.revision(), ctx.now(), Query(principal=who, **query), limit, offset)
    return {"cases": rows, "count": count, "counts": counts, "withheld": withheld(ctx.store)}


def choices() -> dict[str, list[str]]:
    """The sub-districts, communities and units the cases name: what the filters offer."""
    ctx = guatu()
    return ctx.cases.choices(ctx.store.revision(), ctx.now())


def allowed_of(problem: dict, feature: dict) -> list[dict]:
    ctx = guatu()
    keys = allowed_actions(problem, feature["properties"], principal(), ctx.campaign, ctx.now())
    return [{"action": key, "label": action_label(key)} for key in keys]


def _account_label(username: str | None) -> str | None:
    """A user as the timeline names them — 张伟 (zhujianju) — or the bare name when there is no such account."""
    if not username:
        return None
    try:
        name = accounts().get_user(username).name
    except NotFound:
        return username
    return username if name == username else f"{name} ({username})"


def detail(layer_id: str, fid: str, pid: str) -> dict:
    """One case: its row, its timeline (local times, labels, photos with URLs), all its photos, the actions
    this reader may take now, and the place's id and version (the version an action names in If-Match)."""
    ctx = guatu()
    feature = ctx.store.get(layer_id, fid)  # unknown layer or place: 404
    problem = find_problem(feature, pid)  # unknown problem: 404
    case = case_of(problem, ctx.campaign)
    photos = [{**p, "role_label": role_label(p.get("role")), "added_local": local_time(p.get("added_at"))}
              for p in with_urls(photos_of(feature, problem=pid))]
    by_id = {p["id"]: p for p in photos}
    timeline = []
    for entry in case.get("timeline") or []:
        timeline.append({**entry, "at_local": local_time(entry.get("at")), "action_label": action_label(entry["action"]),
                         "from_label": stage_label(entry["from"]) if entry.get("from") else None,
                         "to_label": stage_label(entry["to"]) if entry.get("to") else None,
                         "photos": [by_id[p] for p in entry.get("photos") or [] if p in by_id]})
    extension = case.get("extension")
    if extension:
        extension = {**extension, "until_local": local_time(extension.get("until")),
                     "by_label": _account_label(extension.get("by"))}
    row = case_row(layer_id, feature, problem, ctx.campaign, ctx.now())
    body = {**row, "timeline": timeline, "photos": photos, "extension": extension,
            "filed_at": case.get("filed_at"), "closed_at": case.get("closed_at"),
            "reported_by": case.get("reported_by"), "verified_by": case.get("verified_by"),
            "since_local": local_time(row.get("stage_since")), "handler_label": _account_label(case.get("handler"))}
    return {"case": body, "allowed": allowed_of(problem, feature),
            "feature": {"id": fid, "version": feature["properties"]["version"]}}


def status_after(layer_id: str, fid: str, pid: str, action: str = "confirm") -> str | None:
    """What the confirm form says the place's status will be once `action` moves the problem on, by the
    campaign's status rule: "结案后本点位状态将由 整改中 变为 已整改" (or "仍为 …" while other problems stay open)."""
    ctx = guatu()
    campaign = ctx.campaign
    props = ctx.store.get(layer_id, fid)["properties"]
    ledger_status = campaign.cases.problem_status[TO[action]]
    problems = [{**p, "status": ledger_status} if isinstance(p, dict) and p.get("id") == pid else p
                for p in props.get("problems") or []]
    now, after = props.get("status"), status_by_rule(props.get("status"), problems, campaign)
    labels = {s.key: s.label for s in campaign.statuses}
    if after == now:
        return t("cases.status_after_same", status=labels.get(now, now or ""))
    return t("cases.status_after", before=labels.get(now, now or ""), after=labels.get(after, after or ""))
