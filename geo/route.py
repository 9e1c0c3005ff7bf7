"""A short walking order through a day's inspection places (巡查路线): nearest neighbour, then 2-opt.

The route is an open path from a fixed start (the district office, or where
`inspections.route_start` says) through every stop once, not returning. Distances
are straight lines in metres, on the campaign's local metric grid (the UTM zone
of its centre, projected with pyproj), which is what a car or a walk across a
district of a few kilometres is roughly proportional to.

* `nearest_neighbour` goes to the closest unvisited stop each time (ties: the
  lower index), a tour at most a few tens of percent longer than the best;
* `two_opt` then reverses any stretch of the path that makes it shorter, until
  none does (first improvement, in a fixed order), so it is never longer than
  the path it started from;
* `or_opt` moves a run of one to three stops elsewhere when that is shorter
  (what 2-opt cannot do without reversing half the route);
* `plan` is all three, on [lon, lat] points, and says how long the route is and how
  long the drawn (unordered) order was.

Everything is deterministic: the same points and start give the same route.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pyproj import Transformer

Point = tuple[float, float]  # lon, lat (WGS 84)
OR_OPT_UP_TO = 40  # stops (with the start) up to which or-opt follows 2-opt


@dataclass(frozen=True)
class Route:
    """The visiting order of the stops (indices into the points given), the lengths in metres of the route
    and of the order the stops were given in, both from the start."""

    order: tuple[int, ...]
    length_m: float
    given_length_m: float


def utm_crs(lon: float, lat: float) -> str:
    """The WGS 84 / UTM zone of a point (EPSG:32649 for Zhengzhou)."""
    zone = min(60, max(1, int(np.floor((lon + 180) / 6)) + 1))
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def project(points: Sequence[Point], crs: str) -> np.ndarray:
    """[lon, lat] points as an (n, 2) array of metres on `crs`."""
    if not len(points):
        return np.zeros((0, 2))
    lon, lat = np.asarray(points, dtype=float).T
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    return np.column_stack([x, y])


def distances(xy: np.ndarray) -> np.ndarray:
    """The matrix of straight-line distances between the rows of `xy`."""
    diff = xy[:, None, :] - xy[None, :, :]
    return np.hypot(diff[..., 0], diff[..., 1])


def path_length(d: np.ndarray, path: Sequence[int]) -> float:
    """The length of a path through the nodes of distance matrix `d`, in the order given."""
    p = np.asarray(path, dtype=int)
    return float(d[p[:-1], p[1:]].sum()) if len(p) > 1 else 0.0


def nearest_neighbour(d: np.ndarray, start: int = 0) -> list[int]:
    """From `start`, always the closest node not yet visited (ties: the lowest index)."""
    n = len(d)
    seen = np.zeros(n, dtype=bool)
    path = [start]
    seen[start] = True
    for _ in range(n - 1):
        row = np.where(seen, np.inf, d[path[-1]])
        nxt = int(np.argmin(row))
        path.append(nxt)
        seen[nxt] = True
    return path


def two_opt(d: np.ndarray, path: list[int], *, max_rounds: int = 200) -> list[int]:
    """The open path improved by reversing stretches path[i..j] (the first node stays first) while one
    shortens it by more than a millimetre; never longer than `path`."""
    path = list(path)
    n = len(path)
    for _ in range(max_rounds):
        improved = False
        for i in range(1, n - 1):
            a, b = path[i - 1], path[i]
            for j in range(i + 1, n):
                c = path[j]
                e = path[j + 1] if j + 1 < n else None
                before = d[a, b] + (d[c, e] if e is not None else 0.0)
                after = d[a, c] + (d[b, e] if e is not None else 0.0)
                if after < before - 1e-3:
                    path[i:j + 1] = reversed(path[i:j + 1])
                    a, b = path[i - 1], path[i]
                    improved = True
        if not improved:
            break
    return path


def or_opt(d: np.ndarray, path: list[int], *, max_rounds: int = 200) -> list[int]:
    """The open path improved by moving a run of one to three stops (either way round) to another place in it,
    while one such move shortens it by more than a millimetre; the first node stays first."""
    path = list(path)
    n = len(path)

    def cost(p: list[int]) -> float:
        return path_length(d, p)

    length = cost(path)
    for _ in range(max_rounds):
        improved = False
        for size in (1, 2, 3):
            for i in range(1, n - size + 1):
                run = path[i:i + size]
                rest = path[:i] + path[i + size:]
                for j in range(1, len(rest) + 1):
                    if j == i:
                        continue
                    for piece in (run, run[::-1]):
                        candidate = rest[:j] + piece + rest[j:]
                        new = cost(candidate)
                        if new < length - 1e-3:
                            path, length, improved = candidate, new, True
                            break
                    if improved:
                        break
                if improved:
                    break
            if improved:
                break
        if not improved:
            break
    return path


def plan(points: Sequence[Point], start: Point, crs: str | None = None) -> Route:
    """The order to visit `points` ([lon, lat]) in from `start`: nearest neighbour, then 2-opt, in metres on
    `crs` (default: the UTM zone of the start)."""
    if not len(points):
        return Route((), 0.0, 0.0)
    crs = crs or utm_crs(*start)
    xy = project([start, *points], crs)
    d = distances(xy)
    path = nearest_neighbour(d, 0)
    if len(path) > OR_OPT_UP_TO:  # long lists: 2-opt only (or-opt's moves grow with the cube of the stops)
        return _route(d, two_opt(d, path), len(points))
    while True:  # 2-opt and or-opt in turn until neither shortens the route
        better = or_opt(d, two_opt(d, path))
        if path_length(d, better) >= path_length(d, path) - 1e-3:
            break
        path = better
    return _route(d, path, len(points))


def _route(d: np.ndarray, path: list[int], n: int) -> Route:
    return Route(order=tuple(i - 1 for i in path[1:]), length_m=round(path_length(d, path), 1),
                 given_length_m=round(path_length(d, range(n + 1)), 1))
