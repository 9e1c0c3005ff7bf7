"""A worker that serves walls and places does not load the libraries of printing, file import and export:
matplotlib, GDAL (pyogrio, which brings geopandas) and openpyxl are loaded by the first print, upload or export
(about 75 MB of a worker's memory; docs/scale-benchmark.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BY_USE = ("matplotlib", "pyogrio", "geopandas", "openpyxl", "fpdf")

# a fresh interpreter: the app made, a wall's page and data and a layer's places served, then one print and one export
SCRIPT = """
import json, sys
from web import create_app

BY_USE = %r
loaded = lambda: sorted(m for m in BY_USE if m in sys.modules)
client = create_app().test_client()
seen = {"made": loaded()}
for url in ("/wall", "/api/wall/state", "/api/wall/dashboard", "/api/layers/courtyards/features"):
    assert client.get(url).status_code == 200, url
seen["served"] = loaded()
answer = client.get("/print?format=png")
assert answer.status_code == 200, answer.data[:500]
seen["printed"] = loaded()
answer = client.get("/api/layers/courtyards/export?format=gpkg")
assert answer.status_code == 200, answer.data[:500]
seen["exported"] = loaded()
print(json.dumps(seen))
"""


def test_walls_and_the_editor_load_no_printing_or_file_library_until_one_is_used(seeded, instance_dir):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GUATU_")},
           "GUATU_DATA": str(seeded), "GUATU_INSTANCE": str(instance_dir), "GUATU_PUBLIC_VIEW": "true"}
    run = subprocess.run([sys.executable, "-c", SCRIPT % (BY_USE,)], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["made"] == [] and seen["served"] == []
    assert "matplotlib" in seen["printed"]
    assert {"pyogrio", "geopandas"} <= set(seen["exported"])
