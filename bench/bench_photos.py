"""Photos: from upload to thumbnail, and the bytes kept per photo.

    .venv/bin/python -m bench.bench_photos [--megapixels 12] [--photos 3]

A phone-like JPEG of `--megapixels` (noise over gradients, so it compresses
like a photo, with EXIF orientation 6 and a GPS position) is made in memory,
then, for each of `--photos` distinct photos (median reported):

* upload → variants: Guatu's pipeline as `add_photo` runs it (geo/photos/image.py:
  streamed read and hash, verify, one full decode, `full`, then `preview` reduced
  from `full` and `thumb` from `preview`) against the naive way measured in
  the same run (each variant decoded from the upload again at full size,
  turned upright and resized straight to its size with LANCZOS);
* thumbnail only: what a page waiting for the 320 px thumbnail needs — Pillow's
  JPEG `draft()` (the decoder scales by 1/2, 1/4 or 1/8 while decoding) then a
  resize, against a full decode and a resize;
* bytes kept per photo: the original and each variant, and their sum against
  the original alone.

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from PIL import ExifTags, Image, ImageOps  # noqa: E402

from geo.photos.image import SIZES, decode, read_upload  # noqa: E402


def phone_jpeg(megapixels: float, seed: int) -> bytes:
    """A JPEG that compresses like a photo: gradients and sensor-like noise, EXIF orientation 6 and GPS."""
    width = int((megapixels * 1_000_000 * 4 / 3) ** 0.5)
    height = int(width * 3 / 4)
    noise = Image.effect_noise((width, height), 40 + seed)
    red = Image.linear_gradient("L").resize((width, height))
    blue = red.transpose(Image.Transpose.ROTATE_90).resize((width, height))
    img = Image.merge("RGB", (Image.blend(red, noise, 0.35), noise, Image.blend(blue, noise, 0.35)))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (30.0, 34.0, 21.6)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (114.0, 17.0, 56.4)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92, exif=exif.tobytes())
    return buf.getvalue()


def guatu(data: bytes) -> dict[str, bytes]:
    with read_upload(io.BytesIO(data)) as up:
        return decode(up.file).variants


def naive(data: bytes) -> dict[str, bytes]:
    out = {}
    for name, side in (("full", None), ("preview", SIZES["preview"]), ("thumb", SIZES["thumb"])):
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)
            if side:
                scale = side / max(upright.size)
                upright = upright.resize((round(upright.width * scale), round(upright.height * scale)),
                                         Image.Resampling.LANCZOS)
            buf = io.BytesIO()
            upright.save(buf, "JPEG", quality=85)
            out[name] = buf.getvalue()
    return out


def thumb_draft(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        img.draft("RGB", (SIZES["thumb"] * 2, SIZES["thumb"] * 2))  # decode at 1/2…1/8 scale, at least twice the size
        upright = ImageOps.exif_transpose(img)
        upright.thumbnail((SIZES["thumb"], SIZES["thumb"]), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        upright.save(buf, "JPEG", quality=76)
        return buf.getvalue()


def thumb_naive(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        upright = ImageOps.exif_transpose(img)
        scale = SIZES["thumb"] / max(upright.size)
        small = upright.resize((round(upright.width * scale), round(upright.height * scale)), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        small.save(buf, "JPEG", quality=76)
        return buf.getvalue()


def timed(fn, data: bytes) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn(data)
    return (time.perf_counter() - started) * 1000, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_photos", description=__doc__.split("\n")[0])
    parser.add_argument("--megapixels", type=float, default=12)
    parser.add_argument("--photos", type=int, default=3)
    args = parser.parse_args(argv)
    photos = [phone_jpeg(args.megapixels, i) for i in range(args.photos)]
    runs: dict[str, list[float]] = {k: [] for k in ("guatu", "naive", "thumb_draft", "thumb_naive")}
    sizes: dict[str, list[int]] = {k: [] for k in ("original", "full", "preview", "thumb")}
    for data in photos:
        ms, variants = timed(guatu, data)
        runs["guatu"].append(ms)
        runs["naive"].append(timed(naive, data)[0])
        runs["thumb_draft"].append(timed(thumb_draft, data)[0])
        runs["thumb_naive"].append(timed(thumb_naive, data)[0])
        sizes["original"].append(len(data))
        for name, blob in variants.items():
            sizes[name].append(len(blob))
    med = {k: statistics.median(v) for k, v in runs.items()}
    with Image.open(io.BytesIO(photos[0])) as img:
        shape = f"{img.width}×{img.height}"
    print(f"{args.photos} photos of {args.megapixels:g} MP ({shape} JPEG, EXIF orientation 6, GPS), median of each")
    print()
    print("| step | Guatu | naive | naive ÷ Guatu |")
    print("|---|---:|---:|---:|")
    print(f"| upload → full, preview, thumb | {med['guatu']:.0f} ms | {med['naive']:.0f} ms | "
          f"{med['naive'] / med['guatu']:.1f}× |")
    print(f"| thumbnail only (JPEG draft) | {med['thumb_draft']:.0f} ms | {med['thumb_naive']:.0f} ms | "
          f"{med['thumb_naive'] / med['thumb_draft']:.1f}× |")
    print()
    total = {k: statistics.median(v) for k, v in sizes.items()}
    kept = sum(total.values())
    print("| kept per photo | bytes |")
    print("|---|---:|")
    for name in ("original", "full", "preview", "thumb"):
        print(f"| {name} | {total[name] / 1e6:.2f} MB |" if total[name] > 1e5 else f"| {name} | {total[name] / 1e3:.0f} kB |")
    print(f"| all four | {kept / 1e6:.2f} MB ({kept / total['original']:.2f}× the original) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
