"""Printed maps over HTTP (/print) and from the command line (`flask --app web print-map`), atlases
(/print/atlas.pdf, `print-atlas`), and a place's dossier, 一点一档 (/places/<layer>/<fid>.pdf).

One blueprint, `printing` (web/printing/blueprint.py).
"""

from __future__ import annotations

from flask import Flask

from web.printing import atlas, dossier, maps
from web.printing.blueprint import bp

VIEWS = (atlas, dossier, maps)  # the modules whose routes are on `bp`


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(maps.print_map_command)
    app.cli.add_command(atlas.print_atlas_command)
