"""Atlases: one PDF of a page per sub-district against the same pages printed one by one.

    .venv/bin/python -m bench.bench_atlas [--by street] [--repeat 1]

Copies the demo campaign into a temporary folder and makes the atlas
(`geo.printing.atlas.render_atlas`: cover, index, a sheet per area, all pages
drawing with one font subset and added to one PdfPages) and, for comparison,
each area's sheet as its own /print PDF (`render_print`, each with a subset of
its own characters). Each time is the median of --repeat runs after one
warm-up run (so matplotlib's font cache and the subsets exist). Prints a table
of seconds, seconds per page and the ratio; the atlas should cost no more per
page than single sheets do.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from geo.config import load_campaign  # noqa: E402
from geo.printing.atlas import render_atlas, sections_by_area  # noqa: E402
from geo.printing.layout import PrintOptions  # noqa: E402
from geo.printing.render import render_print  # noqa: E402
from geo.store import open_store  # noqa: E402

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
DEMO = Path(__file__).resolve().parents[1] / "data"


def demo_areas(data: Path) -> dict[str, set[str]]:
    areas: dict[str, set[str]] = {}
    for f in json.loads((data / "boundaries" / "streets.geojson").read_text("utf-8"))["features"]:
        areas[f["properties"]["name"]] = set()
    for f in json.loads((data / "boundaries" / "communities.geojson").read_text("utf-8"))["features"]:
        areas.setdefault(f["properties"].get("street") or "", set()).add(f["properties"]["name"])
    return {k: v for k, v in areas.items() if k}


def median_time(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--by", default="street", choices=("street", "community"))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(DEMO, data)
        campaign = load_campaign(data)
        store = open_store(data, campaign)
        try:
            sections = sections_by_area(args.by, demo_areas(data), PrintOptions(paper="A4"))

            def atlas():
                return render_atlas(store, campaign, data, sections, by=args.by, day=date(2026, 11, 24), now=NOW)

            def singles():
                for s in sections:
                    render_print(store, campaign, data, replace(s.options, locator=True), NOW)

            t_atlas = median_time(atlas, args.repeat)
            t_singles = median_time(singles, args.repeat)
            pages = len(sections) + 2
        finally:
            store.close()
    print(f"| {'what':<34} | {'seconds':>8} | {'s / sheet':>9} |")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 11}|")
    print(f"| {f'atlas by {args.by}, {pages} pages':<34} | {t_atlas:8.2f} | {t_atlas / len(sections):9.2f} |")
    print(f"| {f'{len(sections)} single /print sheets':<34} | {t_singles:8.2f} | {t_singles / len(sections):9.2f} |")
    print(f"\natlas / singles: {t_atlas / t_singles:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
