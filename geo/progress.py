"""Progress against the plan: milestones (时间节点) and the day-by-day timeline.

* `milestones` compares each configured milestone (`share_done` of all places
  done by `date`) with the actual share: at the end of that day for past
  milestones (the layers as they stood then, from the journal via
  `layer_as_of`), and now for the next one; the verdict is ahead / on_track /
  behind.
* `timeline` gives, for every day of a range, the number of places in each
  status at the end of that day, replayed backwards from the current data
  through the journal — enough for a playback on the big screen.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from geo.config import Campaign
from geo.errors import FieldError, ValidationError
from geo.history import end_of_day, layer_as_of
from geo.rules import local_now
from geo.store.base import Store, iso

MAX_TIMELINE_DAYS = 400


def _share(statuses: list[str | None], campaign: Campaign) -> tuple[int, int, float]:
    total = len(statuses)
    done = sum(1 for s in statuses if s in campaign.done_statuses)
    return total, done, (done / total if total else 0.0)


def statuses_as_of(store: Store, campaign: Campaign, when: datetime) -> list[str | None]:
    return [f["properties"].get("status") for layer in campaign.layers for f in layer_as_of(store, layer.id, when)]


def current_statuses(store: Store, campaign: Campaign) -> list[str | None]:
    return [f["properties"].get("status") for layer in campaign.layers for f in store.features(layer.id)]


def _verdict(actual: float, planned: float) -> str:
    if actual > planned + 1e-9:
        return "ahead"
    if actual >= planned - 1e-9:
        return "on_track"
    return "behind"


def milestones(store: Store, campaign: Campaign, now: datetime) -> dict:
    """Plan against actual for every milestone, and where the campaign stands today."""
    today = local_now(campaign, now).date()
    total, done, share = _share(current_statuses(store, campaign), campaign)
    rows = []
    for m in campaign.milestones:
        day = date.fromisoformat(m.date)
        row = {"date": m.date, "label": m.label, "share_planned": m.share_done}
        if day < today:
            t, d, s = _share(statuses_as_of(store, campaign, end_of_day(day, campaign)), campaign)
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


def parse_range(start: str | None, end: str | None, today: date) -> tuple[date, date]:
    errors = []
    out = []
    for name, text, default in (("from", start, today - timedelta(days=29)), ("to", end, today)):
        try:
            out.append(date.fromisoformat(text) if text else default)
        except ValueError:
            errors.append(FieldError(name, f"expected YYYY-MM-DD, got {text!r}"))
    if errors:
        raise ValidationError(errors)
    first, last = out
    if first > last:
        raise ValidationError([FieldError("from", "must not be after `to`")])
    if (last - first).days + 1 > MAX_TIMELINE_DAYS:
        raise ValidationError([FieldError("from", f"at most {MAX_TIMELINE_DAYS} days at once")])
    return first, last


def timeline(store: Store, campaign: Campaign, first: date, last: date) -> dict:
    """Per day from `first` to `last`: places per status at the end of the day (campaign time zone)."""
    state: dict[tuple[str, str], str | None] = {
        (layer.id, f["id"]): f["properties"].get("status") for layer in campaign.layers for f in store.features(layer.id)
    }
    layers = {layer.id for layer in campaign.layers}
    changes = [c for c in store.changes_since(0) if c.layer in layers]
    i = len(changes)

    def undo_until(cutoff: str) -> None:
        nonlocal i
        while i > 0 and changes[i - 1].at > cutoff:
            c = changes[i - 1]
            if c.op == "create":
                state.pop((c.layer, c.id), None)
            else:
                state[(c.layer, c.id)] = c.status_before
            i -= 1

    keys = list(campaign.status_keys)
    days = []
    day = last
    while day >= first:
        undo_until(iso(end_of_day(day, campaign)))
        counts = dict.fromkeys(keys, 0)
        for s in state.values():
            counts[s] = counts.get(s, 0) + 1
        total = len(state)
        done = sum(v for k, v in counts.items() if k in campaign.done_statuses)
        days.append({"date": day.isoformat(), "counts": counts, "total": total, "done": done,
                     "share_done": round(done / total, 4) if total else 0.0})
        day -= timedelta(days=1)
    days.reverse()
    return {"from": first.isoformat(), "to": last.isoformat(), "statuses": keys, "days": days}
