"""What a display link may show: its scope (layers, sub-district, community), and the wall state cut to it.

A display link (a read-only `/wall?…&display=gd_…` URL for a command-room
screen) is bound to the wall-map URL it was made for. Its scope is that
URL's layers, street and community (geo/wall/params.py); everything it reads
must stay inside: places of other sub-districts, communities or layers are
neither listed nor counted. A link made with photos on also sees the photos of
its places, as thumbnails only (`allows_photo`); one made without sees none.
web/access/display_scope.py enforces this on every endpoint a display link
can reach; the rules are here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from geo.config import Campaign
from geo.messages import t
from geo.store.base import Store
from geo.wall.codec import pack_ids, unpack_ids
from geo.wall.params import WallView, in_scope
from geo.wall.state import COLUMNS, StateKey

if TYPE_CHECKING:
    from geo.wall.data import WallData

PHOTO_VARIANT = "thumb"  # the one size of a photo a display link may be shown


@dataclass(frozen=True)
class DisplayScope:
    layers: tuple[str, ...]
    street: str | None = None
    community: str | None = None
    all_layers: bool = True
    photos: bool = False  # the link was made with photos on

    @classmethod
    def of(cls, view: WallView, campaign: Campaign, *, photos: bool = False) -> DisplayScope:
        every = tuple(x.id for x in campaign.layers)
        return cls(layers=view.layers, street=view.street, community=view.community,
                   all_layers=set(view.layers) >= set(every), photos=photos)

    @property
    def has_area(self) -> bool:
        return bool(self.street or self.community)

    @property
    def whole_campaign(self) -> bool:
        """Every layer of every sub-district: nothing to cut."""
        return self.all_layers and not self.has_area

    def describe(self) -> str:
        """The scope in a few words, for messages: 大学路街道 · 金桥社区 · courtyards,roads."""
        parts = [p for p in (self.street, self.community) if p]
        if not self.all_layers:
            parts.append(",".join(self.layers))
        return " · ".join(parts) or t("places.all")

    def allows_layer(self, layer_id: str) -> bool:
        return layer_id in self.layers

    def allows_place(self, layer_id: str, props: Mapping) -> bool:
        return self.allows_layer(layer_id) and in_scope(dict(props), self.street, self.community)

    def allows_photo(self, variant: str | None) -> bool:
        """Whether the link may read a photo's `variant` (None: a place's list of photos): with photos on,
        the list and the thumbnail; never the preview, the full image or the original."""
        return self.photos and variant in (None, PHOTO_VARIANT)

    def place_ids(self, store: Store, layer_id: str) -> frozenset[str]:
        """The ids of a layer's places inside the scope (PostgreSQL finds them in SQL: a large layer is not read)."""
        return store.ids_in_area(layer_id, self.street, self.community)


def scoped_state(doc: dict, keep: Mapping[str, frozenset[str] | None], campaign: Campaign) -> dict:
    """A wall state (full, packed or not, or a delta) with only the places in `keep`.

    `keep` maps each layer in scope to the ids of its places in scope (None: all of them); other layers are
    dropped. A full state's counts and totals are counted again over what is kept. In a delta, a changed place
    outside the scope is sent as removed: it may have just left it (moved to another sub-district), and a
    screen that never had it lets the removal pass."""
    delta = doc.get("kind") == "delta"
    layers = {}
    for layer_id, entry in doc.get("layers", {}).items():
        if layer_id not in keep:
            continue
        allowed = keep[layer_id]
        entry = dict(entry)
        if allowed is not None:
            left: list[str] = []
            if isinstance(entry.get("features"), dict):
                left = [fid for fid in entry["features"] if fid not in allowed]
                entry["features"] = {fid: v for fid, v in entry["features"].items() if fid in allowed}
            if "ids" in entry:
                ids = unpack_ids(entry["ids"])
                rows = [i for i, fid in enumerate(ids) if fid in allowed]
                left += [fid for fid in ids if fid not in allowed]
                entry["ids"] = pack_ids([ids[i] for i in rows])
                for name in COLUMNS:
                    if name in entry:
                        entry[name] = [entry[name][i] for i in rows]
            if delta and left:
                entry["removed"] = [*entry.get("removed", []), *left]
        layers[layer_id] = entry
    out = {**doc, "layers": layers}
    if doc.get("kind") == "full":
        _recount(out, campaign)
    return out


def scoped_full(wall: WallData, key: StateKey, now: datetime, keep: Mapping[str, frozenset[str] | None], *,
                packed: bool) -> dict:
    """The full wall state `scoped_state` cuts to `keep`, made from the state `wall` keeps: only the places kept
    are taken and written, where cutting the whole state's JSON parsed and wrote every place (at a million
    places a second's work for each screen of one sub-district)."""
    out = wall.full(key, now, packed=packed, keep=keep)
    _recount(out, wall.campaign)
    return out


def _recount(doc: dict, campaign: Campaign) -> None:
    statuses = doc.get("statuses")  # packed: status indexes point into this list
    order = list(statuses) if statuses else list(campaign.status_keys)
    totals = {key: 0 for key in campaign.status_keys}
    overdue_places = overnight = overdue_problems = escalated = 0
    for entry in doc["layers"].values():
        counts: dict = {}
        if "ids" in entry:
            rows = zip(entry.get("status", []), entry.get("flags", []), entry.get("overdue_problems", []), strict=False)
            for index, flags, late in rows:
                status = order[index] if 0 <= index < len(order) else None
                counts[status] = counts.get(status, 0) + 1
                overdue_places += flags & 1
                overnight += (flags >> 1) & 1
                escalated += (flags >> 2) > 0
                overdue_problems += late
        else:
            for item in entry.get("features", {}).values():
                counts[item[0]] = counts.get(item[0], 0) + 1
                overdue_places += item[1]
                overnight += item[2]
                escalated += len(item) > 6
                overdue_problems += item[4]
        entry["counts"] = {s: counts[s] for s in order if s in counts} | {
            s: n for s, n in counts.items() if s not in order}
        for status, n in counts.items():
            totals[status] = totals.get(status, 0) + n
    doc["counts"] = {key: totals.get(key, 0) for key in campaign.status_keys}
    doc["total"] = sum(totals.values())
    doc["overdue_places"], doc["overnight_places"], doc["overdue_problems"] = overdue_places, overnight, overdue_problems
    if "escalated_places" in doc:
        doc["escalated_places"] = escalated
