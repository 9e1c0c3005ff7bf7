"""Images made in the test, good and bad: photos as phones save them, and the uploads a server must refuse."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image

# 30°34'21.6"N 114°17'56.4"E, written as EXIF rationals: (30, 34, 21.6) and (114, 17, 56.4)
GPS_LAT, GPS_LON = 30 + 34 / 60 + 21.6 / 3600, 114 + 17 / 60 + 56.4 / 3600


def exif(*, orientation: int | None = None, gps: bool = False, taken: str | None = None,
         offset: str | None = None) -> Image.Exif:
    out = Image.Exif()
    if orientation:
        out[ExifTags.Base.Orientation] = orientation
    if taken or offset:
        ifd = out.get_ifd(ExifTags.IFD.Exif)
        if taken:
            ifd[ExifTags.Base.DateTimeOriginal] = taken
        if offset:
            ifd[ExifTags.Base.OffsetTimeOriginal] = offset
    if gps:
        info = out.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "N"
        info[ExifTags.GPS.GPSLatitude] = (30.0, 34.0, 21.6)
        info[ExifTags.GPS.GPSLongitudeRef] = "E"
        info[ExifTags.GPS.GPSLongitude] = (114.0, 17.0, 56.4)
    return out


def picture(width: int = 64, height: int = 48, colour=(200, 60, 30), mode: str = "RGB") -> Image.Image:
    img = Image.new(mode, (width, height), colour if mode == "RGB" else colour + (255,))
    for x in range(width // 2):  # a left half of another colour: orientation shows in the pixels
        for y in range(height):
            img.putpixel((x, y), (20, 40, 220) if mode == "RGB" else (20, 40, 220, 255))
    return img


def encoded(img: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **options)
    return buf.getvalue()


def jpeg(width: int = 64, height: int = 48, *, colour=(200, 60, 30), **exif_options) -> bytes:
    options = {"quality": 90}
    if exif_options:
        options["exif"] = exif(**exif_options).tobytes()
    return encoded(picture(width, height, colour), "JPEG", **options)


def png(width: int = 64, height: int = 48) -> bytes:
    return encoded(picture(width, height, mode="RGBA"), "PNG")


def webp(width: int = 64, height: int = 48) -> bytes:
    return encoded(picture(width, height), "WEBP", quality=80)


def heic(width: int = 64, height: int = 48, **exif_options) -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    options = {"quality": 80}
    if exif_options:
        options["exif"] = exif(**exif_options).tobytes()
    return encoded(picture(width, height), "HEIF", **options)


def gif() -> bytes:
    return encoded(picture(16, 16).convert("P"), "GIF")


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TEXT = "这不是图片".encode()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header declares `width` × `height` pixels (what a decompression bomb looks like)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * width  # one greyscale row; the rest would be inflated from nothing
    body = zlib.compress(row, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def truncated_jpeg() -> bytes:
    whole = jpeg(640, 480)
    return whole[: len(whole) // 2]
