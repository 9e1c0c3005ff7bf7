"""Photos on paper: which of a place's photos a print shows, their captions, and their pixels at print size.

The photos themselves are `geo.photos`' (a place's `photos` property, the
blobs behind `store.blobs`); this module only picks and prepares them for the
printed documents — the per-place dossier (一点一档), the daily report and the
photo strip of a printed map. A photo is decoded from its `preview` (or
`thumb`) variant and scaled down with Pillow to what the paper shows at
`PRINT_DPI`, so a PDF with many photos stays a few megabytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from PIL import Image

from geo.config import Campaign
from geo.errors import GuatuError
from geo.messages import t
from geo.photos import photo_bytes, photos_of
from geo.printing.layout import MM_PER_INCH
from geo.rules import local_now
from geo.store.base import Store
from geo.validate import PHOTO_ROLES

PRINT_DPI = 200  # pixels per inch of a printed photo: sharp on paper, small in the file
PROBLEM_ROLES = ("before", "after", "check")  # 整改前 / 整改后 / 核查, side by side in this order


def role_label(role: str) -> str:
    """现场, 整改前, 整改后, 核查 or 督导: the role's label in the catalogue (geo.photos' own words)."""
    return t(f"photo.role.{role}") if role in PHOTO_ROLES else role


def _when(entry: dict) -> datetime | None:
    for name in ("taken_at", "added_at"):
        value = entry.get(name)
        if value:
            try:
                moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError:
                continue
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def taken_local(entry: dict, campaign: Campaign) -> str:
    """When the photo was taken (or added, if the camera did not say), in the campaign's time zone."""
    moment = _when(entry)
    return f"{local_now(campaign, moment):%Y-%m-%d %H:%M}" if moment else ""


def caption(entry: dict, campaign: Campaign) -> str:
    """整改后 · 2026-11-24 15:20 — role and time, as every printed photo is captioned."""
    return " · ".join(p for p in (role_label(entry.get("role") or ""), taken_local(entry, campaign)) if p)


def problem_photos(feature: dict, problem_id: str) -> dict[str, list[dict]]:
    """A problem's photos by role (before, after, check), each oldest first: the order they are laid side by side."""
    out = {role: list(reversed(photos_of(feature, problem=problem_id, role=role))) for role in PROBLEM_ROLES}
    return {role: entries for role, entries in out.items() if entries}


def other_photos(feature: dict, shown: Iterable[str]) -> list[dict]:
    """The place's photos not already shown with a problem, newest first."""
    seen = set(shown)
    return [e for e in photos_of(feature) if e.get("id") not in seen]


def sort_key(entry: dict) -> str:
    """When the photo was taken (else added), as text that sorts in time; "" when unknown."""
    moment = _when(entry)
    return moment.astimezone(UTC).isoformat() if moment else ""


def newest_after(feature: dict) -> dict | None:
    """The place's most recently taken 整改后 photo (the one added last among equals), if it has one."""
    found = photos_of(feature, role="after")  # newest added first; max keeps the first of equal times
    return max(found, key=sort_key) if found else None


@dataclass(frozen=True)
class Picture:
    """A photo's pixels ready to draw (RGB, rows from the top) and its size in millimetres at the given box."""

    pixels: np.ndarray
    width_mm: float
    height_mm: float


def picture(store: Store, entry: dict, box_w_mm: float, box_h_mm: float, *, variant: str = "preview") -> Picture | None:
    """The photo fitted into a box of `box_w_mm` × `box_h_mm` (aspect kept), or None when its file cannot be read."""
    try:
        data = photo_bytes(store, entry["id"], variant)
        with Image.open(io.BytesIO(data)) as img:
            img = img.convert("RGB")
    except (GuatuError, OSError):  # no file (NotFound), or a file Pillow cannot read: a placeholder prints instead
        return None
    w, h = img.size
    scale = min(box_w_mm / w, box_h_mm / h)
    width_mm, height_mm = w * scale, h * scale
    target = (max(1, round(width_mm / MM_PER_INCH * PRINT_DPI)), max(1, round(height_mm / MM_PER_INCH * PRINT_DPI)))
    if target[0] < w:
        img = img.resize(target, Image.Resampling.LANCZOS)
    return Picture(np.asarray(img), width_mm, height_mm)
