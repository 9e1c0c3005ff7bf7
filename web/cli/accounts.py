"""`flask --app web users|tokens|display ...`: accounts, their scopes (三级管理) and tokens from the command line.

A user's scope is given with `--street`, `--community`, `--unit` (each repeatable) or `--everywhere` (the
whole district); `users list` shows each user's level and scope. `users demo` creates the demo campaign's
users, one at each level, and prints their passwords once (`./guatu serve` runs it for the demo only).
`users import-from-file accounts.json` takes an embedded deployment's accounts into the database (docs/deployment.md).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from geo.accounts import ROLES, Accounts, campaign_names, level_of
from geo.errors import GuatuError
from geo.messages import compose, t
from geo.scope import EVERYWHERE, Scope, level_label


def _accounts() -> Accounts:
    return current_app.extensions["guatu_accounts"]


def _fail(exc: GuatuError) -> None:
    raise click.ClickException(exc.message)


users = AppGroup("users", help="User accounts: viewer, inspector, editor, admin, and where each writes.")


def scope_options(command):
    """--street, --community, --unit (repeatable) and --everywhere: where the user writes."""
    for option in (
        click.option("--everywhere", is_flag=True, help="Writes anywhere in the district (指挥部)."),
        click.option("--unit", "units", multiple=True, help="A responsible unit the user writes for (包村科室); repeatable."),
        click.option("--community", "communities", multiple=True, help="A community or village (社区/村三委); repeatable."),
        click.option("--street", "streets", multiple=True, help="A sub-district (街道/包村领导); repeatable."),
    ):
        command = option(command)
    return command


def _scope(streets: tuple[str, ...], communities: tuple[str, ...], units: tuple[str, ...], everywhere: bool) -> Scope | None:
    """The scope the options give; None when none was given (unchanged)."""
    named = Scope.from_dict({"streets": list(streets), "communities": list(communities), "units": list(units)})
    if everywhere and not named.everywhere:
        raise click.UsageError(t("cli.scope_everywhere_alone"))
    return EVERYWHERE if everywhere else (None if named.everywhere else named)


def _describe(user) -> str:
    scope = Scope.from_dict(user.scope or None)
    level = level_of(user.role, scope)
    return t("cli.user_scope", user=user.username, role=user.role,
             level=level_label(level) if level else t("scope.level_none"), scope=scope.describe())


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@click.option("--name", help="Display name shown in the history (default: the user name).")
@click.option("--password", help="Password (asked for when omitted; at least 10 characters).")
@click.option("--email", help="Where the user's notifications' email copies go (docs/notifications.md).")
@scope_options
def create_user(username: str, role: str, name: str | None, password: str | None, email: str | None,
                streets: tuple[str, ...], communities: tuple[str, ...], units: tuple[str, ...], everywhere: bool) -> None:
    scope = _scope(streets, communities, units, everywhere)
    if password is None:
        password = click.prompt(t("page.password"), hide_input=True, confirmation_prompt=True)
    try:
        user = _accounts().create_user(username, password, role, name, scope=scope, email=email)
    except GuatuError as exc:
        _fail(exc)
    click.echo(t("accounts.user_created", user=user.username, role=user.role))
    if scope is not None:
        click.echo(_describe(user))


@users.command("list")
def list_users() -> None:
    for u in _accounts().users():
        state = t("page.admin.disabled") if u.disabled else t("page.admin.active")
        scope = Scope.from_dict(u.scope or None)
        level = level_of(u.role, scope)
        click.echo(f"{u.username}\t{u.role}\t{level_label(level) if level else t('scope.level_none')}\t"
                   f"{scope.describe()}\t{state}\t{u.name}")


@users.command("set")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES))
@click.option("--name")
@click.option("--password", is_flag=False, flag_value="", default=None, help="New password (asked for when empty).")
@click.option("--disable/--enable", default=None)
@click.option("--email", help="Where the user's notifications' email copies go; \"\" removes it.")
@scope_options
def set_user(username: str, role: str | None, name: str | None, password: str | None, disable: bool | None,
             email: str | None, streets: tuple[str, ...], communities: tuple[str, ...], units: tuple[str, ...],
             everywhere: bool) -> None:
    scope = _scope(streets, communities, units, everywhere)
    if password == "":
        password = click.prompt(t("cli.new_password_prompt"), hide_input=True, confirmation_prompt=True)
    try:
        user = _accounts().update_user(username, role=role, name=name, password=password, disabled=disable, scope=scope,
                                       email=email)
    except GuatuError as exc:
        _fail(exc)
    click.echo(t("cli.user_disabled" if user.disabled else "cli.user_state", user=user.username, role=user.role))
    if scope is not None:
        click.echo(_describe(user))


@users.command("import-from-file",
               help="Take every user, session and token of an accounts.json (moving to PostgreSQL); only into no accounts.")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
def import_users(source: Path) -> None:
    acc = _accounts()
    try:
        users_count, tokens_count = acc.adopt(source)
    except GuatuError as exc:
        _fail(exc)
    click.echo(t("accounts.adopted", source=str(source), users=users_count, tokens=tokens_count,
                 where=acc.keeping.where))


# The demo campaign's people, one at each level of 三级管理 (data/: 大学路街道, its 金桥社区, 区住建局).
DEMO_USERS = (
    ("zhihuibu", "陈志远", "editor", EVERYWHERE),
    ("daxuelu", "王建国", "editor", Scope(streets=("大学路街道",))),
    ("jinqiao", "李秀兰", "editor", Scope(communities=("金桥社区",))),
    ("zhujianju", "张伟", "editor", Scope(units=("区住建局",))),
    ("duchayuan", "刘芳", "inspector", EVERYWHERE),
)


@users.command("demo", help="Create the demo campaign's users, one at each level, printing their passwords once.")
def demo_users() -> None:
    """Only for the demo: every scope names the demo's places, so a real campaign refuses them (422, nothing made)."""
    acc = _accounts()
    ctx = current_app.extensions["guatu"]
    known = campaign_names(ctx.store, ctx.data_dir)
    try:
        for *_, scope in DEMO_USERS:  # all of them or none
            scope.check_known(*known)
    except GuatuError as exc:
        _fail(exc)
    have = {u.username for u in acc.users()}
    for username, name, role, scope in DEMO_USERS:
        if username in have:
            continue
        password = secrets.token_urlsafe(12)
        try:
            user = acc.create_user(username, password, role, name, scope=scope)
        except GuatuError as exc:
            _fail(exc)
        level = level_of(user.role, scope)
        click.echo(t("cli.demo_user", user=username, level=level_label(level), name=name, password=password), err=True)


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


