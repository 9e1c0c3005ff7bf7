"""The accounts API (admin): the users with their levels and scopes, and setting a user's scope.

    GET /api/users                   every user: role, level (三级管理), scope
    PUT /api/users/<name>/scope      {"streets": [...], "communities": [...], "units": [...]}: where they write

Thin: geo/accounts.py checks the names against the campaign and keeps the file.
"""

from __future__ import annotations

from flask import jsonify

from geo.accounts import User, level_of
from geo.errors import FieldError, ValidationError
from geo.messages import t
from geo.scope import Scope, level_label
from web.access.auth import accounts, principal
from web.admin import docs
from web.admin.blueprint import bp
from web.core.http import json_body
from web.core.routes import ADMIN


def user_summary(user: User) -> dict:
    """A user as the admin sees them: never their password hash or sessions."""
    scope = Scope.from_dict(user.scope or None)
    level = level_of(user.role, scope)
    return {"username": user.username, "name": user.name, "role": user.role, "disabled": user.disabled,
            "scope": scope.to_dict(), "scope_label": scope.describe(), "level": level,
            "level_label": level_label(level) if level else None, "created_at": user.created_at,
            "last_login_at": user.last_login_at}


def not_me(username: str) -> None:
    """An admin changes neither their own role nor their own scope (nobody locks themselves out)."""
    if principal().username == username:
        raise ValidationError([FieldError("username", t("accounts.not_yourself"))])


@bp.get("/api/users", role=ADMIN, doc=docs.USERS)
def api_users():
    return jsonify({"users": [user_summary(u) for u in accounts().users()]})


@bp.put("/api/users/<username>/scope", role=ADMIN, doc=docs.SET_SCOPE)
def api_set_scope(username: str):
    scope = Scope.from_dict(json_body())
    accounts().get_user(username)  # an unknown user: 404 before anything else
    not_me(username)
    return jsonify(user_summary(accounts().update_user(username, scope=scope)))
