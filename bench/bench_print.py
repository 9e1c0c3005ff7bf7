"""Printed maps: Guatu's renderer against the naive GeoDataFrame.plot, on 20 000 places.

    .venv/bin/python -m bench.bench_print [--count 20000] [--repeat 3]

Writes a synthetic campaign (geo.synth.synthetic.write_synthetic) into a temporary
folder and renders an A3 landscape PDF and a 300-dpi A3 PNG both ways:

* naive: GeoDataFrame.from_features → to_crs(UTM) → plot(color=status colours)
  → legend → savefig at the same size and dpi (no title, scale bar, table…);
* guatu: `geo.printing.render.render_print`, the full layout (title, legend with
  counts, scale bar, north arrow, sub-district table, labels, overdue halos),
  "cold" with the layer arrays rebuilt from the store's features, "warm"
  with them cached as a running server has them.

Each time is the median of --repeat runs after one warm-up run of each (so
matplotlib's font cache and the font subset exist). Prints a table of
seconds and ratios; the target is guatu cold ≤ 1.5 × naive and under 5 s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from geo.config import Campaign, load_campaign  # noqa: E402
from geo.printing import data as print_data  # noqa: E402
from geo.printing.data import metric_crs  # noqa: E402
from geo.printing.fonts import find_cjk_font  # noqa: E402
from geo.printing.layout import format_scale, parse_options  # noqa: E402
from geo.printing.render import render_print  # noqa: E402
from geo.store import open_store  # noqa: E402
from geo.synth.synthetic import write_synthetic  # noqa: E402

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
CASES = (("A3 landscape PDF", {"paper": "A3", "orientation": "landscape", "format": "pdf"}),
         ("A3 landscape PNG 300 dpi", {"paper": "A3", "orientation": "landscape", "format": "png", "dpi": "300"}))
TARGET_RATIO, TARGET_SECONDS = 1.5, 5.0


def naive(features: list[dict], campaign: Campaign, options) -> bytes:
    """What one writes first: GeoDataFrame.plot with a colour per status, a legend, savefig."""
    colours = {s.key: s.color for s in campaign.statuses}
    gdf = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326").to_crs(metric_crs(campaign))
    width, height = options.size_mm
    fig, ax = plt.subplots(figsize=(width / 25.4, height / 25.4))
    gdf.plot(ax=ax, color=gdf["status"].map(colours), edgecolor="#555555", linewidth=0.2)
    ax.legend(handles=[Patch(facecolor=s.color, edgecolor="#555555", label=s.label) for s in campaign.statuses],
              loc="upper right", title="整改状态")
    ax.set_axis_off()
    buf = io.BytesIO()
    fig.savefig(buf, format=options.format, dpi=options.dpi)
    plt.close(fig)
    return buf.getvalue()


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_print", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    source = find_cjk_font()
    font_manager.fontManager.addfont(source.path)
    plt.rcParams["font.family"] = "Noto Sans CJK SC"  # the naive map gets Chinese too, for a fair legend

    with tempfile.TemporaryDirectory(prefix="guatu-bench-print-") as tmp:
        data_dir = Path(tmp)
        write_synthetic(data_dir, args.count)
        campaign = load_campaign(data_dir)
        store = open_store(data_dir, campaign)
        features = [f for layer in campaign.layers for f in store.features(layer.id)]
        rows = []
        for label, params in CASES:
            options = parse_options(params, campaign)

            def ours(cold: bool, options=options):
                if cold:
                    print_data._cache.clear()
                return render_print(store, campaign, data_dir, options, NOW)

            naive(features, campaign, options)  # warm-up
            ours(True)
            t_naive, naive_bytes = timed(lambda options=options: naive(features, campaign, options), args.repeat)
            t_cold, sheet = timed(lambda: ours(True), args.repeat)
            t_warm, _ = timed(lambda: ours(False), args.repeat)
            rows.append((label, t_naive, t_cold, t_warm, len(naive_bytes), len(sheet.data), sheet.scale))
        store.close()

    print(f"Printed maps, {args.count} synthetic places, median of {args.repeat} (Python {sys.version.split()[0]}, "
          f"matplotlib {matplotlib.__version__})")
    head = f"| {'sheet':<26} | {'naive s':>8} | {'guatu cold s':>12} | {'guatu warm s':>12} | {'cold/naive':>10} | " \
           f"{'warm/naive':>10} | {'naive MB':>8} | {'guatu MB':>8} | {'scale':>9} |"
    print(head)
    print("|" + "|".join("-" * (len(cell)) for cell in head.split("|")[1:-1]) + "|")
    ok = True
    for label, t_naive, t_cold, t_warm, n_bytes, g_bytes, scale in rows:
        print(f"| {label:<26} | {t_naive:>8.2f} | {t_cold:>12.2f} | {t_warm:>12.2f} | {t_cold / t_naive:>9.2f}× | "
              f"{t_warm / t_naive:>9.2f}× | {n_bytes / 1e6:>8.2f} | {g_bytes / 1e6:>8.2f} | {format_scale(scale):>9} |")
        ok &= t_cold <= TARGET_RATIO * t_naive and t_cold < TARGET_SECONDS
    print(f"target: guatu cold ≤ {TARGET_RATIO}× naive and < {TARGET_SECONDS:.0f} s with the full layout: "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
