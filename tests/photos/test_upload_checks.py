"""An upload is read streamed, checked with Pillow, and refused with a Chinese message when it is not a photo we take."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from PIL import ExifTags, Image, ImageCms

from geo.errors import GuatuError, TooLarge, UnsupportedMedia, ValidationError
from geo.photos import add_photo
from geo.photos.image import MAX_PIXELS, decode, read_upload
from tests.photos import images


def checked(data: bytes, **options):
    with read_upload(io.BytesIO(data), options.pop("max_bytes", 15 * 1024 * 1024)) as up:
        return decode(up.file, **options)


@pytest.mark.parametrize(("make", "kind"), [
    (images.jpeg, "image/jpeg"), (images.png, "image/png"), (images.webp, "image/webp"), (images.heic, "image/heic"),
])
def test_every_format_a_phone_saves_is_taken_and_served_as_jpeg(make, kind):
    decoded = checked(make())
    assert (decoded.type, decoded.width, decoded.height) == (kind, 64, 48)
    for name, data in decoded.variants.items():
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == "JPEG", name
            assert img.size == (64, 48)


@pytest.mark.parametrize(("data", "error", "status"), [
    pytest.param(b"", ValidationError, 422, id="zero bytes"),
    pytest.param(images.TEXT, UnsupportedMedia, 415, id="not an image"),
    pytest.param(images.SVG, UnsupportedMedia, 415, id="svg"),
    pytest.param(images.PDF, UnsupportedMedia, 415, id="pdf"),
    pytest.param(images.gif(), UnsupportedMedia, 415, id="gif"),
    pytest.param(images.truncated_jpeg(), ValidationError, 422, id="truncated jpeg"),
    pytest.param(images.png_bomb(), ValidationError, 422, id="bomb beyond Pillow's own limit"),
    pytest.param(images.png_bomb(8000, 8000), ValidationError, 422, id="bomb of 64 MP"),
])
def test_what_is_not_a_photo_we_take_is_refused_in_chinese(data, error, status):
    with pytest.raises(error) as caught:
        checked(data)
    assert caught.value.http_status == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)


def test_the_pixel_limit_is_sixty_megapixels():
    assert MAX_PIXELS == 60_000_000
    with pytest.raises(ValidationError) as caught:
        checked(images.png_bomb(8000, 8000))
    assert "8000×8000" in caught.value.message


def test_an_upload_over_the_limit_is_refused_as_soon_as_it_passes_it():
    class Endless(io.RawIOBase):
        """A stream that never ends: only a reader that stops at the limit gets an answer."""

        read_bytes = 0

        def readinto(self, buffer):
            self.read_bytes += len(buffer)
            buffer[:] = b"\xff" * len(buffer)
            return len(buffer)

    stream = Endless()
    with pytest.raises(TooLarge) as caught, read_upload(stream, 1024 * 1024):
        pass
    assert caught.value.http_status == 413
    assert stream.read_bytes <= 1024 * 1024 + (1 << 16)  # one chunk past the limit at most
    assert "1 MB" in caught.value.message


def test_orientation_is_applied_a_two_by_one_image_with_orientation_6_comes_out_one_by_two():
    decoded = checked(images.jpeg(2, 1, orientation=6))
    assert (decoded.width, decoded.height) == (1, 2)
    with Image.open(io.BytesIO(decoded.variants["full"])) as img:
        assert img.size == (1, 2)
        assert ExifTags.Base.Orientation not in img.getexif()


def test_the_capture_time_is_read_with_its_offset_else_in_the_campaign_time_zone():
    assert checked(images.jpeg(taken="2026:11:24 09:30:00", offset="+08:00")).taken_at == "2026-11-24T01:30:00Z"
    assert checked(images.jpeg(taken="2026:11:24 09:30:00"), zone=ZoneInfo("Asia/Shanghai")).taken_at == "2026-11-24T01:30:00Z"
    assert checked(images.jpeg()).taken_at is None


@pytest.mark.parametrize("make", [images.jpeg, images.heic])
def test_the_gps_position_is_read_as_data_and_stripped_from_every_served_variant(make):
    decoded = checked(make(gps=True))
    assert decoded.location == {"lon": pytest.approx(images.GPS_LON), "lat": pytest.approx(images.GPS_LAT),
                                "source": "exif"}
    for name, data in decoded.variants.items():
        with Image.open(io.BytesIO(data)) as img:
            assert not img.getexif().get_ifd(ExifTags.IFD.GPSInfo), name
            assert "exif" not in img.info and "xmp" not in img.info, name
        assert b"GPS" not in data


def test_keep_location_keeps_the_gps_in_full_only():
    decoded = checked(images.jpeg(gps=True, orientation=6), keep_location=True)
    with Image.open(io.BytesIO(decoded.variants["full"])) as img:
        assert img.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert img.getexif()[ExifTags.Base.Orientation] == 1
    for name in ("preview", "thumb"):
        with Image.open(io.BytesIO(decoded.variants[name])) as img:
            assert not img.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_large_photos_are_reduced_to_the_preview_and_thumbnail_sizes():
    decoded = checked(images.jpeg(3000, 2000))
    sizes = {}
    for name, data in decoded.variants.items():
        with Image.open(io.BytesIO(data)) as img:
            sizes[name] = img.size
    assert sizes == {"full": (3000, 2000), "preview": (1280, 853), "thumb": (320, 213)}


@pytest.mark.parametrize("data", [b"", images.TEXT, images.gif(), images.truncated_jpeg(), images.png_bomb()])
def test_a_refused_upload_stores_nothing(store_factory, make_feature, data):
    store = store_factory("geojson")
    place = store.create("courtyards", make_feature(), user="u").feature
    before = store.revision()
    with pytest.raises(GuatuError):
        add_photo(store, "courtyards", place["id"], io.BytesIO(data), user="u")
    assert store.revision() == before
    assert list(store.blobs.ids()) == []
    assert not (store.dir / "photos").exists() or not any(p.is_file() for p in (store.dir / "photos").rglob("*"))


def test_a_refused_upload_over_the_place_limit_stores_nothing(store_factory, make_feature):
    store = store_factory("geojson")
    place = store.create("courtyards", make_feature(), user="u").feature
    with pytest.raises(TooLarge):
        add_photo(store, "courtyards", place["id"], io.BytesIO(images.jpeg(640, 480)), user="u", max_bytes=1000)
    assert list(store.blobs.ids()) == []


@pytest.mark.parametrize(("mode", "fmt", "options"), [
    ("CMYK", "JPEG", {}), ("L", "JPEG", {}), ("I;16", "PNG", {}), ("LA", "PNG", {}), ("1", "PNG", {}),
    ("P", "PNG", {"transparency": 1}), ("RGBA", "WEBP", {}),
    ("RGB", "WEBP", {"save_all": True, "append_images": [Image.new("RGB", (40, 30), (255, 0, 0))]}),
])
def test_every_pixel_layout_of_the_formats_we_take_is_served_as_rgb_jpeg(mode, fmt, options):
    data = images.encoded(Image.new(mode, (40, 30)), fmt, **options)
    decoded = checked(data)
    with Image.open(io.BytesIO(decoded.variants["full"])) as img:
        assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (40, 30))


def test_an_rgb_colour_profile_is_kept_and_no_other():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    kept = checked(images.encoded(images.picture(), "JPEG", icc_profile=srgb))
    with Image.open(io.BytesIO(kept.variants["thumb"])) as img:
        assert img.info.get("icc_profile") == srgb
    cmyk_profile = srgb[:16] + b"CMYK" + srgb[20:]  # a profile of another colour space would misdescribe RGB pixels
    dropped = checked(images.encoded(Image.new("CMYK", (40, 30)), "JPEG", icc_profile=cmyk_profile))
    with Image.open(io.BytesIO(dropped.variants["full"])) as img:
        assert "icc_profile" not in img.info
