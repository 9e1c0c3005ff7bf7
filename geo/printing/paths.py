"""Shapely geometries as matplotlib paths, vectorised: the places of one layer and status become one
compound `Path` built from shapely's coordinate arrays (ring starts and ends found with numpy, no loop
over features). Used by the sheet (render.py), the locator inset and the dossier's inset.
"""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.path import Path as MPath


def _ring_path(rings: np.ndarray, closed: bool) -> MPath | None:
    """One compound path of many rings or lines: MOVETO at each start, CLOSEPOLY at each end."""
    if not len(rings):
        return None
    coords, index = shapely.get_coordinates(rings, return_index=True)
    if not len(coords):
        return None
    codes = np.full(len(coords), MPath.LINETO, dtype=MPath.code_type)
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    codes[starts] = MPath.MOVETO
    if closed:
        ends = np.r_[starts[1:] - 1, len(coords) - 1]
        codes[ends] = MPath.CLOSEPOLY
    return MPath(coords, codes)


def polygon_path(geoms: np.ndarray) -> MPath | None:
    """Every polygon (with holes) of `geoms` as one fillable path."""
    polys = shapely.get_parts(geoms[np.isin(shapely.get_type_id(geoms), (3, 6))])
    return _ring_path(shapely.get_rings(polys), closed=True) if len(polys) else None


def line_path(geoms: np.ndarray) -> MPath | None:
    lines = shapely.get_parts(geoms[np.isin(shapely.get_type_id(geoms), (1, 5))])
    return _ring_path(lines, closed=False) if len(lines) else None


def outline_path(geoms: np.ndarray) -> MPath | None:
    """The rings of polygons and the lines of linear geometries, to stroke."""
    polys = shapely.get_parts(geoms[np.isin(shapely.get_type_id(geoms), (3, 6))])
    lines = shapely.get_parts(geoms[np.isin(shapely.get_type_id(geoms), (1, 5))])
    parts = np.concatenate([shapely.get_rings(polys), lines]) if len(polys) else lines
    return _ring_path(parts, closed=False)
