"""Render a sheet straight from geo.printing, as the web layer does."""

from __future__ import annotations

from pathlib import Path

from geo.config import load_campaign
from geo.printing.layout import parse_options
from geo.printing.render import PrintedMap, render_print
from geo.store import open_store


def render(data: Path, clock, out: Path | None = None, **args: str) -> PrintedMap:
    campaign = load_campaign(data)
    store = open_store(data, campaign, clock=clock)
    try:
        sheet = render_print(store, campaign, data, parse_options(args, campaign), clock())
    finally:
        store.close()
    if out is not None:
        out.write_bytes(sheet.data)
    return sheet
