"""Writing the case of every problem that has none (`flask --app web store migrate-cases`): open → 立案 (filed), or
派遣 (handling) with its deadline when it has one and a responsible; closed → 结案. Each place is one journaled
update through the store's case write path, so both stores, the history and the wall see it; running it again
changes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from geo.cases.model import STAGES, case_of, in_step, iso
from geo.config import Campaign
from geo.rules import status_by_rule

if TYPE_CHECKING:
    from geo.store.base import Store


def migrate_cases(store: Store, campaign: Campaign, now: datetime, *, user: str) -> dict:
    """Give every problem without a case the case it is read as; a report: {"places": places written,
    "problems": problems given a case, "already": problems that had one, "stages": {stage: count}}."""
    report = {"places": 0, "problems": 0, "already": 0, "stages": dict.fromkeys(STAGES, 0)}
    for layer in store.readable_layers():
        for feature in store.features(layer.id):
            props = feature["properties"]
            problems = props.get("problems") or []
            if not any(isinstance(p, dict) and not isinstance(p.get("case"), dict) for p in problems):
                report["already"] += sum(1 for p in problems if isinstance(p, dict))
                continue
            written = []
            for problem in problems:
                if not isinstance(problem, dict) or isinstance(problem.get("case"), dict):
                    report["already"] += isinstance(problem, dict)
                    written.append(problem)
                    continue
                case = case_of(problem, campaign)
                case["timeline"].append({"action": "migrate", "from": None, "to": case["stage"], "user": user,
                                         "by": user, "at": iso(now), "note": "", "photos": [], "data": {}})
                written.append(in_step(problem, case, campaign))
                report["problems"] += 1
                report["stages"][case["stage"]] += 1
            changes: dict = {"problems": written}
            status = status_by_rule(props.get("status"), written, campaign)
            if status != props.get("status"):
                changes["status"] = status
            store.update(layer.id, feature["id"], expected_version=props["version"], user=user, properties=changes,
                         case_write=True)
            report["places"] += 1
    return report
