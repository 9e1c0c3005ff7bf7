"""Accounts, roles and tokens: who may see and who may edit.

Roles are ordered: viewer (sees maps) < inspector (督导员: records inspections
anywhere, files cases) < editor (edits places and the ledger) < admin (users,
tokens, configuration). A user's scope (geo/scope.py) limits where an editor
or admin writes: the three levels of the campaign's management. Passwords are hashed with
werkzeug.security (scrypt); personal API tokens and display tokens are
random and only their SHA-256 is stored, so the file leaks nothing usable.
A display token is read-only and bound to one wall-map URL.

Sessions are kept server-side: each login adds the digest of a random session
id to its user, and a request's cookie counts only while that digest is
there, so logging out, a password change and disabling the user end sessions
for good (a replayed cookie is refused). A token records who minted it and
from which token, and revoking a token or disabling a user revokes every
token minted from it, transitively.

HTTP Basic credentials that passed the scrypt check are remembered for a
minute, keyed by an HMAC of the credentials with the app's secret (never the
password itself), and forgotten as soon as the password changes or the user
is disabled. Login throttling lives in geo/throttle.py, not here.

A user's scope is checked against the names the campaign knows
(`campaign_names`: its sub-districts and communities, from the boundaries
and the places, and the responsible units of its places) when it is set, so
a typo never locks a person out silently.

Everything is one document (users with their sessions, and tokens), kept by an
`AccountsKeeping`: `AccountsFile` writes `accounts.json` atomically under an
inter-process lock, so several server processes of one machine share it;
`PostgresAccounts` (geo/store/shared_state.py) keeps it in the campaign's
database, so every machine behind a load balancer shares it. Each process
keeps the last copy it read and reads again only when the document's stamp
(the file's inode, time and size, or the row's version) changed.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import orjson
from filelock import FileLock
from werkzeug.security import check_password_hash, generate_password_hash

from geo.boundaries import usable_boundaries
from geo.errors import BrokenRecord, Conflict, FieldError, GuatuError, NotFound, ValidationError
from geo.geojson_io import atomic_write
from geo.messages import t
from geo.scope import EVERYWHERE, Scope
from geo.store.base import Finding, Store, iso, utc_now

log = logging.getLogger(__name__)

ROLES = ("viewer", "inspector", "editor", "admin")
MIN_PASSWORD = 10
TOKEN_TOUCH = timedelta(minutes=1)  # how often last-use times are written
BASIC_CACHE = timedelta(minutes=1)  # how long verified HTTP Basic credentials are remembered
SESSION_LIFETIME = timedelta(hours=12)  # sessions older than this are dropped from the account
MAX_SESSIONS = 50  # per user; the oldest go first
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,32}$")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


class LoginRefused(GuatuError):
    http_status = 401
    code = "login_refused"


def check_email(value: object, field: str = "email") -> str:
    """An email address as kept (trimmed), or ValidationError naming `field`: one address, no name or spaces."""
    text = value.strip() if isinstance(value, str) else ""
    if not _EMAIL.match(text) or len(text) > 254:
        raise ValidationError([FieldError(field, t("accounts.bad_email", value=str(value)[:80]))])
    return text


def role_at_least(role: str | None, wanted: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(wanted)


Names = tuple[Iterable[str], Iterable[str], Iterable[str]]  # the campaign's streets, communities, units


def campaign_names(store: Store, data_dir: Path) -> tuple[list[str], list[str], list[str]]:
    """The sub-districts, communities and responsible units a scope may name: the boundaries' names and the
    places' `street`, `community` and `unit` values, sorted."""
    found: tuple[set[str], set[str], set[str]] = (set(), set(), set())
    for i, level in enumerate(("street", "community")):
        found[i].update(f["properties"].get("name") for f in usable_boundaries(data_dir, store.campaign, level))
    for layer in store.readable_layers():
        for f in store.each_feature(layer.id):
            props = f["properties"]
            for i, key in enumerate(("street", "community", "unit")):
                found[i].add(props.get(key))
    return tuple(sorted(n for n in names if isinstance(n, str) and n.strip()) for names in found)  # type: ignore[return-value]


def level_of(role: str, scope: Scope) -> str | None:
    """The management level a user stands at: `inspector` for 督导员, the scope's level (district, street,
    community, unit) for editors and admins, None for viewers (they write nowhere)."""
    if role == "inspector":
        return "inspector"
    if role in ("editor", "admin"):
        return scope.level
    return None


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Principal:
    """Whoever is making a request."""

    username: str
    name: str
    role: str
    via: str  # "session", "token", "basic", "display", "public"
    display_scope: str | None = None
    display_photos: bool = False  # a display link made with photos on: it sees the thumbnails of its places
    scope: Scope = EVERYWHERE  # where this person writes (geo/scope.py)

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
    sessions: dict[str, str] = field(default_factory=dict)  # digest of a live session id -> when it began
    last_login_at: str | None = None  # written at most once a minute
    scope: dict = field(default_factory=dict)  # Scope.to_dict(); empty: the whole district
    email: str | None = None  # where their notifications' email copies go (geo/notify), when they want them


@dataclass
class Token:
    id: str
    kind: str  # "api" or "display"
    name: str
    hash: str
    created_at: str
    username: str | None = None  # api tokens act as their user
    scope: str | None = None  # display tokens: the wall-map URL they open
    photos: bool = False  # display tokens: the thumbnails of the photos of the places in scope are shown
    last_used_at: str | None = None
    revoked_at: str | None = None
    created_by: str | None = None  # the user who minted it (None: the command line)
    parent: str | None = None  # the token it was minted with, if any

    def public(self) -> dict:
        out = asdict(self)
        out.pop("hash")
        return out


@dataclass
class _Data:
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)

    @classmethod
    def parse(cls, raw: object) -> _Data:
        """The stored document; ValueError saying where it is not as `document` writes it (edited by hand, a bad
        restore): nobody is let in on a guess."""
        if not isinstance(raw, dict):
            raise ValueError(t("feature.not_an_object_value"))
        users, tokens = raw.get("users", []), raw.get("tokens", [])
        for name, value in (("users", users), ("tokens", tokens)):
            if not isinstance(value, list):
                raise ValueError(f"{name}: " + t("request.wrong_type", expected=t("request.type_array")))
        for i, u in enumerate(users):
            if not isinstance(u, dict) or not all(isinstance(u.get(k), str) for k in ("username", "name", "password_hash")) \
                    or u.get("role") not in ROLES or not isinstance(u.get("sessions", {}), dict) \
                    or not isinstance(u.get("scope", {}), dict):
                raise ValueError(f"users[{i}]: " + t("accounts.bad_user"))
        for i, x in enumerate(tokens):
            if not isinstance(x, dict) or not isinstance(x.get("id"), str):
                raise ValueError(f"tokens[{i}]: " + t("accounts.bad_token"))
        try:
            return cls(users={u["username"]: _known(User, u) for u in users},
                       tokens={x["id"]: _known(Token, x) for x in tokens})
        except TypeError:  # a field every user or token has is missing
            raise ValueError(t("accounts.field_missing")) from None

    def document(self) -> dict:
        """The stored form: the same JSON in the file and in the database."""
        return {"users": [asdict(u) for u in self.users.values()], "tokens": [asdict(t) for t in self.tokens.values()]}


class AccountsWriter(Protocol):
    def read(self) -> tuple[object, dict] | None:
        """(stamp, document) as it is now, inside the writer's lock; None when there is none yet."""

    def save(self, document: dict) -> None:
        """Replace the document (the caller holds the lock)."""


class AccountsKeeping(Protocol):
    """Where the accounts document lives: read by stamp, rewritten whole under one lock for every process."""

    where: str  # for messages: a file's path or the database

    def stamp(self) -> object | None:
        """What changes whenever the document does (None: there is none yet); cheap, asked on every read."""

    def read(self) -> tuple[object, dict] | None:
        """(stamp, document), or None when there is none yet."""

    def exclusive(self) -> AbstractContextManager[AccountsWriter]:
        """The one writer among every process sharing the document, for the block."""


class AccountsFile:
    """`accounts.json` in the instance folder: one machine's processes share it (an inter-process file lock)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.where = str(self.path)
        self._lock = FileLock(str(self.path) + ".lock", timeout=10)

    def stamp(self) -> object | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def read(self) -> tuple[object, dict] | None:
        stamp = self.stamp()
        if stamp is None:
            return None
        return stamp, orjson.loads(self.path.read_bytes())

    @contextmanager
    def exclusive(self) -> Iterator[AccountsFile]:
        with self._lock:
            yield self

    def save(self, document: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, orjson.dumps(document, option=orjson.OPT_INDENT_2), mode=0o600)  # hashes, digests
        self.path.chmod(0o600)


class Accounts:
    def __init__(self, keeping: AccountsKeeping | Path, *, clock: Callable[[], datetime] = utc_now,
                 secret: bytes = b"", session_lifetime: timedelta = SESSION_LIFETIME,
                 names: Callable[[], Names] | None = None) -> None:
        """`keeping`: where the accounts live (a path: that `accounts.json`). `names`: the campaign's streets,
        communities and units (`campaign_names`), which a scope is checked against when set; without it scopes
        are taken as given (a tool working on the file alone)."""
        self.keeping: AccountsKeeping = AccountsFile(keeping) if isinstance(keeping, (str, Path)) else keeping
        self._names = names
        self.clock = clock
        self.session_lifetime = session_lifetime
        self._secret = secret or secrets.token_bytes(32)
        self._thread_lock = threading.Lock()
        self._stat: object | None = None
        self._data = _Data()
        self._read_once = False  # _data holds what the keeping held at some point (a copy for an outage)
        self._basic: dict[str, tuple[str, str, datetime]] = {}  # HMAC -> (user, password hash, verified at)
        self.password_checks = 0  # scrypt verifications done by this process (observable cost)
        self.file_writes = 0  # rewrites of the document by this process

    @property
    def path(self) -> Path:
        """The accounts file, when the accounts are kept in one (not in the database)."""
        if not isinstance(self.keeping, AccountsFile):
            raise AttributeError(f"the accounts are kept in {self.keeping.where}, not in a file")
        return self.keeping.path

    # --- the document -------------------------------------------------------
    def _load(self) -> _Data:
        """The accounts as they are now. While the database that keeps them cannot answer, the copy this
        process read last (who is who does not change while nothing can be written); none: the 503."""
        try:
            stamp = self.keeping.stamp()
        except GuatuError as exc:
            if exc.http_status != 503 or not self._read_once:
                raise
            log.info("accounts: %s cannot answer, the copy read last is used: %s", self.keeping.where, exc.message)
            return self._data
        if stamp is None:
            return _Data()
        if stamp != self._stat:
            self._take(self._read(self.keeping))
        return self._data

    def _read(self, keeping: AccountsKeeping | AccountsWriter) -> tuple[object, dict] | None:
        try:
            return keeping.read()
        except ValueError as exc:  # the file is not JSON
            raise self._damaged(ValueError(t("file.not_json", detail=str(exc)))) from None

    def _take(self, found: tuple[object, dict] | None) -> None:
        if found is None:
            self._data, self._stat = _Data(), None
        else:
            try:
                self._data, self._stat = _Data.parse(found[1]), found[0]
            except ValueError as exc:
                raise self._damaged(exc) from None
        self._read_once = True

    def problems(self) -> list[Finding]:
        """The accounts document as `store check` reports it: damaged (`_damaged`), or nothing."""
        try:
            self._load()
        except BrokenRecord as exc:
            return [Finding(where=exc.where, problem=exc.message, remedy=t("store.record_fix_by_hand"),
                            repairable=False, code="broken_record")]
        return []

    def _damaged(self, exc: Exception) -> BrokenRecord:
        """The accounts cannot be read: every login, sign-in check and account write answers 503 with where and
        what to do, never a 500 nor a guess; the document is never written over."""
        log.error("accounts: %s cannot be read: %s", self.keeping.where, exc)
        name = self.keeping.path.name if isinstance(self.keeping, AccountsFile) else "accounts"  # no server path shown
        error = BrokenRecord(t("accounts.damaged", where=name, detail=str(exc)[:200]))
        error.where = self.keeping.where
        return error

    @contextmanager
    def _write(self) -> Iterator[_Data]:
        with self._thread_lock, self.keeping.exclusive() as writer:
            found = self._read(writer)
            if found is None or found[0] != self._stat:
                self._take(found)
            data = _Data.parse(self._data.document())  # a copy: a write that fails leaves ours as it was
            yield data
            writer.save(data.document())
            self._data = data
            self._stat = None  # read again next time: the stamp of what was just written is the keeping's
            self.file_writes += 1

    def _best_effort(self, what: str, change: Callable[[], None]) -> None:
        """A bookkeeping write (a last-use time) that must not fail the request it rides on."""
        try:
            change()
        except GuatuError as exc:
            if exc.http_status != 503:
                raise
            log.info("accounts: %s not written (%s): %s", what, self.keeping.where, exc.message)

    def adopt(self, source: Path) -> tuple[int, int]:
        """Take every user (with their sessions) and token of another deployment's `accounts.json` — a campaign
        moving from the embedded store to PostgreSQL. Only where no accounts are kept yet: nothing is merged or
        overwritten (Conflict). Returns (users, tokens)."""
        try:
            data = _Data.parse(orjson.loads(Path(source).read_bytes()))
        except FileNotFoundError:
            raise NotFound(t("accounts.adopt_no_file", source=str(source))) from None
        except (orjson.JSONDecodeError, TypeError, KeyError, AttributeError) as exc:
            raise ValidationError([FieldError("source", t("accounts.adopt_bad_file", source=str(source),
                                                          reason=str(exc)[:200]))]) from None
        with self._write() as kept:
            if kept.users or kept.tokens:
                raise Conflict(t("accounts.adopt_not_empty", where=self.keeping.where, users=len(kept.users)))
            kept.users.update(data.users)
            kept.tokens.update(data.tokens)
        return len(data.users), len(data.tokens)

    # --- users --------------------------------------------------------------
    def users(self) -> list[User]:
        return sorted(self._load().users.values(), key=lambda u: u.username)

    def get_user(self, username: str) -> User:
        user = self._load().users.get(username)
        if user is None:
            raise NotFound(t("accounts.no_user", user=repr(username)))
        return user

    def _check_scope(self, scope: Scope | None) -> None:
        if scope is not None and not scope.everywhere and self._names is not None:
            scope.check_known(*self._names())

    def create_user(self, username: str, password: str, role: str, name: str | None = None, *,
                    scope: Scope | None = None, email: str | None = None) -> User:
        """A new user; `scope`: where they write (None: the whole district), every name known to the campaign."""
        errors = []
        if not isinstance(username, str) or not _USERNAME.match(username):
            errors.append(FieldError("username", t("accounts.bad_username")))
        errors += _password_problems(password)
        if role not in ROLES:
            errors.append(FieldError("role", t("request.not_in_enum", expected=", ".join(ROLES))))
        display = (name or username or "").strip()
        if not display or len(display) > 64:
            errors.append(FieldError("name", t("accounts.bad_name")))
        errors += _email_problems(email)
        if errors:
            raise ValidationError(errors)
        self._check_scope(scope)
        with self._write() as data:
            if username in data.users:
                raise Conflict(t("accounts.user_exists", user=repr(username)))
            user = User(username, display, role, generate_password_hash(password), iso(self.clock()),
                        scope=scope.to_dict() if scope and not scope.everywhere else {},
                        email=email.strip() if email else None)
            data.users[username] = user
        return user

    def update_user(self, username: str, *, role: str | None = None, name: str | None = None,
                    password: str | None = None, disabled: bool | None = None, scope: Scope | None = None,
                    email: str | None = None) -> User:
        """Change a user; a new password ends all their sessions, disabling also revokes their tokens. `scope`
        replaces where they write (EVERYWHERE: the whole district; None: unchanged); `email` "" removes it."""
        errors = _email_problems(email)
        if role is not None and role not in ROLES:
            errors.append(FieldError("role", t("request.not_in_enum", expected=", ".join(ROLES))))
        if password is not None:
            errors += _password_problems(password)
        if errors:
            raise ValidationError(errors)
        self._check_scope(scope)
        with self._write() as data:
            user = data.users.get(username)
            if user is None:
                raise NotFound(t("accounts.no_user", user=repr(username)))
            if role is not None:
                user.role = role
            if scope is not None:
                user.scope = {} if scope.everywhere else scope.to_dict()
            if name:
                user.name = name.strip()[:64]
            if email is not None:
                user.email = email.strip() or None
            if password is not None:
                user.password_hash = generate_password_hash(password)
                user.sessions = {}
            if disabled is not None:
                user.disabled = disabled
                if disabled:
                    user.sessions = {}
                    now = iso(self.clock())
                    minted = [t.id for t in data.tokens.values() if username in (t.username, t.created_by)]
                    for token_id in minted:
                        _revoke_tree(data, token_id, now)
            if not any(u.role == "admin" and not u.disabled for u in data.users.values()):
                raise ValidationError([FieldError("role", t("accounts.last_admin"))])
        self._forget_basic(username)
        return user

    def authenticate(self, username: str, password: str) -> User:
        """Check a password: one scrypt verification, the same for unknown, disabled and known users.

        Throttling is the caller's job (geo/throttle.py), before this is called."""
        user = self._load().users.get(username) if isinstance(username, str) else None
        self.password_checks += 1
        if user is None or user.disabled:
            check_password_hash(_dummy_hash(), password or "")  # same work whether or not the user exists
            raise LoginRefused(t("accounts.login_refused"))
        if not check_password_hash(user.password_hash, password or ""):
            raise LoginRefused(t("accounts.login_refused"))
        self._touch_user(user)
        return user

    def authenticate_basic(self, username: str, password: str) -> User | None:
        """The user of HTTP Basic credentials verified within the last minute, or None (then check them).

        The cache is keyed by an HMAC of the credentials; an entry counts only while the user's password
        hash is the one it was verified against and the user is active."""
        key = self._basic_key(username, password)
        hit = self._basic.get(key)
        if hit is None:
            return None
        user = self._load().users.get(hit[0])
        if user is None or user.disabled or user.password_hash != hit[1] or self.clock() - hit[2] > BASIC_CACHE:
            self._basic.pop(key, None)
            return None
        self._touch_user(user)
        return user

    def remember_basic(self, username: str, password: str, user: User) -> None:
        """Remember credentials that just passed `authenticate` (for `authenticate_basic`)."""
        now = self.clock()
        if len(self._basic) > 1000:  # keep it small: drop what has expired
            self._basic = {k: v for k, v in self._basic.items() if now - v[2] <= BASIC_CACHE}
        self._basic[self._basic_key(username, password)] = (user.username, user.password_hash, now)

    def _basic_key(self, username: str, password: str) -> str:
        return hmac.new(self._secret, f"{username}\0{password}".encode(), hashlib.sha256).hexdigest()

    def _forget_basic(self, username: str) -> None:
        self._basic = {k: v for k, v in self._basic.items() if v[0] != username}

    def _touch_user(self, user: User) -> None:
        now = self.clock()
        if user.last_login_at and now - _when(user.last_login_at) < TOKEN_TOUCH:
            return

        def touch() -> None:
            with self._write() as data:
                if user.username in data.users:
                    data.users[user.username].last_login_at = iso(now)

        self._best_effort("the last login time", touch)

    def principal(self, user: User, via: str) -> Principal:
        return Principal(user.username, user.name, user.role, via, scope=Scope.from_dict(user.scope or None))

    # --- sessions -----------------------------------------------------------
    def start_session(self, username: str) -> str:
        """A new session id for `username` (kept as a digest with the account); the cookie carries it."""
        sid = secrets.token_urlsafe(32)
        now = self.clock()
        with self._write() as data:
            user = data.users.get(username)
            if user is None:
                raise NotFound(t("accounts.no_user", user=repr(username)))
            live = {d: at for d, at in user.sessions.items() if now - _when(at) < self.session_lifetime}
            live[_hash_token(sid)] = iso(now)
            user.sessions = dict(sorted(live.items(), key=lambda kv: kv[1])[-MAX_SESSIONS:])
        return sid

    def session_user(self, username: str, sid: str) -> User | None:
        """The user of a session cookie, or None when it was ended, has expired or the user is disabled."""
        user = self._load().users.get(username) if isinstance(username, str) else None
        if user is None or user.disabled or not isinstance(sid, str) or not sid:
            return None
        began = user.sessions.get(_hash_token(sid))
        if began is None or self.clock() - _when(began) >= self.session_lifetime:
            return None
        return user

    def end_session(self, username: str, sid: str) -> None:
        """Log out: this session id no longer counts, wherever the cookie is replayed."""
        if not isinstance(sid, str) or not sid:
            return
        with self._write() as data:
            user = data.users.get(username)
            if user is not None:
                user.sessions.pop(_hash_token(sid), None)

    # --- tokens -------------------------------------------------------------
    def create_api_token(self, username: str, name: str, *, created_by: str | None = None,
                         parent: str | None = None) -> tuple[Token, str]:
        self.get_user(username)
        return self._create_token("api", name, username=username, created_by=created_by, parent=parent)

    def create_display_token(self, name: str, scope: str, *, photos: bool = False,
                             created_by: str | None = None) -> tuple[Token, str]:
        """A display link for the wall-map URL `scope`; `photos`: it also sees its places' photo thumbnails."""
        if not isinstance(scope, str) or not scope.startswith("/wall"):
            raise ValidationError([FieldError("scope", t("accounts.display_scope_wall"))])
        return self._create_token("display", name, scope=scope, photos=bool(photos), created_by=created_by)

    def _create_token(self, kind: str, name: str, **extra) -> tuple[Token, str]:
        name = (name or "").strip()
        if not name or len(name) > 64:
            raise ValidationError([FieldError("name", t("accounts.bad_name"))])
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
        """Revoke a token and every token minted from it, transitively."""
        with self._write() as data:
            token = data.tokens.get(token_id)
            if token is None:
                raise NotFound(t("accounts.no_token", token=repr(token_id)))
            _revoke_tree(data, token_id, iso(self.clock()))
        return token

    def check_token(self, secret: str, kind: str) -> Principal | None:
        """The principal a token stands for, or None if unknown or revoked (itself or what minted it)."""
        if not secret:
            return None
        data = self._load()
        digest = _hash_token(secret)
        token = next((t for t in data.tokens.values()
                      if t.kind == kind and hmac.compare_digest(t.hash, digest)), None)
        if token is None or not _live(data, token):
            return None
        if kind == "api":
            user = data.users.get(token.username or "")
            if user is None or user.disabled:
                return None
            principal = self.principal(user, "token")
        else:
            principal = Principal(f"display:{token.id}", token.name, "viewer", "display", display_scope=token.scope,
                                  display_photos=token.photos)
        self._touch(token)
        return principal

    def _touch(self, token: Token) -> None:
        now = self.clock()
        last = token.last_used_at
        if last and now - _when(last) < TOKEN_TOUCH:
            return

        def touch() -> None:
            with self._write() as data:
                if token.id in data.tokens:
                    data.tokens[token.id].last_used_at = iso(now)

        self._best_effort("a token's last use", touch)


def _revoke_tree(data: _Data, token_id: str, now: str) -> None:
    """Revoke `token_id` and everything minted from it (children by `parent`), without revisiting."""
    todo, seen = [token_id], set()
    while todo:
        current = todo.pop()
        if current in seen or current not in data.tokens:
            continue
        seen.add(current)
        token = data.tokens[current]
        token.revoked_at = token.revoked_at or now
        todo += [t.id for t in data.tokens.values() if t.parent == current]


def _live(data: _Data, token: Token) -> bool:
    """Neither the token nor any token it was minted from is revoked, and its minter is still active."""
    seen: set[str] = set()
    current: Token | None = token
    while current is not None and current.id not in seen:
        seen.add(current.id)
        if current.revoked_at:
            return False
        minter = data.users.get(current.created_by) if current.created_by else None
        if minter is not None and minter.disabled:
            return False
        current = data.tokens.get(current.parent) if current.parent else None
    return True


def _known(cls: type, raw: dict):
    """A dataclass from a stored dict, ignoring fields older versions kept (failures, session_version…)."""
    names = set(cls.__dataclass_fields__)
    return cls(**{k: v for k, v in raw.items() if k in names})


def _email_problems(email: str | None) -> list[FieldError]:
    """None and "" (no address) pass; anything else must be one address."""
    if not email or not email.strip():
        return []
    try:
        check_email(email)
    except ValidationError as exc:
        return list(exc.errors)
    return []


def _password_problems(password) -> list[FieldError]:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        return [FieldError("password", t("accounts.password_short", minimum=MIN_PASSWORD))]
    if len(password) > 256:
        return [FieldError("password", t("accounts.password_long"))]
    return []


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password")
