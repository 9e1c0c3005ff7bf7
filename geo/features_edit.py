"""The rules of OGC API – Features Part 4 writes, without HTTP: preconditions and patch semantics.

A write names the version it started from in `If-Match` (the item's ETag,
`"<id>-v<version>"`): `expected_version` reads it, `PreconditionRequired`
(428) is raised when it is missing, `PreconditionFailed` (412) when it names
another version or is weak (`W/"…"`: RFC 9110 compares strongly for writes);
`If-Match: *` stands for the current version, and fails on a missing item.
`merge_patch` is JSON Merge Patch (RFC 7396); `replace_ops` and `patch_ops` turn a PUT or PATCH into the `properties` and `geometry` the
store's update merges, so that a replace clears whatever the new body leaves
out — but a place's `photos`, which only the photo API writes (geo/photos): a
replace or a patch keeps them as they are, whatever its body says. Validation
and the version check itself stay in `geo.store`.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from geo.errors import Conflict, FieldError, GuatuError, PreconditionRequired, ValidationError
from geo.messages import t
from geo.validate import SYSTEM_PROPERTIES

_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')


class PreconditionFailed(GuatuError):
    """A write that started from a version that is no longer the current one."""

    http_status = 412
    code = "precondition_failed"

    def __init__(self, message: str, *, current: dict | None = None) -> None:
        super().__init__(message)
        self.current = current

    @classmethod
    def from_conflict(cls, exc: Conflict) -> PreconditionFailed:
        return cls(exc.message, current=exc.current)

    def to_dict(self) -> dict:
        out = super().to_dict()
        if self.current is not None:
            out["current"] = self.current
        return out


def etag(feature: dict) -> str:
    """The item's entity tag (without quotes): `<id>-v<version>`."""
    return f"{feature['id']}-v{feature['properties']['version']}"


def expected_version(if_match: str | None, fid: str, current: dict | None = None) -> int:
    """The version an `If-Match` header names for item `fid` (RFC 9110 §13.1.1).

    `If-Match: *` means "whatever version is current": the current item's
    version, or PreconditionFailed when there is no such item. Entity tags
    are compared strongly, so a weak tag (`W/"…"`) never matches.
    Raises PreconditionRequired when there is no header, PreconditionFailed
    when no entity tag in it can be this item's (a stale, weak or foreign tag)."""
    if not if_match or not if_match.strip():
        raise PreconditionRequired(t("precondition.if_match_missing", fid=fid))
    if if_match.strip() == "*":
        return any_version(fid, current)
    prefix = f"{fid}-v"
    weak = None
    for m in _TAG.finditer(if_match):
        tag = m.group(2)
        if tag.startswith(prefix) and tag[len(prefix):].isdigit():
            if m.group(1):
                weak = weak or m.group(0).strip().rstrip(",")
                continue
            return int(tag[len(prefix):])
    if weak:
        raise PreconditionFailed(t("precondition.weak_etag", fid=fid, tag=weak), current=current)
    raise PreconditionFailed(t("precondition.foreign_etag", fid=fid, tag=repr(if_match.strip()[:80])))


def any_version(fid: str, current: dict | None) -> int:
    """`If-Match: *`: the current item's version; an item that does not exist fails the precondition."""
    if current is None:
        raise PreconditionFailed(t("precondition.any_missing", fid=fid))
    return current["properties"]["version"]


def weak_etag(header: str) -> bool:
    """Whether an `If-Match` value is a weak entity tag, which a write may not be checked against."""
    return header.strip().startswith("W/")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396: objects merge recursively, null removes a member, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


KEPT_PROPERTIES = (*SYSTEM_PROPERTIES, "photos")  # never written by a PUT or PATCH of the feature


def _editable(properties: dict) -> dict:
    return {k: v for k, v in properties.items() if k not in KEPT_PROPERTIES}


def _removals(current: dict, new: dict) -> dict:
    """The store's update merges; a member the new properties lack is written as null (cleared)."""
    return {k: None for k in _editable(current) if k not in new}


def replace_ops(current: dict, body: Any, fid: str) -> tuple[dict, dict | None]:
    """PUT: the body is the whole new feature. Returns (properties, geometry) for the store's update."""
    feature = _feature_body(body, fid)
    if feature.get("geometry") is None:
        raise ValidationError([FieldError("geometry", t("feature.replacement_needs_geometry"), fid)])
    props = _editable(feature.get("properties") or {})
    return dict(_removals(current["properties"], props), **props), feature["geometry"]


def patch_ops(current: dict, body: Any, fid: str) -> tuple[dict | None, dict | None]:
    """PATCH: a merge patch of the feature; its `properties` are merged member by member (RFC 7396)."""
    if not isinstance(body, dict):
        raise ValidationError([FieldError("body", t("feature.patch_not_object"), fid)])
    _check_id(body, fid)
    props = None
    if "properties" in body:
        patch = body["properties"]
        if not isinstance(patch, dict):
            raise ValidationError([FieldError("properties", t("feature.not_an_object_value"), fid)])
        editable = _editable(current["properties"])
        merged = merge_patch(editable, {k: v for k, v in patch.items() if k not in KEPT_PROPERTIES})
        props = dict(_removals(editable, merged), **merged)
    geometry = body.get("geometry")
    if "geometry" in body and geometry is None:
        raise ValidationError([FieldError("geometry", t("feature.geometry_not_removable"), fid)])
    return props, geometry


def _feature_body(body: Any, fid: str | None) -> dict:
    if not isinstance(body, dict):
        raise ValidationError([FieldError("body", t("feature.not_an_object"), fid)])
    if body.get("type", "Feature") != "Feature":
        raise ValidationError([FieldError("type", t("feature.not_feature_type", got=repr(body.get("type"))), fid)])
    if "properties" in body and not isinstance(body["properties"], dict):
        raise ValidationError([FieldError("properties", t("feature.not_an_object_value"), fid)])
    _check_id(body, fid)
    return body


def _check_id(body: dict, fid: str | None) -> None:
    if fid is not None and body.get("id") not in (None, fid):
        raise ValidationError([FieldError("id", t("feature.id_changed", body=repr(body.get("id")), url=repr(fid)), fid)])


def create_body(body: Any) -> dict:
    """POST: a GeoJSON Feature; system properties (version, updated_*) in it are ignored."""
    feature = _feature_body(body, None)
    props = feature.get("properties")
    out = {k: v for k, v in feature.items() if k in ("type", "id", "geometry")}
    out["properties"] = _editable(props) if isinstance(props, dict) else props
    return out
