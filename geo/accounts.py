"""Accounts, roles and tokens: who may see and who may edit.

Roles are ordered: viewer (sees maps) < editor (edits places and the ledger)
< admin (users, tokens, configuration). Passwords are hashed with
werkzeug.security (scrypt); personal API tokens and display tokens are
random and only their SHA-256 is stored, so the file leaks nothing usable.
A display token is read-only and bound to one wall-map URL.

Everything lives in one JSON file written atomically under an inter-process
lock, so several server processes share it safely.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import orjson
from filelock import FileLock
from werkzeug.security import check_password_hash, generate_password_hash

from geo.errors import Conflict, FieldError, GuatuError, NotFound, ValidationError
from geo.geojson_io import atomic_write
from geo.store.base import iso, utc_now

ROLES = ("viewer", "editor", "admin")
MIN_PASSWORD = 10
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
TOKEN_TOUCH = timedelta(minutes=1)  # how often last-use times are written
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,32}$")


class LoginRefused(GuatuError):
    http_status = 401
    code = "login_refused"


class LoginThrottled(GuatuError):
    http_status = 429
    code = "too_many_attempts"


def role_at_least(role: str | None, wanted: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(wanted)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Principal:
    """Whoever is making a request."""

    username: str
    name: str
    role: str
    via: str  # "session", "token", "basic", "display", "public"
    display_scope: str | None = None
    session_version: int = 0

    def can(self, role: str) -> bool:
        return role_at_least(self.role, role)

    @property
    def label(self) -> str:
        """How the journal and history name this user."""
        return self.username if self.name == self.username else f"{self.name} ({self.username})"


@dataclass
class User:
    username: str
    name: str
    role: str
    password_hash: str
    created_at: str
    disabled: bool = False
    session_version: int = 1  # bumped to log out every session of this user
    failures: int = 0
    locked_until: str | None = None


@dataclass
class Token:
    id: str
    kind: str  # "api" or "display"
    name: str
    hash: str
    created_at: str
    username: str | None = None  # api tokens act as their user
    scope: str | None = None  # display tokens: the wall-map URL they open
    last_used_at: str | None = None
    revoked_at: str | None = None

    def public(self) -> dict:
        out = asdict(self)
        out.pop("hash")
        return out


@dataclass
class _Data:
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)


class Accounts:
    def __init__(self, path: Path, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.path = Path(path)
        self.clock = clock
        self._lock = FileLock(str(self.path) + ".lock", timeout=10)
        self._thread_lock = threading.Lock()
        self._stat: tuple | None = None
        self._data = _Data()

    # --- file ---------------------------------------------------------------
    def _load(self) -> _Data:
        try:
            st = self.path.stat()
            stat = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            return _Data()
        if stat != self._stat:
            raw = orjson.loads(self.path.read_bytes())
            self._data = _Data(
                users={u["username"]: User(**u) for u in raw.get("users", [])},
                tokens={t["id"]: Token(**t) for t in raw.get("tokens", [])},
            )
            self._stat = stat
        return self._data

    @contextmanager
    def _write(self) -> Iterator[_Data]:
        with self._thread_lock, self._lock:
            data = self._load()
            yield data
            body = orjson.dumps(
                {"users": [asdict(u) for u in data.users.values()], "tokens": [asdict(t) for t in data.tokens.values()]},
                option=orjson.OPT_INDENT_2,
            )
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, body, mode=0o600)  # password hashes and token digests
            self.path.chmod(0o600)
            self._stat = None

    # --- users --------------------------------------------------------------
    def users(self) -> list[User]:
        return sorted(self._load().users.values(), key=lambda u: u.username)

    def get_user(self, username: str) -> User:
        user = self._load().users.get(username)
        if user is None:
            raise NotFound(f"no user {username!r}")
        return user

    def create_user(self, username: str, password: str, role: str, name: str | None = None) -> User:
        errors = []
        if not isinstance(username, str) or not _USERNAME.match(username):
            errors.append(FieldError("username", "2–32 letters, digits, '.', '_' or '-'"))
        errors += _password_problems(password)
        if role not in ROLES:
            errors.append(FieldError("role", f"expected one of {', '.join(ROLES)}"))
        display = (name or username or "").strip()
        if not display or len(display) > 64:
            errors.append(FieldError("name", "1–64 characters"))
        if errors:
            raise ValidationError(errors)
        with self._write() as data:
            if username in data.users:
                raise Conflict(f"user {username!r} already exists")
            user = User(username, display, role, generate_password_hash(password), iso(self.clock()))
            data.users[username] = user
        return user

    def update_user(self, username: str, *, role: str | None = None, name: str | None = None,
                    password: str | None = None, disabled: bool | None = None) -> User:
        errors = []
        if role is not None and role not in ROLES:
            errors.append(FieldError("role", f"expected one of {', '.join(ROLES)}"))
        if password is not None:
            errors += _password_problems(password)
        if errors:
            raise ValidationError(errors)
        with self._write() as data:
            user = data.users.get(username)
            if user is None:
                raise NotFound(f"no user {username!r}")
            if role is not None:
                user.role = role
            if name:
                user.name = name.strip()[:64]
            if password is not None:
                user.password_hash = generate_password_hash(password)
                user.session_version += 1
                user.failures, user.locked_until = 0, None
            if disabled is not None:
                user.disabled = disabled
                user.session_version += 1
            if not any(u.role == "admin" and not u.disabled for u in data.users.values()):
                raise ValidationError([FieldError("role", "the last active admin cannot be removed")])
        return user

    def authenticate(self, username: str, password: str) -> User:
        """Check a password; too many failures lock the account for a while."""
        now = self.clock()
        user = self._load().users.get(username)
        if user is None or user.disabled:
            check_password_hash(_dummy_hash(), password or "")  # same work whether or not the user exists
            raise LoginRefused("wrong user name or password")
        if user.locked_until and now < datetime.fromisoformat(user.locked_until.replace("Z", "+00:00")):
            raise LoginThrottled("too many failed attempts; try again in 15 minutes")
        ok = check_password_hash(user.password_hash, password or "")
        with self._write() as data:
            stored = data.users[username]
            if ok:
                stored.failures, stored.locked_until = 0, None
            else:
                stored.failures += 1
                if stored.failures >= MAX_FAILURES:
                    stored.locked_until = iso(now + LOCKOUT)
                    stored.failures = 0
        if not ok:
            raise LoginRefused("wrong user name or password")
        return stored

    def principal(self, user: User, via: str) -> Principal:
        return Principal(user.username, user.name, user.role, via, session_version=user.session_version)

    # --- tokens -------------------------------------------------------------
    def create_api_token(self, username: str, name: str) -> tuple[Token, str]:
        self.get_user(username)
        return self._create_token("api", name, username=username)

    def create_display_token(self, name: str, scope: str) -> tuple[Token, str]:
        if not isinstance(scope, str) or not scope.startswith("/wall"):
            raise ValidationError([FieldError("scope", "a display token opens a wall-map URL beginning with /wall")])
        return self._create_token("display", name, scope=scope)

    def _create_token(self, kind: str, name: str, **extra) -> tuple[Token, str]:
        name = (name or "").strip()
        if not name or len(name) > 64:
            raise ValidationError([FieldError("name", "1–64 characters")])
        secret = ("gt_" if kind == "api" else "gd_") + secrets.token_urlsafe(32)
        token = Token(id=secrets.token_hex(6), kind=kind, name=name, hash=_hash_token(secret),
                      created_at=iso(self.clock()), **extra)
        with self._write() as data:
            data.tokens[token.id] = token
        return token, secret

    def tokens(self, *, kind: str | None = None, username: str | None = None) -> list[Token]:
        items = self._load().tokens.values()
        return [t for t in items if (kind is None or t.kind == kind) and (username is None or t.username == username)]

    def revoke_token(self, token_id: str) -> Token:
        with self._write() as data:
            token = data.tokens.get(token_id)
            if token is None:
                raise NotFound(f"no token {token_id!r}")
            token.revoked_at = token.revoked_at or iso(self.clock())
        return token

    def check_token(self, secret: str, kind: str) -> Principal | None:
        """The principal a token stands for, or None if unknown or revoked."""
        if not secret:
            return None
        digest = _hash_token(secret)
        token = next((t for t in self._load().tokens.values()
                      if t.kind == kind and hmac.compare_digest(t.hash, digest)), None)
        if token is None or token.revoked_at:
            return None
        if kind == "api":
            user = self._load().users.get(token.username or "")
            if user is None or user.disabled:
                return None
            principal = Principal(user.username, user.name, user.role, "token")
        else:
            principal = Principal(f"display:{token.id}", token.name, "viewer", "display", display_scope=token.scope)
        self._touch(token)
        return principal

    def _touch(self, token: Token) -> None:
        now = self.clock()
        last = token.last_used_at
        if last and now - datetime.fromisoformat(last.replace("Z", "+00:00")) < TOKEN_TOUCH:
            return
        with self._write() as data:
            if token.id in data.tokens:
                data.tokens[token.id].last_used_at = iso(now)


def _password_problems(password) -> list[FieldError]:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        return [FieldError("password", f"at least {MIN_PASSWORD} characters")]
    if len(password) > 256:
        return [FieldError("password", "at most 256 characters")]
    return []


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password")
