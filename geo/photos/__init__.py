"""Photos as field evidence: a place's, a ledger problem's (before, after, check) or an inspection's.

The public face of the package, as every capability uses it:

* `add_photo`, `remove_photo`, `photos_of`, `photo_bytes` (service.py): attach, detach, list, read;
* `Blobs` and its backends `FileBlobs`, `PostgresBlobs`, `S3Blobs` (blobs.py): where the files live
  (a store's `blobs`);
* `read_upload`, `decode` (image.py): an upload streamed, hashed, checked, and its variants made;
* `photo_findings` (check.py): what `store check` says about the photos.

docs/photos.md describes what is stored where.
"""

from geo.photos.blobs import SERVED, VARIANTS, Blobs, FileBlobs, PostgresBlobs, S3Blobs
from geo.photos.image import MAX_BYTES, MAX_PIXELS
from geo.photos.service import add_photo, photo_bytes, photos_of, remove_photo

__all__ = ["MAX_BYTES", "MAX_PIXELS", "SERVED", "VARIANTS", "Blobs", "FileBlobs", "PostgresBlobs", "S3Blobs",
           "add_photo", "photo_bytes", "photos_of", "remove_photo"]
