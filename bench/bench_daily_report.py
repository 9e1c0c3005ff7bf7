"""The daily report's PDF on the demo campaign: the leader-first layout against the old one, page by page tables.

    .venv/bin/python -m bench.bench_daily_report [--repeat 3]

Copies the demo campaign with its made-up history (geo.synth.history.make_demo_copy)
into a temporary folder, draws the day's inspection list and renders the report of
the demo's "today" both ways, without the printed map both ways (the map is the
same call in both; it is timed on its own):

* before: what the report was — every sheet paginated 30 rows a page with
  matplotlib's `Table` (which measures each cell again and again), empty sheets
  as a page of their own;
* after: `geo.daily_report_pdf.build_pdf`, the leader's two pages, then the
  details flowing one after another, laid out in millimetres and drawn with
  fpdf2 (text placed, never measured; the font subset once to what is drawn).

Each time is the median of --repeat runs after one warm-up run of each. Prints
seconds, pages and the ratio; the target is the report with its map ≤ 2 s.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from geo import inspections as insp  # noqa: E402
from geo.config import load_campaign  # noqa: E402
from geo.daily_report import SHEETS, day_map, report_data  # noqa: E402
from geo.daily_report_pdf import build_pdf  # noqa: E402
from geo.printing.fonts import print_font  # noqa: E402
from geo.store import open_store  # noqa: E402
from geo.synth.campaign import TODAY  # noqa: E402
from geo.synth.history import make_demo_copy  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"
TARGET_SECONDS = 2.0


def before(data: dict) -> bytes:
    """The old layout: a page per 30 rows of each sheet, drawn with matplotlib.table.Table."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    # every character it draws: the sheets' names too (单位考核's 考 was missing once, printed as an empty box)
    chars = "".join(str(c) for rows in data["sheets"].values() for row in rows for c in row) + "".join(SHEETS) + "(无)"
    font = FontProperties(fname=str(print_font(chars + data["title"])))
    buf = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(buf) as pdf:
        for name in SHEETS:
            rows = data["sheets"][name]
            body = [[str(c)[:16] for c in r] for r in rows[1:]] or [["(无)"] + [""] * (len(rows[0]) - 1)]
            for start in range(0, len(body), 30):
                fig = Figure(figsize=(8.27, 11.69))
                fig.text(0.07, 0.95, f"{name} {data['day']}", fontproperties=font, fontsize=15)
                ax = fig.add_axes((0.05, 0.1, 0.9, 0.8))
                ax.set_axis_off()
                table = ax.table(cellText=[[str(c) for c in rows[0]], *body[start:start + 30]], loc="upper center")
                table.auto_set_font_size(False)
                for cell in table.get_celld().values():
                    cell.get_text().set_fontproperties(font)
                    cell.get_text().set_fontsize(7.5)
                table.auto_set_column_width(list(range(len(rows[0]))))
                pdf.savefig(fig)
    return buf.getvalue()


def pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, text=False).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def timed(fn, repeat: int) -> tuple[float, bytes]:
    out = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_daily_report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "demo"
        make_demo_copy(DATA, data_dir)
        campaign = load_campaign(data_dir)
        store = open_store(data_dir, campaign)
        now = datetime.combine(TODAY, datetime.min.time()).replace(hour=17, tzinfo=campaign.timezone)
        insp.generate(store, campaign, TODAY, seed=1, user="bench")
        t_data, data = timed(lambda: report_data(store, campaign, TODAY, now), args.repeat)
        t_before, old = timed(lambda: before(data), args.repeat)
        t_after, new = timed(lambda: build_pdf(data, store, campaign, with_map=False), args.repeat)
        t_map, _ = timed(lambda: day_map(store, campaign, data_dir, now), args.repeat)
        store.close()
    rows = [("report_data", t_data, None), ("before: tables (no map)", t_before, pages(old)),
            ("after: leader first (no map)", t_after, pages(new)), ("the printed map", t_map, 1)]
    print(f"Daily report PDF, demo campaign, median of {args.repeat} (Python {sys.version.split()[0]})")
    print("| step | seconds | pages |")
    print("|---|---|---|")
    for label, seconds, n in rows:
        print(f"| {label} | {seconds:.2f} | {'' if n is None else n} |")
    total = t_data + t_after + t_map
    print(f"after / before: {t_after / t_before:.2f}× the time, {pages(new)} pages instead of {pages(old)}")
    print(f"the whole report after (data, pages, map): {total:.2f} s; target ≤ {TARGET_SECONDS:.0f} s: "
          f"{'met' if total <= TARGET_SECONDS else 'not met on this machine'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
