"""Large layers on the wall map: the places of one viewport, simplified for its zoom.

A wall screen showing a 100 000-place layer must not download and draw every
vertex of every place at a zoom where a courtyard is a few pixels wide. It
asks instead for one viewport: `bbox=w,s,e,n&zoom=z`. The box is widened to
the web-map tiles (256 px, Web Mercator) that cover it at that integer zoom,
so neighbouring screens and a slightly moved view ask for the same thing and
share one cached answer and ETag; the places meeting that box come back with
their outlines simplified to about one screen pixel (topology kept: rings
stay valid and never vanish) and coordinates rounded to a quarter pixel, so
the packed form (same `packed-1` layout as the whole-layer shapes, decoded by
`guatu.decodePacked`) needs far fewer bytes. From zoom `FULL_DETAIL_ZOOM` on,
outlines are sent exactly as stored.

Backends: PostGIS answers with its GiST index and ST_SimplifyPreserveTopology
(`PostGISStore.shapes_in_bbox`); for the embedded store this module keeps,
per layer, the places' geometries as a shapely array with an STR-tree,
rebuilt only when the layer's shapes change (geometries parsed again only
for places whose version moved), and simplifies the hits in one vectorised
call.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field

import numpy as np
import shapely

from geo.errors import BadParameters, FieldError
from geo.geojson_io import dumps
from geo.kept import interned
from geo.messages import t
from geo.shapes import from_geojson
from geo.store.base import Store
from geo.wall.codec import (
    GEOMETRY_CODES,
    PACKED_PROPERTIES,
    AttributeColumns,
    PlaceAttributes,
    binary_pieces,
    id_numbers,
    json_pieces,
    pack_ids,
    pack_numbers,
)

TILE_PX = 256
FULL_DETAIL_ZOOM = 17  # from this zoom on, outlines are sent as stored
MAX_TILES = 1024  # a 4K screen needs about 16 × 10 tiles
DOT_PIXELS = 3  # below full detail, polygons smaller than this many pixels each way are sent as dots
BOX_PIXELS = 8  # … and smaller than this, as boxes (`small_places`)
DOT_CODE = 6  # the packed geometry type of a dot (after geo/wall/codec.py's GEOMETRY_CODES 0–5)
BOX_CODE = 7  # … and of a box
MAX_LAT = 85.05112878
_POLYGONAL, _LINEAR, _PUNTAL = (3, 6), (1, 5), (0, 4)  # shapely type ids


@dataclass(frozen=True)
class Viewport:
    zoom: int
    tiles: tuple[int, int, int, int]  # x0, y0, x1, y1 (inclusive) at `zoom`
    bbox: tuple[float, float, float, float]  # the tiles' bounds: west, south, east, north
    tolerance: float  # degrees; 0 = exact
    scale: int  # coordinates are sent in units of 1/scale degree
    boxes: bool = False  # places a few pixels across sent as boxes (a client that draws them asks: `small_places`)

    @property
    def pixel(self) -> tuple[float, float]:
        """A screen pixel in degrees of longitude (the same at every latitude) and of latitude (at the view's
        middle latitude: Web Mercator's pixel is cos(latitude) as many degrees of latitude as of longitude), what a
        place's size in pixels is told by (`small_places`); 0, 0 at full detail."""
        if self.tolerance <= 0:
            return 0.0, 0.0
        across = 360.0 / (TILE_PX * 2 ** self.zoom)
        return across, across * math.cos(math.radians((self.bbox[1] + self.bbox[3]) / 2))

    @property
    def key(self) -> str:
        x0, y0, x1, y1 = self.tiles
        return f"z{self.zoom}-{x0}.{y0}.{x1}.{y1}" + ("-boxes" if self.boxes else "")


# The web-map tiles (WebMercatorQuad, 2^z a side, rows from the north) holding a longitude or latitude, and the edges
# of a column or row.
def tile_x(lon: float, z: int) -> int:
    n = 2 ** z
    return min(n - 1, max(0, int(math.floor((lon + 180.0) / 360.0 * n))))


def tile_y(lat: float, z: int) -> int:
    n = 2 ** z
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    rad = math.radians(lat)
    return min(n - 1, max(0, int(math.floor((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n))))


def tile_lon(x: int, z: int) -> float:
    return x / 2 ** z * 360.0 - 180.0


def tile_lat(y: int, z: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2 ** z))))


def parse_viewport(bbox: str | None, zoom: str | None, boxes: str | None = None) -> Viewport:
    """`bbox=w,s,e,n` (degrees, WGS84), `zoom=z` (a Leaflet zoom; fractions round down) and `boxes=1` (places a few
    pixels across as boxes: asked for by a page that draws them; without it they are outlines, as a page from
    before boxes reads them)."""
    errors = []
    if boxes not in (None, "0", "1"):
        errors.append(FieldError("boxes", t("viewport.boxes")))
    try:
        z = int(math.floor(float(zoom if zoom is not None else "")))
        if not 0 <= z <= 24:
            raise ValueError
    except (ValueError, OverflowError):  # OverflowError: zoom=inf
        errors.append(FieldError("zoom", t("viewport.zoom")))
        z = 0
    try:
        w, s, e, n = (float(v) for v in (bbox or "").split(","))
        if not all(map(math.isfinite, (w, s, e, n))) or not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
            raise ValueError
    except ValueError:
        errors.append(FieldError("bbox", t("viewport.bbox")))
        w = s = e = n = 0.0
    if errors:
        raise BadParameters(errors)
    tiles = (tile_x(w, z), tile_y(n, z), tile_x(e, z), tile_y(s, z))
    count = (tiles[2] - tiles[0] + 1) * (tiles[3] - tiles[1] + 1)
    if count > MAX_TILES:
        raise BadParameters([FieldError("bbox", t("viewport.too_many_tiles", count=count, zoom=z, maximum=MAX_TILES))])
    return _tiles_view(z, tiles, boxes == "1")


def clipped_viewport(view: Viewport, extent: list[float] | tuple[float, ...] | None) -> Viewport:
    """`view` cut to the tiles that hold `extent` ([west, south, east, north] of every place of its layer), which
    holds the same places: two views that each hold the whole layer at a zoom are then one view, answered once (a
    wall zoomed back out to its district asks for the view its page opened on, kept by the server), and a view
    reaching past the layer's edge asks for none of the empty tiles beyond. (Its tolerance, scale and what it sends
    as dots and boxes go by its own middle latitude, as any view's: an answer is the same for every view cut alike.)
    Unchanged without an extent, or when the two share no tile."""
    if not extent:
        return view
    z, (x0, y0, x1, y1) = view.zoom, view.tiles
    tiles = (max(x0, tile_x(extent[0], z)), max(y0, tile_y(extent[3], z)),
             min(x1, tile_x(extent[2], z)), min(y1, tile_y(extent[1], z)))
    if tiles == view.tiles or tiles[0] > tiles[2] or tiles[1] > tiles[3]:
        return view
    return _tiles_view(z, tiles, view.boxes)


def _tiles_view(z: int, tiles: tuple[int, int, int, int], boxes: bool) -> Viewport:
    box = (tile_lon(tiles[0], z), tile_lat(tiles[3] + 1, z), tile_lon(tiles[2] + 1, z), tile_lat(tiles[1], z))
    if z >= FULL_DETAIL_ZOOM:
        tolerance, scale = 0.0, 10 ** 6
    else:
        # a pixel in degrees of latitude at the view's middle latitude, taken down to a step of a quarter octave:
        # views a pan apart (in one band of latitudes, some ten degrees wide) are simplified alike, so a screen
        # keeps the places it drew (web/static/js/wall/sync.js `drawnAs`); never more than a pixel
        shrink = math.cos(math.radians((box[1] + box[3]) / 2))
        tolerance = 360.0 / (TILE_PX * 2 ** z) * 2 ** (math.floor(4 * math.log2(shrink)) / 4)
        scale = min(10 ** 6, 10 ** math.ceil(math.log10(4 / tolerance)))
    return Viewport(z, tiles, tuple(round(v, 9) for v in box), tolerance, scale, boxes)


# --- the embedded store: geometry arrays per layer ---------------------------------------

@dataclass(frozen=True)
class _LayerBoxes:
    """A database layer's places as columns, in the layer's order: ids, and `[west, south, east, north, area]` of
    each (`PostGISStore.layer_boxes`; the area negative for a place that is not a polygon)."""
    revision: int
    ids: np.ndarray
    boxes: np.ndarray  # one row each of west, south, east, north and area (5 × places: each row contiguous)
    extent: tuple[float, float, float, float] | None = None  # of them all (`_extent`)
    numbered: tuple[str, int, np.ndarray] | None = None  # the ids' prefix, digits and numbers (`id_numbers`), if alike


class NumberedIds(list):
    """A view's ids (a list, as every view's) that also knows their form and numbers: a database layer's kept boxes'
    ids, all numbered alike (geo/wall/codec.py `id_numbers`, read once per revision). The answer packs them from
    the numbers (`pack_numbers`) instead of reading their digits again (at a million places a zoom of 15 is 400,000
    ids, some 40 ms of a 250 ms view)."""

    def __init__(self, ids: Iterable[str], prefix: str, width: int, numbers: np.ndarray) -> None:
        super().__init__(ids)
        self.prefix, self.width, self.numbers = prefix, width, numbers


@dataclass
class _LayerIndex:
    revision: int = -1
    ids: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    attributes: PlaceAttributes = field(default_factory=lambda: PlaceAttributes.of_places([]))
    geoms: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    versions: dict[str, tuple[int, object]] = field(default_factory=dict)
    tree: shapely.STRtree | None = None
    extent: tuple[float, float, float, float] | None = None


def _extent(west, south, east, north) -> tuple[float, float, float, float] | None:
    """[west, south, east, north] of the boxes these columns hold (NaN: none there), or None when none is."""
    there = ~np.isnan(west)
    if not there.any():
        return None
    return (float(west[there].min()), float(south[there].min()), float(east[there].max()), float(north[there].max()))


class ViewportIndex:
    """One process's spatial index of each layer of an embedded store (see the module docstring); of a
    database's layer, its places' boxes (`boxes`)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._layers: dict[str, _LayerIndex] = {}
        self._boxes: dict[str, list[_LayerBoxes]] = {}  # layer → the boxes of its last two shapes revisions, newest last
        self._box_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def boxes(self, layer_id: str, revision: int) -> _LayerBoxes:
        """The layer's ids and boxes as of the revision of its outlines (geo/wall/data.py `geometry_shown`: a
        rename leaves it), read from the database once per revision (a million places: 3 s and 48 MB, the ids
        shared with the wall's state), one layer at a time. The last two revisions are kept: a request that read
        its revision just before a reshape, answered after one that read it just after, finds its own and reads
        nothing again."""
        with self._lock:
            lock = self._box_locks.setdefault(layer_id, threading.Lock())
        with lock:
            kept = self._boxes.setdefault(layer_id, [])
            for boxes in kept:
                if boxes.revision == revision:
                    return boxes
            ids, columns = self.store.layer_boxes(layer_id)
            boxes = _LayerBoxes(revision, np.array([interned(i) for i in ids], dtype=object), columns, _extent(*columns[:4]),
                                id_numbers(ids))
            kept[:] = [*kept[-1:], boxes]
            return boxes

    def _index(self, layer_id: str, revision: int) -> _LayerIndex:
        with self._lock:
            old = self._layers.get(layer_id) or _LayerIndex()
            if old.revision == revision:
                return old
            features = [f for f in self.store.features(layer_id) if f.get("geometry")]
            ids = [f["id"] for f in features]
            attributes = PlaceAttributes.of_places(features)
            keys = [f["properties"].get("version") for f in features]
            arr = np.empty(len(features), dtype=object)
            fresh = []  # positions of places new or changed since the last index: parsed in one vectorised call
            for i, (fid, version) in enumerate(zip(ids, keys)):
                known = old.versions.get(fid)
                if known and known[0] == version:
                    arr[i] = known[1]
                else:
                    fresh.append(i)
            if fresh:
                arr[fresh] = from_geojson([features[i]["geometry"] for i in fresh])
            versions = dict(zip(ids, zip(keys, arr)))
            index = _LayerIndex(revision, np.array(ids, dtype=object), attributes, arr, versions,
                                shapely.STRtree(arr) if len(arr) else None, _extent(*shapely.bounds(arr).T))
            self._layers[layer_id] = index
            return index

    def extent(self, layer_id: str, revision: int, geometry_revision: int | None = None) -> tuple | None:
        """[west, south, east, north] of every place of the layer as of shapes revision `revision` (a database's:
        of its kept boxes, for `geometry_revision`), found once per revision from what the index keeps (what a
        view found from the index reads anyway: `from_kept`), or None for a layer with no place: what such a view
        is cut to (`clipped_viewport`)."""
        if hasattr(self.store, "layer_boxes"):
            return self.boxes(layer_id, revision if geometry_revision is None else geometry_revision).extent
        return self._index(layer_id, revision).extent

    def query_ready(self, layer_id: str, revision: int, geometry_revision: int) -> None:
        """Build the layer's index for shapes revision `revision` (a database's: its boxes, for
        `geometry_revision`) now (a new process's warm-up), not on the first query."""
        if hasattr(self.store, "layer_boxes"):
            self.boxes(layer_id, geometry_revision)
        else:
            self._index(layer_id, revision)

    def in_box(self, layer_id: str, revision: int, bbox: tuple[float, float, float, float], *,
               street: str | None = None, community: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ids and whole geometries of the places meeting `bbox` (degrees), of the sub-district and community
        when given, in the layer's order."""
        index = self._index(layer_id, revision)
        if index.tree is None:
            return np.empty(0, dtype=object), np.empty(0, dtype=object)
        hits = np.sort(index.tree.query(shapely.box(*bbox), predicate="intersects"))
        if street or community:
            hits = hits[index.attributes.in_scope(street, community)[hits]]
        return index.ids[hits], index.geoms[hits]

    def query(self, layer_id: str, revision: int, view: Viewport) -> tuple[list[str], PlaceAttributes, np.ndarray, Dots]:
        """The places meeting the view's box, simplified, and which of them are sent as dots or boxes (`dots_of`, found
        before simplifying, as PostGIS finds them)."""
        index = self._index(layer_id, revision)
        if index.tree is None:
            return [], index.attributes, np.empty(0, dtype=object), dots_of(np.empty(0, dtype=object), view)
        hits = np.sort(index.tree.query(shapely.box(*view.bbox), predicate="intersects"))
        geoms = index.geoms[hits]
        dots = dots_of(geoms, view)
        if view.tolerance > 0:
            # only what simplifying can shorten: not a place about to become a dot, nor a ring of four corners
            # (topology-preserving simplification is the costliest step; rectangles are most of a layer)
            worth = ~dots.mask & (shapely.get_num_coordinates(geoms) > 5)
            if worth.any():
                geoms = geoms.copy()
                geoms[worth] = shapely.simplify(geoms[worth], view.tolerance, preserve_topology=True)
        return index.ids[hits].tolist(), index.attributes.take(hits), geoms, dots


def from_kept(view: Viewport, *, attributes: bool, dots: bool, street: str | None = None,
              community: str | None = None) -> bool:
    """Whether a view is found from what a `ViewportIndex` keeps on either store: a wall screen's view (its dots
    and boxes, geometry only, the whole district's, below full detail). A database layer's is then found from its
    kept boxes (`_dots_from_boxes`), as the embedded store's every view is from its index; such a view is also
    cut to the layer's extent (`clipped_viewport`), alike on both stores."""
    return dots and not (attributes or street or community) and view.tolerance > 0


def viewport_layers(store: Store, layers) -> list[str]:
    """Of these layers, the ones with more places than the campaign's `map.viewport_above`: wall screens fetch
    them one viewport at a time."""
    limit = store.campaign.map.viewport_above
    return [x.id for x in layers if store.place_count(x.id) > limit]


def viewport_shapes(store: Store, index: ViewportIndex | None, layer_id: str, revision: int, view: Viewport, *,
                    street: str | None = None, community: str | None = None, attributes: bool = True, dots: bool = False,
                    geometry_revision: int | None = None) -> tuple[list[str], PlaceAttributes | None, np.ndarray, Dots | None]:
    """Ids, display attributes (`PACKED_PROPERTIES`, as columns) and simplified geometries of the places in the
    viewport, of one sub-district and community if given (a wall screen's scope). Without `attributes` (the
    geometry part a wall screen asks for) there are none (None), and a database is not asked for them: it keeps to
    the scope in its query.

    With `dots`, the places to be sent as dots and boxes (`small_places`) come apart with their positions, and a
    database sends no outline for them (their geometry is then None): at a district's zoom nearly every place is one.
    `geometry_revision`: the revision of the layer's outlines alone (geo/wall/data.py `geometry_shown`), which a
    database layer's kept boxes go by; `revision` if not given."""
    query = getattr(store, "shapes_in_bbox", None)
    if query is not None and index is not None and from_kept(view, attributes=attributes, dots=dots, street=street,
                                                             community=community):
        boxes = index.boxes(layer_id, revision if geometry_revision is None else geometry_revision)
        kept = _dots_from_boxes(store, boxes, layer_id, view)
        if kept is not None:
            return kept
    if query is not None:  # (the database keeps to the scope itself)
        ids, attrs, wkb, numbers = query(layer_id, view.bbox, view.tolerance, attributes=attributes,
                                         small_size=_box_limits(view), dots=dots, street=street, community=community)
        geoms = shapely.from_wkb(np.array(wkb, dtype=object)) if wkb else np.empty(0, dtype=object)
        return list(ids), attrs, geoms, _found(numbers, view) if dots else None
    store.layer(layer_id)
    ids, attrs, geoms, found = (index or ViewportIndex(store)).query(layer_id, revision, view)
    if not dots:
        found = None
    if street or community:
        keep = np.flatnonzero(attrs.in_scope(street, community))
        ids, attrs, geoms = np.asarray(ids, dtype=object)[keep].tolist(), attrs.take(keep), geoms[keep]
        if found is not None:
            found = found.rows(keep)
    return list(ids), attrs if attributes else None, geoms, found


def viewport_chunks(store: Store, index: ViewportIndex | None, layer_id: str, revision: int, view: Viewport, *,
                    street: str | None = None, community: str | None = None
                    ) -> Iterator[tuple[list[str], PlaceAttributes, np.ndarray]]:
    """`viewport_shapes`' places with their attributes and outlines and no dots (a GeoJSON view), a chunk at a time:
    a database's as its rows come (a GeoJSON view of a district is 860,000 outlines, which held at once took a
    worker's memory up by 550 MB), the embedded store's, whose index holds them, at once."""
    chunks = getattr(store, "shapes_in_bbox_chunks", None)
    if chunks is None:
        ids, shown, geoms, _ = viewport_shapes(store, index, layer_id, revision, view, street=street, community=community)
        yield ids, shown, geoms
        return
    with closing(chunks(layer_id, view.bbox, view.tolerance, attributes=True, small_size=_box_limits(view),
                        street=street, community=community)) as rows:
        for ids, columns, wkb, _ in rows:
            made = AttributeColumns()
            made.add(*columns)
            yield ids, made.done(), shapely.from_wkb(np.array(wkb, dtype=object))


def _dots_from_boxes(store: Store, kept: _LayerBoxes, layer_id: str, view: Viewport):
    """A database layer's view found from its kept boxes when most of it is dots and boxes (at a district's zoom a
    million places are nearly all dots, and the query that finds them reads every row of the district: 4–5 s).
    A small place whose box lies inside the view meets it, and its dot or box comes from its kept box and area; the
    database is asked only for the places along the view's edge (whether they meet it: the same exact test as the
    query's) and for the outlines. Returns what `viewport_shapes` returns, or None when outlines are most of the
    view (the query reads them as fast)."""
    x0, y0, x1, y1, area = kept.boxes
    west, south, east, north = view.bbox
    rows = np.flatnonzero((x0 <= east) & (x1 >= west) & (y0 <= north) & (y1 >= south))  # the boxes meeting the view
    bounds = kept.boxes[:4, rows]  # (one copy of the four columns: a district's 860,000 boxes are 27 MB)
    x0, y0, x1, y1 = bounds
    mine = small_places(bounds.T, area[rows], view)
    small = mine.mask
    if 2 * np.count_nonzero(small) < len(rows):
        return None
    inside = small & (x0 >= west) & (x1 <= east) & (y0 >= south) & (y1 <= north)
    asked = rows[~inside]
    asked_ids = kept.ids[asked].tolist()
    ids, wkb, numbers = [], [], []
    if asked_ids:
        ids, _, wkb, numbers = store.shapes_in_bbox(layer_id, view.bbox, view.tolerance,
                                                    small_size=_box_limits(view), dots=True, ids=asked_ids)
    # the places of the answer, in the layer's order (as the query's): those inside, and those the database found
    layer_row = dict(zip(asked_ids, asked.tolist()))
    found = np.searchsorted(rows, np.array([layer_row[i] for i in ids], dtype=np.int64))  # their places among `rows`
    chosen = inside.copy()
    chosen[found] = True
    picked = np.flatnonzero(chosen)
    del bounds, x0, y0, x1, y1, inside, chosen
    answer = mine if len(picked) == len(rows) else mine.rows(picked)  # (a view holding the whole district: all)
    del mine
    geoms = np.full(len(picked), None, dtype=object)
    if len(found):
        where = np.searchsorted(picked, found)
        geoms[where] = shapely.from_wkb(np.array(wkb, dtype=object))
        theirs = _found(numbers, view)  # (an outline's: none)
        answer.mask[where], answer.xy[where], answer.half[where] = theirs.mask, theirs.xy, theirs.half
    rows = rows[picked]
    if kept.numbered is not None:
        prefix, width, numbers = kept.numbered
        return NumberedIds(kept.ids[rows], prefix, width, numbers[rows]), None, geoms, answer
    return kept.ids[rows].tolist(), None, geoms, answer


@dataclass(frozen=True)
class Dots:
    """Which places of a viewport are sent as a dot or a box (`mask`, `small_places`), each one's position (`xy`,
    one row per place of the viewport: [x, y] the centre of its bounding box, NaN for another place) and a box's
    half sides (`half`: [x, y] in degrees; 0, 0 for a dot and for another place)."""
    mask: np.ndarray
    xy: np.ndarray
    half: np.ndarray

    def rows(self, rows: np.ndarray) -> Dots:
        return Dots(self.mask[rows], self.xy[rows], self.half[rows])


def small_places(bounds: np.ndarray, area: np.ndarray, view: Viewport) -> Dots:
    """Below full detail a polygon smaller than `DOT_PIXELS` pixels each way is sent as a *dot* (drawn as a small
    disc in its status colour: its outline could not be seen anyway, and a dot costs a quarter of the coordinates
    of the simplest ring), and one smaller than `BOX_PIXELS` each way as a *box*: a rectangle of its bounding
    box's proportions and its own area, about the same centre (drawn as pixels in its status colour: at 3 to 8
    pixels across an outline shows no more, and at a million places a 4K screen at zoom 15 holds 400,000 of them,
    which as outlines took the browser three seconds to draw). Neither is simplified, nor sent as an outline. A
    pixel is `Viewport.pixel`: a place's width is told in pixels of longitude and its height in pixels of latitude.

    `bounds`: west, south, east, north of each place (a row each; NaN: not a place this can be); `area`: each
    place's area in square degrees, negative for a place that is not a polygon. The three ways a viewport is found
    (the embedded store's index, the database's query, the database's kept boxes) all decide here."""
    n = len(area)
    xy, half = np.full((n, 2), np.nan), np.zeros((n, 2))
    if view.tolerance <= 0 or not n:
        return Dots(np.zeros(n, dtype=bool), xy, half)
    west, south, east, north = np.asarray(bounds, dtype=float).T
    width, height = east - west, north - south
    box_x, box_y = _box_limits(view)
    px, py = view.pixel
    with np.errstate(invalid="ignore"):  # NaN rows are no place of these
        small = (area >= 0) & (width < box_x) & (height < box_y)
        boxed = small & ~((width < DOT_PIXELS * px) & (height < DOT_PIXELS * py))
    xy[small, 0] = (west[small] + east[small]) / 2
    xy[small, 1] = (south[small] + north[small]) / 2
    if boxed.any():
        w, h, a = width[boxed], height[boxed], area[boxed]
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.where(w * h > 0, np.sqrt(np.clip(a / (w * h), 0.0, 1.0)), 0.0)
        half[boxed, 0] = k * w / 2
        half[boxed, 1] = k * h / 2
    return Dots(small, xy, half)


def _box_limits(view: Viewport) -> tuple[float, float]:
    """The width (degrees of longitude) and height (of latitude) a place sent as a box or a dot is under (as a dot,
    when the view is not asked for with boxes)."""
    px, py = view.pixel
    pixels = BOX_PIXELS if view.boxes else DOT_PIXELS
    return pixels * px, pixels * py


def dots_of(geoms: np.ndarray, view: Viewport) -> Dots:
    """The places sent as dots or boxes (`small_places`), from their geometries: at the centre of their bounding
    box, which comes from the bounds with no geometry made for it (making a point for each of the 200,000 dots of
    a view of a district took 2.3 s, most of it the garbage collector walking a process that holds the layers).
    PostGIS finds the same in SQL (`PostGISStore.shapes_in_bbox`)."""
    if view.tolerance <= 0 or not len(geoms):
        return small_places(np.empty((len(geoms), 4)), np.full(len(geoms), -1.0), view)
    polygonal = np.isin(shapely.get_type_id(geoms), _POLYGONAL)
    area = np.full(len(geoms), -1.0)
    area[polygonal] = shapely.area(geoms[polygonal])
    return small_places(shapely.bounds(geoms), area, view)


def _found(numbers: np.ndarray, view: Viewport) -> Dots:
    """The dots and boxes of a database's answer: its rows' west, south, east, north and area (NaN for a place sent
    as an outline; `PostGISStore.shapes_in_bbox`)."""
    rows = np.asarray(numbers, dtype=float).reshape(-1, 5)
    return small_places(rows[:, :4], np.nan_to_num(rows[:, 4], nan=-1.0), view)


# --- encoding --------------------------------------------------------------------------

GEOJSON_PIECE = 10000  # features written at a time (`geojson_viewport`)


def packed_viewport(layer_id: str, revision: int, view: Viewport, ids: list[str], shown: PlaceAttributes | None,
                    geoms: np.ndarray, *, transform=None, binary: bool = False, dots: Dots | None = None) -> bytes:
    """`packed_viewport_pieces`' document whole."""
    return b"".join(packed_viewport_pieces(layer_id, revision, view, ids, shown, geoms, transform=transform,
                                           binary=binary, dots=dots))


def packed_viewport_pieces(layer_id: str, revision: int, view: Viewport, ids: list[str], shown: PlaceAttributes | None,
                           geoms: np.ndarray, *, transform=None, binary: bool = False,
                           dots: Dots | None = None) -> Iterator[bytes]:
    """The `packed-1` document of these places (geo/wall/codec.py's geometry and attribute parts in one, ids
    packed alike: a district's million ids as a list of strings were most of its bytes), built without a loop
    over places. Places too small to see come as dots and boxes (`small_places`), after the other places, in the
    layer's order: a dot is geometry type `DOT_CODE`, one position, like a Point; a box `BOX_CODE`, two positions:
    its centre, then its north-east corner (the centre and its half sides).

    `dots`: the places sent as dots and boxes, as `viewport_shapes` found them (else found here).
    `shown`: the places' attributes (`viewport_shapes`), or None for geometry and ids only (a wall screen loads
    the names of a whole layer once, when it needs them); `binary`: the coordinates as int32 byte planes after a
    JSON header (geo/wall/codec.py `binary_body`). Its bytes come a piece at a time (`json_pieces`,
    `binary_pieces`): a district's answer with its names is 42 MB of JSON, compressed as it comes."""
    found = dots if dots is not None else dots_of(geoms, view)
    dots = found.mask
    type_ids = np.where(dots, -1, shapely.get_type_id(geoms)) if len(geoms) else np.empty(0, dtype=int)
    order, types, parts, coords = [], [], [], []
    for group, encode in ((_POLYGONAL, _pack_polygons), (_LINEAR, _pack_lines), (_PUNTAL, _pack_points)):
        chosen = np.flatnonzero(np.isin(type_ids, group))
        if not len(chosen):
            continue
        t, p, c = encode(geoms[chosen], type_ids[chosen])
        order.append(chosen)
        types.append(t)
        parts.append(p)
        coords.append(c)
    if dots.any():  # last, one position each (a box two) and no parts
        chosen = np.flatnonzero(dots)
        boxed = found.half.any(axis=1)[chosen]
        starts = np.arange(len(chosen))  # each one's first position: after the boxes before it, which take two
        starts[1:] += np.cumsum(boxed[:-1])
        xy = np.empty((len(chosen) + int(boxed.sum()), 2))
        xy[starts] = found.xy[chosen]
        xy[starts[boxed] + 1] = found.xy[chosen[boxed]] + found.half[chosen[boxed]]
        del starts
        order.append(chosen)
        types.append(np.where(boxed, np.int8(BOX_CODE), np.int8(DOT_CODE)))
        parts.append(np.empty(0, dtype=np.int64))
        coords.append(xy)
    sel = np.concatenate(order) if order else np.empty(0, dtype=int)
    xy = coords[0] if len(coords) == 1 else np.concatenate(coords) if coords else np.zeros((0, 2))
    del coords, type_ids
    if transform is not None and len(xy):
        xy = np.stack(transform(xy[:, 0], xy[:, 1]), axis=1)
    coords = _steps(xy, view.scale)
    del xy  # (the positions, a district's 860,000 dots 14 MB, not held while the answer is written)
    doc = {
        "format": "packed-1", "part": "viewport", "layer": layer_id, "revision": revision, "count": len(sel), "scale": view.scale,
        "zoom": view.zoom, "tiles": list(view.tiles), "bbox": list(view.bbox), "tolerance": view.tolerance,
        "ids": pack_numbers(ids.prefix, ids.width, ids.numbers[sel]) if isinstance(ids, NumberedIds)
        else pack_ids(np.asarray(ids, dtype=object)[sel].tolist()),  # (no int object per place)
    }
    if shown is not None:
        doc.update(shown.take(sel).columns())
    geometry = {"types": np.concatenate(types) if types else [], "parts": np.concatenate(parts) if parts else []}
    if binary:
        yield from binary_pieces({**doc, "geometry": {**geometry, "n": len(coords)}}, coords)
    else:
        yield from json_pieces({**doc, "geometry": {**geometry, "coords": coords}})


def _steps(xy: np.ndarray, scale: float) -> np.ndarray:
    """Positions (a row each, degrees) as int32: the first in units of 1/`scale` degree, each other as its step from
    the one before (|x|, |y| < 180 × 10**6 and each step less than twice that: int32 holds them). The positions are
    rounded as floats, whole numbers each, so their steps are exact and go straight into the int32 column."""
    units = xy * scale
    np.rint(units, out=units)
    flat = units.reshape(-1)
    out = np.empty(len(flat), dtype=np.int32)
    out[:2] = flat[:2]
    np.subtract(flat[2:], flat[:-2], out=out[2:], casting="unsafe")
    return out


def _open_rings(ring_offsets: np.ndarray, coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ring point counts and coordinates with each ring's closing point left out (as geo/wall/codec.py `packed_geometry`)."""
    counts = np.diff(ring_offsets)
    starts, ends = ring_offsets[:-1], ring_offsets[1:] - 1
    closed = (counts > 3) & np.all(coords[starts] == coords[np.maximum(ends, 0)], axis=1) if len(counts) else counts > 0
    keep = np.ones(len(coords), dtype=bool)
    keep[ends[closed]] = False
    return counts - closed, coords[keep]


def _pack_polygons(geoms: np.ndarray, type_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _, coords, offsets = shapely.to_ragged_array(geoms)  # Polygons mixed with MultiPolygons come out as the latter
    if len(offsets) == 3:
        ring_off, poly_off, geom_off = offsets
    else:  # only Polygons: one polygon per place
        ring_off, poly_off = offsets
        geom_off = np.arange(len(poly_off))
    is_multi = (type_ids == 6).astype(np.int64)
    ring_counts, coords = _open_rings(ring_off, coords)
    n_geoms, n_polys, n_rings = len(geom_off) - 1, len(poly_off) - 1, len(ring_off) - 1
    poly_geom = np.repeat(np.arange(n_geoms), np.diff(geom_off))  # polygon -> its place
    ring_poly = np.repeat(np.arange(n_polys), np.diff(poly_off))  # ring -> its polygon
    multi_cum = np.cumsum(is_multi)  # place tokens up to and including each place
    out = np.empty(int(is_multi.sum()) + n_polys + n_rings, dtype=np.int64)
    ring_pos = multi_cum[poly_geom[ring_poly]] + ring_poly + 1 + np.arange(n_rings)
    poly_pos = multi_cum[poly_geom] + np.arange(n_polys) + poly_off[:-1]
    out[ring_pos] = ring_counts
    out[poly_pos] = np.diff(poly_off)
    firsts = geom_off[:-1]
    geom_pos = (multi_cum - 1) + firsts + poly_off[np.minimum(firsts, n_polys)]
    out[geom_pos[is_multi == 1]] = np.diff(geom_off)[is_multi == 1]
    types = np.where(is_multi == 1, GEOMETRY_CODES["MultiPolygon"], GEOMETRY_CODES["Polygon"])
    return types, out, coords


def _pack_lines(geoms: np.ndarray, type_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    is_multi = (type_ids == 5).astype(np.int64)
    _, coords, offsets = shapely.to_ragged_array(geoms)
    if len(offsets) == 2:
        line_off, geom_off = offsets
    else:
        (line_off,) = offsets
        geom_off = np.arange(len(line_off))
    n_geoms, n_lines = len(geom_off) - 1, len(line_off) - 1
    line_geom = np.repeat(np.arange(n_geoms), np.diff(geom_off))
    multi_cum = np.cumsum(is_multi)
    out = np.empty(int(is_multi.sum()) + n_lines, dtype=np.int64)
    out[multi_cum[line_geom] + np.arange(n_lines)] = np.diff(line_off)
    geom_pos = (multi_cum - 1) + geom_off[:-1]
    out[geom_pos[is_multi == 1]] = np.diff(geom_off)[is_multi == 1]
    types = np.where(is_multi == 1, GEOMETRY_CODES["MultiLineString"], GEOMETRY_CODES["LineString"])
    return types, out, coords


def _pack_points(geoms: np.ndarray, type_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    is_multi = type_ids == 4
    counts = shapely.get_num_geometries(geoms)
    coords = shapely.get_coordinates(geoms)
    types = np.where(is_multi, GEOMETRY_CODES["MultiPoint"], GEOMETRY_CODES["Point"])
    return types, counts[is_multi].astype(np.int64), coords


def geojson_viewport(layer_id: str, revision: int, view: Viewport,
                     chunks: Iterable[tuple[list[str], PlaceAttributes, np.ndarray]], *, transform=None) -> Iterator[bytes]:
    """Places as a GeoJSON FeatureCollection (display attributes only), a piece at a time: the places come a chunk at
    a time (`viewport_chunks`), and their features are written `GEOJSON_PIECE` at a time."""
    head = {"type": "FeatureCollection", "layer": layer_id, "revision": revision, "zoom": view.zoom,
            "tiles": list(view.tiles), "bbox": list(view.bbox), "tolerance": view.tolerance}
    yield dumps(head)[:-1] + b',"features":['
    comma = b""
    for ids, shown, geoms in chunks:
        for start in range(0, len(geoms), GEOJSON_PIECE):
            part = geoms[start:start + GEOJSON_PIECE]
            if transform is not None:
                part = shapely.transform(part, lambda xy: np.stack(transform(xy[:, 0], xy[:, 1]), axis=1))
            texts = shapely.to_geojson(shapely.set_precision(part, 1 / view.scale, mode="pointwise"))
            rows = shown.take(np.arange(start, start + len(part))).rows()
            yield comma + b",".join(
                b'{"type":"Feature","id":' + dumps(fid) + b',"properties":' + dumps(dict(zip(PACKED_PROPERTIES, row)))
                + b',"geometry":' + text.encode() + b"}" for fid, row, text in zip(ids[start:start + len(part)], rows, texts))
            comma = b","
    yield b"]}"
