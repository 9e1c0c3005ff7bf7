"""Finding a layer's places by name on the server, as every page finds them in the browser (web/static/js/lib/search.js).

No Flask here. A name and the text typed are compared in their normal form (`name_key`: NFKC, so full-width
letters and digits are the plain ones, lower case, spaces, dots, dashes, brackets and quotes dropped); a place
whose name contains the text is found, a name that starts with it before one that only contains it, shorter names
first, then by name, then in the layer's order; a place whose id is the text typed is found too; a wall screen
of one sub-district or community finds only its places. The editor and the wall ask for a large layer's places
this way (a million names would be tens of megabytes in the browser): the embedded
store compares every name (their normal forms kept for the layer's revision), PostgreSQL in SQL over the normal
form it keeps in a generated column (geo/store/migrations/0009_name_key.sql, `guatu_name_key`), the text put in
the same form there: lower case folds the Latin letters A–Z only in the database (collation "C", whatever its
locale), so "École" finds "École" there but "école" does not; Chinese names have no case.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Iterable

MAX_TEXT = 100  # characters of a search text
MAX_FOUND = 50  # places one search may ask for
# a character class: what a name's normal form leaves out (lib/dom.js; migration 0009 has the same)
IGNORED = "\\s·・\\-—–_()()【】\\[\\]\"“”'‘’"
_IGNORED = re.compile(f"[{IGNORED}]")

Candidate = tuple[str, str | None, str | None, str | None]  # id, name, street, community


def name_key(text: object) -> str:
    """A name's normal form (lib/dom.js `normalise`)."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", str(text or "")).lower())


def rank(key: str, wanted: str) -> int | None:
    """Where a normal form stands for the text's normal form `wanted` (lower first), None when not found: a name
    starting with it before one containing it, the shorter first (lib/search.js)."""
    at = key.find(wanted)
    if at < 0:
        return None
    return (0 if at == 0 else 1) * 1000 + len(key)


def best(candidates: Iterable[tuple[str, Candidate]], text: str, limit: int) -> list[dict]:
    """The `limit` best places among (normal form, candidate) pairs in the layer's order, as dicts."""
    wanted = name_key(text)
    if not wanted:
        return []
    found = []
    for order, (key, candidate) in enumerate(candidates):
        at = rank(key, wanted)
        if at is None and candidate[0] == text:
            at = 1000 + len(key)  # the id typed in full (lib/search.js ranks it as a name containing the text)
        if at is not None:
            found.append((at, str(candidate[1] or ""), order, candidate))
    return [found_place(c) for *_, c in heapq.nsmallest(limit, found)]


def in_area(candidates: Iterable[tuple[str, Candidate]], street: str | None,
            community: str | None) -> Iterable[tuple[str, Candidate]]:
    """The candidates of a sub-district and community (either left out: any), in their order."""
    if not street and not community:
        return candidates
    return (pair for pair in candidates
            if (not street or pair[1][2] == street) and (not community or pair[1][3] == community))


def found_place(candidate: Candidate) -> dict:
    fid, name, street, community = candidate
    return {"id": fid, "name": name, "street": street, "community": community}
