"""The types of a stored place's values, as Guatu writes them: what every reader (the wall, the dashboard, the
case queues, printing, the daily report, the exports) relies on without checking again.

The write boundary (geo/validate.py, geo/cases) never writes anything else. A layer file edited by hand or saved
by another program is checked with `stored_place_errors` when the embedded store parses it
(geo/store/geojson.py): a place that fails withholds its layer with the file, line, place and field, as any
other damage does, instead of a 500 from deep in a reader. Only types, the case's stages and the case's instants
are checked, never the campaign's lists: a status, category, role or urgency since taken out of campaign.json is
shown as unknown, not refused, so editing campaign.json never withholds a layer; a day written in another form
(`2026/11/30`) is read as no day, as it always was.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from geo.cases.model import STAGES
from geo.errors import FieldError
from geo.messages import t
from geo.validate import photo_errors

PLACE_TEXTS = ("name", "kind", "street", "community", "status", "deadline", "unit", "notes", "updated_at",
               "updated_by")
PROBLEM_TEXTS = ("id", "category", "description", "found_on", "found_by", "deadline", "responsible", "status",
                 "closed_on")
CASE_TEXTS = ("urgency", "source", "unit", "handler", "dispatcher", "reported_by", "verified_by")
CASE_INSTANTS = ("stage_since", "stage_due", "filed_at", "closed_at")
STEP_TEXTS = ("action", "from", "to", "user", "by", "note")
FIRST_YEAR, LAST_YEAR = 1900, 9000  # a stored instant's years: wide (as stored), far from datetime's ends


def stored_place_errors(props: dict) -> list[FieldError]:
    """Every value of a place's properties whose type is not what Guatu writes, named by its path."""
    errors: list[FieldError] = []
    text_faults(props, PLACE_TEXTS, "", errors)
    if props.get("status") is None:  # every place is drawn in the colour of its status
        errors.append(FieldError("status", t("request.required")))
    for key, value in props.items():
        if key not in PLACE_TEXTS and key not in ("version", "people", "problems", "photos") \
                and value is not None and not isinstance(value, (str, int, float, bool)):
            errors.append(FieldError(str(key)[:64], t("feature.bad_extra_value")))
    people = props.get("people")
    if people is not None:
        if not isinstance(people, dict):
            errors.append(FieldError("people", t("feature.bad_people")))
        else:
            text_faults(people, tuple(people), "people.", errors)
    problems = props.get("problems")
    if problems is not None:
        if not isinstance(problems, list):
            errors.append(FieldError("problems", t("feature.bad_problems")))
        else:
            for i, problem in enumerate(problems):
                _problem(problem, f"problems[{i}]", errors)
    if props.get("photos") is not None:
        photo_errors(props["photos"], errors)
    return errors


def _problem(problem: Any, where: str, errors: list[FieldError]) -> None:
    if not isinstance(problem, dict):
        errors.append(FieldError(where, t("feature.not_an_object_value")))
        return
    text_faults(problem, PROBLEM_TEXTS, where + ".", errors)
    where += ".case"
    case = optional_object(problem.get("case"), where, errors)
    if case is None:
        return
    for key, may_be_none in (("stage", False), ("held_stage", True)):
        if case.get(key) not in STAGES and not (may_be_none and case.get(key) is None):
            errors.append(FieldError(f"{where}.{key}", t("request.not_in_enum", expected=", ".join(STAGES))))
    text_faults(case, CASE_TEXTS, where + ".", errors)
    instant_faults(case, CASE_INSTANTS, where + ".", errors)
    for key, kinds, name in (("returns", int, "integer"), ("held_left_s", (int, float), "number"),
                             ("handled_on_time", bool, "boolean"), ("extension", dict, "object")):
        value = case.get(key)
        if value is not None and (not isinstance(value, kinds) or (name != "boolean" and isinstance(value, bool))):
            errors.append(FieldError(f"{where}.{key}", t("request.wrong_type", expected=t(f"request.type_{name}"))))
    timeline = case.get("timeline")
    if timeline is None:
        return
    if not isinstance(timeline, list):
        errors.append(FieldError(f"{where}.timeline", t("case.timeline_list")))
        return
    for at, step in each_object(timeline, f"{where}.timeline", errors):
        text_faults(step, STEP_TEXTS, at + ".", errors)
        instant_faults(step, ("at",), at + ".", errors)
        for key, kinds, name in (("photos", list, "array"), ("data", dict, "object")):
            if step.get(key) is not None and not isinstance(step[key], kinds):
                errors.append(FieldError(f"{at}.{key}", t("request.wrong_type", expected=t(f"request.type_{name}"))))


def optional_object(value: Any, where: str, errors: list[FieldError]) -> dict | None:
    """`value` when it is an object; None when it is absent, or not an object (then an error at `where`)."""
    if value is not None and not isinstance(value, dict):
        errors.append(FieldError(where, t("feature.not_an_object_value")))
    return value if isinstance(value, dict) else None


def each_object(items: list, where: str, errors: list[FieldError]) -> Iterator[tuple[str, dict]]:
    """(its path, it) for each item of `items` that is an object; each other item is an error at its path."""
    for i, item in enumerate(items):
        if isinstance(item, dict):
            yield f"{where}[{i}]", item
        else:
            errors.append(FieldError(f"{where}[{i}]", t("feature.not_an_object_value")))


def text_faults(obj: dict, keys: tuple, where: str, errors: list[FieldError]) -> None:
    """Each of `keys` that is neither text nor absent (None)."""
    for key in keys:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            errors.append(FieldError(f"{where}{key}", t("feature.not_text", got=type(value).__name__)))


_EXPECTED = {str: "request.type_string", bool: "request.type_boolean", int: "request.type_integer",
             list: "request.type_array", dict: "request.type_object"}


def typed_faults(obj: dict, types: dict[str, type | tuple[type, ...]], where: str, errors: list[FieldError]) -> None:
    """Each of `types`' keys whose value is not of its type (one type, or several, `type(None)` allowing it to be
    absent); `True` is no integer."""
    for key, wanted in types.items():
        allowed = wanted if isinstance(wanted, tuple) else (wanted,)
        value = obj.get(key)
        if isinstance(value, bool) and bool not in allowed or not isinstance(value, allowed):
            expected = t("request.or").join(t(_EXPECTED[kind]) for kind in allowed if kind in _EXPECTED)
            errors.append(FieldError(f"{where}{key}", t("request.wrong_type", expected=expected)))


def instant_faults(obj: dict, keys: tuple, where: str, errors: list[FieldError]) -> None:
    """Instants with their zone, as the case loop writes them (readers compare them with aware times), in a wide
    range of years (a migrated case found on an unknown day starts in 1999 UTC, an imported due may be far ahead;
    readers move an instant to UTC and add days to it, which fails near datetime's ends)."""
    for key in keys:
        value = obj.get(key)
        if value is None:
            continue
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None:
            errors.append(FieldError(f"{where}{key}", t("dates.not_an_instant", value=str(value)[:40])))
        elif moment.tzinfo is None:
            errors.append(FieldError(f"{where}{key}", t("dates.needs_zone", value=value[:40])))
        elif not FIRST_YEAR <= moment.year <= LAST_YEAR:  # readers move it to UTC and add days to it
            errors.append(FieldError(f"{where}{key}", t("dates.out_of_range", value=value[:40], first=FIRST_YEAR,
                                                         last=LAST_YEAR)))
