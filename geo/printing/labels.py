"""Label placement: names that do not pile up.

Greedy collision avoidance, as cartographers do it by hand: candidates are
taken in priority order (sub-district names first, then places by size);
each may sit at a few positions around its anchor, and a position is kept
only if its box lies inside the map frame and overlaps neither an obstacle
(scale bar, north arrow) nor a label already placed. Boxes are looked up in
a uniform grid, so a candidate costs a few comparisons, not one per placed
label. Sizes are estimated from the characters (CJK one em wide, others
about half), which is all the greedy test needs.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from geo.printing.layout import PT_TO_MM

LATIN_EM = 0.58  # average advance of Latin letters and digits in Noto Sans, in ems
# Where a label may go, as offsets of its centre in label heights: on the anchor, above, below.
POSITIONS = ((0.0, 0.0), (0.0, 1.1), (0.0, -1.1))


def text_width_em(text: str) -> float:
    """Approximate advance of `text` in ems: wide (CJK, full-width) characters count 1."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else LATIN_EM for ch in text)


def label_size_mm(text: str, size_pt: float, pad: float = 0.15) -> tuple[float, float]:
    """Width and height of a label box in millimetres, with a halo's margin."""
    em = size_pt * PT_TO_MM
    return (text_width_em(text) + 2 * pad) * em, (1.0 + 2 * pad) * em


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


class _Grid:
    def __init__(self, cell: float) -> None:
        self.cell = max(cell, 1e-6)
        self.buckets: dict[tuple[int, int], list[Box]] = defaultdict(list)

    def _cells(self, box: Box):
        c = self.cell
        for i in range(int(box.x0 // c), int(box.x1 // c) + 1):
            for j in range(int(box.y0 // c), int(box.y1 // c) + 1):
                yield i, j

    def free(self, box: Box) -> bool:
        return not any(box.overlaps(other) for key in self._cells(box) for other in self.buckets.get(key, ()))

    def add(self, box: Box) -> None:
        for key in self._cells(box):
            self.buckets[key].append(box)


def place_labels(x: np.ndarray, y: np.ndarray, widths: np.ndarray, heights: np.ndarray, frame: Box,
                 obstacles: list[Box] = (), positions: tuple[tuple[float, float], ...] = POSITIONS,
                 limit: int | None = None) -> list[tuple[int, float, float]]:
    """Greedily place labels given in priority order; returns (index, centre x, centre y) of those kept.

    All arrays are in the same units (millimetres on the sheet); `frame` is the
    area labels must stay inside.
    """
    x, y, widths, heights = (np.asarray(a, dtype=float) for a in (x, y, widths, heights))
    inside = (x >= frame.x0) & (x <= frame.x1) & (y >= frame.y0) & (y <= frame.y1)
    grid = _Grid(float(np.median(heights)) * 2 if len(heights) else 1.0)
    for box in obstacles:
        grid.add(box)
    kept: list[tuple[int, float, float]] = []
    for i in np.flatnonzero(inside).tolist():
        w2, h = widths[i] / 2, heights[i]
        for dx, dy in positions:
            cx, cy = x[i] + dx * w2 * 2, y[i] + dy * h
            box = Box(cx - w2, cy - h / 2, cx + w2, cy + h / 2)
            if box.x0 < frame.x0 or box.x1 > frame.x1 or box.y0 < frame.y0 or box.y1 > frame.y1:
                continue
            if grid.free(box):
                grid.add(box)
                kept.append((i, cx, cy))
                break
        if limit is not None and len(kept) >= limit:
            break
    return kept


def wrap(text: str, width_mm: float, size_pt: float, max_lines: int | None = None) -> list[str]:
    """`text` broken into lines that fit `width_mm` at `size_pt` (CJK characters one em, Latin narrower)."""
    limit = width_mm / (size_pt * PT_TO_MM)
    lines: list[str] = []
    for paragraph in str(text or "").splitlines() or [""]:
        line, used = "", 0.0
        for ch in paragraph:
            w = text_width_em(ch)
            if line and used + w > limit:
                lines.append(line)
                line, used = "", 0.0
            line += ch
            used += w
        lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines or [""]
