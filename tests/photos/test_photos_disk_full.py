"""A photo on a full disk, for real (a small filesystem filled to the last byte): refused with 507, nothing of it
kept — no part-written file, the place unchanged — and taken once space is freed."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from geo.config import load_campaign
from geo.errors import DiskFull
from geo.photos import add_photo
from geo.store.geojson import GeoJSONStore
from tests.conftest import REPO, make_feature
from tests.faults.small_disk import fill, small_disk
from tests.photos import images


@pytest.fixture
def data(tmp_path: Path):
    with small_disk(tmp_path / "disk", size_mb=4) as disk:
        folder = disk / "data"
        shutil.copytree(REPO / "data", folder)
        yield folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_photo_on_a_full_disk_is_refused_leaves_no_trace_and_is_taken_once_space_is_freed(data, clock):
    store = GeoJSONStore(data, load_campaign(data), clock=clock)
    place = store.create("courtyards", make_feature(), user="u").feature
    before = _files(data)
    filler = fill(data.parent)
    upload = images.jpeg(800, 600)
    with pytest.raises(DiskFull) as caught:
        add_photo(store, "courtyards", place["id"], io.BytesIO(upload), user="u")
    assert caught.value.http_status == 507
    assert _files(data) == before  # no part-written photo file, hidden or not; the place and journal as they were
    assert list(store.blobs.ids()) == []
    filler.unlink()
    entry, created = add_photo(store, "courtyards", place["id"], io.BytesIO(upload), user="u")
    assert created and store.get("courtyards", place["id"])["properties"]["photos"] == [entry]
    assert store.check() == []
