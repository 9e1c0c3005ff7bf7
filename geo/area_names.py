"""Finding a sub-district (街道) or community (社区) by the name a person types.

One rule for every page that takes an area's name — the wall's URL, `/print`,
the atlas: the name as written (NFKC-normalised, trimmed) matches exactly, else
the one known name that contains it ("大学路" finds 大学路街道). `find_area`
says which it was, or that none or several fit, with the close names to offer.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_SUGGESTIONS = 5


def clean_name(text: str) -> str:
    """A typed name as it is compared: NFKC (full-width letters and digits folded), trimmed."""
    return unicodedata.normalize("NFKC", str(text)).strip()


@dataclass(frozen=True)
class AreaMatch:
    """What a typed name found: `name` when exactly one area fits, else the candidates to offer."""

    name: str | None
    candidates: tuple[str, ...] = ()  # several that contain it (ambiguous), or close names (none found)
    ambiguous: bool = False  # several names contain the typed one


def find_area(typed: str, known: Iterable[str]) -> AreaMatch:
    """The known area `typed` names: exact, else the only one containing it; else the close names."""
    names = list(dict.fromkeys(n for n in known if n))
    wanted = clean_name(typed)
    if wanted in names:
        return AreaMatch(wanted)
    containing = [n for n in names if wanted and wanted in n]
    if len(containing) == 1:
        return AreaMatch(containing[0])
    if containing:
        return AreaMatch(None, tuple(containing[:MAX_SUGGESTIONS * 2]), ambiguous=True)
    close = difflib.get_close_matches(wanted, names, n=MAX_SUGGESTIONS, cutoff=0.4)
    close += [n for n in names if n not in close and any(ch in n for ch in wanted)][: MAX_SUGGESTIONS - len(close)]
    return AreaMatch(None, tuple(close))
