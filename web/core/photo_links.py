"""Where a photo's images are served (`/photos/<sha256>/<variant>.jpg`, web/photos/images.py), for the answers
that list photos outside the photos API (a place's card, its readable history) and the pages that show them.
By endpoint name, so the packages that use it need not import web/photos (which stands on web/api)."""

from __future__ import annotations

from flask import url_for

IMAGE = "photos.image"

VARIANTS = ("thumb", "preview", "full")


def photo_urls(photo_id: str, variants: tuple[str, ...] = VARIANTS) -> dict[str, str]:
    """The image URLs of one photo, by variant (hash URLs: the same id is the same image forever)."""
    return {v: url_for(IMAGE, photo_id=photo_id, variant=v) for v in variants}


def with_urls(photos: list[dict], variants: tuple[str, ...] = VARIANTS) -> list[dict]:
    """Each entry with its `urls` (only `variants`: a display link gets thumbnails only)."""
    return [{**p, "urls": photo_urls(p["id"], variants)} for p in photos]


def readable_with_urls(entries: list[dict]) -> list[dict]:
    """A readable history (geo/history.py) with the image URLs of the photos its changes added or removed."""
    for entry in entries:
        for change in entry["changes"]:
            if change.get("photos"):
                change["photos"] = with_urls(change["photos"])
    return entries


def url_template() -> str:
    """The image URL with `__id__` and `__variant__` for a page's script to fill in."""
    return url_for(IMAGE, photo_id="__id__", variant="__variant__")
