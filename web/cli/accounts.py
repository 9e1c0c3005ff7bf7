"""`flask --app web users|tokens|display ...`: accounts and tokens from the command line."""

from __future__ import annotations

import secrets

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from geo.accounts import ROLES, Accounts
from geo.errors import GuatuError
from geo.messages import compose, t


def _accounts() -> Accounts:
    return current_app.extensions["guatu_accounts"]


def _fail(exc: GuatuError) -> None:
    raise click.ClickException(exc.message)


users = AppGroup("users", help="User accounts: viewer, editor, admin.")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@click.option("--name", help="Display name shown in the history (default: the user name).")
@click.option("--password", help="Password (asked for when omitted; at least 10 characters).")
def create_user(username: str, role: str, name: str | None, password: str | None) -> None:
    if password is None:
        password = click.prompt(t("page.password"), hide_input=True, confirmation_prompt=True)
    try:
        user = _accounts().create_user(username, password, role, name)
    except GuatuError as exc:
        _fail(exc)
    click.echo(t("accounts.user_created", user=user.username, role=user.role))


@users.command("list")
def list_users() -> None:
    for u in _accounts().users():
        state = t("page.admin.disabled") if u.disabled else t("page.admin.active")
        click.echo(f"{u.username}\t{u.role}\t{state}\t{u.name}")


@users.command("set")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES))
@click.option("--name")
@click.option("--password", is_flag=False, flag_value="", default=None, help="New password (asked for when empty).")
@click.option("--disable/--enable", default=None)
def set_user(username: str, role: str | None, name: str | None, password: str | None, disable: bool | None) -> None:
    if password == "":
        password = click.prompt(t("cli.new_password_prompt"), hide_input=True, confirmation_prompt=True)
    try:
        user = _accounts().update_user(username, role=role, name=name, password=password, disabled=disable)
    except GuatuError as exc:
        _fail(exc)
    click.echo(t("cli.user_disabled" if user.disabled else "cli.user_state", user=user.username, role=user.role))


@users.command("ensure-admin", help="Create the first admin with a random password if there is no user yet.")
def ensure_admin() -> None:
    acc = _accounts()
    if acc.users():
        return
    password = secrets.token_urlsafe(12)
    acc.create_user("admin", password, "admin", t("cli.first_admin_name"))
    click.echo(t("cli.first_admin", password=password), err=True)


tokens = AppGroup("tokens", help="Personal API tokens for scripts and GIS clients (Authorization: Bearer …).")


@tokens.command("create")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for, e.g. 'QGIS on 张三's PC'.")
def create_token(username: str, name: str) -> None:
    try:
        token, secret = _accounts().create_api_token(username, name)
    except GuatuError as exc:
        _fail(exc)
    click.echo(t("cli.token_created", token=token.id, user=username), err=True)
    click.echo(secret)


@tokens.command("list")
@click.option("--user", "username")
def list_tokens(username: str | None) -> None:
    for token in _accounts().tokens(kind="api", username=username):
        click.echo(t("cli.token_row", id=token.id, user=token.username, name=token.name, created=token.created_at,
                     used=token.last_used_at or "-", state=_state(token)))


@tokens.command("revoke")
@click.argument("token_id")
def revoke_token(token_id: str) -> None:
    try:
        _accounts().revoke_token(token_id)
    except GuatuError as exc:
        _fail(exc)
    click.echo(t("accounts.token_revoked", name=token_id))


display = AppGroup("display", help="Read-only display links for wall screens that do not log in.")


@display.command("create")
@click.option("--name", required=True, help="Which screen, e.g. '指挥中心大屏1'.")
@click.option("--url", "scope", default="/wall", show_default=True, help="The wall-map URL (with its parameters).")
@click.option("--photos/--no-photos", default=False, show_default=True,
              help="The screen also shows the thumbnails of its places' photos (never larger images).")
def create_display(name: str, scope: str, photos: bool) -> None:
    try:
        token, secret = _accounts().create_display_token(name, scope, photos=photos)
    except GuatuError as exc:
        _fail(exc)
    sep = "&" if "?" in scope else "?"
    click.echo(t("cli.display_created", token=token.id, name=name), err=True)
    click.echo(f"{scope}{sep}display={secret}")


@display.command("list")
def list_display() -> None:
    for token in _accounts().tokens(kind="display"):
        scope = compose("{scope} · {photos}", scope=token.scope, photos=t("page.admin.display_photos_on")) \
            if token.photos else token.scope
        click.echo(t("cli.display_row", id=token.id, name=token.name, scope=scope, used=token.last_used_at or "-",
                     state=_state(token)))


def _state(token) -> str:
    return t("page.token.revoked", at=token.revoked_at) if token.revoked_at else t("page.token.valid")


@display.command("revoke")
@click.argument("token_id")
def revoke_display(token_id: str) -> None:
    revoke_token.callback(token_id)


def register(app: Flask) -> None:
    for group in (users, tokens, display):
        app.cli.add_command(group)


