"""How a place's photos read to people: the label of a photo's role, what a screen shows of one, and what one
change did to a place's `photos` (added, removed, recaptioned), for its card and its readable history."""

from __future__ import annotations

from collections import Counter

from geo.messages import join, t
from geo.validate import PHOTO_ROLES as ROLES  # 现场, 整改前, 整改后, 核查, 督导


def role_label(role: str | None) -> str:
    """现场 / 整改前 / 整改后 / 核查 / 督导; an unknown role as it is."""
    return t(f"photo.role.{role}") if role in ROLES else str(role or "")


def card_photo(photo: dict) -> dict:
    """What a screen shows of one photo: no location (a wall is seen by passers-by), the role's label."""
    keys = ("id", "role", "problem", "inspection", "taken_at", "taken_by", "added_at", "caption", "width", "height")
    return {**{k: photo.get(k) for k in keys}, "role_label": role_label(photo.get("role"))}


def _roles(photos: list[dict]) -> str:
    counts = Counter(p.get("role") for p in photos)
    return join("、", [role_label(r) for r in sorted(counts, key=lambda r: ROLES.index(r) if r in ROLES else len(ROLES))])


def photo_changes(before: list[dict] | None, after: list[dict] | None) -> list[dict]:
    """What one change did to a place's photos, in words: 新增照片 2 张(整改后), 删除照片 1 张(现场), with the
    photos concerned (`{"id", "role", "change": "added"|"removed"|"changed"}`) so a page can show them."""
    old = {p.get("id"): p for p in before or ()}
    new = {p.get("id"): p for p in after or ()}
    added = [p for pid, p in new.items() if pid not in old]
    removed = [p for pid, p in old.items() if pid not in new]
    changed = [p for pid, p in new.items() if pid in old and old[pid] != p]
    out = []
    for kind, photos, key in (("added", added, "history.photos_added"), ("removed", removed, "history.photos_removed")):
        if photos:
            out.append({"text": t(key, n=len(photos), roles=_roles(photos)),
                        "photos": [{"id": p.get("id"), "role": p.get("role"), "change": kind} for p in photos]})
    if changed:
        out.append({"text": t("history.photos_changed", n=len(changed)),
                    "photos": [{"id": p.get("id"), "role": p.get("role"), "change": "changed"} for p in changed]})
    return out
