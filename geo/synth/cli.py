"""The command line of geo.synth (`python -m geo.synth`): the demo campaign, its made-up history, a working
copy of the demo, synthetic campaigns.

    python -m geo.synth demo --out data
    python -m geo.synth history DIR [--days N]
    python -m geo.synth demo-copy data instance/demo [--as-of today]
    python -m geo.synth synthetic --count 100000 --out /tmp/s100k [--seed 1]
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path
from time import perf_counter

import geo.synth
from geo.config import load_campaign
from geo.messages import t
from geo.synth.campaign import DEFAULT_CAMPAIGN, DEMO_SEED, write_demo
from geo.synth.history import make_demo_copy, write_history
from geo.synth.synthetic import write_synthetic


def _as_of(value: str | None, source: Path) -> date | None:
    """The day the demo copy is moved to: None (its own), 'today' in the campaign's time zone, or a day."""
    if value is None:
        return None
    if value == "today":
        return datetime.now(load_campaign(source).timezone).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(t("synth.bad_day", value=value)) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.synth", description=geo.synth.__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="write the Erqi demo campaign's layers and boundaries")
    demo.add_argument("--out", type=Path, default=DEFAULT_CAMPAIGN.parent, help="data directory")
    synth = sub.add_parser("synthetic", help="write a large synthetic campaign")
    synth.add_argument("--count", type=int, required=True, help="number of courtyards")
    synth.add_argument("--out", type=Path, required=True, help="data directory to create")
    synth.add_argument("--seed", type=int, default=1)
    history = sub.add_parser("history", help="give a campaign without a journal a made-up history")
    history.add_argument("dir", type=Path, help="data directory")
    history.add_argument("--days", type=int, default=None,
                         help="start N days before the demo's today (default: the day the ledger's first problem "
                              "was found, where the dashboard's progress chart begins)")
    history.add_argument("--seed", type=int, default=DEMO_SEED)
    copy = sub.add_parser("demo-copy", help="copy a demo campaign and give the copy a history, unless it exists")
    copy.add_argument("source", type=Path, help="the demo's data directory (only read)")
    copy.add_argument("target", type=Path, help="the working copy to make")
    copy.add_argument("--as-of", default=None, metavar="YYYY-MM-DD|today",
                      help="move the demo in time so that its today is this day ('today': the campaign's today)")
    args = parser.parse_args(argv)
    started = perf_counter()
    try:
        if args.command == "history":
            done = write_history(args.dir, days=args.days, seed=args.seed)
            print(f"history: {done['writes']} changes to {done['places']} places, {done['from']} to {done['to']} "
                  f"→ {args.dir} ({perf_counter() - started:.1f} s)")
            return 0
        if args.command == "demo-copy":
            made = make_demo_copy(args.source, args.target, as_of=_as_of(args.as_of, args.source))
            print(f"demo-copy: {args.source} → {args.target}, with a made-up history "
                  f"({perf_counter() - started:.1f} s)" if made else f"demo-copy: {args.target} exists, kept as it is")
            return 0
    except ValueError as exc:
        parser.exit(1, f"{args.command}: {exc}\n")
    if args.command == "demo":
        counts = write_demo(args.out)
    else:
        counts = write_synthetic(args.out, args.count, args.seed)
    summary = ", ".join(f"{layer} {n}" for layer, n in counts.items())
    print(f"{args.command}: {summary} → {args.out} ({perf_counter() - started:.1f} s)")
    return 0

