"""A long fuzzing run of both OpenAPI documents: no input may make a 5xx.

    .venv/bin/python -m bench.fuzz_api [--examples 2000] [--api own|ogc|both] [--seed 0]

Builds a private deployment of the demo campaign in a temporary folder (a
few places, an editor with an API token), loads the own API's document
(/api/openapi.json) and the OGC API's (/ogc/api) with schemathesis, and for
every operation sends --examples positive and --examples negative cases
(schema-valid and schema-breaking) as the editor. Every answer is checked
against the document as in the test suite (tests/web/test_openapi.py,
tests/ogcapi/test_openapi_document.py): `nonconf` counts answers off the
document (status, content type, headers, shape). Prints one row per
operation — cases, 2xx/3xx, 4xx, 5xx, nonconf — with the first 5xx of each
operation below the table, and exits 1 if any answer was a 5xx.

The suite runs the same fuzz with a small budget on every change; this is
the long run, for before a release or after a change to validation.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection, positive_data_acceptance

from geo.config import load_campaign
from geo.store import open_store

REPO = Path(__file__).resolve().parent.parent
# schema-valid input may still break a campaign rule (outside the area, a day too far off): 4xx, not a fault
EXCLUDED = [ignored_auth, positive_data_acceptance]


@dataclass
class Tally:
    cases: int = 0
    statuses: Counter = field(default_factory=Counter)
    nonconforming: int = 0
    first_5xx: str = ""


def deployment(root: Path):
    """The demo campaign with three places; returns (app, the editor's token)."""
    from web import create_app

    data = root / "data"
    data.mkdir()
    shutil.copy(REPO / "data" / "campaign.json", data / "campaign.json")
    shutil.copytree(REPO / "data" / "boundaries", data / "boundaries")
    store = open_store(data, load_campaign(data))
    for i, (name, status) in enumerate((("兑周村1号院", "accepted"), ("中原东路5号院", "pending"), ("大学路3号院", "in_progress"))):
        x, y = 113.660 + 0.002 * i, 34.72
        ring = [[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]
        store.create("courtyards", {"type": "Feature", "properties": {"name": name, "kind": "楼院", "status": status},
                                    "geometry": {"type": "Polygon", "coordinates": [ring]}}, user="bench")
    app = create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_INSTANCE": str(root / "instance")})
    accounts = app.extensions["guatu_accounts"]
    accounts.create_user("editor1", "correct horse battery", "editor", "李编")
    _, secret = accounts.create_api_token("editor1", "fuzz")
    return app, secret


def _runner(operation, mode, examples: int, seed: int, headers: dict, tally: Tally, excluded: list):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck),
              database=None, derandomize=seed == 0)
    def run(case):
        tally.cases += 1
        response = case.call(headers=headers)
        tally.statuses[response.status_code // 100] += 1
        if response.status_code >= 500 and not tally.first_5xx:
            tally.first_5xx = f"{case.method} {case.formatted_path} → {response.status_code}: {response.text[:200]}"
        try:
            case.validate_response(response, headers=headers, excluded_checks=excluded)
        except (Failure, FailureGroup):
            tally.nonconforming += 1

    return run


def fuzz(schema, headers: dict, examples: int, seed: int, tallies: dict, label: str) -> None:
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            tally = tallies.setdefault((label, operation.method.upper(), operation.path, mode.value), Tally())
            # OGC API – Features reads a limit above the documented maximum as the maximum, never as an error
            clamps = label == "ogc" and (operation.method.upper(), operation.path) == ("GET", "/collections/{collectionId}/items")
            excluded = EXCLUDED + ([negative_data_rejection] if clamps else [])

            run = _runner(operation, mode, examples, seed, headers, tally, excluded)
            try:
                run()
            except Unsatisfiable:
                pass  # an operation without anything to break has no negative cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="cases per operation and mode (default 2000)")
    parser.add_argument("--api", choices=("own", "ogc", "both"), default="both")
    parser.add_argument("--seed", type=int, default=0, help="0: derandomized (the same cases every run)")
    args = parser.parse_args(argv)
    tallies: dict[tuple, Tally] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="guatu-fuzz-") as tmp:
        app, secret = deployment(Path(tmp))
        headers = {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}
        if args.api in ("own", "both"):
            fuzz(schemathesis.openapi.from_wsgi("/api/openapi.json", app), headers, args.examples, args.seed, tallies, "own")
        if args.api in ("ogc", "both"):
            fuzz(schemathesis.openapi.from_wsgi("/ogc/api", app), headers, args.examples, args.seed, tallies, "ogc")
    elapsed = time.monotonic() - started

    width = max(len(f"{m} {p}") for _, m, p, _ in tallies) + 2
    print(f"{'api':4} {'operation':{width}} {'mode':9} {'cases':>7} {'2xx/3xx':>8} {'4xx':>7} {'5xx':>5} {'nonconf':>8}")
    totals = Tally()
    for (label, method, path, mode), t in tallies.items():
        ok = t.statuses[2] + t.statuses[3]
        print(f"{label:4} {method + ' ' + path:{width}} {mode:9} {t.cases:7d} {ok:8d} {t.statuses[4]:7d} "
              f"{t.statuses[5]:5d} {t.nonconforming:8d}")
        totals.cases += t.cases
        totals.statuses.update(t.statuses)
        totals.nonconforming += t.nonconforming
    print(f"{'all':4} {'':{width}} {'':9} {totals.cases:7d} {totals.statuses[2] + totals.statuses[3]:8d} "
          f"{totals.statuses[4]:7d} {totals.statuses[5]:5d} {totals.nonconforming:8d}")
    print(f"{len(tallies)} operation-modes, {totals.cases} cases in {elapsed:.0f} s")
    faults = [(key, t.first_5xx) for key, t in tallies.items() if t.first_5xx]
    for (label, method, path, mode), first in faults:
        print(f"5xx in {label} {method} {path} ({mode}): {first}")
    return 1 if totals.statuses[5] else 0


if __name__ == "__main__":
    sys.exit(main())
