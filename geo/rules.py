"""Derived campaign rules: overdue (逾期) and overnight (过夜, 问题不过夜).

Neither is ever stored; both follow from the data and the clock, in the
campaign's own time zone, so a wall map in Zhengzhou turns a problem overdue
at local midnight whatever the server's zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from geo.config import Campaign


def local_now(campaign: Campaign, now: datetime) -> datetime:
    return now.astimezone(campaign.timezone)


def _date(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def problem_is_open(problem: dict, campaign: Campaign) -> bool:
    return problem.get("status") in campaign.open_problem_statuses


def problem_overdue(problem: dict, campaign: Campaign, today: date) -> bool:
    """An open problem whose deadline has passed."""
    deadline = _date(problem.get("deadline"))
    return problem_is_open(problem, campaign) and deadline is not None and deadline < today


def problem_overnight(problem: dict, campaign: Campaign, now: datetime) -> bool:
    """Found by an inspection and still open after the next morning's cut-off."""
    if not problem_is_open(problem, campaign) or problem.get("found_by") not in campaign.inspection_sources:
        return False
    found = _date(problem.get("found_on"))
    if found is None:
        return False
    deadline = datetime.combine(found + timedelta(days=1), campaign.overnight_cutoff, tzinfo=campaign.timezone)
    return now >= deadline


def place_past_deadline(props: dict, campaign: Campaign, today: date) -> bool:
    """A place past its own deadline and not done (whatever its problems)."""
    deadline = _date(props.get("deadline"))
    return deadline is not None and deadline < today and props.get("status") not in campaign.done_statuses


def place_overdue(props: dict, campaign: Campaign, today: date) -> bool:
    """A place past its own deadline and not done, or with an overdue open problem."""
    if place_past_deadline(props, campaign, today):
        return True
    return any(problem_overdue(p, campaign, today) for p in props.get("problems") or ())


def open_problems(props: dict, campaign: Campaign) -> list[dict]:
    return [p for p in props.get("problems") or () if problem_is_open(p, campaign)]


def status_by_rule(status: str | None, problems: list[dict], campaign: Campaign) -> str | None:
    """The status the configured rule gives a place with these problems (`status_rule`): a done place with an open
    problem goes back to `when_open`, a place whose problems are all closed goes to `when_all_closed`."""
    rule = campaign.status_rule
    if not rule.enabled:
        return status
    has_open = any(p.get("status") in campaign.open_problem_statuses for p in problems)
    if has_open and status in campaign.done_statuses:
        return rule.when_open
    if not has_open and problems and status not in campaign.done_statuses:
        return rule.when_all_closed
    return status
