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


def photo_label(photo: dict) -> str:
    """Which photo it is: 照片(现场), or 问题 p1 的照片(整改前)."""
    role = role_label(photo.get("role"))
    if photo.get("problem"):
        return t("history.photo_of_problem", pid=photo["problem"], role=role)
    return t("history.photo", role=role)


def _concerned(photo: dict, change: str) -> dict:
    note = {"added": lambda: t("history.photo_added", by=photo.get("taken_by")),
            "removed": lambda: t("history.photo_removed"), "changed": lambda: photo.get("caption") or ""}[change]()
    return {"id": photo.get("id"), "role": photo.get("role"), "problem": photo.get("problem"),
            "taken_by": photo.get("taken_by"), "change": change, "label": photo_label(photo), "note": note}


def photo_changes(before: list[dict] | None, after: list[dict] | None) -> list[dict]:
    """What one change did to a place's photos, in words: 新增照片 2 张(整改后), 删除照片 1 张(现场), with the
    photos concerned so a page can show them, each saying which it is (问题 p1 的照片(整改前)) and who added it
    (`{"id", "role", "problem", "taken_by", "change": "added"|"removed"|"changed", "label", "note"}`)."""
    old = {p.get("id"): p for p in before or ()}
    new = {p.get("id"): p for p in after or ()}
    added = [p for pid, p in new.items() if pid not in old]
    removed = [p for pid, p in old.items() if pid not in new]
    changed = [p for pid, p in new.items() if pid in old and old[pid] != p]
    out = []
    for kind, photos, key in (("added", added, "history.photos_added"), ("removed", removed, "history.photos_removed")):
        if photos:
            out.append({"text": t(key, n=len(photos), roles=_roles(photos)),
                        "photos": [_concerned(p, kind) for p in photos]})
    if changed:
        out.append({"text": t("history.photos_changed", n=len(changed)),
                    "photos": [_concerned(p, "changed") for p in changed]})
    return out
