"""OGC API – Features at /ogc: the campaign's layers for QGIS, GDAL, OWSLib and other GIS clients.

Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0), Part 3's queryables used as query
parameters, and Part 4's create, replace, update and delete of items with
ETags. Views only negotiate the format, parse the request and call geo/:
querying, paging and links are `geo.features_query`, the rules of writes
`geo.features_edit`, validation and the version check `geo.store`. Reading
needs a viewer (or the deployment's public view), writing an editor; errors
are RFC 9457 problem documents (web/core/problems.py, as OGC API – Common
recommends) that also carry the OGC exception members `code` and
`description`; a browser asking for HTML gets an error page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, render_template, request, url_for
from werkzeug.exceptions import BadRequest, HTTPException, UnsupportedMediaType

from geo.boundaries import fill_location
from geo.crs import CRS84, SUPPORTED, Crs, features_in
from geo.errors import Conflict, GuatuError, NotFound
from geo.features_edit import (
    PreconditionFailed,
    any_version,
    create_body,
    etag,
    expected_version,
    patch_ops,
    replace_ops,
)
from geo.features_query import (
    BadParameter,
    check_crs,
    check_parameters,
    format_links,
    items_links,
    link,
    parse_items_query,
    timestamp,
)
from geo.geojson_io import dumps
from geo.messages import t
from geo.problems import BY_STATUS, KINDS, kind_of
from geo.queryables import GEOMETRY, feature_schema, geometry_type, gml_schema, schema
from geo.queryables import queryables as layer_queryables
from web.access.auth import acting_scope, acting_user
from web.core.context import guatu
from web.core.http import gzip_response, yes_no
from web.core.problems import PROBLEM_JSON, domain_problem, http_problem, problem_response
from web.core.routes import EDITOR, PUBLIC, VIEWER, DeclaredBlueprint
from web.ogc import docs
from web.ogc.openapi import GEOJSON, HTML, JSON, OPENAPI_JSON, SCHEMA_JSON, document

bp = DeclaredBlueprint("ogc", __name__, url_prefix="/ogc")

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
    "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
    # OGC API – Tiles, Part 1 (web/ogc/tiles.py): each layer's vector tiles on WebMercatorQuad
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
    "http://www.opengis.net/spec/tms/2.0/conf/tilesetmetadata",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilesetmetadata",
    "http://www.opengis.net/spec/tms/2.0/conf/tilematrixsetlimits",
    "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixsetlimits",
]
REL_CONFORMANCE = "http://www.opengis.net/def/rel/ogc/1.0/conformance"
REL_DATA = "http://www.opengis.net/def/rel/ogc/1.0/data"
REL_QUERYABLES = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
REL_SCHEMA = "http://www.opengis.net/def/rel/ogc/1.0/schema"
REL_TILING_SCHEMES = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
REL_TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
XML = "application/xml"
JSON_BODIES = {"application/json", "application/geo+json", "application/merge-patch+json"}


# --- negotiation and responses ---------------------------------------------------

def negotiate(*json_types: str) -> str:
    """'json' or 'html': `?f=` decides, else the Accept header (JSON unless HTML is preferred)."""
    f = request.args.get("f")
    if f is not None:
        if f in ("json", "geojson") or f in json_types:
            return "json"
        if f in ("html", HTML):
            return "html"
        raise BadParameter("f", t("ogc.unknown_format", got=repr(f)))
    best = request.accept_mimetypes.best_match([*json_types, HTML], default=json_types[0])
    return "html" if best == HTML else "json"


def json_answer(body: Any, media: str, status: int = 200) -> Response:
    resp = Response(dumps(body), status=status, content_type=media)
    resp.vary.add("Accept")
    return resp


def _html(template: str, status: int = 200, **context) -> Response:
    resp = Response(render_template(template, **context), status=status, mimetype=HTML)
    resp.vary.add("Accept")
    return resp


def ogc_url(endpoint: str, **values) -> str:
    return url_for(f"ogc.{endpoint}", _external=True, **values)


def layer_of(layer_id: str):
    return guatu().store.layer(layer_id)  # NotFound names the campaign's layers


def _labels() -> dict:
    return {s.key: s.label for s in guatu().campaign.statuses}


# --- capabilities --------------------------------------------------------------

@bp.get("/", strict_slashes=False, role=VIEWER, doc=docs.LANDING)
def landing():
    fmt = negotiate(JSON)
    check_parameters(request.args, ("f",))
    campaign = guatu().campaign
    base = ogc_url("landing")
    links = [
        *format_links(base, fmt, noun=t("ogc.noun_landing")),
        link(ogc_url("api_definition"), "service-desc", OPENAPI_JSON, t("ogc.link_api_definition")),
        link(ogc_url("api_definition", f="html"), "service-doc", HTML, t("ogc.link_api_doc")),
        link(ogc_url("conformance"), "conformance", JSON, t("ogc.noun_conformance")),
        link(ogc_url("conformance"), REL_CONFORMANCE, JSON, t("ogc.noun_conformance")),
        link(ogc_url("collections"), "data", JSON, t("ogc.link_layers")),
        link(ogc_url("collections"), REL_DATA, JSON, t("ogc.link_layers")),
        link(ogc_url("tile_matrix_sets"), REL_TILING_SCHEMES, JSON, t("ogc.link_tiling_schemes")),
    ]
    body = {"title": t("ogc.campaign_service", campaign=campaign.title), "description": campaign.subtitle or campaign.title,
            "links": links}
    if fmt == "html":
        return _html("ogc/landing.html", page=body, layers=guatu().store.readable_layers())
    return json_answer(body, JSON)


@bp.get("/conformance", role=PUBLIC, doc=docs.CONFORMANCE)
def conformance():
    fmt = negotiate(JSON)
    check_parameters(request.args, ("f",))
    body = {"conformsTo": CONFORMANCE, "links": format_links(ogc_url("conformance"), fmt, noun=t("ogc.noun_conformance"))}
    if fmt == "html":
        return _html("ogc/conformance.html", page=body)
    return json_answer(body, JSON)


@bp.get("/api", role=PUBLIC, doc=docs.API_DEFINITION)
def api_definition():
    fmt = negotiate(OPENAPI_JSON, JSON)
    check_parameters(request.args, ("f",))
    doc = document(guatu().campaign, ogc_url("landing").rstrip("/"))
    if fmt == "html":
        return _html("ogc/api.html", doc=doc)
    return json_answer(doc, OPENAPI_JSON)


def _geometry_types(layer, summary) -> tuple[str, ...]:
    """The geometry types the layer's places have (the configured ones while it is empty)."""
    return tuple(summary.values.get(GEOMETRY) or layer.geometry_types)


def _collection(layer, fmt: str) -> dict:
    summary = guatu().store.layer_summary(layer.id)
    items = ogc_url("items", layer_id=layer.id)
    declared = geometry_type(_geometry_types(layer, summary))
    return {
        "id": layer.id,
        "title": layer.title,
        "description": t("page.ogc.collection_description", title=layer.title, count=summary.count,
                         kinds=", ".join(layer.kinds) or "—"),
        "itemType": "feature",
        **({"geometryType": declared} if declared else {}),
        "crs": list(SUPPORTED),
        "storageCrs": CRS84,
        "extent": summary.extent,
        "links": [
            *format_links(ogc_url("collection", layer_id=layer.id), fmt, noun=t("ogc.noun_layer", title=layer.title)),
            link(f"{items}?f=json", "items", GEOJSON, t("ogc.as_format", noun=layer.title, format="GeoJSON")),
            link(f"{items}?f=html", "items", HTML, t("ogc.as_format", noun=layer.title, format="HTML")),
            link(ogc_url("queryables", layer_id=layer.id), REL_QUERYABLES, SCHEMA_JSON, t("ogc.link_queryables")),
            link(ogc_url("feature_schema_view", layer_id=layer.id), REL_SCHEMA, SCHEMA_JSON, t("ogc.link_schema")),
            link(ogc_url("feature_schema_view", layer_id=layer.id), "describedby", SCHEMA_JSON, t("ogc.link_schema")),
            link(ogc_url("gml_schema_view", layer_id=layer.id), "describedby", XML, t("ogc.link_gml_schema")),
            link(ogc_url("tilesets", layer_id=layer.id), REL_TILESETS_VECTOR, JSON, t("ogc.tileset_title", title=layer.title)),
        ],
    }


@bp.get("/collections", role=VIEWER, doc=docs.COLLECTIONS)
def collections():
    fmt = negotiate(JSON)
    check_parameters(request.args, ("f",))
    body = {"links": format_links(ogc_url("collections"), fmt, noun=t("ogc.noun_layers")),
            "collections": [_collection(x, "json") for x in guatu().store.readable_layers()]}
    if fmt == "html":
        return _html("ogc/collections.html", page=body)
    return json_answer(body, JSON)


@bp.get("/collections/<layer_id>", role=VIEWER, doc=docs.COLLECTION)
def collection(layer_id: str):
    fmt = negotiate(JSON)
    check_parameters(request.args, ("f",))
    body = _collection(layer_of(layer_id), fmt)
    if fmt == "html":
        return _html("ogc/collection.html", page=body)
    return json_answer(body, JSON)


@bp.get("/collections/<layer_id>/queryables", role=VIEWER, doc=docs.QUERYABLES)
def queryables(layer_id: str):
    fmt = negotiate(SCHEMA_JSON, JSON)
    check_parameters(request.args, ("f",))
    layer = layer_of(layer_id)
    summary = guatu().store.layer_summary(layer_id)
    fields = layer_queryables(guatu().campaign, layer, summary.values, _geometry_types(layer, summary))
    body = schema(fields, ogc_url("queryables", layer_id=layer_id), layer.title)
    if fmt == "html":
        return _html("ogc/queryables.html", page=body, layer=layer,
                     links=format_links(body["$id"], "html", SCHEMA_JSON, noun=t("ogc.noun_queryables")))
    return json_answer(body, SCHEMA_JSON)


@bp.get("/collections/<layer_id>/schema", role=VIEWER, doc=docs.SCHEMA)
def feature_schema_view(layer_id: str):
    negotiate(SCHEMA_JSON, JSON)
    check_parameters(request.args, ("f",))
    layer = layer_of(layer_id)
    summary = guatu().store.layer_summary(layer_id)
    fields = layer_queryables(guatu().campaign, layer, summary.values, _geometry_types(layer, summary))
    return json_answer(feature_schema(fields, ogc_url("feature_schema_view", layer_id=layer_id), layer.title), SCHEMA_JSON)


@bp.get("/collections/<layer_id>/schema.xsd", role=VIEWER, doc=docs.GML_SCHEMA)
def gml_schema_view(layer_id: str):
    check_parameters(request.args, ())
    layer = layer_of(layer_id)
    summary = guatu().store.layer_summary(layer_id)
    fields = layer_queryables(guatu().campaign, layer, summary.values, _geometry_types(layer, summary))
    return Response(gml_schema(fields, layer_id), mimetype=XML)


# --- items ---------------------------------------------------------------------

@bp.get("/collections/<layer_id>/items", role=VIEWER, doc=docs.ITEMS)
def items(layer_id: str):
    layer = layer_of(layer_id)
    fmt = negotiate(GEOJSON, JSON)
    args = request.args.to_dict()
    query = parse_items_query(args, fields=layer_queryables(guatu().campaign, layer))
    crs = check_crs(args)
    selection = guatu().store.select_items(layer_id, query)
    body = {
        "type": "FeatureCollection",
        "timeStamp": timestamp(guatu().now()),
        "numberMatched": selection.matched,
        "numberReturned": len(selection.features),
        "links": [*items_links(ogc_url("items", layer_id=layer_id), args, query, selection, fmt),
                  link(ogc_url("collection", layer_id=layer_id), "collection", JSON, t("ogc.noun_layer", title=layer.title))],
        "features": features_in(selection.features, crs),
    }
    if fmt == "html":
        return _html("ogc/items.html", page=body, layer=layer, query=query, labels=_labels(),
                     filter_text=args.get("filter"))
    resp = json_answer(body, GEOJSON)
    resp.headers["Content-Crs"] = f"<{crs.uri}>"
    return resp


def _item_body(layer_id: str, feature: dict, fmt: str) -> dict:
    here = ogc_url("item", layer_id=layer_id, fid=feature["id"])
    return dict(feature, links=[*format_links(here, fmt, GEOJSON, noun=t("ogc.noun_place")),
                                link(ogc_url("collection", layer_id=layer_id), "collection", JSON, t("ogc.link_layer"))])


def _item_response(layer_id: str, feature: dict, status: int = 200, notes: list[str] | None = None,
                   crs: Crs = SUPPORTED[CRS84]) -> Response:
    body = _item_body(layer_id, features_in([feature], crs)[0], "json")
    if notes:
        body["notes"] = notes
    resp = json_answer(body, GEOJSON, status)
    resp.set_etag(etag(feature))
    resp.headers["Content-Crs"] = f"<{crs.uri}>"
    return resp


@bp.get("/collections/<layer_id>/items/<fid>", role=VIEWER, doc=docs.ITEM)
def item(layer_id: str, fid: str):
    layer = layer_of(layer_id)
    fmt = negotiate(GEOJSON, JSON)
    check_parameters(request.args, ("f", "crs"))
    crs = check_crs(request.args)
    feature = guatu().store.get(layer_id, fid)
    if fmt == "html":
        resp = _html("ogc/item.html", page=_item_body(layer_id, feature, "html"), layer=layer, labels=_labels(),
                     roles={r.key: r.label for r in guatu().campaign.roles},
                     problem_labels={p.key: p.label for p in guatu().campaign.problem_statuses})
        resp.set_etag(etag(feature) + "-html")
    else:
        resp = _item_response(layer_id, feature, crs=crs)
        if crs.uri != CRS84:
            resp.set_etag(f"{etag(feature)}-{crs.code}")  # the same version, other coordinates
    resp.headers["Cache-Control"] = "no-cache"
    return resp.make_conditional(request)


def _json_body() -> Any:
    if request.mimetype and request.mimetype not in JSON_BODIES and not request.mimetype.endswith("+json"):
        raise UnsupportedMediaType(t("ogc.body_media_type", media=", ".join(sorted(JSON_BODIES)), got=request.mimetype))
    try:
        return request.get_json(force=True)
    except BadRequest as exc:
        raise BadRequest(t("ogc.body_not_json", detail=exc.description)) from None


@bp.post("/collections/<layer_id>/items", role=EDITOR, doc=docs.CREATE_ITEM)
def create_item(layer_id: str):
    layer_of(layer_id)
    check_parameters(request.args, ("repair",))
    feature = create_body(_json_body())
    ctx = guatu()
    fill_location(feature, ctx.data_dir, ctx.campaign)  # a new place gets the sub-district and community it lies in
    result = ctx.store.create(layer_id, feature, user=acting_user(), scope=acting_scope(),
                              repair=yes_no(request.args, "repair", parameter=True))
    resp = _item_response(layer_id, result.feature, 201, result.notes)
    resp.headers["Location"] = ogc_url("item", layer_id=layer_id, fid=result.feature["id"])
    return resp


def _write(layer_id: str, fid: str, build) -> Response:
    """PUT and PATCH: read the place, check If-Match, merge, let the store validate and re-check the version."""
    check_parameters(request.args, ("repair",))
    store = guatu().store
    body = _json_body()
    current = _current(layer_id, fid, lambda: build({"properties": {}}, body, fid))
    version = expected_version(request.headers.get("If-Match"), fid, current)
    if version != current["properties"]["version"]:
        raise PreconditionFailed(_stale(fid, version, current), current=current)
    properties, geometry = build(current, body, fid)
    if properties is not None:  # street and community follow from the boundaries: left out, they are found again
        ctx = guatu()
        fill_location({"properties": properties, "geometry": geometry or current.get("geometry")}, ctx.data_dir,
                      ctx.campaign)
    try:
        result = store.update(layer_id, fid, expected_version=version, user=acting_user(), scope=acting_scope(), properties=properties,
                              geometry=geometry, repair=yes_no(request.args, "repair", parameter=True))
    except Conflict as exc:  # changed between our read and the store's lock
        raise PreconditionFailed.from_conflict(exc) from None
    return _item_response(layer_id, result.feature, 200, result.notes)


def _current(layer_id: str, fid: str, check_body: Callable[[], object] | None = None) -> dict:
    """The item a write starts from. `If-Match: *` on an item that does not exist is a failed precondition
    (412) — once `check_body` has refused a malformed body as such (400/422), as it would be anyway."""
    try:
        return guatu().store.get(layer_id, fid)
    except NotFound:
        if (request.headers.get("If-Match") or "").strip() == "*":
            if check_body is not None:
                check_body()
            any_version(fid, None)
        raise


def _stale(fid: str, version: int, current: dict) -> str:
    props = current["properties"]
    return t("ogc.stale", fid=fid, name=props.get("name"), version=props.get("version"), user=props.get("updated_by"),
             at=props.get("updated_at"), yours=version, etag=etag(current))


@bp.put("/collections/<layer_id>/items/<fid>", role=EDITOR, doc=docs.REPLACE_ITEM)
def replace_item(layer_id: str, fid: str):
    layer_of(layer_id)
    return _write(layer_id, fid, replace_ops)


@bp.patch("/collections/<layer_id>/items/<fid>", role=EDITOR, doc=docs.UPDATE_ITEM)
def update_item(layer_id: str, fid: str):
    layer_of(layer_id)
    return _write(layer_id, fid, patch_ops)


@bp.delete("/collections/<layer_id>/items/<fid>", role=EDITOR, doc=docs.DELETE_ITEM)
def delete_item(layer_id: str, fid: str):
    layer_of(layer_id)
    check_parameters(request.args, ())
    store = guatu().store
    current = _current(layer_id, fid)
    version = expected_version(request.headers.get("If-Match"), fid, current)
    if version != current["properties"]["version"]:
        raise PreconditionFailed(_stale(fid, version, current), current=current)
    try:
        store.delete(layer_id, fid, expected_version=version, user=acting_user(), scope=acting_scope())
    except Conflict as exc:
        raise PreconditionFailed.from_conflict(exc) from None
    return Response(status=204)


# --- errors --------------------------------------------------------------------

def _wants_html() -> bool:
    try:
        return negotiate(GEOJSON, JSON) == "html"
    except BadParameter:
        return False


def _html_error(status: int, code: str, description: str) -> Response:
    return _html("ogc/error.html", status, code=code, description=description, error_status=status)


@bp.errorhandler(GuatuError)
def _domain_error(exc: GuatuError):
    if _wants_html():
        return _html_error(exc.http_status, exc.code, exc.message)
    return domain_problem(exc)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    if exc.response is not None:  # abort(response), e.g. the 401 asking for credentials
        return _reshape(exc.response)
    resp = http_problem(exc)  # keeps Allow (405), WWW-Authenticate, Retry-After
    if _wants_html():
        body = resp.get_json()
        html = _html_error(resp.status_code, body["error"], body["detail"])
        html.headers.extend([(k, v) for k, v in resp.headers.items() if k.lower() not in ("content-type", "content-length")])
        return html
    return resp


def _reshape(resp: Response) -> Response:
    """An error answered outside our views (401 from the access check, 404/405 from routing) as a problem
    document, unless a browser asked for HTML."""
    if resp.status_code < 400 or resp.direct_passthrough or resp.mimetype == PROBLEM_JSON:
        return resp
    if resp.mimetype == HTML and (request.args.get("f") == "html" or request.accept_mimetypes.best == HTML):
        return resp
    kind = BY_STATUS.get(resp.status_code) or kind_of("error", resp.status_code)
    body = resp.get_json(silent=True) if resp.is_json else None
    detail = (body or {}).get("message") or t("problem.http_detail", title=kind.title() if kind.code in KINDS
                                               else t("problem.other", status=resp.status_code), path=request.path)
    problem_doc = problem_response(kind, detail)
    resp.set_data(problem_doc.get_data())
    resp.mimetype = PROBLEM_JSON
    return resp


@bp.after_request
def _compressed(resp: Response) -> Response:
    """/ogc answers gzipped, as the rest of the API: a page of 1,000 places is about 1 MB of GeoJSON."""
    return gzip_response(resp)


@bp.after_app_request
def _errors_outside_views(resp: Response) -> Response:
    if request.path == "/ogc" or request.path.startswith("/ogc/"):
        return _reshape(resp)
    return resp
