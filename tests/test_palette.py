"""The demo's status colours stay apart for colour-blind viewers and in greyscale.

Every pair of statuses is compared by CIEDE2000 (ΔE00) after simulating each colour-vision deficiency at full
severity with Machado, Oliveira and Fernandes' matrices (2009) — protanopia, deuteranopia, tritanopia — and
after dropping all colour but CIE L* (a greyscale print or screen). ColorAide does both.

The minimums, and why:
- ΔE00 ≈ 2 is just noticeable for two large patches side by side; a wall map shows small fills far apart,
  read at a glance from across a room, so a status must differ from every other by several times that.
  15 under every simulation (7 JNDs) is what a palette of six statuses can keep while still reading
  red–amber–green; the old default's 待整改 and 已验收 fell to 4.4 under protanopia.
- In greyscale only lightness is left, and six classes share L* 0–100 with the lightest (待排查) near white
  on purpose, so the steps are smaller: 8 (each status one clear lightness step from every other).
- With normal vision the pairs keep at least 20.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from coloraide.everything import ColorAll as Color

from geo.config import load_campaign

REPO = Path(__file__).resolve().parents[1]

MIN_SIMULATED = 15.0
MIN_GREY = 8.0
MIN_NORMAL = 20.0


def _seen(colour: str, vision: str) -> Color:
    """A colour as a viewer with `vision` sees it."""
    c = Color(colour)
    if vision == "normal":
        return c
    if vision == "grey":
        return Color("lab", [c.convert("lab")["lightness"], 0, 0])
    return c.filter(vision, method="machado")


def _closest_pair(colours: dict[str, str], vision: str) -> tuple[float, str, str]:
    seen = {key: _seen(colour, vision) for key, colour in colours.items()}
    return min((seen[a].delta_e(seen[b], method="2000"), a, b) for a, b in itertools.combinations(seen, 2))


def _demo_colours() -> dict[str, str]:
    return {s.key: s.color for s in load_campaign(REPO / "data").statuses}


@pytest.mark.parametrize(("vision", "minimum"), [("protan", MIN_SIMULATED), ("deutan", MIN_SIMULATED),
                                                 ("tritan", MIN_SIMULATED), ("grey", MIN_GREY),
                                                 ("normal", MIN_NORMAL)])
def test_every_pair_of_demo_statuses_stays_apart(vision, minimum):
    distance, a, b = _closest_pair(_demo_colours(), vision)
    assert distance >= minimum, f"{a} and {b} are only ΔE00 {distance:.1f} apart ({vision})"


def test_the_old_default_failed_red_blind_viewers():
    """The check is not vacuous: the palette the issue reported (待整改 #de3637, 已验收 #236425) fails it."""
    old = {"unsurveyed": "#ebebeb", "pending": "#de3637", "in_progress": "#f48722", "rectified": "#a5d47b",
           "accepted": "#236425", "relapsed": "#3d2b78"}
    distance, a, b = _closest_pair(old, "protan")
    assert (a, b) == ("pending", "accepted")
    assert distance < 5


def test_the_demo_keeps_red_amber_green():
    """待整改 reads red, 整改中 amber, 已整改 and 已验收 green (hue angles in CIE LCh)."""
    hue = {key: Color(colour).convert("lch")["hue"] for key, colour in _demo_colours().items()}
    assert hue["pending"] < 40 or hue["pending"] > 350
    assert 45 <= hue["in_progress"] <= 80
    assert 110 <= hue["rectified"] <= 160
    assert 110 <= hue["accepted"] <= 160
