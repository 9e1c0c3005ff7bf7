"""A reporter's photo: read with the same checks as any photo (geo/photos/image.py: size, format, pixels, a
decompression bomb), then kept only as Pillow re-encoded it — the served variants are JPEGs made from the pixels
alone, so no EXIF (GPS position, camera, owner) of the phone is ever kept, not even in the `original` blob, which
here is the re-encoded full image. Its id is the SHA-256 of that re-encoded image, so the same picture sent twice
is one blob and an id never leads back to the phone's file."""

from __future__ import annotations

import hashlib
import io
from typing import BinaryIO

from PIL import Image

from geo.photos.image import decode, read_upload
from geo.store.base import Store

MAX_PHOTO_BYTES = 8 * 1024 * 1024  # per photo, as sent
MAX_PHOTOS = 4  # per report


def keep_photo(store: Store, upload: BinaryIO, *, max_bytes: int = MAX_PHOTO_BYTES) -> str:
    """Check the image in `upload`, keep its EXIF-free variants in `store.blobs`; returns its id. TooLarge (413),
    UnsupportedMedia (415) or ValidationError (422) when it is refused; nothing is kept then."""
    with read_upload(upload, max_bytes) as up:
        decoded = decode(up.file, zone=store.campaign.timezone, keep_location=False)
    full = decoded.variants["full"]
    photo_id = hashlib.sha256(full).hexdigest()
    store.blobs.put(photo_id, "original", full)
    for name, data in decoded.variants.items():
        store.blobs.put(photo_id, name, data)
    return photo_id


def photo_facts(store: Store, photo_id: str) -> dict:
    """What a place's photo entry says of the kept image: width, height, bytes and type."""
    full = store.blobs.get(photo_id, "full")
    with Image.open(io.BytesIO(full)) as img:
        width, height = img.size
    return {"width": width, "height": height, "bytes": len(full), "type": "image/jpeg"}
