"""Reading an uploaded photo: streamed, hashed, checked, and its served sizes made once.

`read_upload` copies the upload into a spooled temporary file (in memory up
to 1 MB, then on disk) while hashing it (sha256: the photo's id) and
counting its bytes; it stops with `TooLarge` (413) as soon as the limit is
passed, so an upload is never held in memory twice nor read to its end when
too large. `decode` then checks it with Pillow: the format must be JPEG, PNG,
WebP or HEIC/HEIF (the opener of pillow-heif is registered here, by
`enable_heif`, the first time a photo is decoded), the declared size at most
`MAX_PIXELS` (a decompression bomb is refused before a pixel is decoded),
`verify()` must pass and a real `load()` must decode every pixel (a truncated
file fails here). Refusals are `geo.errors` kinds with catalogue messages:
empty, damaged or too many pixels 422, not an image or another format 415,
too large 413.

What is read as data: the capture time (EXIF DateTimeOriginal with its
OffsetTimeOriginal, else read in the campaign's time zone) and the GPS
position (WGS84 lon/lat, `source: "exif"`). What is served is made from the
pixels alone: EXIF orientation applied (`ImageOps.exif_transpose`), then
written as JPEG without EXIF or XMP (so never a position), keeping only the
ICC colour profile — unless `keep_location` asks to keep the EXIF (with its
GPS) in `full`. Variants: `full` (every pixel), `preview` (longest side at
most 1280 px), `thumb` (at most 320 px).
"""

from __future__ import annotations

import hashlib
import io
import struct
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import BinaryIO

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from geo.errors import FieldError, TooLarge, UnsupportedMedia, ValidationError
from geo.messages import t

MAX_BYTES = 15 * 1024 * 1024  # the default upload limit
MAX_PIXELS = 60_000_000  # 60 MP: larger than any phone camera, far below what would exhaust memory
SPOOL_BYTES = 1 << 20  # kept in memory up to this size, on disk beyond it
CHUNK = 1 << 16
SIZES = {"preview": 1280, "thumb": 320}  # longest side of each reduced variant, in pixels
QUALITY = {"full": 88, "preview": 82, "thumb": 76}
FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}

_heif_enabled = False


def enable_heif() -> None:
    """Teach Pillow to open HEIC/HEIF (what phones save), once per process; called by `decode`."""
    global _heif_enabled
    if not _heif_enabled:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        _heif_enabled = True


@dataclass
class Upload:
    """An upload read to a temporary file: its bytes, sha256 (the photo's id) and size."""

    file: BinaryIO
    id: str
    size: int


@contextmanager
def read_upload(stream: BinaryIO, max_bytes: int = MAX_BYTES) -> Iterator[Upload]:
    """Copy `stream` to a spooled temporary file while hashing it; `TooLarge` as soon as it passes
    `max_bytes`, ValidationError when it is empty. The file is removed when the block ends."""
    digest, size = hashlib.sha256(), 0
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(t("photo.too_large", limit=_megabytes(max_bytes)))
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise ValidationError([FieldError("file", t("photo.empty"))])
        spool.seek(0)
        yield Upload(spool, digest.hexdigest(), size)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


@dataclass
class Decoded:
    """A checked photo: its media type, its size as shown (orientation applied), what its metadata says,
    and the served variants as JPEG bytes."""

    type: str
    width: int
    height: int
    taken_at: str | None = None
    location: dict | None = None
    variants: dict[str, bytes] = field(default_factory=dict)


def decode(file: BinaryIO, *, zone: tzinfo = UTC, keep_location: bool = False) -> Decoded:
    """Check the image in `file` and make its variants (see the module's docstring); `zone`: the campaign's
    time zone, for an EXIF time without an offset."""
    enable_heif()
    kind = _checked(file)
    file.seek(0)
    with _opened(file) as img:
        try:
            img.load()
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
            raise _damaged() from None
        try:  # metadata a camera wrote badly is no reason to refuse its photo: it is read as absent
            exif = img.getexif()
            taken_at, location = exif_time(exif, zone), exif_location(exif)
        except (OSError, SyntaxError, ValueError, TypeError, KeyError, struct.error):
            exif, taken_at, location = Image.Exif(), None, None
        try:
            upright = ImageOps.exif_transpose(img)
        except (OSError, SyntaxError, ValueError, TypeError, KeyError, struct.error):
            upright = img.copy()
    rgb = _rgb(upright)
    icc = upright.info.get("icc_profile")
    if not (isinstance(icc, bytes) and icc[16:20] == b"RGB "):  # a CMYK or grey profile would misdescribe RGB pixels
        icc = None
    out = Decoded(kind, rgb.width, rgb.height, taken_at, location)
    kept = None
    if keep_location and len(exif):
        kept = Image.Exif()
        kept.load(exif.tobytes())
        kept[ExifTags.Base.Orientation] = 1  # the pixels are upright now
    out.variants["full"] = _jpeg(rgb, QUALITY["full"], icc, kept)
    smaller = rgb
    for name in ("preview", "thumb"):  # each from the one before: a large photo is reduced once
        smaller = smaller.copy()
        smaller.thumbnail((SIZES[name], SIZES[name]), Image.Resampling.LANCZOS, reducing_gap=2.0)
        out.variants[name] = _jpeg(smaller, QUALITY[name], icc, None)
    return out


def _checked(file: BinaryIO) -> str:
    """The upload's media type, after Pillow's `verify`; refuses what is not a photo we take, or too large."""
    with _opened(file) as img:
        kind = FORMATS.get(img.format or "")
        if kind is None:
            raise UnsupportedMedia(t("photo.unsupported_format", format=img.format or "?"))
        width, height = img.size
        if width * height > MAX_PIXELS:
            raise _bomb(width, height)
        try:
            img.verify()
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _damaged() from None
    return kind


@contextmanager
def _opened(file: BinaryIO) -> Iterator[Image.Image]:
    """Pillow's image of `file`; its decompression-bomb warning is an error here."""
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(file)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb(None, None) from None
        except UnidentifiedImageError:
            raise UnsupportedMedia(t("photo.not_an_image")) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _damaged() from None
        with img:
            yield img


def _bomb(width: int | None, height: int | None) -> ValidationError:
    limit = MAX_PIXELS // 1_000_000
    if width is None or height is None:  # Pillow refused it before telling its size
        return ValidationError([FieldError("file", t("photo.bomb", limit=limit))])
    return ValidationError([FieldError("file", t("photo.too_many_pixels", width=width, height=height, limit=limit))])


def _damaged() -> ValidationError:
    return ValidationError([FieldError("file", t("photo.damaged"))])


def _rgb(img: Image.Image) -> Image.Image:
    """The pixels as RGB; transparency over white (a JPEG has none)."""
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    return img.convert("RGB") if img.mode != "RGB" else img


def _jpeg(img: Image.Image, quality: int, icc: bytes | None, exif: Image.Exif | None) -> bytes:
    """`img` as JPEG, with no metadata but the colour profile (and `exif` when given)."""
    clean = img.copy()
    clean.info = {}  # nothing the source carried (XMP, comments, EXIF) is written again
    buf = io.BytesIO()
    options: dict = {"quality": quality}
    if max(img.size) <= SIZES["preview"]:  # optimised Huffman tables and progressive scans: cheap when small,
        options.update(optimize=True, progressive=True)  # a second of encoding on a 12 MP `full`
    if icc:
        options["icc_profile"] = icc
    if exif is not None:
        options["exif"] = exif.tobytes()
    clean.save(buf, "JPEG", **options)
    return buf.getvalue()


# --- what the metadata says ---------------------------------------------------------

def exif_time(exif: Image.Exif, zone: tzinfo = UTC) -> str | None:
    """When the photo was taken (UTC, ISO 8601 with Z): DateTimeOriginal with OffsetTimeOriginal, else read
    in `zone`; None when the EXIF has no readable time."""
    ifd = exif.get_ifd(ExifTags.IFD.Exif)
    raw = ifd.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.strptime(raw.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = ifd.get(ExifTags.Base.OffsetTimeOriginal) or ifd.get(ExifTags.Base.OffsetTime)
    here = _offset(offset) or zone
    if not 2000 <= moment.year <= 2100:
        return None
    return moment.replace(tzinfo=here).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _offset(value: object) -> tzinfo | None:
    if not isinstance(value, str) or len(value.strip("\x00 ")) != 6:
        return None
    text = value.strip("\x00 ")
    try:
        sign = {"+": 1, "-": -1}[text[0]]
        hours, minutes = int(text[1:3]), int(text[4:6])
    except (KeyError, ValueError):
        return None
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def exif_location(exif: Image.Exif) -> dict | None:
    """The GPS position the EXIF records, as WGS84 `{"lon", "lat", "source": "exif"}`, or None."""
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    try:
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return {"lon": round(lon, 7), "lat": round(lat, 7), "source": "exif"}


def _degrees(value, ref, negative: str) -> float:
    d, m, s = (float(x) for x in value)
    out = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    return -out if isinstance(ref, str) and ref.strip("\x00 ").upper() == negative else out
