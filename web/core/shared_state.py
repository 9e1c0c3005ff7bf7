"""Where the state every instance must agree on is kept: the campaign's database, else the instance folder.

With `GUATU_DATABASE_URL` several machines may serve the campaign behind a
load balancer, so nothing one of them must know may live on its own disk:

| what | PostgreSQL configured | embedded store |
|---|---|---|
| accounts, sessions, API tokens, display links | table `accounts` | `accounts.json` |
| the session signing key (unless `GUATU_SECRET_KEY`) | table `app_keys` | `secret_key` |
| import previews | table `import_previews` | `imports/` |
| login and report counters (web/access/login_limits.py) | table `login_limits` | `throttle.sqlite` |

(photos, notifications and every record are the store's already.) `register`
builds a `SharedState` on `app.extensions["guatu_shared"]` and installs the
session interface that signs cookies with the shared key. With PostgreSQL the
key is read when first needed, not at start-up, so a worker starts while the
database is down (docs/deployment.md); until it has the key, a request that
needs a browser session is answered with the database's 503.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Request, Response, current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from geo.accounts import AccountsFile, AccountsKeeping
from geo.errors import GuatuError
from geo.exchange.previews import FilePreviews, PreviewKeeping
from geo.store.shared_state import PostgresAccounts, PostgresPreviews, shared_key

SESSION_KEY = "session"  # the name of the session signing key in the table `app_keys`


@dataclass
class SharedState:
    accounts: AccountsKeeping
    previews: PreviewKeeping
    session_key: Callable[[], bytes]  # the key that signs sessions (and, derived, residents' challenges)
    in_database: bool


class _KeyOnce:
    """A key fetched when first needed and kept: the shared key never changes while the app runs."""

    def __init__(self, fetch: Callable[[], bytes]) -> None:
        self._fetch = fetch
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def __call__(self) -> bytes:
        if self._key is None:
            with self._lock:
                if self._key is None:
                    self._key = self._fetch()
        return self._key


class UnavailableSession(SecureCookieSession):
    """The session of a request that came while the signing key could not be read (the database down): empty,
    never saved; `unavailable` is the 503 a request that needs the browser's login raises."""

    def __init__(self, unavailable: GuatuError) -> None:
        super().__init__()
        self.unavailable = unavailable


class SharedKeySessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, signed with the key `SharedState.session_key` gives."""

    def __init__(self, key: Callable[[], bytes]) -> None:
        self._key = key

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer:
        keys = [*(app.config.get("SECRET_KEY_FALLBACKS") or []), self._key()]  # the current key last, as Flask's
        return URLSafeTimedSerializer(keys, salt=self.salt, serializer=self.serializer,
                                      signer_kwargs={"key_derivation": self.key_derivation,
                                                     "digest_method": self.digest_method})

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        try:
            return super().open_session(app, request)
        except GuatuError as exc:
            if exc.http_status != 503:
                raise
            return UnavailableSession(exc)

    def save_session(self, app: Flask, session: SecureCookieSession, response: Response) -> None:
        if isinstance(session, UnavailableSession):
            return  # nothing to sign it with: the cookie the browser has stays as it was
        super().save_session(app, session, response)

    def should_set_cookie(self, app: Flask, session: SecureCookieSession) -> bool:
        """Not renewed by the front end's files: they are the same for everyone, and a bundle a browser keeps must
        not vary by a cookie renewed with every answer (web/core/static_files.py)."""
        if request.endpoint == "static":
            return session.modified
        return super().should_set_cookie(app, session)


def register(app: Flask) -> SharedState:
    ctx = app.extensions["guatu"]
    connection = getattr(ctx.store, "connection", None)  # PostGIS: the pool behind the store's breaker
    configured = app.config.get("SECRET_KEY")
    if connection is not None:
        where = getattr(ctx.store, "where", "PostgreSQL")
        fixed = _as_bytes(configured) if configured else None
        state = SharedState(accounts=PostgresAccounts(connection, where), previews=PostgresPreviews(connection),
                            session_key=(lambda: fixed) if fixed else _KeyOnce(lambda: shared_key(connection, SESSION_KEY)),
                            in_database=True)
    else:
        key = _as_bytes(configured) if configured else instance_key(ctx.instance_dir)
        state = SharedState(accounts=AccountsFile(ctx.instance_dir / "accounts.json"),
                            previews=FilePreviews(ctx.instance_dir / "imports"), session_key=lambda: key,
                            in_database=False)
    app.session_interface = SharedKeySessions(state.session_key)
    app.extensions["guatu_shared"] = state
    return state


def shared_state(app: Flask | None = None) -> SharedState:
    return (app or current_app).extensions["guatu_shared"]


def _as_bytes(key: str | bytes) -> bytes:
    return key if isinstance(key, bytes) else key.encode()


def instance_key(instance: Path) -> bytes:
    """The session signing key of a deployment without a database: kept in the instance folder, made on first
    start.

    Several workers may start at once: the key is written whole to a file of its own and then
    linked into place, so one of them makes it, the others read that one, and nobody reads half a key.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, draft = tempfile.mkstemp(dir=instance, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(draft, path)
            except FileExistsError:
                pass  # another worker made it first: theirs is the key
        finally:
            os.unlink(draft)
    return path.read_bytes()
