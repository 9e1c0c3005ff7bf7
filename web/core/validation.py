"""Request validation at the boundary: every /api and /ogc request is checked against its OpenAPI document.

The two documents (web/api/openapi.py, web/ogc/openapi.py) already say what
each operation takes; this module holds every request to them before its
view runs, so a view only ever sees parameters and bodies of the documented
shape. Per operation, compiled once (jsonschema-rs):

* path and query parameters, read from text by their schema type (integers
  and finite numbers only: `inf` and `nan` are not numbers here; arrays
  comma-separated where the document says `explode: false`), then checked
  against the parameter schemas — a value outside a path parameter's enum
  names nothing, so it is a 404;
* a JSON body, parsed strictly (web/core/errors.py's StrictJSON) and checked
  against the request body schema;
* formats `date` and `date-time` through the one date reader (geo/dates.py),
  which refuses years a campaign cannot have;
* GeoJSON geometries in a body (the document's Geometry schemas) through
  geo/geojson_check.py, which names the bad position (`geometry.coordinates[0]`).

Faults become problem documents (web/core/problems.py) with the path of
every bad field in `fields` and a Chinese message, with the one status of
their kind (geo/problems.py), the same on both APIs: a path or query
parameter that cannot be read is `BadParameters` (400), a body that is not
JSON or is missing `MalformedRequest` (400), a JSON body that breaks its
schema `ValidationError` (422). Headers and multipart uploads are the views'
own (If-Match, the import file).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
from flask import Flask, request
from werkzeug.exceptions import BadRequest

from geo.dates import is_day, is_instant
from geo.errors import BadParameters, FieldError, MalformedRequest, NotFound, ValidationError
from geo.geojson_check import geometry_errors
from geo.messages import MESSAGES, Text, t
from geo.parsing import parse_bool

JSON_MEDIA = ("application/json", "application/geo+json", "application/merge-patch+json")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$")
FORMATS = {"date": is_day, "date-time": is_instant}


@dataclass(frozen=True)
class ApiDocument:
    """One OpenAPI document and how its routes are named in Flask.

    `prefix` is where its paths are mounted (/ogc for the OGC API, "" when the
    paths already start with /api); `names` renames Flask's view arguments to
    the document's parameter names; `geometry_schemas` are the component
    schemas that hold a GeoJSON geometry; `clamped` parameters read a
    value above their maximum as the maximum (OGC API `limit`); `json_always` says whether the
    views read any body as JSON (the own API) or answer 415 to other media types."""

    prefix: str
    build: Callable[[], dict]
    names: dict[str, str] = field(default_factory=dict)
    geometry_schemas: tuple[str, ...] = ()
    json_always: bool = True
    clamped: tuple[str, ...] = ()


@dataclass
class _Operation:
    parameters: list[dict]
    params_validator: Any
    body_validator: Any | None
    body_required: bool
    geometry_paths: list[tuple]


def register(app: Flask, documents: list[ApiDocument]) -> None:
    """Check every request to an operation of `documents` before its view runs."""
    checks = RequestChecks(documents)
    app.extensions["guatu_request_checks"] = checks
    app.before_request(checks.check_current_request)


class RequestChecks:
    """The compiled checks of every documented operation, by Flask rule and method."""

    def __init__(self, documents: list[ApiDocument]) -> None:
        self.documents = documents
        self._operations: dict[tuple[str, str], tuple[ApiDocument, _Operation] | None] = {}

    def replace(self, documents: list[ApiDocument]) -> None:
        """Check against these documents from now on (the campaign gained a layer: the layer ids' enums)."""
        self.documents = documents
        self._operations = {}

    def check_current_request(self) -> None:
        rule = request.url_rule
        if rule is None:
            return
        key = (rule.rule, request.method)
        if key not in self._operations:
            self._operations[key] = self._compile(rule.rule, request.method)
        found = self._operations[key]
        if found is not None:
            _check(*found)

    def _compile(self, rule: str, method: str) -> tuple[ApiDocument, _Operation] | None:
        for doc in self.documents:
            if not rule.startswith(doc.prefix + "/") and rule != doc.prefix:
                continue
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, names=doc.names: "{" + names.get(m.group(1), m.group(1)) + "}",
                          rule[len(doc.prefix):] or "/")
            spec = doc.build()
            op = spec["paths"].get(path, {}).get(method.lower())
            if op is None:
                continue
            return doc, _operation(spec, op, doc)
        return None


def _operation(spec: dict, op: dict, doc: ApiDocument) -> _Operation:
    three_oh = spec.get("openapi", "").startswith("3.0")
    components = _nullable_to_types(spec.get("components", {})) if three_oh else spec.get("components", {})
    params = [_resolve(spec, p) for p in op.get("parameters", [])]
    params = [p for p in params if p.get("in") in ("path", "query")]
    if three_oh:
        params = [{**p, "schema": _nullable_to_types(p.get("schema", {}))} for p in params]
    params = [{**p, "schema": {k: v for k, v in p.get("schema", {}).items() if k != "maximum"}}
              if p["name"] in doc.clamped else p for p in params]
    params_schema = {
        "type": "object",
        "properties": {p["name"]: p.get("schema", {}) for p in params},
        "required": [p["name"] for p in params if p.get("required")],
        "components": components,
    }
    body_schema, required = None, False
    body = op.get("requestBody")
    if body is not None:
        body = _resolve(spec, body)
        for media in JSON_MEDIA:
            if media in body.get("content", {}):
                body_schema = body["content"][media].get("schema", {})
                if three_oh:
                    body_schema = _nullable_to_types(body_schema)
                required = bool(body.get("required"))
                break
    body_validator = None
    geometry_paths: list[tuple] = []
    if body_schema is not None:
        body_validator = _validator({**body_schema, "components": components})
        geometry_paths = _geometry_paths(body_schema, components, doc.geometry_schemas)
    return _Operation(params, _validator(params_schema), body_validator, required, geometry_paths)


def _validator(schema: dict):
    return jsonschema_rs.Draft202012Validator(schema, formats=FORMATS, validate_formats=True)


def _resolve(spec: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        target: Any = spec
        for part in parts:
            target = target[part]
        node = target
    return node


def _nullable_to_types(schema: Any) -> Any:
    """OpenAPI 3.0's `nullable: true` as JSON Schema says it (a null is also allowed)."""
    if isinstance(schema, list):
        return [_nullable_to_types(x) for x in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _nullable_to_types(v) for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _geometry_paths(schema: dict, components: dict, names: tuple[str, ...], prefix: tuple = (), depth: int = 0) -> list[tuple]:
    """Where in a body a documented Geometry sits: ("geometry",), ("features", "*", "geometry")…"""
    if depth > 6 or not isinstance(schema, dict):
        return []
    ref = schema.get("$ref", "")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name in names:
            return [prefix]
        target = components.get("schemas", {}).get(name)
        return _geometry_paths(target, components, names, prefix, depth + 1) if target else []
    out = []
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            out += _geometry_paths(sub, components, names, prefix, depth + 1)
    for name, sub in (schema.get("properties") or {}).items():
        out += _geometry_paths(sub, components, names, (*prefix, name), depth + 1)
    if isinstance(schema.get("items"), dict):
        out += _geometry_paths(schema["items"], components, names, (*prefix, "*"), depth + 1)
    return sorted(set(out))


# --- checking one request -------------------------------------------------------

def _check(doc: ApiDocument, op: _Operation) -> None:
    _check_parameters(doc, op)
    if op.body_validator is not None:
        _check_body(doc, op)


def _check_parameters(doc: ApiDocument, op: _Operation) -> None:
    if not op.parameters:
        return
    reverse = {v: k for k, v in doc.names.items()}
    # no text a store keeps has a NUL (PostgreSQL takes none), so a parameter with one names nothing: refused here,
    # alike on both stores, rather than failing in the database
    nul = [FieldError(p["name"], t("request.nul")) for p in op.parameters
           if p["in"] == "query" and any("\x00" in v for v in request.args.getlist(p["name"]))]
    if nul:
        raise BadParameters(nul)
    values: dict[str, Any] = {}
    for p in op.parameters:
        name, schema = p["name"], p.get("schema", {})
        if p["in"] == "path":
            raw = (request.view_args or {}).get(reverse.get(name, name))
            if raw is None:
                continue
            values[name] = _from_text(str(raw), schema)
        elif name in request.args:
            explode = p.get("explode", p.get("style", "form") == "form")
            if _types(schema) == {"array"}:
                items = request.args.getlist(name) if explode else request.args[name].split(",")
                values[name] = [_from_text(x, schema.get("items", {})) for x in items]
            else:
                values[name] = _from_text(request.args[name], schema)
    errors = list(op.params_validator.iter_errors(values))
    if not errors:
        return
    in_path = {p["name"] for p in op.parameters if p["in"] == "path"}
    for err in errors:
        name = str(err.instance_path[0]) if err.instance_path else ""
        if name in in_path and _keyword(err) == "enum":
            raise NotFound(t("request.unknown_path_value", name=name, value=_shown(values.get(name))))
    # a parameter is named as a whole (`bbox`, not `bbox[0]`): it is one text in the query
    raise BadParameters(_dedupe([FieldError(_field(e).split("[")[0], _message(e)) for e in errors]))


def _check_body(doc: ApiDocument, op: _Operation) -> None:
    if not request.get_data(cache=True):
        if op.body_required:
            raise MalformedRequest([FieldError("body", t("request.body_missing"))])
        return
    mimetype = request.mimetype
    if not doc.json_always and mimetype and mimetype not in JSON_MEDIA and not mimetype.endswith("+json"):
        return  # the view answers 415
    try:
        body = request.get_json(force=True)
    except BadRequest:
        raise MalformedRequest([FieldError("body", t("request.malformed_json"))]) from None
    errors = [FieldError(_field(e) or "body", _message(e)) for e in op.body_validator.iter_errors(body)]
    for path in op.geometry_paths:
        for where, geom in _at(body, path, ()):
            if geom is not None and not any(e.field.startswith(where) for e in errors):
                errors += geometry_errors(geom, where)
    if errors:
        raise ValidationError(_dedupe(errors))


def _at(node: Any, path: tuple, walked: tuple):
    """The values at `path` in `node` ("*" for every item of an array), with their field paths."""
    if not path:
        yield _path(walked), node
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from _at(item, rest, (*walked, i))
    elif isinstance(node, dict) and head in node:
        yield from _at(node[head], rest, (*walked, head))


def _dedupe(errors: list[FieldError]) -> list[FieldError]:
    seen, out = set(), []
    for e in errors:
        if (e.field, e.message) not in seen:
            seen.add((e.field, e.message))
            out.append(e)
    return out[:50]


# --- reading parameters from text -------------------------------------------------

def _types(schema: dict) -> set[str]:
    kind = schema.get("type")
    if isinstance(kind, list):
        return set(kind)
    return {kind} if isinstance(kind, str) else set()


def _from_text(text: str, schema: dict) -> Any:
    """A parameter's text as its schema's type; left as text (so the type check names it) when it is not one."""
    kinds = _types(schema)
    if "integer" in kinds and _INTEGER.match(text):
        return int(text)
    if "number" in kinds and _NUMBER.match(text):
        number = float(text)
        if number == number and abs(number) != float("inf"):
            return number
    if "boolean" in kinds:
        try:
            return parse_bool(text)
        except ValueError:
            pass
    return text


# --- messages ---------------------------------------------------------------------

def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _keyword(err) -> str:
    return str(err.kind.name).lower()


def _field(err) -> str:
    """The path of the field at fault; a missing member is named by its own path."""
    parts = list(err.instance_path)
    if _keyword(err) == "required":
        parts.append(err.kind.property)
    return _path(parts)


_TYPE_NAMES = {"string": "request.type_string", "integer": "request.type_integer", "number": "request.type_number",
               "boolean": "request.type_boolean", "object": "request.type_object", "array": "request.type_array"}


def _listed(separator_key: str, items: list) -> Text:
    """Items (catalogue keys or plain values) joined by the reader's separator: "文本或整数", "text or integer"."""
    def render(lang: str) -> str:
        return t(separator_key, lang=lang).join(t(x, lang=lang) if x in MESSAGES else str(x) for x in items)
    return Text(render)


def _message(err) -> str:
    kind, name = err.kind, _keyword(err)
    if name == "type":
        types = kind.types if isinstance(kind.types, list) else [kind.types]
        return t("request.wrong_type", expected=_listed("request.or", [_TYPE_NAMES.get(str(x), str(x)) for x in types]))
    if name == "enum":
        return t("request.not_in_enum", expected=_listed("request.list", [_shown(x) for x in kind.options[:20]]))
    if name in ("const", "constant"):
        return t("request.not_const", expected=_shown(kind.expected_value))
    if name == "required":
        return t("request.required")
    if name == "format":
        if kind.format == "date":
            return t("request.bad_date")
        if kind.format == "date-time":
            return t("request.bad_datetime")
        return t("request.bad_format", format=kind.format)
    if name in ("minimum", "exclusiveminimum"):
        return t("request.too_small", limit=kind.limit)
    if name in ("maximum", "exclusivemaximum"):
        return t("request.too_large", limit=kind.limit)
    if name in ("minitems", "minlength", "minproperties"):
        return t("request.too_few", limit=kind.limit)
    if name in ("maxitems", "maxlength", "maxproperties"):
        return t("request.too_many", limit=kind.limit)
    if name == "pattern":
        return t("request.bad_pattern")
    if name in ("oneof", "anyof", "oneofnotvalid", "oneofmultiplevalid"):
        return t("request.no_alternative")
    if name in ("additionalproperties", "falseschema"):
        return t("request.unknown_field")
    return t("request.invalid_value")


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def document_refusals(spec: dict, *, parameter: tuple[str, dict], body: tuple[str, dict], unknown: tuple[str, dict],
                      malformed: tuple[str, dict]) -> None:
    """List on every operation of `spec` the refusals this module may answer it with (status, response):
    `parameter` where it takes path or query parameters, `body` where it takes a JSON body (and `malformed`
    for one that is not JSON), `unknown` where a path parameter has an enum."""
    for item in spec["paths"].values():
        for op in item.values():
            params = [_resolve(spec, p) for p in op.get("parameters", [])]
            responses = op.setdefault("responses", {})
            if any(p.get("in") in ("path", "query") for p in params):
                responses.setdefault(*parameter)
            if any(p.get("in") == "path" and "enum" in p.get("schema", {}) for p in params):
                responses.setdefault(*unknown)
            if op.get("requestBody"):
                responses.setdefault(*body)
                responses.setdefault(*malformed)
