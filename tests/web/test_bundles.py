"""The map pages' scripts bundled by esbuild (web/core/bundles.py): built from the scripts on disk, served only
while they are current, and the modules themselves otherwise."""

from __future__ import annotations

import json
import logging
import shutil

import pytest

from web.core.bundles import ENTRIES, Bundles, build, bundles
from web.core.modules import STATIC, static_imports

WALL = "js/pages/wall.js"


@pytest.fixture()
def static(tmp_path):
    """A copy of web/static's scripts, to build and edit, with the vendored libraries they import (pbf)."""
    shutil.copytree(STATIC / "js", tmp_path / "static" / "js")
    shutil.copytree(STATIC / "vendor", tmp_path / "static" / "vendor")
    return tmp_path / "static"


def test_each_map_page_is_one_bundle_and_what_it_loads_later_stays_apart(static):
    manifest = build(static)
    assert sorted(manifest["entries"]) == sorted(ENTRIES)
    wall = Bundles(static).scripts(WALL)
    assert wall.entry == manifest["entries"][WALL]["file"]
    assert wall.entry.startswith(f"bundle/{manifest['version']}/wall-")
    assert len(wall.preload) < len(static_imports(WALL)) / 5  # a few chunks, not some twenty-five modules
    for name in (wall.entry, *wall.preload):
        assert (static / name).is_file()
    text = (static / wall.entry).read_text(encoding="utf-8")
    assert "startWall" not in text  # minified
    # the print button and today's inspections: chunks of their own, imported after the first paint
    later = [p.name for p in (static / "bundle" / manifest["version"] / "chunks").glob("*.js")]
    assert any(n.startswith("print-control-") for n in later) and any(n.startswith("inspections-") for n in later)
    assert not [p for p in wall.preload if "print-control" in p or "inspections" in p]
    assert "chunks/print-control-" in text


def test_a_script_edited_after_the_build_is_served_as_modules_until_the_next_build(static, caplog):
    first = build(static)
    with (static / "js" / "wall" / "sync.js").open("a", encoding="utf-8") as f:
        f.write("\n// edited\n")
    served = Bundles(static)
    with caplog.at_level(logging.WARNING, logger="web.core.bundles"):
        for _ in range(3):
            assert served.scripts(WALL).entry == WALL
    assert served.scripts(WALL).preload == static_imports(WALL, static)
    assert [r.getMessage() for r in caplog.records if "older than the scripts" in r.getMessage()] != []
    assert len(caplog.records) == 1  # said once, not on every page

    second = build(static)
    assert second["sources"] != first["sources"]
    assert Bundles(static).scripts(WALL).entry.startswith(f"bundle/{second['version']}/")
    assert not (static / "bundle" / first["version"]).exists()  # the earlier version is removed
    assert sorted(p.name for p in (static / "bundle").iterdir()) == sorted([second["version"], "manifest.json"])


MANGLED = {
    "no file key": lambda m: m["entries"][WALL].pop("file"),
    "preload not a list": lambda m: m["entries"][WALL].update(preload="chunks/a.js"),
    "entry dropped": lambda m: m["entries"].pop(WALL),
    "entries not an object": lambda m: m.update(entries=[WALL]),
}


@pytest.mark.parametrize("damage, said", [
    (None, "no script bundles"),
    ("{not json", "cannot be read"),
    ('["a list"]', "cannot be read"),
    ("format", "older than the scripts"),
    ("missing file", "is missing"),
    ("no file key", "no usable bundle"),
    ("preload not a list", "no usable bundle"),
    ("entry dropped", "no usable bundle"),
    ("entries not an object", "no usable bundle"),
])
def test_without_a_usable_bundle_a_page_loads_its_modules(static, caplog, damage, said):
    build(static)
    manifest_path = static / "bundle" / "manifest.json"
    if damage is None:
        manifest_path.unlink()
    elif damage == "format":
        manifest_path.write_text(json.dumps({**json.loads(manifest_path.read_text()), "format": 99}))
    elif damage == "missing file":
        manifest = json.loads(manifest_path.read_text())
        (static / manifest["entries"][WALL]["preload"][0]).unlink()
    elif damage in MANGLED:  # the digest still matches: only the entry's record is wrong
        manifest = json.loads(manifest_path.read_text())
        MANGLED[damage](manifest)
        manifest_path.write_text(json.dumps(manifest))
    else:
        manifest_path.write_text(damage)
    with caplog.at_level(logging.WARNING, logger="web.core.bundles"):
        scripts = Bundles(static).scripts(WALL)
    assert (scripts.entry, scripts.preload) == (WALL, static_imports(WALL, static))
    assert said in caplog.text


def test_a_manifest_written_again_is_read_again(static):
    build(static)
    served = Bundles(static)
    assert served.scripts(WALL).entry.startswith("bundle/")
    (static / "bundle" / "manifest.json").unlink()
    assert served.scripts(WALL).entry == WALL
    build(static)
    assert served.scripts(WALL).entry.startswith("bundle/")


def test_an_entry_not_bundled_is_its_module():
    assert bundles().scripts("js/pages/banner.js").entry == "js/pages/banner.js"


def test_the_set_up_bundles_are_current():
    """`./guatu setup` builds them: the pages under test (and in production) load the bundles."""
    for entry in ENTRIES:
        assert bundles().scripts(entry).entry.startswith("bundle/"), (
            f"{entry}: the bundles are missing or older than the scripts; run ./guatu setup")
