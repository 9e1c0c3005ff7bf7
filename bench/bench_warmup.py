"""A worker's warm-up at scale: its first full wall state, and what a full garbage collection costs afterwards.

    .venv/bin/python -m bench.bench_warmup [--sizes 100000] [--repeat 3]

For each size a synthetic campaign is written (geo.synth.synthetic.write_synthetic: every place with 0–4 ledger
problems written before cases, so each case is derived from its problem's days). Each measurement is a fresh
process on the embedded store, as a new gunicorn worker is, alternating between:

* **guatu** — as the app runs: the collector paused while a state per place is built (geo/bulk.py), a
  migrated case's days read once per campaign (geo/cases/model.py), and each due's escalation moments
  (geo/cases/stats.py);
* **naive** — the same code with the collector left running during those builds and every case's days read
  again (the pause made a no-op, the days' and dues' caches bypassed).

Measured in each: every layer's places parsed, the first full wall state (packed), then one full collection
(`gc.collect()`) as the worker would meet it later, and one more after `freeze_kept_objects`, which the worker
calls at the end of its warm-up (web/wall/warmup.py). Medians of `--repeat`.

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def measure(data: Path, way: str) -> dict:
    """One warm-up in this process, the naive or Guatu's way."""
    if way == "naive":
        import geo.cases.model
        import geo.cases.stats
        import geo.journal
        import geo.store.geojson
        import geo.wall.data
        import geo.wall.state
        for module in (geo.journal, geo.store.geojson, geo.wall.data, geo.wall.state):
            module.collector_paused = nullcontext
        for name in ("_day_start", "_day_end", "_filed_due"):
            setattr(geo.cases.model, name, getattr(geo.cases.model, name).__wrapped__)
        geo.cases.stats._due_flips = geo.cases.stats._due_flips.__wrapped__
    os.environ["GUATU_DATA"] = str(data)
    from web import create_app
    from web.core.context import guatu
    from web.wall.data import full_state
    from web.wall.warmup import freeze_kept_objects

    app = create_app()
    out: dict = {}
    with app.app_context():
        ctx = guatu()
        started = time.perf_counter()
        now = ctx.now()
        places = sum(len(ctx.store.features(layer.id)) for layer in ctx.store.readable_layers())
        out["features"] = ms(started)
        started = time.perf_counter()
        full_state(ctx.wall.key(now), now, packed=True)
        out["state"] = ms(started)
    out["places"] = places
    out["objects"] = len(gc.get_objects())
    started = time.perf_counter()
    gc.collect()
    out["collect"] = ms(started)
    freeze_kept_objects()
    started = time.perf_counter()
    gc.collect()
    out["collect_frozen"] = ms(started)
    return out


def run(size: int, repeat: int, root: Path) -> dict:
    from geo.synth.synthetic import write_synthetic

    data = root / f"w{size}"
    write_synthetic(data, size)
    runs: dict[str, list[dict]] = {"naive": [], "guatu": []}
    subprocess.run([sys.executable, "-m", "bench.bench_warmup", "--one", "guatu", str(data)], cwd=REPO,
                   capture_output=True, check=True)  # not counted: a new campaign's first start writes its index
    for _ in range(repeat):
        for way in runs:  # alternating, so that a busy machine slows both alike
            child = subprocess.run([sys.executable, "-m", "bench.bench_warmup", "--one", way, str(data)],
                                   cwd=REPO, capture_output=True, text=True, check=True)
            runs[way].append(json.loads(child.stdout.strip().splitlines()[-1]))
    out: dict = {"size": size}
    for way, results in runs.items():
        for key in results[0]:
            out[f"{way}_{key}"] = statistics.median(r[key] for r in results)
    out["state_ratio"] = out["naive_state"] / out["guatu_state"]
    out["warm_ratio"] = (out["naive_features"] + out["naive_state"]) / (out["guatu_features"] + out["guatu_state"])
    return out


ROWS = [
    ("naive_features", "naive: places parsed (ms)"), ("naive_state", "naive: first full wall state (ms)"),
    ("guatu_features", "guatu: places parsed (ms)"), ("guatu_state", "guatu: first full wall state (ms)"),
    ("warm_ratio", "warm-up (both) sooner by (×)"), ("state_ratio", "  the wall state sooner by (×)"),
    ("guatu_objects", "objects the collector tracks after warm-up"),
    ("guatu_collect", "a full collection then (ms)"), ("guatu_collect_frozen", "the same once frozen (ms)"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_warmup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the campaigns here and keep them")
    parser.add_argument("--one", nargs=2, metavar=("WAY", "DATA"), help=argparse.SUPPRESS)  # a child's measurement
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(Path(args.one[1]), args.one[0])))
        return 0
    root = args.keep or Path(tempfile.mkdtemp(prefix="guatu-bench-warmup-"))
    try:
        results = [run(int(s), args.repeat, root) for s in args.sizes.split(",")]
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{'':46}" + "".join(f"{r['size']:>12,}" for r in results))
    for key, label in ROWS:
        cells = [f"{r[key]:>12.1f}" if isinstance(r[key], float) else f"{r[key]:>12,}" for r in results]
        print(f"{label:46}" + "".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
