"""`flask --app web …` commands: data import/export, accounts, backups, the store."""

from __future__ import annotations

from flask import Flask

from web.cli import accounts, backup, data, store


def register(app: Flask) -> None:
    for commands in (store, accounts, data, backup):
        commands.register(app)
