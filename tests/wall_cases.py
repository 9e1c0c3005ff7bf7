"""Places whose ledger problems carry cases, written as a campaign's layer file (as the demo's are), for the tests
of the cases on the wall, the dashboard and the daily report. The clock of tests/conftest.py stands at
2026-11-24 16:00 in the campaign's time zone (a Tuesday)."""

from __future__ import annotations

from pathlib import Path

from geo.geojson_io import write_collection
from tests.conftest import make_feature

UNIT = "区住建局"


def case(stage: str, *, due: str | None, unit: str | None = UNIT, handler: str | None = "zhujianju",
         timeline: tuple = (), on_time: bool | None = None, returns: int = 0, extension: dict | None = None) -> dict:
    """A case as geo/cases stores it in its problem (times in UTC)."""
    return {"stage": stage, "urgency": "normal", "source": "planner", "unit": unit, "handler": handler,
            "dispatcher": "daxuelu", "reported_by": None, "verified_by": None, "stage_since": "2026-11-16T01:00:00+00:00",
            "stage_due": due, "filed_at": "2026-11-16T01:00:00+00:00",
            "closed_at": "2026-11-20T01:00:00+00:00" if stage == "closed" else None,
            "held_stage": None, "held_left_s": None, "extension": extension, "returns": returns,
            "handled_on_time": on_time, "timeline": [step(*s) for s in timeline]}


def step(action: str, at: str) -> dict:
    return {"action": action, "from": None, "to": None, "user": "zhujianju", "by": "住建局 (zhujianju)", "at": at,
            "note": "", "photos": [], "data": {}}


def problem(pid: str, the_case: dict, description: str = "楼道堆物") -> dict:
    status = {"filed": "open", "closed": "closed"}.get(the_case["stage"], "in_progress")
    return {"id": pid, "category": "乱堆乱放", "description": description, "found_on": "2026-11-16",
            "found_by": "社区排查", "deadline": None, "responsible": the_case["unit"], "status": status,
            "closed_on": "2026-11-20" if status == "closed" else None, "case": the_case}


def place(fid: str, name: str, problems: list[dict], x: float = 113.63, **props) -> dict:
    f = make_feature(name=name, status="in_progress", x=x, street="大学路街道", community="金桥社区",
                     problems=problems, version=1, updated_at="2026-11-16T01:00:00Z", updated_by="t", **props)
    f["id"] = fid
    return f


def write_places(data_dir: Path, features: list[dict], layer: str = "courtyards") -> None:
    (data_dir / "layers").mkdir(exist_ok=True)
    write_collection(data_dir / "layers" / f"{layer}.geojson", features, name=layer)


def record_places() -> list[dict]:
    """One unit's cases: one handling case half an hour overdue (escalated to the sub-district), one eight days
    overdue (to the district), one verifying not due yet, two closed — one reported on time in 4 hours, one late
    after 48 hours and returned once by its verifier — and one filed case of no unit yet."""
    return [
        place("c-0001", "大学路1号院", [
            problem("c-0001-p1", case("handling", due="2026-11-24T07:30:00+00:00",
                                      timeline=(("dispatch", "2026-11-23T01:00:00+00:00"),))),
            problem("c-0001-p2", case("verifying", due="2026-11-25T09:00:00+00:00",
                                      timeline=(("dispatch", "2026-11-23T01:00:00+00:00"),
                                                ("report", "2026-11-24T02:00:00+00:00")), on_time=True)),
        ]),
        place("c-0002", "大学路2号院", [
            problem("c-0002-p1", case("handling", due="2026-11-16T09:00:00+00:00",
                                      timeline=(("dispatch", "2026-11-13T01:00:00+00:00"),)), "飞线充电"),
            problem("c-0002-p2", case("closed", due=None, on_time=True,
                                      timeline=(("dispatch", "2026-11-18T01:00:00+00:00"),
                                                ("report", "2026-11-18T05:00:00+00:00"),
                                                ("confirm", "2026-11-18T07:00:00+00:00")))),
            problem("c-0002-p3", case("closed", due=None, on_time=False, returns=1,
                                      timeline=(("dispatch", "2026-11-17T01:00:00+00:00"),
                                                ("report", "2026-11-18T01:00:00+00:00"),
                                                ("return", "2026-11-18T03:00:00+00:00"),
                                                ("report", "2026-11-19T01:00:00+00:00"),
                                                ("confirm", "2026-11-19T03:00:00+00:00")))),
        ], x=113.64),
        place("c-0003", "大学路3号院", [
            problem("c-0003-p1", case("filed", due="2026-11-25T06:00:00+00:00", unit=None, handler=None)),
        ], x=113.65),
    ]
