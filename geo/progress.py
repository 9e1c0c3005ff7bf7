"""Progress against the plan: milestones (时间节点) and places per status day by day.

* `milestones` compares each configured milestone (`share_done` of all places
  done by `date`) with the actual share: at the end of that day for past
  milestones (the layers as they stood then, from the journal via
  `layer_as_of`), and now for the next one; the verdict is ahead / on_track /
  behind.
* `finish_estimates` says, per sub-district (街道) and for the whole campaign,
  when every place will be done at the pace of the last `progress.pace_days`
  days (net places reaching a done status, from the journal), against the
  milestone that asks for all of them (share_done 1): 预计完成.
* `timeline` gives, for every day of a range, the number of places in each
  status at the end of that day — enough for a playback on the big screen.

Places per status (and so places done) at the end of each day are computed
here once, for the timeline and for the wall dashboard's progress chart
(geo/dashboard.py): `status_history` is one place's status over time, from
the journal; `status_steps` the places it adds to and takes from each status
on each day; `counts_per_day` adds up steps of many places over a range of
days; `done_of` counts the done ones. The rules are `layer_as_of`'s: a change
counts for the day whose end (local midnight) it does not come after; before
its first change a place stood as that change found it (or did not exist, if
the change created it); a place the journal never saw stood as it is now all
along (no guess from its `updated_at`).
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta

from geo.config import Campaign, Milestone
from geo.dates import BadDate, parse_day
from geo.errors import BadParameters, FieldError
from geo.history import end_of_day, layer_as_of
from geo.journal import ChangeSummary
from geo.kept import interned
from geo.messages import compose, message_of, t
from geo.rules import local_now
from geo.store.base import Store

MAX_TIMELINE_DAYS = 400
NO_STREET = t("places.no_street")


def _share(statuses: list[str | None], campaign: Campaign) -> tuple[int, int, float]:
    total = len(statuses)
    done = sum(1 for s in statuses if s in campaign.done_statuses)
    return total, done, (done / total if total else 0.0)


def statuses_as_of(store: Store, campaign: Campaign, when: datetime) -> list[str | None]:
    return [f["properties"].get("status") for layer in campaign.layers for f in layer_as_of(store, layer.id, when)]


def current_statuses(store: Store, campaign: Campaign) -> list[str | None]:
    return [f["properties"].get("status") for layer in campaign.layers for f in store.each_feature(layer.id)]


def _verdict(actual: float, planned: float) -> str:
    if actual > planned + 1e-9:
        return "ahead"
    if actual >= planned - 1e-9:
        return "on_track"
    return "behind"


def milestones(store: Store, campaign: Campaign, now: datetime) -> dict:
    """Plan against actual for every milestone, and where the campaign stands today (from scratch: the journal
    replayed back to each past milestone; geo/progress_kept.py keeps the same answer between revisions)."""
    return plan(campaign, local_now(campaign, now).date(), _share(current_statuses(store, campaign), campaign),
                lambda day: _share(statuses_as_of(store, campaign, end_of_day(day, campaign)), campaign))


Share = tuple[int, int, float]  # places, places done, the share done


def plan(campaign: Campaign, today: date, now: Share, past: Callable[[date], Share]) -> dict:
    """`milestones`' answer from the share done now and at the end of a past day (`past`)."""
    total, done, share = now
    rows = []
    for m in campaign.milestones:
        day = date.fromisoformat(m.date)
        row = {"date": m.date, "label": m.label, "share_planned": m.share_done}
        if day < today:
            t, d, s = past(day)
            row.update(passed=True, total=t, done=d, share_actual=round(s, 4), verdict=_verdict(s, m.share_done))
        else:
            row.update(passed=False, total=total, done=done, share_actual=round(share, 4),
                       days_left=(day - today).days, verdict=_verdict(share, m.share_done))
        rows.append(row)
    upcoming = next((r for r in rows if not r["passed"]), None)
    last = next((r for r in reversed(rows) if r["passed"]), None)
    planned_now = last["share_planned"] if last else 0.0
    if upcoming:  # the plan rises in a straight line from the last milestone (or the first day) to the next
        start_day = date.fromisoformat(last["date"]) if last else None
        if start_day is not None:
            span = (date.fromisoformat(upcoming["date"]) - start_day).days
            gone = (today - start_day).days
            planned_now = planned_now + (upcoming["share_planned"] - planned_now) * (gone / span if span else 1)
    return {
        "day": today.isoformat(), "total": total, "done": done, "share_done": round(share, 4),
        "share_planned": round(planned_now, 4), "verdict": _verdict(share, planned_now),
        "next": upcoming, "milestones": rows,
    }


def finish_estimates(store: Store, campaign: Campaign, now: datetime, *, past: bool = False) -> dict:
    """预计完成: per sub-district (the places' `street`, in name order) and for the whole campaign, the places
    done now and at the end of the day `pace_days` days ago (the journal replayed as `timeline` does), the pace
    between them, and the day every place would be done at that pace, against the first milestone asking for
    all places (share_done 1). A row's `state` is `done` (nothing left), `estimated`, or `no_pace` (nothing got
    done over those days, or more relapsed than got done: 无法估计).

    `past`: `now` is a moment gone by (the end of a past day, as the daily report of that day asks): the places
    as they stood then (`layer_as_of`), the pace of the `pace_days` days before it, the finish counted from it."""
    today = (_change_day(now.isoformat(), campaign.timezone) if past else None) or local_now(campaign, now).date()
    days = campaign.pace_days
    since = today - timedelta(days=days)
    journal = journal_by_place(store.changes_since(0), {layer.id for layer in campaign.layers})
    tallies: dict[str, list[int]] = {}  # street → [places, done now, done then]
    for layer in campaign.layers:
        for f in layer_as_of(store, layer.id, now) if past else store.each_feature(layer.id):
            props = f["properties"]
            status = props.get("status")
            changes = journal.get((layer.id, f["id"]), [])
            then = status_at(status_history(changes, campaign, today, status), since)
            tally = tallies.setdefault(props.get("street") or NO_STREET, [0, 0, 0])
            tally[0] += 1
            tally[1] += status in campaign.done_statuses
            tally[2] += then in campaign.done_statuses
    return estimates(campaign, today, tallies)


def estimates(campaign: Campaign, today: date, tallies: Mapping[str, list[int]]) -> dict:
    """`finish_estimates`' answer from its tallies: street → [places, done now, done `pace_days` days ago]."""
    days = campaign.pace_days
    deadline = next((m for m in campaign.milestones if m.share_done >= 1), None)
    whole = [sum(col) for col in zip(*tallies.values(), strict=True)] if tallies else [0, 0, 0]
    return {
        "day": today.isoformat(), "pace_days": days,
        "deadline": {"date": deadline.date, "label": deadline.label} if deadline else None,
        "campaign": _estimate(None, *whole, today=today, days=days, deadline=deadline),
        "streets": [_estimate(name, *tallies[name], today=today, days=days, deadline=deadline)
                    for name in sorted(tallies)],
    }


def status_at(events: list[Event], day: date) -> object:
    """A place's status at the end of `day`, from its `status_history`."""
    out: object = ABSENT
    for when, status in events:
        if when is not None and when > day:
            break
        out = status
    return out


def _estimate(street: str | None, total: int, done: int, done_then: int, *, today: date, days: int,
              deadline: Milestone | None) -> dict:
    left = total - done
    per_day = (done - done_then) / days
    row = {"street": street, "total": total, "done": done, "left": left, "done_in_pace": done - done_then,
           "per_day": round(per_day, 3), "state": "no_pace", "finish": None, "days_late": None}
    if left <= 0:
        row["state"] = "done"
    elif per_day > 0:
        finish = today + timedelta(days=math.ceil(left / per_day - 1e-9))
        row.update(state="estimated", finish=finish.isoformat())
        if deadline is not None:
            row["days_late"] = (finish - date.fromisoformat(deadline.date)).days
    row["text"] = estimate_text(row, days, deadline)
    return row


def estimate_text(row: dict, days: int, deadline: Milestone | None) -> str:
    """One estimate as people read it: 按近 14 天进度,预计 2027-01-18 完成,晚于年底节点 18 天."""
    if row["state"] == "done":
        return t("progress.estimate_done")
    if row["state"] == "no_pace":
        return t("progress.estimate_none", days=days)
    text = t("progress.estimate", days=days, finish=row["finish"])
    if deadline is None:
        return text
    node = deadline.label or deadline.date
    late = row["days_late"]
    if late > 0:
        return compose("{a}{sep}{b}", a=text, sep=t("progress.estimate_sep"),
                       b=t("progress.estimate_late", node=node, n=late))
    if late < 0:
        return compose("{a}{sep}{b}", a=text, sep=t("progress.estimate_sep"),
                       b=t("progress.estimate_early", node=node, n=-late))
    return compose("{a}{sep}{b}", a=text, sep=t("progress.estimate_sep"), b=t("progress.estimate_on_node", node=node))


def parse_range(start: str | None, end: str | None, today: date) -> tuple[date, date]:
    errors = []
    out = []
    for name, text, default in (("from", start, today - timedelta(days=29)), ("to", end, today)):
        try:
            out.append(parse_day(text) if text else default)
        except BadDate as exc:
            errors.append(FieldError(name, message_of(exc)))
    if errors:
        raise BadParameters(errors)
    first, last = out
    if first > last:
        raise BadParameters([FieldError("from", t("progress.from_after_to"))])
    if (last - first).days + 1 > MAX_TIMELINE_DAYS:
        raise BadParameters([FieldError("from", t("progress.too_many_days", maximum=MAX_TIMELINE_DAYS))])
    return first, last


def timeline(store: Store, campaign: Campaign, first: date, last: date) -> dict:
    """Per day from `first` to `last`: places per status at the end of the day (campaign time zone), of the
    readable layers, from scratch (a process keeps the steps: geo/progress_kept.py `ProgressData.timeline`)."""
    today = local_now(campaign, store.clock()).date()
    layers = store.readable_layers()
    journal = journal_by_place(store.changes_since(0), {layer.id for layer in layers})
    histories = [status_history([], campaign, today, f["properties"].get("status"))
                 for layer in layers for f in store.each_feature(layer.id) if (layer.id, f["id"]) not in journal]
    histories.extend(status_history(changes, campaign, today) for changes in journal.values())
    steps: Counter = Counter()
    for events in histories:
        for day, status, step in status_steps(events):
            steps[(day, status)] += step
    return timeline_of(steps, campaign, first, last)


def timeline_of(steps: Mapping[tuple[Day, object], int], campaign: Campaign, first: date, last: date) -> dict:
    """The timeline's answer from the places' status steps summed ((day, status) → net places)."""
    days = [day_row(first + timedelta(days=n), per_status, campaign)
            for n, per_status in enumerate(counts_per_day(steps, first, last))]
    return {"from": first.isoformat(), "to": last.isoformat(), "statuses": list(campaign.status_keys), "days": days}


def day_row(day: date, per_status: Mapping[object, int], campaign: Campaign) -> dict:
    """A timeline's day: places per status at its end (the campaign's statuses first, then any other met), total,
    done and share done."""
    counts = {s: per_status.get(s, 0) for s in campaign.status_keys}
    counts.update(sorted(((s, k) for s, k in per_status.items() if k and s not in counts), key=_status_order))
    total = sum(counts.values())
    done = done_of(counts, campaign)
    return {"date": day.isoformat(), "counts": counts, "total": total, "done": done,
            "share_done": round(done / total, 4) if total else 0.0}


# --- places per status, day by day (the timeline and the dashboard's chart) -------------

class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()  # the "status" of a place that does not exist (yet, or any more); a status may itself be None
Day = date | None  # None: before the journal knew the place
Event = tuple[Day, object]  # (day, status or ABSENT)


def journal_by_place(changes: Iterable[ChangeSummary], layers: Container[str]) -> dict[tuple[str, str], list[ChangeSummary]]:
    """The changes of each place of these layers, oldest first."""
    out: dict[tuple[str, str], list[ChangeSummary]] = {}
    for c in changes:
        if c.layer in layers:
            out.setdefault((c.layer, c.id), []).append(c)
    return out


def add_to_journal(journal: dict[tuple[str, str], list[ChangeSummary]], changes: Iterable[ChangeSummary],
                   layers: Container[str]) -> dict[tuple[str, str], None]:
    """Each change of a place of these layers added after its place's changes (as `journal_by_place` has them,
    which does not keep the places touched: the whole journal's at a million places is a dict of 100 MB); the
    places they touch, each once, in the order first touched."""
    touched: dict[tuple[str, str], None] = {}
    for c in changes:
        if c.layer in layers:
            key = (c.layer, c.id)
            journal.setdefault(key, []).append(c)
            touched[key] = None
    return touched


def readable_places(store: Store, revision: int) -> tuple[dict[tuple[str, str], list[ChangeSummary]],
                                                          Iterator[tuple[tuple[str, str], dict]]]:
    """What an index of the readable layers is built from: each place's changes up to `revision`, oldest first,
    and every place now as ((layer, id), properties), walked lazily in the layers' order."""
    readable = [x.id for x in store.readable_layers()]
    journal = journal_by_place((c for c in store.changes_since(0) if c.seq <= revision), readable)
    places = (((layer_id, interned(f["id"])), f["properties"]) for layer_id in readable for f in store.each_feature(layer_id))
    return journal, places


def change_day(stamp: str, campaign: Campaign) -> date | None:
    """The local day a change made at `stamp` counts for: the day whose end it does not come after."""
    return _change_day(stamp, campaign.timezone) if isinstance(stamp, str) else None


@functools.lru_cache(maxsize=65536)
def _change_day(stamp: str, zone) -> date | None:
    try:
        at = datetime.fromisoformat(stamp).astimezone(zone)
    except ValueError:
        return None
    return at.date() - timedelta(days=1) if at.time() == time(0) else at.date()


def status_history(changes: list[ChangeSummary], campaign: Campaign, today: date, status_now: object = ABSENT
                   ) -> list[Event]:
    """One place's status over time from its journal changes, oldest first (a time that cannot be read counts
    as `today`). A place the journal never saw stood as it is now (`status_now`) all along."""
    if not changes:
        return [(None, status_now)]
    first = changes[0]
    out: list[Event] = [(None, ABSENT if first.op == "create" else first.status_before)]
    out.extend((change_day(c.at, campaign) or today, ABSENT if c.op == "delete" else c.status) for c in changes)
    return out


def status_steps(events: Iterable[Event]) -> list[tuple[Day, object, int]]:
    """(day, status, +1 or -1) each time the place enters or leaves a status."""
    out: list[tuple[Day, object, int]] = []
    before: object = ABSENT
    for day, status in events:
        if status == before:
            continue
        if before is not ABSENT:
            out.append((day, before, -1))
        if status is not ABSENT:
            out.append((day, status, 1))
        before = status
    return out


def counts_per_day(steps: Mapping[tuple[Day, object], int], first: date, last: date) -> list[dict[object, int]]:
    """Places per status at the end of each day from `first` to `last`, from steps summed over places
    ((day, status) → net places; steps before `first` or before the journal make the first day's base)."""
    n = (last - first).days + 1
    base: Counter = Counter()
    change = [Counter() for _ in range(max(n, 0))]
    for (day, status), k in steps.items():
        if day is None or day < first:
            base[status] += k
        elif day <= last:
            change[(day - first).days][status] += k
    out = []
    for delta in change:
        base.update(delta)  # adds, keeping zeros and (for a journal that contradicts itself) negatives
        out.append(dict(base))
    return out


def done_of(counts: Mapping[object, int], campaign: Campaign) -> int:
    """Places done among places per status."""
    return sum(counts.get(s, 0) for s in campaign.done_statuses)


def _status_order(item: tuple[object, int]) -> tuple:
    return (item[0] is None, str(item[0]))
