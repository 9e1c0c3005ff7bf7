"""Printed maps over HTTP (/print) and from the command line (`flask --app web print-map`)."""

from __future__ import annotations

from flask import Flask

from web.printing.maps import bp, print_map_command


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(print_map_command)
