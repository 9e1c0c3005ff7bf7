"""The inspection route: its length and the time to plan it, against the drawn (unordered) order.

    .venv/bin/python -m bench.bench_route [--lists 20] [--sizes 10,30,100]

Draws `--lists` daily lists of each size from the demo campaign (geo.inspections.draw
with seeds 1…N, the list as drawn: sorted by sub-district), and plans each one's route
from the campaign's start (geo.inspections.route_start) with geo.route.plan: nearest
neighbour, then 2-opt and or-opt (or-opt only up to geo.route.OR_OPT_UP_TO stops).
Prints, per size, the median length of the drawn order and of the route, their ratio,
nearest neighbour alone for comparison, and the median time to plan.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from geo import inspections as insp
from geo.config import load_campaign
from geo.printing.data import metric_crs
from geo.route import distances, nearest_neighbour, path_length, plan, project
from geo.store import open_store
from geo.synth.campaign import TODAY

DATA = Path(__file__).resolve().parent.parent / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_route", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lists", type=int, default=20)
    parser.add_argument("--sizes", default="10,30,100")
    args = parser.parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    data_dir = Path(tmp.name) / "data"
    shutil.copytree(DATA, data_dir)  # the checkout's demo is only read
    campaign = load_campaign(data_dir)
    store = open_store(data_dir, campaign)
    now = datetime.combine(TODAY, datetime.min.time()).replace(hour=9, tzinfo=campaign.timezone)
    pool = insp.candidates(store, campaign, now)
    start, _ = insp.route_start(store, campaign)
    crs = metric_crs(campaign)
    print(f"Inspection routes on the demo ({len(pool)} places), {args.lists} lists per size, medians "
          f"(Python {sys.version.split()[0]})")
    print("| stops | drawn order (km) | nearest neighbour (km) | route (km) | route / drawn | plan (ms) |")
    print("|---|---|---|---|---|---|")
    for n in (int(x) for x in args.sizes.split(",")):
        drawn, nn, routed, ms = [], [], [], []
        for seed in range(1, args.lists + 1):
            picked = insp.draw(pool, n, seed)
            points = [p for p in insp.interior_points([store.get(c.layer, c.id)["geometry"] for c in picked]) if p]
            began = time.perf_counter()
            route = plan(points, (start[0], start[1]), crs)
            ms.append((time.perf_counter() - began) * 1000)
            d = distances(project([tuple(start), *points], crs))
            nn.append(path_length(d, nearest_neighbour(d)) / 1000)
            drawn.append(route.given_length_m / 1000)
            routed.append(route.length_m / 1000)
        ratio = statistics.median(r / g for r, g in zip(routed, drawn, strict=True))
        print(f"| {n} | {statistics.median(drawn):.1f} | {statistics.median(nn):.1f} | {statistics.median(routed):.1f} "
              f"| {ratio:.2f}× | {statistics.median(ms):.0f} |")
    store.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
