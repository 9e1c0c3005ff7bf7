"""Places' GeoJSON geometries as shapely geometries, many at a time.

`shapely.from_geojson` reads with GEOS's JSON reader, which allocates a great deal while it reads. Asked for
100,000 synthetic places in one call it left the process 432 MB larger, of which the geometries hold about 47 MB:
the rest is memory freed and kept by the C library rather than given back. Asked for them `CHUNK` at a time, each
chunk's JSON texts made just before it is read, it left 57 MB, in 0.32 s instead of 0.50 (with every text made
first and then read a chunk at a time, 433 MB again). A server keeps the viewport's index of every place of a
large layer (geo/viewport.py): in one call that was some 350 MB more resident memory per worker for good.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import orjson
import shapely

CHUNK = 1000  # geometries read per call


def from_geojson(geometries: Sequence[dict | str | bytes | None], *, on_invalid: str = "raise") -> np.ndarray:
    """shapely geometries of GeoJSON geometries (dicts, or their JSON text; None stays None; any other value is
    written as JSON and refused or left out as GEOS reads it), as
    `shapely.from_geojson` reads them (`on_invalid` as there), `CHUNK` at a time."""
    out = np.empty(len(geometries), dtype=object)
    for start in range(0, len(geometries), CHUNK):  # each chunk's texts made with it (all made first: 430 MB again)
        texts = np.empty(len(geometries[start:start + CHUNK]), dtype=object)  # (never a 2-D array of equal lists)
        texts[:] = [g if g is None or isinstance(g, (str, bytes)) else orjson.dumps(g)
                    for g in geometries[start:start + CHUNK]]
        out[start:start + CHUNK] = shapely.from_geojson(texts, on_invalid=on_invalid)
    return out
