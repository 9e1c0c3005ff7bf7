"""Route declarations: a route, who may call it, how a display link may call it and its OpenAPI operation, together.

Every view is declared where it is defined, on its package's blueprint::

    bp = DeclaredBlueprint("wall", __name__)              # web/wall/blueprint.py

    @bp.get("/api/wall/dashboard", role=VIEWER, display=Display.PINNED, doc=docs.DASHBOARD)
    def dashboard(): ...                                  # web/wall/data.py

`role` is required (PUBLIC, VIEWER, INSPECTOR, EDITOR or ADMIN); `display` says how a
wall screen's display link may call the route (`Display`; None: not at all);
`doc` is the route's OpenAPI operation. The operations are data: each
package keeps them in its `docs` module, one named entry per route (a view
stays a few lines, and the shared pieces they are built from — parameters,
error responses — sit beside them); the declaration names the entry, so a
reader goes from the view to its description in one step.

The declaration is kept on the view function (`declaration_of`), which is
what the access rules read on every request (web/access/auth.py,
web/access/display_scope.py): a view without one is refused to everyone.
`operations` walks an app's URL rules and yields every declared operation
with its OpenAPI path; web/api/openapi.py and web/ogc/openapi.py build their
documents from it. Nothing here is a module-level table: the declarations
live on the views, the views on the app.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import flask
from flask import Flask

PUBLIC = "public"  # no login needed
VIEWER = "viewer"
INSPECTOR = "inspector"  # 督导员: records inspections anywhere, files cases
EDITOR = "editor"
ADMIN = "admin"
ROLES = (PUBLIC, VIEWER, INSPECTOR, EDITOR, ADMIN)


class Display(enum.Enum):
    """How a display link (a wall screen's read-only token) may call a route; its scope's rules:
    web/access/display_scope.py."""

    OPEN = "open"  # holds no places (boundaries, basemap tiles, static files): any display link
    OWN_URL = "own-url"  # the wall page: shows the link's own URL, whatever parameters are added
    PINNED = "pinned"  # answers for the street, community and layers in its parameters: the scope's are pinned
    PINNED_PLACE = "pinned-place"  # pinned, and the place named in the URL must lie in the scope
    PINNED_SHAPES = "pinned-shapes"  # pinned; a whole layer as GeoJSON (no bbox, no zoom) has no area filter: refused
    CUT = "cut"  # the view answers for the scope only (a full state made for it, a delta cut: display_scope)
    WHOLE = "whole"  # knows only the whole campaign: links that show the whole campaign only
    PHOTOS = "photos"  # a place's photos: links made with photos on, thumbnails only, places in scope only


@dataclass(frozen=True)
class Route:
    """What is declared about one view."""

    role: str
    display: Display | None = None
    doc: dict | None = None  # the OpenAPI operation (for /api and /ogc routes)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {self.role!r}")


STATIC = Route(PUBLIC, Display.OPEN)  # Flask's own `static` endpoint: the front end's files


def declare(role: str, display: Display | None = None, doc: dict | None = None) -> Callable[[Callable], Callable]:
    """Mark a view with its declaration (DeclaredBlueprint's routes do it; a view added to the app directly needs it)."""
    declared = Route(role, display, doc)

    def mark(view: Callable) -> Callable:
        view.guatu_route = declared
        return view

    return mark


class DeclaredBlueprint(flask.Blueprint):
    """A blueprint whose routes must be declared: `role=` is required, `display=` and `doc=` are optional."""

    def route(self, rule: str, *, role: str, display: Display | None = None, doc: dict | None = None,
              **options: Any) -> Callable:
        def decorator(view: Callable) -> Callable:
            return super(DeclaredBlueprint, self).route(rule, **options)(declare(role, display, doc)(view))

        return decorator


def declaration_of(app: Flask, endpoint: str | None) -> Route | None:
    """The declaration of the view behind `endpoint`, or None when it has none (then it is refused)."""
    if endpoint == "static":
        return STATIC
    view = app.view_functions.get(endpoint or "")
    return getattr(view, "guatu_route", None)


def declared_endpoints(app: Flask) -> dict[str, Route | None]:
    """Every endpoint of the app with its declaration (None: undeclared)."""
    return {endpoint: declaration_of(app, endpoint) for endpoint in app.view_functions}


@dataclass(frozen=True)
class Operation:
    """One declared OpenAPI operation: where it is (its OpenAPI path and method) and what it says."""

    path: str
    method: str
    endpoint: str
    doc: dict


_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def openapi_path(rule: str, prefix: str = "", names: dict[str, str] | None = None) -> str:
    """A Flask rule as an OpenAPI path: `<layer_id>` → `{layer_id}` (renamed by `names`), without `prefix`."""
    path = rule[len(prefix):] if prefix and rule.startswith(prefix) else rule
    path = _PARAM.sub(lambda m: "{" + (names or {}).get(m.group(1), m.group(1)) + "}", path)
    return "/" + path.strip("/") if path.strip("/") else "/"


def operations(app: Flask, prefix: str, *, mounted: bool = False, names: dict[str, str] | None = None) -> Iterator[Operation]:
    """The declared operations of every route whose rule starts with `prefix`, in the app's rule order.

    `mounted`: the document's server URL is `prefix`, so its paths leave it out (the OGC API's `/ogc`);
    `names` renames path parameters (`layer_id` → `collectionId`)."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefix):
            continue
        declared = declaration_of(app, rule.endpoint)
        if declared is None or declared.doc is None:
            continue
        path = openapi_path(rule.rule, prefix if mounted else "", names)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield Operation(path, method.lower(), rule.endpoint, declared.doc)


def openapi_paths(app: Flask, prefix: str, *, mounted: bool = False, names: dict[str, str] | None = None) -> dict:
    """The `paths` object of an OpenAPI document: every declared operation under `prefix` (see `operations`)."""
    paths: dict = {}
    for op in operations(app, prefix, mounted=mounted, names=names):
        paths.setdefault(op.path, {})[op.method] = op.doc
    return paths
