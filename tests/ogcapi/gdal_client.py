"""GDAL's OAPIF driver (and its OGCAPI driver, for the vector tiles) as a client, run in its own process.

pyogrio holds Python's GIL while GDAL reads, so a server thread in the test
process could never answer it: the read runs in a child process (same
interpreter, same pyogrio) and hands the GeoDataFrame back pickled.
GDAL configuration options (GDAL_HTTP_AUTH, GDAL_HTTP_USERPWD…) go in `config`. Also any other source GDAL
reads (a vector tile through /vsicurl/, with the MVT driver).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], config: dict | None) -> object:
    env = {**os.environ, "PYTHONPATH": str(REPO), **(config or {})}
    done = subprocess.run([sys.executable, "-m", "tests.ogcapi.gdal_client", *args], env=env, cwd=REPO,
                          capture_output=True, timeout=240)
    if done.returncode != 0:
        raise RuntimeError(f"GDAL failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return pickle.loads(done.stdout)


def list_layers(url: str, config: dict | None = None) -> list[tuple[str, str]]:
    """pyogrio.list_layers of `OAPIF:<url>`: (name, geometry type) pairs."""
    return _run(["list", url], config)


def read_layer(url: str, layer: str, config: dict | None = None, **kwargs: str):
    """pyogrio.read_dataframe of one layer of `OAPIF:<url>` (a GeoDataFrame); kwargs are GDAL open options."""
    return _run(["read", url, layer, *(f"{k}={v}" for k, v in kwargs.items())], config)


def read_tiles(url: str, layer: str, config: dict | None = None, **kwargs: str):
    """pyogrio.read_dataframe of one layer of `OGCAPI:<url>` (GDAL's OGC API – Tiles reader: a layer per zoom,
    "Zoom level <z>"); kwargs are GDAL open options."""
    return _run(["tiles", url, layer, *(f"{k}={v}" for k, v in kwargs.items())], config)


def read_source(source: str, layer: str, config: dict | None = None):
    """pyogrio.read_dataframe of one layer of any GDAL source (`/vsicurl/<url>` of a vector tile, say)."""
    return _run(["source", source, layer], config)


def _main(argv: list[str]) -> None:
    import pyogrio

    if not {"OAPIF", "OGCAPI"} <= set(pyogrio.list_drivers()):
        raise SystemExit(f"this GDAL ({pyogrio.__gdal_version_string__}) lacks the OAPIF or OGCAPI driver")
    command, url, *rest = argv
    if command == "tiles":
        layer, *options = rest
        result = pyogrio.read_dataframe(f"OGCAPI:{url}", layer=layer, **dict(o.split("=", 1) for o in options))
    elif command == "source":
        result = pyogrio.read_dataframe(url, layer=rest[0])
    elif command == "list":
        result = [tuple(row) for row in pyogrio.list_layers(f"OAPIF:{url}").tolist()]
    else:
        layer, *options = rest
        opts = dict(o.split("=", 1) for o in options)
        result = pyogrio.read_dataframe(f"OAPIF:{url}", layer=layer, **opts)
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _main(sys.argv[1:])
