"""Places' GeoJSON geometries as shapely geometries, many at a time.

`shapely.from_geojson` reads with GEOS's JSON reader, which allocates a great deal while it reads. Asked for
100,000 synthetic places in one call it left the process 432 MB larger, about 385 MB of it memory freed but kept
by the C library rather than given back (what the geometries hold is about 47 MB); asked for them `CHUNK` at a time,
each chunk's JSON texts made just before it is read, it left 57 MB, in 0.32 s instead of 0.50 (with every text
made first and then read a chunk at a time, 433 MB again). A server keeps the viewport's index of every place of a large layer
(geo/viewport.py): in one call that was some 380 MB more resident memory per worker for good.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import orjson
import shapely

CHUNK = 1000  # geometries read per call


def from_geojson(geometries: Sequence[dict | str | bytes | None], *, on_invalid: str = "raise") -> np.ndarray:
    """shapely geometries of GeoJSON geometries (dicts, or their JSON text; None stays None), as
    `shapely.from_geojson` reads them (`on_invalid` as there), `CHUNK` at a time."""
    out = np.empty(len(geometries), dtype=object)
    for start in range(0, len(geometries), CHUNK):  # each chunk's texts made with it (all made first: 430 MB again)
        texts = np.array([orjson.dumps(g) if isinstance(g, dict) else g for g in geometries[start:start + CHUNK]],
                         dtype=object)
        out[start:start + CHUNK] = shapely.from_geojson(texts, on_invalid=on_invalid)
    return out
