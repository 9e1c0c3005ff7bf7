"""The demo's history: a made-up past for a campaign without a journal, written through the store.

`write_history` takes the places out of their layer files and creates them
again on day 0 (待排查, ledger as of then), then moves them on with a fake
clock in office hours: surveyed, started, done on the day their ledger's last
problem was closed, accepted, some relapsed when a problem came back, ending
exactly as they are now — their problems' cases too (the ops carry them, `Op.cases`: the made-up past stands in
for the case loop). Illustrative, like the positions. `make_demo_copy`
is what `./guatu serve` runs on its first start: a copy of data/ with that
history, in instance/demo/.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np

from geo.config import Campaign, load_campaign
from geo.geojson_io import atomic_write, layer_members, write_collection
from geo.messages import t
from geo.store import Op, open_store
from geo.store.geojson import JOURNAL_FILE
from geo.synth.campaign import DEMO_SEED, TODAY
from geo.synth.shift import shift_milestones, shifted
from geo.validate import SYSTEM_PROPERTIES

HISTORY_SLOTS = (time(8, 40), time(9, 20), time(10, 30), time(11, 15), time(14, 45), time(15, 30),
                 time(16, 20), time(17, 10))  # local office hours a day's edits are saved at
TODAY_SLOTS = 2  # on "today" only the morning's first two: the demo's today has barely begun
STORY = ("unsurveyed", "pending", "in_progress", "rectified", "accepted", "relapsed")  # the statuses it moves through
HISTORY_USERS = {"create": "演示数据", "pending": "排查组", "in_progress": "整治专班", "rectified": "整治专班",
                 "accepted": "督导组", "relapsed": "督导组"}  # who saves each step
SURVEY_DAYS = 45  # places are surveyed (待排查 → 待整改) within this many days of the start


def _parse_day(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def history_start(features: list[dict], today: date = TODAY) -> date:
    """Day 0 of a made-up history: the day the ledger's first problem was found (where the wall dashboard's
    progress chart begins), or five weeks before `today` for a campaign without a ledger."""
    found = [d for f in features for p in f["properties"].get("problems") or ()
             if (d := _parse_day(p.get("found_on"))) is not None and d <= today]
    return min(found, default=today - timedelta(days=35))


def _status_steps(final: str, problems: list[dict], first: date, today: date, open_keys: frozenset[str],
                  rng: np.random.Generator) -> list[tuple[date, str]]:
    """The days a place entered each status, from 待排查 on day 0 to `final` today, consistent with its ledger:
    surveyed by the day its first problem was found, done the day its last problem was closed, relapsed the day
    a problem was found again after that."""
    def clamp(day: date) -> date:
        return min(max(day, first), today)

    def later(day: date, lo: int, hi: int) -> date:
        return day + timedelta(days=int(rng.integers(lo, hi)))

    found = sorted(d for p in problems if (d := _parse_day(p.get("found_on"))))
    closed = sorted(d for p in problems if p.get("status") not in open_keys and (d := _parse_day(p.get("closed_on"))))
    steps = [(first, "unsurveyed")]
    if final == "unsurveyed":
        return steps
    survey = clamp(min([later(first, 1, SURVEY_DAYS + 1), *found[:1]]))
    if final not in STORY:  # a status the story does not know: reached on the survey day
        return [*steps, (survey, final)]
    steps.append((survey, "pending"))
    if final == "pending":
        return steps
    if final == "in_progress":
        return [*steps, (clamp(later(survey, 2, 40)), "in_progress")]
    fixed = clamp(max(closed[-1] if closed else later(survey, 10, 90), survey))  # done, or done before relapsing
    started = survey + timedelta(days=round((fixed - survey).days * rng.uniform(0.2, 0.7)))
    steps += [(started, "in_progress"), (fixed, "rectified")]
    waited = (today - fixed).days  # accepted one to three weeks after, by today
    accepted = later(fixed, 1, min(21, waited) + 1) if waited > 0 else today
    if final == "accepted":
        return [*steps, (accepted, "accepted")]
    if final == "rectified":
        return steps
    again = [d for p in problems if p.get("status") in open_keys and (d := _parse_day(p.get("found_on"))) and d > fixed]
    relapse = clamp(min(again) if again else later(fixed, 5, 40))
    if accepted < relapse and rng.random() < 0.5:
        steps.append((accepted, "accepted"))
    return [*steps, (relapse, "relapsed")]


def _problem_steps(problem: dict, work_started: date | None, first: date, today: date, first_open: str,
                   open_keys: frozenset[str], rng: np.random.Generator) -> list[tuple[date, dict]]:
    """A ledger entry's versions by day: found (open), maybe taken in hand, closed on its `closed_on`."""
    found = min(max(_parse_day(problem.get("found_on")) or first, first), today)
    state = problem.get("status")
    if state == first_open:
        return [(found, problem)]
    # before its last version a problem has no case of its own: it reads as the case geo/cases derives
    opened = {**{k: v for k, v in problem.items() if k != "case"}, "status": first_open, "closed_on": None}
    if state in open_keys:  # e.g. 整改中: taken in hand a few days after it was found, or when the work began
        handled = max(found + timedelta(days=int(rng.integers(0, 4))), work_started or found)
        return [(found, opened), (min(handled, today), problem)]
    closed = min(max(_parse_day(problem.get("closed_on")) or found, found), today)
    return [(found, opened), (closed, problem)]


def _as_of(steps: list[tuple[date, object]], day: date):
    """The value of the last step on or before `day` (None before the first)."""
    out = None
    for when, value in steps:
        if when > day:
            break
        out = value
    return out


def _place_writes(props: dict, first: date, today: date, campaign: Campaign,
                  rng: np.random.Generator) -> list[tuple[date, dict, str]]:
    """(day, status and ledger at the end of it, user) for day 0 and every day either changed, ending at the
    place's present status and ledger exactly."""
    open_keys = campaign.open_problem_statuses
    first_open = next(p.key for p in campaign.problem_statuses if p.open)
    problems = list(props.get("problems") or ())
    status = _status_steps(props["status"], problems, first, today, open_keys, rng)
    started = next((day for day, s in status if s == "in_progress"), None)
    ledger = [_problem_steps(p, started, first, today, first_open, open_keys, rng) for p in problems]
    days = sorted({first, *(d for d, _ in status), *(d for steps in ledger for d, _ in steps)})
    writes: list[tuple[date, dict, str]] = []
    before: dict = {}
    for day in days:
        now = {"status": _as_of(status, day), "problems": [v for steps in ledger if (v := _as_of(steps, day))]}
        if day == first:
            user = HISTORY_USERS["create"]
        elif now == before:
            continue
        elif now["status"] != before["status"]:
            user = HISTORY_USERS.get(now["status"], "整治专班")
        else:
            ids = {p["id"] for p in before["problems"]}
            new = [p for p in now["problems"] if p["id"] not in ids]
            user = ("督导组" if any(p.get("found_by") in campaign.inspection_sources for p in new)
                    else "排查组" if new else "整治专班")
        writes.append((day, now, user))
        before = now
    return writes


def write_history(data_dir: Path, *, days: int | None = None, today: date = TODAY,
                  seed: int = DEMO_SEED, shift_days: int = 0) -> dict:
    """Give the campaign in `data_dir` a made-up history, written through the store day by day.

    Day 0 is `days` before `today`, by default the day the ledger's first problem was found (where the
    wall dashboard's progress chart begins). The places are taken out of their layer files and created
    again on day 0 (待排查, ledger as of then), then moved on by a fake clock in office hours: surveyed,
    started, done when their last problem was closed, accepted, some relapsed when a problem came back,
    their ledger entries found and closed on their own dates. Every write is journaled with its version
    and time, and the last leaves each place exactly as it is now (status, ledger and everything else). The
    same seed and data give the same journal. Refuses a campaign that already has a journal. With
    `shift_days`, every day and instant in the places' properties is that many days later first
    (`geo.synth.shift`: the demo moved to another "today").

    Returns the first and last day, the places and the writes.
    """
    data_dir = Path(data_dir)
    campaign = load_campaign(data_dir)
    missing = [s for s in STORY if s not in campaign.status_keys]
    if missing:
        raise ValueError(t("synth.history_statuses", statuses=", ".join(STORY), missing=missing))
    store = open_store(data_dir, campaign)
    try:
        if store.revision():
            raise ValueError(t("synth.journal_exists", folder=data_dir))
        if store.layer_errors():
            raise ValueError(t("synth.layers_unreadable", folder=data_dir, errors=store.layer_errors()))
        layers = {layer.id: [{**f, "properties": shifted(f["properties"], shift_days)}
                             for f in store.features(layer.id)] for layer in campaign.layers}
    finally:
        store.close()
    first = today - timedelta(days=days) if days is not None else history_start(
        [f for features in layers.values() for f in features], today)
    if first > today:
        raise ValueError(t("synth.starts_after_today", first=first, today=today))

    rng = np.random.default_rng([seed, 4])
    batches: dict[tuple[date, int], list[tuple[str, Op]]] = {}  # (day, slot) → (user, op)
    writes = 0
    for layer_id, features in layers.items():
        for f in features:
            props = {k: v for k, v in f["properties"].items() if k not in SYSTEM_PROPERTIES}
            for n, (day, state, user) in enumerate(_place_writes(props, first, today, campaign, rng)):
                if n == 0:
                    op = Op("create", layer_id, f["id"], properties={**props, **state}, geometry=f["geometry"],
                            cases=True)
                    slot = 0
                else:
                    op = Op("update", layer_id, f["id"], properties=state, expected_version=n, cases=True)
                    slot = int(rng.integers(0, TODAY_SLOTS if day == today else len(HISTORY_SLOTS)))
                batches.setdefault((day, slot), []).append((user, op))
                writes += 1

    originals = {data_dir / layer.file: (data_dir / layer.file).read_bytes() for layer in campaign.layers}
    for layer in campaign.layers:  # the places come back, one by one, through the store
        write_collection(data_dir / layer.file, [], name=layer.id, members=layer_members(0, 0), checksum="guatu")
    at = [datetime.combine(first, HISTORY_SLOTS[0], tzinfo=campaign.timezone)]
    store = open_store(data_dir, campaign, clock=lambda: at[0])
    try:
        for (day, slot), ops in sorted(batches.items(), key=lambda item: item[0]):
            by_user: dict[str, list[Op]] = {}
            for user, op in ops:
                by_user.setdefault(user, []).append(op)
            for n, (user, group) in enumerate(by_user.items()):  # one save per user, a second apart
                at[0] = datetime.combine(day, HISTORY_SLOTS[slot], tzinfo=campaign.timezone) + timedelta(seconds=n)
                store.apply(group, user=user)
    except BaseException:  # leave the campaign as it was: its layer files back, no journal
        store.close()
        (data_dir / JOURNAL_FILE).unlink(missing_ok=True)
        store.journal.index_path.unlink(missing_ok=True)
        for path, data in originals.items():
            atomic_write(path, data)
        raise
    store.close()
    return {"from": first.isoformat(), "to": today.isoformat(),
            "places": sum(len(f) for f in layers.values()), "writes": writes}


def make_demo_copy(source: Path, target: Path, *, seed: int = DEMO_SEED, as_of: date | None = None) -> bool:
    """A working copy of the demo campaign in `target`, with a made-up history (`write_history`), for
    `./guatu serve`; `source` is only read. With `as_of`, the demo is moved in time so that its today is
    `as_of` (`geo.synth.shift`). Made once: an existing `target` is kept as it is (returns False).
    The copy is made beside `target` and renamed into place, so an interrupted start leaves none."""
    source, target = Path(source), Path(target)
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    work = target.with_name(f".{target.name}.making-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    try:
        shutil.copytree(source, work, ignore=shutil.ignore_patterns("journal.jsonl", "*.lock", "__pycache__"))
        days = (as_of - TODAY).days if as_of else 0
        shift_milestones(work, days)
        write_history(work, seed=seed, today=TODAY + timedelta(days=days), shift_days=days)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return True
