"""Mapbox Vector Tiles of a layer's shapes (WebMercatorQuad: the z/x/y tiles of web maps), for large layers and
for GIS clients (QGIS reads an XYZ vector tile URL).

A tile holds one MVT layer named after the campaign layer, with one feature per place that meets the tile
(clipped to the tile and a 64-unit buffer, in 4,096 units a side) and its place's id, `id`.
Below full detail (zoom 17), a polygon smaller than 3 pixels of a 256-pixel tile each way (`DOT_UNITS`) comes
as a point at the centre of its bounding box, as the wall's viewports send dots (geo/viewport.py): its
outline could not be seen, and a district's tiles at zoom 12 would otherwise carry tens of thousands of
outlines of a few units each. Such points are one per pixel of a 256-pixel tile: the first place's (in the
layer's order), with `count`, the number of places in that pixel, when there are more. So a tile holds at
most 65,536 of them, however far out a client zooms: a district of a million places at zoom 8 is one tile,
made in bounded time and size, not a million features.
Statuses, names and everything else that changes often are not in a tile: a screen has them from the wall
state, so a status change never changes a tile. A tile depends only on the layer's shapes, and is cached and
revalidated per shapes revision (`WallData.shape_revisions`: an outline, a sub-district or a community
changed).

PostGIS makes a tile in SQL (`PostGISStore.vector_tile`: ST_AsMVT over ST_AsMVTGeom, the GiST index finding
the places); the embedded store with mapbox-vector-tile over shapely, the places found through the viewport
index's STRtree (geo/viewport.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mapbox_vector_tile
import numpy as np
import shapely

from geo.errors import BadParameters, FieldError
from geo.messages import t
from geo.store.base import Store
from geo.viewport import DOT_PIXELS, FULL_DETAIL_ZOOM, ViewportIndex, tile_x, tile_y

EXTENT = 4096  # units a side
BUFFER = 64  # units kept beyond each edge, so a line or outline crossing it is drawn without a seam
MAX_ZOOM = 24
PIXEL_UNITS = EXTENT // 256  # one pixel of a 256-pixel tile
DOT_UNITS = DOT_PIXELS * PIXEL_UNITS  # a polygon smaller than this each way is a point below full detail
HALF = 20037508.342789244  # half the side of the world in EPSG:3857 metres
MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
FORMAT = 2  # in the tiles' ETags: a tile made otherwise by a newer version is not answered 304 from an older one
GRID = "WebMercatorQuad"  # the tile matrix set's id (OGC Two Dimensional Tile Matrix Set 2.0, annex D)
GRID_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
GRID_CRS = "http://www.opengis.net/def/crs/EPSG/0/3857"


def tile_matrix_set() -> dict:
    """WebMercatorQuad as the tile matrix set's JSON (OGC 2D TMS 2.0), zooms 0 to `MAX_ZOOM`: what a GIS client reads
    to place the tiles (GDAL reads the scales and origin from it rather than knowing the set by name)."""
    return {
        "id": GRID, "title": t("ogc.tms_title"), "uri": GRID_URI, "crs": GRID_CRS,
        "orderedAxes": ["X", "Y"], "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": [{"id": str(z), "scaleDenominator": 559082264.0287178 / 2**z,
                          "cellSize": 2 * HALF / 256 / 2**z, "cornerOfOrigin": "topLeft", "pointOfOrigin": [-HALF, HALF],
                          "tileWidth": 256, "tileHeight": 256, "matrixWidth": 2**z, "matrixHeight": 2**z}
                         for z in range(MAX_ZOOM + 1)],
    }


def tile_limits(bbox: tuple[float, float, float, float], zooms=range(MAX_ZOOM + 1)) -> list[dict]:
    """The tiles of each zoom (all of them by default) that cover `bbox` (west, south, east, north in degrees), as a
    tileset's `tileMatrixSetLimits`: a client asks only for those."""
    west, south, east, north = bbox
    return [{"tileMatrix": str(z), "minTileRow": tile_y(north, z), "maxTileRow": tile_y(south, z),
             "minTileCol": tile_x(west, z), "maxTileCol": tile_x(east, z)} for z in zooms]


@dataclass(frozen=True)
class Tile:
    z: int
    x: int
    y: int

    @classmethod
    def of(cls, z: int, x: int, y: int) -> Tile:
        """The tile z/x/y; BadParameters (400) for a zoom outside 0–24 or a column or row outside it."""
        if not 0 <= z <= MAX_ZOOM:
            raise BadParameters([FieldError("z", t("tiles.bad_zoom", max=MAX_ZOOM))])
        if not (0 <= x < 2**z and 0 <= y < 2**z):
            raise BadParameters([FieldError("x/y", t("tiles.bad_tile", z=z, n=2**z - 1))])
        return cls(z, x, y)

    def mercator(self, margin: float = 0.0) -> tuple[float, float, float, float]:
        """[west, south, east, north] in EPSG:3857 metres, widened by `margin` of a side each way."""
        side = 2 * HALF / 2**self.z
        west, north = -HALF + self.x * side, HALF - self.y * side
        m = margin * side
        return west - m, north - side - m, west + side + m, north + m

    def lon_lat(self, margin: float = 0.0) -> tuple[float, float, float, float]:
        """The same box in degrees (WGS 84)."""
        west, south, east, north = self.mercator(margin)
        return _lon(west), _lat(south), _lon(east), _lat(north)


def _lon(x: float) -> float:
    return max(-180.0, min(180.0, x / HALF * 180.0))


def _lat(y: float) -> float:
    return max(-90.0, min(90.0, math.degrees(2 * math.atan(math.exp(y / HALF * math.pi)) - math.pi / 2)))


def _to_mercator(xy: np.ndarray) -> np.ndarray:
    lat = np.clip(xy[:, 1], -85.05112878, 85.05112878)
    return np.column_stack([xy[:, 0] * HALF / 180.0, np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * HALF / np.pi])


def vector_tile(store: Store, index: ViewportIndex | None, layer_id: str, revision: int, tile: Tile, *,
                street: str | None = None, community: str | None = None) -> bytes:
    """The layer's tile as MVT bytes, of the places of a sub-district and community when given (a wall screen's
    scope); empty bytes for a tile with no place (a valid empty tile)."""
    dot = DOT_UNITS if tile.z < FULL_DETAIL_ZOOM else 0
    made = getattr(store, "vector_tile", None)
    if made is not None:
        return made(layer_id, tile.z, tile.x, tile.y, EXTENT, BUFFER, dot=dot, pixel=PIXEL_UNITS, street=street,
                    community=community)
    store.layer(layer_id)
    ids, geoms = (index or ViewportIndex(store)).in_box(layer_id, revision, tile.lon_lat(BUFFER / EXTENT),
                                                         street=street, community=community)
    if not len(ids):
        return b""
    west, south, east, _ = tile.mercator()
    scale = EXTENT / (east - west)

    def units(xy: np.ndarray) -> np.ndarray:  # degrees to tile units, y up from the tile's bottom
        return (_to_mercator(xy) - (west, south)) * scale

    bounds = shapely.bounds(geoms)  # a box's corners are its outline's bounds in units too (x and y apart, in order)
    x0, y0 = units(bounds[:, :2]).T
    x1, y1 = units(bounds[:, 2:]).T
    small = (np.isin(shapely.get_type_id(geoms), (3, 6)) & (x1 - x0 < dot) & (y1 - y0 < dot)) if dot \
        else np.zeros(len(ids), dtype=bool)
    counts = np.ones(len(ids), dtype=int)
    keep = ~small
    if small.any():  # one point per pixel: the first place's, with the count
        at = np.flatnonzero(small)
        cx, cy = (x0[at] + x1[at]) / 2, (y0[at] + y1[at]) / 2
        cells = np.column_stack([np.floor(cx / PIXEL_UNITS), np.floor(cy / PIXEL_UNITS)])
        _, first, n = np.unique(cells, axis=0, return_index=True, return_counts=True)
        keep[at[first]] = True
        counts[at[first]] = n
    shapes = np.empty(len(ids), dtype=object)
    outline = keep & ~small
    shapes[outline] = shapely.clip_by_rect(shapely.transform(geoms[outline], units), -BUFFER, -BUFFER,
                                           EXTENT + BUFFER, EXTENT + BUFFER)  # only what is drawn is transformed
    dots = keep & small
    shapes[dots] = shapely.points((x0[dots] + x1[dots]) / 2, (y0[dots] + y1[dots]) / 2)
    inside = (-BUFFER <= (x0 + x1) / 2) & ((x0 + x1) / 2 <= EXTENT + BUFFER) & \
        (-BUFFER <= (y0 + y1) / 2) & ((y0 + y1) / 2 <= EXTENT + BUFFER)
    keep &= np.where(small, inside, True)
    keep[outline] &= ~shapely.is_empty(shapes[outline])
    features = [{"geometry": g, "properties": {"id": fid, "count": int(n)} if n > 1 else {"id": fid}}
                for fid, g, n in zip(np.asarray(ids)[keep], shapes[keep], counts[keep])]
    if not features:  # places near the tile, none in it: empty, as PostGIS answers
        return b""
    return mapbox_vector_tile.encode([{"name": layer_id, "features": features}], default_options={"extents": EXTENT})
