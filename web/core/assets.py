"""Front-end libraries served by Guatu itself.

Pages never load anything from outside the server: the libraries are pinned
in package.json / package-lock.json, installed from the npm registry by the
set-up command, and copied with their licences into web/static/vendor by
`web.core.assets.main()`. The app refuses to start without them, because a
command-room screen must never come up blank.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "web" / "static" / "vendor"

# vendor folder -> (npm package, {target file: file inside the package})
MANIFEST: dict[str, tuple[str, dict[str, str]]] = {
    "leaflet": (
        "leaflet",
        {
            "leaflet.js": "dist/leaflet.js",
            "leaflet.css": "dist/leaflet.css",
            "images/layers.png": "dist/images/layers.png",
            "images/layers-2x.png": "dist/images/layers-2x.png",
            "images/marker-icon.png": "dist/images/marker-icon.png",
            "images/marker-icon-2x.png": "dist/images/marker-icon-2x.png",
            "images/marker-shadow.png": "dist/images/marker-shadow.png",
            "LICENSE": "LICENSE",
        },
    ),
    "leaflet-geoman": (
        "@geoman-io/leaflet-geoman-free",
        {
            "leaflet-geoman.js": "dist/leaflet-geoman.min.js",
            "leaflet-geoman.css": "dist/leaflet-geoman.css",
            "LICENSE": "LICENSE",
        },
    ),
    # the field page's service worker: the workbox-sw loader and the modules it loads from these folders
    # (its modulePathCb, web/static/js/lib/offline-sw.js), never from a CDN
    "workbox-sw": ("workbox-sw", {"workbox-sw.js": "build/workbox-sw.js", "LICENSE": "LICENSE"}),
    **{f"workbox-{name}": (f"workbox-{name}", {f"workbox-{name}.prod.js": f"build/workbox-{name}.prod.js",
                                               "LICENSE": "LICENSE"})
       for name in ("core", "precaching", "routing", "strategies")},
    # the protocol buffers reader the wall's vector tiles are read with (web/static/js/wall/mvt.js)
    "pbf": ("pbf", {"pbf.js": "index.js", "LICENSE": "LICENSE"}),
    # the field page's queue of results and photos in IndexedDB
    "idb": ("idb", {"idb.js": "build/index.js", "LICENSE": "LICENSE"}),
    # the accessibility checks of the browser tests (tests/browser/test_a11y.py inject it; no page loads it)
    "axe-core": ("axe-core", {"axe.min.js": "axe.min.js", "LICENSE": "LICENSE"}),
}


def missing() -> list[str]:
    """Vendored files that are not in place."""
    return [
        f"{folder}/{target}"
        for folder, (_, files) in MANIFEST.items()
        for target in files
        if not (VENDOR / folder / target).is_file()
    ]


def install(node_modules: Path = ROOT / "node_modules") -> list[Path]:
    """Copy the manifest's files from node_modules into web/static/vendor."""
    copied = []
    for folder, (package, files) in MANIFEST.items():
        for target, source in files.items():
            src = node_modules / package / source
            if not src.is_file():
                raise FileNotFoundError(f"{src} is missing: run `npm ci` first")
            dst = VENDOR / folder / target
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            copied.append(dst)
    return copied


def main() -> None:
    files = install()
    print(f"vendored {len(files)} files into {VENDOR.relative_to(ROOT)}", file=sys.stderr)
