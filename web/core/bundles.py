"""The map and phone pages' scripts as bundles: one file (and the chunks it shares) instead of dozens of modules.

A map page's entry module imports some twenty-five others. Fetched one by one from the Python server they
are the larger part of a wall's time to first paint on a busy machine (docs/wall-benchmark.md), and each is a
round trip for a phone on a weak signal. esbuild
(pinned in package.json, installed with the other front-end packages) bundles each entry of `ENTRIES`
into web/static/bundle/<version>/: the entry and the chunks it imports statically come first; what a page
imports with `import()` after its first paint (the print button, today's inspections) stays a chunk of its
own, fetched then. `./guatu setup` builds them (`main`) whenever a script changed.

A bundle is served only while it was built from the scripts on disk: `manifest.json` records a digest of
every file under web/static/js, and a page whose bundle is older than its modules (a script edited since the
last set-up) loads the modules themselves, with their `modulepreload` list (web/core/modules.py), and the
log says so once. The modules stay the source; the bundle is only their faster delivery.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.geojson_io import atomic_write
from geo.messages import t
from web.core.modules import STATIC, static_imports
from web.core.settings import get_settings

log = logging.getLogger(__name__)

ESBUILD = STATIC.parents[1] / "node_modules" / ".bin" / "esbuild"
FORMAT = 1

# The entries served as bundles: the folium map pages (web/wall/map_page.py) and the two phone pages, the
# inspector's (web/field/pages.py) and the residents' reporting page (web/residents/pages.py), whose service workers
# precache what the page loads (web/field/offline.py).
ENTRIES = ("js/pages/wall.js", "js/pages/editor.js", "js/pages/playback.js", "js/pages/field.js", "js/pages/report.js")


@dataclass(frozen=True)
class Scripts:
    """What a page loads: its entry (a path under web/static) and what to fetch alongside (modulepreload)."""

    entry: str
    preload: tuple[str, ...]


def sources_digest(static: Path = STATIC) -> str:
    """sha256 of every file under web/static/js, by path and content: the scripts a bundle is built from."""
    digest = hashlib.sha256()
    folder = static / "js"
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build(static: Path = STATIC, esbuild: Path = ESBUILD) -> dict:
    """Bundle `ENTRIES` into static/bundle/<version>/ and write manifest.json last (atomic_write); earlier
    versions are removed once the manifest names the new one. Returns the manifest."""
    bundles = static / "bundle"
    digest = sources_digest(static)
    version = digest[:16]
    bundles.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=bundles, prefix=".build-") as scratch:
        out = Path(scratch) / version
        entries = {}
        for number, entry in enumerate(ENTRIES):  # one build each: an entry's chunks are its own lazy imports
            meta_path = Path(scratch) / f"meta{number}.json"
            subprocess.run(
                [str(esbuild), str(static / entry), "--bundle", "--format=esm", "--splitting", "--minify",
                 "--sourcemap", "--charset=utf8", "--log-level=warning", f"--outdir={out}", f"--outbase={static}",
                 "--entry-names=[name]-[hash]", "--chunk-names=chunks/[name]-[hash]", f"--metafile={meta_path}"],
                check=True, cwd=static,
            )
            entries[entry] = _entry(json.loads(meta_path.read_text(encoding="utf-8")), entry, static, out, version)
        manifest = {"format": FORMAT, "sources": digest, "version": version, "entries": entries}
        target = bundles / version
        if target.exists():
            shutil.rmtree(target)
        out.rename(target)
    atomic_write(bundles / "manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode())
    for old in bundles.iterdir():
        if old.is_dir() and old.name != version and not old.name.startswith(".build-"):
            shutil.rmtree(old, ignore_errors=True)
    return manifest


def _entry(meta: dict, entry: str, static: Path, out: Path, version: str) -> dict:
    """The entry's output file and the chunks it imports statically (directly or not), as paths under
    web/static, from esbuild's metafile (its paths are relative to the working folder, web/static)."""
    outputs = meta["outputs"]

    def served(path: str) -> str:
        return f"bundle/{version}/" + (static / path).resolve().relative_to(out.resolve()).as_posix()

    path = next(p for p, o in outputs.items() if o.get("entryPoint") == entry)
    chunks, todo = [], [i["path"] for i in outputs[path].get("imports", []) if i["kind"] == "import-statement"]
    while todo:
        chunk = todo.pop(0)
        if chunk not in chunks:
            chunks.append(chunk)
            todo += [i["path"] for i in outputs[chunk].get("imports", []) if i["kind"] == "import-statement"]
    return {"file": served(path), "preload": [served(c) for c in chunks]}


class Bundles:
    """The bundles a server may serve: manifest.json read again when it changes, checked against the scripts'
    digest (taken once: the scripts of a running server do not change under it)."""

    def __init__(self, static: Path = STATIC) -> None:
        self.static = static
        self._digest: str | None = None
        self._read: tuple[int, dict | None] = (-1, None)
        self._warned: set[str] = set()

    def scripts(self, entry: str) -> Scripts:
        """The bundle of `entry` when it was built from the scripts on disk, else the entry module itself and
        every module it imports statically."""
        entries = self._fresh_manifest().get("entries") if entry in ENTRIES else None
        bundle = _bundle(entries.get(entry)) if isinstance(entries, dict) else None
        if bundle:
            if all((self.static / p).is_file() for p in (bundle.entry, *bundle.preload)):
                return bundle
            self._warn_once(bundle.entry, f"a file of {entry}'s bundle is missing from web/static/bundle: the "
                                          "page loads its modules one by one until `./guatu setup` builds them again")
        elif entries is not None:
            self._warn_once(f"entry {entry}", f"web/static/bundle/manifest.json has no usable bundle of {entry}: "
                                              "the page loads its modules one by one; `./guatu setup` builds them")
        return Scripts(entry, static_imports(entry, self.static))

    def _fresh_manifest(self) -> dict:
        manifest = self._manifest()
        if manifest is None:  # never built
            self._warn_once("missing", "no script bundles (web/static/bundle/manifest.json): the map and phone "
                                       "pages load their modules one by one; `./guatu setup` builds the bundles")
            return {}
        if self._digest is None:
            self._digest = sources_digest(self.static)
        if manifest.get("format") != FORMAT or manifest.get("sources") != self._digest:
            self._warn_once(str(manifest.get("sources")), "the script bundles are older than the scripts: the map "
                            "and phone pages load their modules one by one until `./guatu setup` builds them again")
            return {}
        return manifest

    def _manifest(self) -> dict | None:
        path = self.static / "bundle" / "manifest.json"
        try:
            mtime = path.stat().st_mtime_ns
        except FileNotFoundError:
            return None
        if mtime != self._read[0]:
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                manifest = exc
            if not isinstance(manifest, dict):
                log.warning("web/static/bundle/manifest.json cannot be read (%s): the pages load their modules",
                            manifest)
                manifest = {}
            self._read = (mtime, manifest)
        return self._read[1]

    def _warn_once(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message)


def _bundle(recorded: object) -> Scripts | None:
    """A manifest's record of one entry as `Scripts`, or None when it is not the shape `build` writes."""
    if not isinstance(recorded, dict):
        return None
    file, preload = recorded.get("file"), recorded.get("preload")
    if not isinstance(file, str) or not isinstance(preload, list) or not all(isinstance(p, str) for p in preload):
        return None
    return Scripts(file, tuple(preload))


def page_scripts(entry: str) -> Scripts:
    """What the current app's page of `entry` loads: its bundle, unless GUATU_SCRIPT_BUNDLES is false."""
    if get_settings().script_bundles:
        return bundles().scripts(entry)
    return Scripts(entry, static_imports(entry))


@lru_cache(maxsize=1)
def bundles() -> Bundles:
    """The bundles of web/static, for every page of this process."""
    return Bundles()


def main() -> None:
    manifest = build()
    print(t("bundles.built", count=len(manifest["entries"]), folder=f"web/static/bundle/{manifest['version']}"),
          file=sys.stderr)
