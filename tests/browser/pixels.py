"""Reading what a wall map shows at a place: its interior point, the pixel of a tiled layer's canvas there, and
whether a pixel is a status colour."""

from __future__ import annotations

import shapely
from shapely.geometry import shape

# What the screen shows at a LatLng of the tiled layer: the pixel of the tile canvas under it (RGBA), or null.
TILE_PIXEL = """(latlng) => {
    const map = window.guatuPage.walls[0].map;
    const p = map.latLngToContainerPoint(latlng), box = map.getContainer().getBoundingClientRect();
    const x = p.x + box.left, y = p.y + box.top;
    for (const tile of map.getPane('guatu-tiles').querySelectorAll('canvas.guatu-tile')) {
        const r = tile.getBoundingClientRect();
        if (x < r.left || x >= r.right || y < r.top || y >= r.bottom) continue;
        const at = [Math.floor((x - r.left) * tile.width / r.width), Math.floor((y - r.top) * tile.height / r.height)];
        return Array.from(tile.getContext('2d').getImageData(at[0], at[1], 1, 1).data);
    }
    return null;
}"""


def near(rgba: list[int] | None, colour: str) -> bool:
    """Whether an RGBA pixel is mostly opaque and within 3 of `colour` ("#rrggbb") in each channel."""
    want = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return rgba is not None and rgba[3] >= 128 and max(abs(a - b) for a, b in zip(rgba, want)) <= 3


def interior(feature: dict) -> list[float]:
    """[lat, lon] of a point inside the feature's shape."""
    pt = shapely.point_on_surface(shape(feature["geometry"]))
    return [pt.y, pt.x]
