"""A CQL2 filter (OGC API – Features Part 3), parsed by pygeofilter, as a condition on the PostGIS `features` table.

`condition(node)` turns the AST into a `psycopg.sql.Composed` and its parameters: every value the client
sent travels as a query parameter, never in the SQL text; names are composed as literals/identifiers by
psycopg. The parser (web/ogc) has already checked that every attribute is a queryable of the layer and put
every geometry in CRS84 longitude/latitude, so this module only translates.

What a name means: `id` the place's id, `geometry` its geometry (the `geom` column, SRID 4326), any other
name `properties[name]`. A property is compared as the type of the literal it is compared with — a string
literal with a JSON string, a number with a JSON number, `true`/`false` with a JSON boolean, a TIMESTAMP
with Guatu's UTC stamps (`guatu_instant`, migration 0008; `updated_at` its column), a DATE with a `YYYY-MM-DD` text or the UTC day
of a stamp. A property that is missing, null or of another JSON type is unknown (SQL NULL), so every
comparison with it is unknown, NOT of unknown is unknown, and the place is not selected: CQL2's and SQL's
three-valued logic, and the cast never fails whatever a place holds. A place without a geometry is
unknown to every spatial predicate.

Supported: AND, OR, NOT; =, <>, <, <=, >, >=; LIKE (and ILIKE-style `nocase`) with the pattern's own
wildcard, single-character and escape characters; IN; BETWEEN; IS NULL; EXISTS; INCLUDE/EXCLUDE;
S_INTERSECTS, S_DISJOINT, S_CONTAINS, S_WITHIN, S_TOUCHES, S_CROSSES, S_OVERLAPS, S_EQUALS, RELATE and BBOX
against a geometry, envelope or `BBOX(...)` literal; T_AFTER, T_BEFORE, T_EQUALS and T_DURING against an
instant or interval. Anything else is refused with BadParameter("filter", …), naming the part.

`hint(node)` is a condition implied by the filter that an index can answer (the top-level ANDed equalities
and IN lists on strings and ids): adding it changes nothing but the plan.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import orjson
from psycopg import sql
from pygeofilter import ast, values

from geo.errors import BadParameter
from geo.messages import t

Condition = tuple[sql.Composable, list]

_COMPARISONS = {ast.Equal: "=", ast.NotEqual: "<>", ast.LessThan: "<", ast.LessEqual: "<=", ast.GreaterThan: ">",
                ast.GreaterEqual: ">="}
_CONVERSE = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}  # literal op attribute
_SPATIAL = {ast.GeometryIntersects: "ST_Intersects", ast.GeometryDisjoint: "ST_Disjoint",
            ast.GeometryContains: "ST_Contains", ast.GeometryWithin: "ST_Within", ast.GeometryTouches: "ST_Touches",
            ast.GeometryCrosses: "ST_Crosses", ast.GeometryOverlaps: "ST_Overlaps", ast.GeometryEquals: "ST_Equals"}
_SPATIAL_CONVERSE = {"ST_Contains": "ST_Within", "ST_Within": "ST_Contains"}
_DATE_TEXT = r"^\d{4}-\d{2}-\d{2}$"
# properties the features table also keeps as columns (migration 0008): the string value, else NULL, indexed
TEXT_COLUMNS = ("status", "street", "community", "kind")
INSTANT_COLUMNS = ("updated_at",)  # guatu_instant of the property


def condition(node: ast.Node) -> Condition:
    """The SQL condition the filter is, with its parameters in order."""
    return _Translator().node(node)


def hint(node: ast.Node) -> Condition | None:
    """An index-friendly condition the filter implies (None when it implies none we can use)."""
    parts: list[Condition] = []
    for term in _conjuncts(node):
        if isinstance(term, ast.Equal):
            name, literal = _attribute_and_literal(term.lhs, term.rhs)
            if name is not None and isinstance(literal, str):
                parts.append(_text_any(name, [literal]))
        elif isinstance(term, ast.In) and not term.not_ and isinstance(term.lhs, ast.Attribute) \
                and term.sub_nodes and all(isinstance(v, str) for v in term.sub_nodes):
            parts.append(_text_any(term.lhs.name, list(term.sub_nodes)))
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return sql.SQL(" AND ").join(p[0] for p in parts), [v for p in parts for v in p[1]]


def _conjuncts(node: ast.Node) -> list[ast.Node]:
    if isinstance(node, ast.And):
        return _conjuncts(node.lhs) + _conjuncts(node.rhs)
    return [node]


def _attribute_and_literal(lhs: object, rhs: object) -> tuple[str | None, object]:
    if isinstance(lhs, ast.Attribute) and not isinstance(rhs, ast.Node):
        return lhs.name, rhs
    if isinstance(rhs, ast.Attribute) and not isinstance(lhs, ast.Node):
        return rhs.name, lhs
    return None, None


def _text_any(name: str, texts: list[str]) -> Condition | None:
    if name == "geometry":
        return None
    if name == "id":
        return sql.SQL("id = ANY(%s)"), [texts]
    if name in TEXT_COLUMNS:
        return sql.SQL("{} = ANY(%s)").format(sql.Identifier(name)), [texts]
    if "%" in name:
        return None
    return sql.SQL("properties ->> {} = ANY(%s)").format(sql.Literal(name)), [texts]


def _refuse(what: str) -> BadParameter:
    return BadParameter("filter", t("pgr.filter_unsupported", what=what))


def _kind(literal: object) -> str:
    """The type a literal compares as: text, number, boolean, instant or day."""
    if isinstance(literal, bool):
        return "boolean"
    if isinstance(literal, (int, float)):
        return "number"
    if isinstance(literal, str):
        return "text"
    if isinstance(literal, datetime):
        return "instant"
    if isinstance(literal, date):
        return "day"
    raise _refuse(type(literal).__name__)


def _param(literal: object, kind: str) -> object:
    if kind == "instant":
        moment = literal if literal.tzinfo is not None else literal.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    if kind == "day":
        return literal.isoformat()
    return literal


class _Translator:
    def node(self, node: object) -> Condition:
        if isinstance(node, ast.And):
            return self._join(" AND ", node.lhs, node.rhs)
        if isinstance(node, ast.Or):
            return self._join(" OR ", node.lhs, node.rhs)
        if isinstance(node, ast.Not):
            inner, params = self.node(node.sub_node)
            return sql.SQL("(NOT {})").format(inner), params
        if isinstance(node, ast.Include):
            return sql.SQL("FALSE" if node.not_ else "TRUE"), []
        if type(node) in _COMPARISONS:
            return self._comparison(node)
        if isinstance(node, ast.Like):
            return self._like(node)
        if isinstance(node, ast.In):
            return self._in(node)
        if isinstance(node, ast.Between):
            return self._between(node)
        if isinstance(node, ast.IsNull):
            return self._is_null(node)
        if isinstance(node, ast.Exists):
            return self._exists(node)
        if type(node) in _SPATIAL:
            return self._spatial(node, _SPATIAL[type(node)])
        if isinstance(node, ast.Relate):
            geometry, params = self._geometry_literal(node.rhs)
            self._geometry_attribute(node.lhs)
            return sql.SQL("ST_Relate(geom, {}, %s)").format(geometry), [*params, node.pattern]
        if isinstance(node, ast.BBox):
            self._geometry_attribute(node.lhs)
            return (sql.SQL("ST_Intersects(geom, ST_MakeEnvelope(%s, %s, %s, %s, 4326))"),
                    [node.minx, node.miny, node.maxx, node.maxy])
        if isinstance(node, (ast.TimeAfter, ast.TimeBefore, ast.TimeEquals, ast.TimeDuring)):
            return self._temporal(node)
        raise _refuse(type(node).__name__)

    def _join(self, word: str, lhs: object, rhs: object) -> Condition:
        a, pa = self.node(lhs)
        b, pb = self.node(rhs)
        return sql.SQL("({} {} {})").format(a, sql.SQL(word.strip()), b), pa + pb

    # --- values -------------------------------------------------------------
    @staticmethod
    def _value(name: str, kind: str) -> sql.Composable:
        """The attribute as a SQL value of `kind`, NULL when the place's value is not of that kind."""
        if name == "geometry":
            raise _refuse("geometry")
        if "%" in name:  # composed into the SQL text (so that an index on the expression serves it)
            raise _refuse(name)
        if name == "id":
            if kind != "text":
                raise _refuse(f"id ({kind})")
            return sql.SQL("id")
        if kind == "text" and name in TEXT_COLUMNS or kind == "instant" and name in INSTANT_COLUMNS:
            return sql.Identifier(name)
        key = sql.Literal(name)
        if kind == "text":
            return sql.SQL("(CASE WHEN jsonb_typeof(properties -> {k}) = 'string' THEN properties ->> {k} END)"
                           ).format(k=key)
        if kind == "number":
            return sql.SQL("(CASE WHEN jsonb_typeof(properties -> {k}) = 'number' THEN (properties ->> {k})::numeric "
                           "END)").format(k=key)
        if kind == "boolean":
            return sql.SQL("(CASE WHEN jsonb_typeof(properties -> {k}) = 'boolean' THEN (properties ->> {k})::boolean "
                           "END)").format(k=key)
        if kind == "instant":
            return sql.SQL("guatu_instant(properties ->> {k})").format(k=key)
        # day: a YYYY-MM-DD text as it is (ISO days sort as text), or the UTC day of a stamp
        return sql.SQL("(CASE WHEN properties ->> {k} ~ {re} THEN properties ->> {k} COLLATE \"C\" "
                       "ELSE to_char(guatu_instant(properties ->> {k}) AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
                       "COLLATE \"C\" END)").format(k=key, re=sql.Literal(_DATE_TEXT))

    @staticmethod
    def _placeholder(kind: str) -> sql.Composable:
        return {"number": sql.SQL("%s::numeric"), "boolean": sql.SQL("%s::boolean"),
                "instant": sql.SQL("%s::timestamptz"), "day": sql.SQL("(%s::text COLLATE \"C\")"),
                "text": sql.SQL("%s::text")}[kind]

    # --- predicates -----------------------------------------------------------
    def _comparison(self, node: ast.Comparison) -> Condition:
        op = _COMPARISONS[type(node)]
        lhs, rhs = node.lhs, _literal(node.rhs)
        if not _is_operand(lhs) and _is_operand(node.rhs):
            lhs, rhs, op = node.rhs, _literal(node.lhs), _CONVERSE[op]
        if not _is_operand(lhs) or isinstance(rhs, ast.Node):
            raise _refuse(f"{type(node).__name__}: {_describe(node.lhs)}, {_describe(node.rhs)}")
        literal = rhs
        kind = _kind(literal)
        if kind == "number" and isinstance(literal, float) and literal != literal:  # NaN
            raise _refuse("NaN")
        return (sql.SQL("({} {} {})").format(self._operand(lhs, kind), sql.SQL(op), self._placeholder(kind)),
                [_param(literal, kind)])

    def _like(self, node: ast.Like) -> Condition:
        pattern = _literal(node.pattern)
        if not _is_operand(node.lhs) or not isinstance(pattern, str):
            raise _refuse("LIKE")
        pattern = _like_pattern(pattern, node.wildcard, node.singlechar, node.escapechar)
        word = "ILIKE" if node.nocase else "LIKE"
        out = sql.SQL("({} {} %s ESCAPE '\\')").format(self._operand(node.lhs, "text"), sql.SQL(word))
        if node.not_:
            out = sql.SQL("(NOT {})").format(out)
        return out, [pattern]

    def _in(self, node: ast.In) -> Condition:
        if not _is_operand(node.lhs):
            raise _refuse(_describe(node.lhs))
        name = _operand_name(node.lhs)
        options = [_literal(v) for v in node.sub_nodes]
        if not options or any(isinstance(v, ast.Node) for v in options):
            raise _refuse("IN")
        kinds = {_kind(v) for v in options}
        if len(kinds) != 1:
            raise BadParameter("filter", t("pgr.filter_mixed_in", name=name))
        kind = kinds.pop()
        marks = sql.SQL(", ").join(self._placeholder(kind) for _ in options)
        out = sql.SQL("({} {}IN ({}))").format(self._operand(node.lhs, kind), sql.SQL("NOT " if node.not_ else ""),
                                                marks)
        return out, [_param(v, kind) for v in options]

    def _between(self, node: ast.Between) -> Condition:
        name = self._attribute(node.lhs)
        if isinstance(node.low, ast.Node) or isinstance(node.high, ast.Node):
            raise _refuse("BETWEEN")
        kind = _kind(node.low)
        if _kind(node.high) != kind:
            raise _refuse("BETWEEN")
        mark = self._placeholder(kind)
        out = sql.SQL("({} {}BETWEEN {} AND {})").format(self._value(name, kind),
                                                          sql.SQL("NOT " if node.not_ else ""), mark, mark)
        return out, [_param(node.low, kind), _param(node.high, kind)]

    def _is_null(self, node: ast.IsNull) -> Condition:
        name = self._attribute(node.lhs)
        if name == "id":
            out = sql.SQL("FALSE")
        elif name == "geometry":
            out = sql.SQL("(geom IS NULL)")
        else:
            out = sql.SQL("(coalesce(jsonb_typeof(properties -> {}), 'null') = 'null')").format(sql.Literal(name))
        return (sql.SQL("(NOT {})").format(out) if node.not_ else out), []

    def _exists(self, node: ast.Exists) -> Condition:
        name = self._attribute(node.lhs)
        if name in ("id", "geometry"):
            out = sql.SQL("TRUE") if name == "id" else sql.SQL("(geom IS NOT NULL)")
        else:
            out = sql.SQL("(properties ? %s)")
            return (sql.SQL("(NOT {})").format(out) if node.not_ else out), [name]
        return (sql.SQL("(NOT {})").format(out) if node.not_ else out), []

    def _spatial(self, node: ast.SpatialComparisonPredicate, function: str) -> Condition:
        lhs, rhs = node.lhs, node.rhs
        if not isinstance(lhs, ast.Attribute) and isinstance(rhs, ast.Attribute):
            lhs, rhs, function = rhs, lhs, _SPATIAL_CONVERSE.get(function, function)
        self._geometry_attribute(lhs)
        geometry, params = self._geometry_literal(rhs)
        return sql.SQL("{}(geom, {})").format(sql.SQL(function), geometry), params

    def _temporal(self, node: ast.TemporalPredicate) -> Condition:
        name = self._attribute(node.lhs)
        value = self._value(name, "instant")
        low, high = _instants(node.rhs)
        if isinstance(node, ast.TimeAfter):
            return sql.SQL("({} > %s::timestamptz)").format(value), [high]
        if isinstance(node, ast.TimeBefore):
            return sql.SQL("({} < %s::timestamptz)").format(value), [low]
        if isinstance(node, ast.TimeEquals):
            if low != high:
                raise _refuse("T_EQUALS")
            return sql.SQL("({} = %s::timestamptz)").format(value), [low]
        if low is None or high is None:  # T_DURING an open interval
            return (sql.SQL("({} > %s::timestamptz)").format(value), [low]) if high is None else \
                (sql.SQL("({} < %s::timestamptz)").format(value), [high])
        return sql.SQL("({v} > %s::timestamptz AND {v} < %s::timestamptz)").format(v=value), [low, high]

    # --- operands -------------------------------------------------------------
    def _operand(self, node: object, kind: str) -> sql.Composable:
        """An attribute, or CASEI's lower(attribute), as a SQL value of `kind`."""
        value = self._value(_operand_name(node), kind)
        return sql.SQL("lower({})").format(value) if isinstance(node, ast.Function) else value

    @staticmethod
    def _attribute(node: object) -> str:
        if not isinstance(node, ast.Attribute):
            raise _refuse(_describe(node))
        return node.name

    def _geometry_attribute(self, node: object) -> None:
        if self._attribute(node) != "geometry":
            raise _refuse(f"{_describe(node)} (not a geometry)")

    @staticmethod
    def _geometry_literal(node: object) -> Condition:
        if isinstance(node, values.Envelope):
            return sql.SQL("ST_MakeEnvelope(%s, %s, %s, %s, 4326)"), [node.x1, node.y1, node.x2, node.y2]
        if isinstance(node, ast.Function) and node.name.lower() == "bbox" and len(node.arguments) in (4, 6) \
                and all(isinstance(a, (int, float)) for a in node.arguments):
            a = node.arguments
            box = [a[0], a[1], a[2], a[3]] if len(a) == 4 else [a[0], a[1], a[3], a[4]]
            return sql.SQL("ST_MakeEnvelope(%s, %s, %s, %s, 4326)"), box
        if isinstance(node, values.Geometry):
            text = orjson.dumps(node.geometry).decode()
            return sql.SQL("ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)"), [text]
        raise _refuse(_describe(node))


def _is_lower(node: object) -> bool:
    """CASEI(…), which geo/cql2.py reads as lower(…) of one argument."""
    return isinstance(node, ast.Function) and node.name.lower() in ("lower", "casei") and len(node.arguments) == 1


def _is_operand(node: object) -> bool:
    return isinstance(node, ast.Attribute) or _is_lower(node) and isinstance(node.arguments[0], ast.Attribute)


def _operand_name(node: object) -> str:
    return node.arguments[0].name if isinstance(node, ast.Function) else node.name


def _literal(node: object) -> object:
    """A literal as compared: CASEI('Text') is the text in lower case (as PostgreSQL's lower() makes it)."""
    if _is_lower(node) and isinstance(node.arguments[0], str):
        return node.arguments[0].lower()
    return node


def _instants(value: object) -> tuple[datetime | None, datetime | None]:
    """An instant or interval literal as its first and last moment (a day is all of it, in UTC)."""
    if isinstance(value, values.Interval):
        low = _instants(value.start)[0] if value.start is not None else None
        high = _instants(value.end)[1] if value.end is not None else None
        return low, high
    if isinstance(value, datetime):
        moment = _param(value, "instant")
        return moment, moment
    if isinstance(value, date):
        start = datetime(value.year, value.month, value.day, tzinfo=UTC)
        return start, start.replace(hour=23, minute=59, second=59, microsecond=999999)
    if isinstance(value, str) and value in ("..", ""):
        return None, None
    raise _refuse(_describe(value))


def _like_pattern(pattern: str, wildcard: str, single: str, escape: str) -> str:
    """The CQL2 pattern (its own wildcard, single character and escape) as a SQL LIKE pattern escaped by `\\`."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if escape and ch == escape and i + 1 < len(pattern):
            out.append(_literal_char(pattern[i + 1]))
            i += 2
            continue
        if ch == wildcard:
            out.append("%")
        elif ch == single:
            out.append("_")
        else:
            out.append(_literal_char(ch))
        i += 1
    return "".join(out)


def _literal_char(ch: str) -> str:
    return "\\" + ch if ch in "%_\\" else ch


def _describe(node: object) -> str:
    if isinstance(node, ast.Attribute):
        return node.name
    text = repr(node)
    return re.sub(r"\s+", " ", text)[:80]

