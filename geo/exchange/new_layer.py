"""A layer made by an import: its description checked, then written into campaign.json.

`new_layer(campaign, layer_id, title, kinds, geometry_types)` checks what a
person asked for (an id of lower-case letters, digits and `_` that no layer
has, a title, the kinds of place) and returns the `Layer`, with the geometry
types the file's places have (`geometry_types_of`) and an id prefix no other
layer uses. Nothing is written.

`add_layer(data_dir, layer)` appends it to the campaign file, under a lock
beside the file, written to a temporary name, synced and renamed into place
(readers see the old file or the new one), and checked by the campaign's
schema before it is written. The layer's places live where every layer's do:
the embedded store's file `layers/<id>.geojson` appears at its first write;
PostGIS keeps them in its `features` table like any layer's.

Every process of the campaign takes the new layer without a restart: the one
that wrote it at once (`Store.adopt_campaign`), the others when they see
campaign.json change (web/core/context.py `Guatu.follow_campaign`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from filelock import FileLock

from geo.config import CAMPAIGN_FILE, Campaign, Layer, load_campaign, parse_campaign
from geo.errors import FieldError, ValidationError
from geo.geojson_io import atomic_write
from geo.messages import t

LAYER_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_TITLE = 40
MAX_KINDS = 30
_KIND_SPLIT = re.compile(r"[,,、;;\n]+")
_GROUPS = ((("Polygon", "MultiPolygon"), ("Polygon", "MultiPolygon")),
           (("LineString", "MultiLineString"), ("LineString", "MultiLineString")),
           (("Point", "MultiPoint"), ("Point", "MultiPoint")))


def split_kinds(text: str | Iterable[str] | None) -> list[str]:
    """"老旧小区、背街小巷" (or a list) → ["老旧小区", "背街小巷"], blanks and repeats left out."""
    parts = _KIND_SPLIT.split(text) if isinstance(text, str) else list(text or [])
    return list(dict.fromkeys(p.strip() for p in parts if isinstance(p, str) and p.strip()))


def geometry_types_of(geometries: Iterable[dict | None]) -> tuple[str, ...]:
    """The geometry types a layer needs for these shapes: each kind found, single and multi-part."""
    found = {g.get("type") for g in geometries if isinstance(g, dict)}
    return tuple(t for singles, types in _GROUPS if found & set(singles) for t in types)


def new_layer(campaign: Campaign, layer_id: str, title: str, kinds: str | Iterable[str] | None,
              geometry_types: tuple[str, ...]) -> Layer:
    """The layer a person asks an import to make; ValidationError naming each field that is wrong."""
    layer_id = (layer_id or "").strip()
    title = (title or "").strip()
    kind_list = split_kinds(kinds) or ([title] if title else [])
    errors = []
    if not LAYER_ID.match(layer_id):
        errors.append(FieldError("new_layer_id", t("import.new_layer.bad_id", id=repr(layer_id))))
    elif any(x.id == layer_id for x in campaign.layers):
        errors.append(FieldError("new_layer_id", t("import.new_layer.id_taken", id=layer_id,
                                                   title=campaign.layer(layer_id).title)))
    if not title or len(title) > MAX_TITLE:
        errors.append(FieldError("new_layer_title", t("import.new_layer.bad_title", limit=MAX_TITLE)))
    elif any(x.title == title for x in campaign.layers):
        errors.append(FieldError("new_layer_title", t("import.new_layer.title_taken", title=title)))
    if len(kind_list) > MAX_KINDS or any(len(k) > MAX_TITLE for k in kind_list):
        errors.append(FieldError("new_layer_kinds", t("import.new_layer.bad_kinds", count=MAX_KINDS, limit=MAX_TITLE)))
    if not geometry_types:
        errors.append(FieldError("file", t("import.new_layer.no_geometry")))
    if errors:
        raise ValidationError(errors)
    taken = {x.id_prefix for x in campaign.layers}
    prefix = layer_id[:1] if layer_id[:1] not in taken else layer_id
    return Layer(layer_id, title, f"layers/{layer_id}.geojson", tuple(geometry_types), tuple(kind_list), prefix)


def layer_entry(layer: Layer) -> dict:
    """The layer as campaign.json writes it."""
    return {"id": layer.id, "title": layer.title, "file": layer.file, "id_prefix": layer.id_prefix,
            "geometry_types": list(layer.geometry_types), "kinds": list(layer.kinds)}


def layer_of(entry: dict) -> Layer:
    """The layer of a campaign.json entry written by `layer_entry` (kept in an import's preview)."""
    return Layer(entry["id"], entry["title"], entry["file"], tuple(entry["geometry_types"]), tuple(entry["kinds"]),
                 entry["id_prefix"])


def add_layer(data_dir: Path | str, layer: Layer) -> Campaign:
    """Write `layer` into the campaign file of `data_dir` (crash-safe, one writer at a time) and return the
    campaign as it now reads; a layer with its id or title there already is refused (ValidationError), unless
    it is this very layer (a commit tried again after the layer was made)."""
    path = Path(data_dir) / CAMPAIGN_FILE
    with FileLock(str(path) + ".lock", timeout=10):
        campaign = load_campaign(data_dir)
        if layer in campaign.layers:
            return campaign
        new_layer(campaign, layer.id, layer.title, layer.kinds, layer.geometry_types)  # someone may have been first
        raw = json.loads(path.read_text(encoding="utf-8"))
        raw["layers"] = [*raw.get("layers", []), layer_entry(layer)]
        parse_campaign(raw, str(path))  # the schema's checks before anything is written
        atomic_write(path, (json.dumps(raw, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
                     mode=path.stat().st_mode & 0o777)
    return load_campaign(data_dir)
