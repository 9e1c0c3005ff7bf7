"""The wall's shape formats: a layer's places as GeoJSON, and packed (`packed-1`, JSON or binary).

*Shapes* carry geometry and the attributes a map draws, filters and
searches by. The GeoJSON form is for API clients; the wall map asks for the
`packed` form in two parts: the *geometry* (ids, and coordinates as
delta-encoded integers in millionths of a degree — the stored precision, so
nothing is lost — as JSON or, smaller and quicker, as int32 byte planes)
and, only when a screen first needs them, the *attributes* (name, kind,
sub-district, community, as string tables).

The formats are written down precisely enough to write a decoder in
docs/packed-shapes.md; the browser's decoder is web/static/js/wall/packed.js
and wall/place.js. This module only encodes: it reads no
store and keeps nothing (geo/wall/data.py decides what to send and when).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import orjson

from geo.geojson_io import PRECISION, dumps

if TYPE_CHECKING:  # (the store's base reads geometries with this module's walk: no import back at run time)
    from geo.store.base import Store

SHAPE_PROPERTIES = ("name", "kind", "street", "community", "deadline", "unit", "people")
PACKED_PROPERTIES = ("name", "kind", "street", "community")  # the attributes part (also geo/viewport.py)
_TABLES = {"kind": "kinds", "street": "streets", "community": "communities"}  # column -> its string table
_NUMBERED = re.compile(r"^(.*?)([0-9]+)$")
GEOMETRY_CODES = {"Polygon": 0, "MultiPolygon": 1, "LineString": 2, "MultiLineString": 3, "Point": 4, "MultiPoint": 5}
SCALE = 10 ** PRECISION

Transform = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def shapes_bytes(store: Store, layer_id: str) -> bytes:
    """A layer's geometry with display attributes, as a GeoJSON FeatureCollection."""
    lines = []
    for f in store.features(layer_id):
        props = f["properties"]
        slim = {k: props.get(k) for k in SHAPE_PROPERTIES}
        lines.append(dumps({"type": "Feature", "id": f["id"], "properties": slim, "geometry": f["geometry"]}))
    return b'{"type":"FeatureCollection","layer":' + dumps(layer_id) + b',"features":[' + b",".join(lines) + b"]}"


def pack_ids(ids: list[str]) -> list[str] | dict:
    """Ids like c-000001, c-000002, …: {"prefix", "width", "step"} (differences of the numbers); others as a list."""
    numbered = id_numbers(ids)
    return ids if numbered is None else pack_numbers(*numbered)


def id_numbers(ids: list[str]) -> tuple[str, int, np.ndarray] | None:
    """The prefix, the number of digits and the numbers (int64) of ids that all have that prefix and that many digits
    (c-000001, c-000002, …), or None: none, or one of another form."""
    first = _NUMBERED.match(ids[0]) if ids else None
    if not first:
        return None
    prefix, width = first.group(1), len(first.group(2))
    if width > 15:  # numbers a browser's JavaScript cannot add up exactly (js/wall/ids.js: 15 digits at most)
        return None
    # read as rows of one length, each the prefix, `width` ASCII digits and a newline, all checked at once: an id
    # of another form (another length, a newline inside) leaves the text another length or shifts a row off it
    raw = ("\n".join(ids) + "\n").encode()
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    start = len(head)
    if len(raw) != len(ids) * (start + width + 1):
        return None
    rows = np.frombuffer(raw, dtype=np.uint8).reshape(len(ids), -1)
    body = rows[:, start:start + width]
    if not ((rows[:, :start] == head).all() and (rows[:, -1] == ord("\n")).all()
            and ((body >= ord("0")) & (body <= ord("9"))).all()):
        return None
    numbers = np.zeros(len(ids), dtype=np.int64)
    for column in body.T:  # a column of digits at a time (all at once as int64: 56 MB for a million ids of 7)
        numbers *= 10
        numbers += column
        numbers -= ord("0")
    return prefix, width, numbers


def pack_numbers(prefix: str, width: int, numbers: np.ndarray) -> list | dict:
    """`pack_ids` of the ids `prefix` + each number written in `width` digits (`id_numbers`)."""
    if not len(numbers):
        return []
    return {"prefix": prefix, "width": width, "step": np.diff(numbers, prepend=0).tolist()}


def unpack_ids(ids: list[str] | dict) -> list[str]:
    """The ids `pack_ids` packed (as js/wall/packed.js unpacks them)."""
    if isinstance(ids, list):
        return ids
    out, n = [], 0
    for step in ids["step"]:
        n += step
        out.append(f"{ids['prefix']}{n:0{ids['width']}d}")
    return out


def packed_geometry(features: list[dict], layer_id: str, revision: int, *, transform: Transform | None = None,
                    binary: bool = False) -> bytes:
    """A layer's geometry, compact, with its ids and nothing else (decoded by js/wall/packed.js).

    `geometry.parts` holds, per place, the counts that rebuild it: Polygon →
    rings, then points per ring; MultiPolygon → polygons, then per polygon
    rings and points per ring; LineString → points; MultiLineString → lines,
    then points per line; MultiPoint → points; Point → nothing. Rings are
    sent open (the closing point is implied). `geometry.coords` is x0, y0,
    dx1, dy1, … over the whole layer, in units of 1/`scale` degree: the
    stored precision, so nothing is lost.

    `binary`: the same header as JSON, then the coordinates as int32 in
    four byte planes (see `binary_body`): a quarter fewer bytes after gzip
    than JSON digits, and three times quicker to compress."""
    ids, types, parts, points = [], [], [], []
    for f in features:
        geometry = f.get("geometry")
        if not geometry or geometry.get("type") not in GEOMETRY_CODES:
            continue
        ids.append(f["id"])
        types.append(flatten_geometry(geometry, parts, points))
    if any(len(p) != 2 for p in points):  # some position carries a third value
        points = [p[:2] for p in points]
    xy = np.fromiter(chain.from_iterable(points), float, 2 * len(points)).reshape(-1, 2)
    if transform is not None and len(xy):
        lon, lat = transform(xy[:, 0], xy[:, 1])
        xy = np.stack([lon, lat], axis=1)
    q = np.rint(xy * SCALE).astype(np.int64)
    if len(q) > 1:
        q[1:] = q[1:] - q[:-1].copy()
    coords = q.reshape(-1)
    head = {"format": "packed-1", "part": "geometry", "layer": layer_id, "revision": revision, "count": len(ids),
            "scale": SCALE, "ids": pack_ids(ids)}
    if binary:
        return binary_body({**head, "geometry": {"types": types, "parts": parts, "n": len(coords)}}, coords)
    return orjson.dumps({**head, "geometry": {"types": types, "parts": parts, "coords": coords}},
                        option=orjson.OPT_SERIALIZE_NUMPY)


BINARY_MAGIC = b"GTU1"


def binary_body(header: dict, values: np.ndarray) -> bytes:
    """`GTU1`, the header's length (uint32, little-endian), the header (JSON, space-padded to 4 bytes), then
    the int32 values as four byte planes: every value's lowest byte, then every second byte, and so on."""
    return b"".join(binary_pieces(header, values))


def binary_pieces(header: dict, values: np.ndarray) -> Iterator[bytes]:
    """`binary_body`'s bytes a piece at a time: the magic, length and header, then each byte plane."""
    head = b"".join(json_pieces(header))  # (its length comes first: written whole)
    head += b" " * (-len(head) % 4)
    yield BINARY_MAGIC + len(head).to_bytes(4, "little") + head
    planes = np.ascontiguousarray(values, dtype="<i4").view(np.uint8).reshape(-1, 4)
    for k in range(4):
        yield planes[:, k].tobytes()


PIECE_ITEMS = 65536  # a long list's or array's items written at a time (`json_pieces`)


def json_pieces(value: object, items: int = PIECE_ITEMS) -> Iterator[bytes]:
    """`orjson.dumps(value, option=OPT_SERIALIZE_NUMPY)`'s bytes, a piece at a time: a dict a value at a time, and a
    list or array longer than `items` that many items at a time. An answer of a district's places (860,000 names,
    1.7 million coordinates) is then compressed as it is written and never held whole (web/core/cached.py
    `Cached.of_pieces`)."""
    if isinstance(value, dict):
        yield b"{"
        for i, (key, item) in enumerate(value.items()):
            yield (b"," if i else b"") + orjson.dumps(key) + b":"
            yield from json_pieces(item, items)
        yield b"}"
    elif isinstance(value, EncodedNames):
        yield from value.json_pieces(items)
    elif isinstance(value, (list, np.ndarray)) and len(value) > items:
        for start in range(0, len(value), items):
            part = orjson.dumps(value[start:start + items], default=_fragment, option=orjson.OPT_SERIALIZE_NUMPY)
            yield (b"," if start else b"[") + part[1:-1]
        yield b"]"
    else:
        yield orjson.dumps(value, default=_fragment, option=orjson.OPT_SERIALIZE_NUMPY)


def _fragment(value: object) -> orjson.Fragment:
    """`EncodedNames` within a value written whole: its JSON as it is."""
    if isinstance(value, EncodedNames):
        return orjson.Fragment(b"".join(value.json_pieces()))
    raise TypeError(f"{type(value).__name__} is not JSON")


def packed_attributes(features: Iterable[dict], layer_id: str, revision: int) -> bytes:
    """The attributes a map shows of a layer's places (name, kind, sub-district, community), as string tables.

    A screen asks for them only when it needs them: to search, to write
    names (zoom 17 and closer) or to show a tooltip. `features` are gone
    through once, each place's attributes taken and the place let go (a
    store's `each_feature`: a million places' features are never held)."""
    ids: list[str] = []
    values: tuple[list, ...] = tuple([] for _ in PACKED_PROPERTIES)
    for f in features:
        geometry = f.get("geometry")
        if not (geometry and geometry.get("type") in GEOMETRY_CODES):
            continue
        ids.append(f["id"])
        props = f["properties"]
        for column, name in zip(values, PACKED_PROPERTIES, strict=True):
            column.append(props.get(name))
    columns = AttributeColumns()
    columns.add(*values)
    doc = {"format": "packed-1", "part": "attributes", "layer": layer_id, "revision": revision, "count": len(ids),
           "ids": pack_ids(ids), **columns.done().columns()}
    return orjson.dumps(doc, option=orjson.OPT_SERIALIZE_NUMPY)


class PlaceAttributes:
    """What a map shows of some places beside their shapes (`PACKED_PROPERTIES`), as columns: each one's name, and
    its kind, sub-district and community as a number into a table of that attribute's values (a district has a
    few of each, which a million places share). `columns` writes them as the packed format's attributes, tables
    of the values the places have, in the order they first come, and a number per place. A value may be None
    (written as "", as a name is)."""

    __slots__ = ("names", "codes", "tables")

    def __init__(self, names: np.ndarray | EncodedNames, codes: np.ndarray, tables: tuple[list, list, list]) -> None:
        self.names = names  # object array: each place's name or None; or `EncodedNames` (a database's view)
        self.codes = codes  # int32, a row per place: its kind's, sub-district's and community's number in `tables`
        self.tables = tables

    @classmethod
    def of_places(cls, features: list[dict]) -> PlaceAttributes:
        """Of these places (GeoJSON features), in this order."""
        columns = AttributeColumns()
        columns.add(*([f["properties"].get(k) for f in features] for k in PACKED_PROPERTIES))
        return columns.done()

    @classmethod
    def of_rows(cls, rows: list[tuple]) -> PlaceAttributes:
        """From a tuple per place, of `PACKED_PROPERTIES`."""
        columns = AttributeColumns()
        if rows:
            columns.add(*(list(c) for c in zip(*rows)))
        return columns.done()

    def __len__(self) -> int:
        return len(self.names)

    def rows(self) -> list[tuple]:
        """A tuple per place, of `PACKED_PROPERTIES`."""
        k, s, c = (np.asarray(t, dtype=object)[self.codes[:, i]].tolist() for i, t in enumerate(self.tables))
        return list(zip(self.names.tolist(), k, s, c))

    def take(self, rows: np.ndarray) -> PlaceAttributes:
        """These places' (their numbers in this order)."""
        return PlaceAttributes(self.names[rows], self.codes[rows], self.tables)

    def in_scope(self, street: str | None, community: str | None) -> np.ndarray:
        """Which places lie in the sub-district and community (either may be None: any)."""
        keep = np.ones(len(self), dtype=bool)
        for column, value in ((1, street), (2, community)):
            if value:
                keep &= np.isin(self.codes[:, column], [i for i, v in enumerate(self.tables[column]) if v == value])
        return keep

    def columns(self) -> dict:
        """The packed format's attributes: names, and the kinds', sub-districts' and communities' tables with a
        column of numbers into each (docs/packed-shapes.md)."""
        out: dict = {"name": self.names if isinstance(self.names, EncodedNames) else [n or "" for n in self.names]}
        numbered: dict = {}
        for i, (key, tables) in enumerate(_TABLES.items()):
            # the values as written (None is ""), numbered in the order they first come among these places
            written: dict[str, int] = {}
            alike = np.array([written.setdefault(v or "", len(written)) for v in self.tables[i]] or [0], dtype=np.int32)
            codes = alike[self.codes[:, i]]
            used, first, numbers = np.unique(codes, return_index=True, return_inverse=True)
            order = np.argsort(first, kind="stable")
            renumber = np.empty(len(used), dtype=np.int32)
            renumber[order] = np.arange(len(used), dtype=np.int32)
            values = list(written)
            out[tables] = [values[v] for v in used[order].tolist()]
            numbered[key] = renumber[numbers.reshape(-1)] if len(codes) else np.empty(0, dtype=np.int32)
        return {**out, **numbered}  # (the tables first, then the numbers)


class EncodedNames:
    """Names as the packed format writes them: each one's JSON text ("" for none), joined by commas in one buffer,
    with where each text ends and which names were none. A database's view of a district holds 860,000 names,
    about 80 MB as Python texts and 30 MB so; written in the order kept (`json_pieces`), the buffer is the JSON
    list's inside as it is, with no object made per name."""

    __slots__ = ("data", "ends", "none")

    def __init__(self, data: bytes | bytearray, ends: np.ndarray, none: np.ndarray) -> None:
        self.data = data
        self.ends = ends  # int64: where each name's text ends in `data` (the next one begins a comma after)
        self.none = none  # bool: which names were none

    @classmethod
    def of(cls, names: list) -> EncodedNames:
        texts = [orjson.dumps(n or "") for n in names]
        ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1) - 1
        return cls(b",".join(texts), ends, np.fromiter((n is None for n in names), dtype=bool, count=len(names)))

    @classmethod
    def joined(cls, parts: list[EncodedNames]) -> EncodedNames:
        """These names one after the other; each part is taken out of `parts` and let go once copied."""
        data, ends, none = bytearray(), [], []
        while parts:
            part = parts.pop(0)
            if not len(part):
                continue
            if data:
                data += b","
            ends.append(part.ends + len(data))
            none.append(part.none)
            data += part.data
        return cls(data, np.concatenate(ends) if ends else np.empty(0, dtype=np.int64),
                   np.concatenate(none) if none else np.empty(0, dtype=bool))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, rows: np.ndarray) -> EncodedNames:
        rows = np.asarray(rows)
        if rows.dtype == bool:
            rows = np.flatnonzero(rows)
        if len(rows) == len(self) and (not len(rows) or rows[0] == 0) and (rows[:-1] < rows[1:]).all():
            return self  # every name, in order (a view of all dots)
        data = b",".join(b",".join(texts) for texts in self._texts(rows) if texts)
        lengths = self.ends[rows] - self._starts(rows)
        return EncodedNames(data, np.cumsum(lengths + 1) - 1, self.none[rows])

    def tolist(self) -> list[str | None]:
        every = np.arange(len(self))
        return [None if none else orjson.loads(text)
                for texts, nones in zip(self._texts(every), self._nones()) for text, none in zip(texts, nones)]

    def json_pieces(self, items: int = PIECE_ITEMS) -> Iterator[bytes]:
        """The names as a JSON list, about `items` at a time."""
        yield b"["
        step = max(1, len(self.data) * items // max(len(self), 1))  # (bytes, the texts cut anywhere)
        data = memoryview(self.data)
        for at in range(0, len(data), step):
            yield bytes(data[at:at + step])
        yield b"]"

    def _starts(self, rows: np.ndarray) -> np.ndarray:
        return np.where(rows > 0, self.ends[rows - 1] + 1, 0)

    def _texts(self, rows: np.ndarray, items: int = PIECE_ITEMS) -> Iterator[list[bytes]]:
        """The texts of these rows, `items` at a time."""
        data = self.data
        for at in range(0, len(rows), items):
            picked = rows[at:at + items]
            yield [data[a:b] for a, b in zip(self._starts(picked).tolist(), self.ends[picked].tolist())]

    def _nones(self, items: int = PIECE_ITEMS) -> Iterator[list[bool]]:
        for at in range(0, len(self), items):
            yield self.none[at:at + items].tolist()


class AttributeColumns:
    """`PlaceAttributes` made a batch of places at a time (a database's rows a chunk at a time): a value a column
    repeats is kept once (a text by its value; any other value, which the embedded store may hold, by its type and
    value, so 1 and True stay apart)."""

    def __init__(self, *, encoded: bool = False) -> None:
        self._encoded = encoded  # the names kept as `EncodedNames`, not texts
        self._names: list = []
        self._codes: list[np.ndarray] = []
        self._numbers: tuple[dict, dict, dict] = ({}, {}, {})  # value (or its type and value) -> its number, per column

    def add(self, names: list, kinds: list, streets: list, communities: list) -> None:
        if self._encoded:
            self._names.append(EncodedNames.of(names))
        else:
            self._names += names
        self._codes.append(np.array([[number.setdefault(v if v is None or type(v) is str else (type(v), v), len(number))
                                      for v in values]
                                     for number, values in zip(self._numbers, (kinds, streets, communities))],
                                    dtype=np.int32).reshape(3, -1).T)

    def done(self) -> PlaceAttributes:
        codes = np.concatenate(self._codes) if self._codes else np.empty((0, 3), dtype=np.int32)
        names = (EncodedNames.joined(self._names) if self._encoded
                 else np.fromiter(self._names, dtype=object, count=len(self._names)))
        tables = tuple([v[1] if type(v) is tuple else v for v in number] for number in self._numbers)
        return PlaceAttributes(names, codes, tables)


def _open(ring: list) -> list:
    return ring[:-1] if len(ring) > 3 and ring[0] == ring[-1] else ring


def flatten_geometry(geometry: dict, parts: list[int], points: list) -> int:
    """Append a geometry's counts to `parts` and its positions (rings open) to `points`; its geometry code."""
    kind, coords = geometry["type"], geometry["coordinates"]
    code = GEOMETRY_CODES[kind]
    if kind == "Polygon":
        parts.append(len(coords))
        for ring in coords:
            ring = _open(ring)
            parts.append(len(ring))
            points.extend(ring)
    elif kind == "MultiPolygon":
        parts.append(len(coords))
        for polygon in coords:
            parts.append(len(polygon))
            for ring in polygon:
                ring = _open(ring)
                parts.append(len(ring))
                points.extend(ring)
    elif kind in ("LineString", "MultiPoint"):
        parts.append(len(coords))
        points.extend(coords)
    elif kind == "MultiLineString":
        parts.append(len(coords))
        for line in coords:
            parts.append(len(line))
            points.extend(line)
    else:  # Point
        points.append(coords)
    return code

