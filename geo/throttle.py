"""Login throttling: how many password checks a client may make, counted where every worker sees it.

Flask-Limiter (web/access/login_limits.py) does the counting with the `limits`
library's fixed-window strategy; this module owns the rule and the two
counter storages it counts in:

- `SQLiteStorage` (`guatu+sqlite:///…/throttle.sqlite` in the instance
  folder) for the embedded store: one SQLite file that every gunicorn worker
  on the machine opens;
- `PostgresStorage` (`guatu+postgres://`) when the campaign is in PostgreSQL:
  the `login_limits` table of the campaign's schema (migration 0003), shared
  by every instance.

Both count with one atomic `INSERT … ON CONFLICT … DO UPDATE … RETURNING`,
so a burst of parallel attempts cannot slip past the limit: each attempt
takes its number before any password is checked, and only the first `limit`
numbers go on to the check.

The rule (`LoginThrottle`): a client address may try `per_ip` times, and
each (address, user name) pair `per_account` times, per window; a right
password gives its attempt back. Nothing is
counted per account alone, so nobody can lock a known user out from
elsewhere: the right password from an address that has not been throttled
always works. Unknown and known user names count, and are refused, alike.
"""

from __future__ import annotations

import hashlib
import math
import random
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path

from limits import RateLimitItem, parse
from limits.storage import Storage
from limits.strategies import RateLimiter

from geo.diskspace import disk_full
from geo.errors import GuatuError
from geo.messages import t
from geo.store.base import utc_now

Clock = Callable[[], datetime]


class LoginThrottled(GuatuError):
    http_status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # seconds until this client may try again (Retry-After)


class LoginThrottle:
    """The login rule on top of a `limits` rate limiter (Flask-Limiter's)."""

    def __init__(self, limiter: RateLimiter, *, per_ip: str = "30 per 10 minutes",
                 per_account: str = "5 per 15 minutes", clock: Clock = utc_now) -> None:
        self.limiter = limiter
        self.clock = clock
        self.per_ip: RateLimitItem = parse(per_ip)
        self.per_account: RateLimitItem = parse(per_account)

    def attempt(self, address: str, username: str) -> None:
        """Take a number for one password check; raises LoginThrottled when over either limit."""
        counters = ((self.per_ip, ("login-ip", address or "-")),
                    (self.per_account, ("login-pair", _pair(address, username))))
        refused = [(item, ids) for item, ids in counters if not self.limiter.hit(item, *ids)]
        if refused:
            reset = max(self.limiter.get_window_stats(item, *ids).reset_time for item, ids in refused)
            raise LoginThrottled(t("accounts.throttled"), retry_after=max(1, math.ceil(reset - _epoch(self.clock))))

    def succeeded(self, address: str, username: str) -> None:
        """A right password: this address may try this account afresh (its own typos are forgiven), and the
        attempt is given back to the address, so an office behind one address is not throttled by its logins."""
        self.limiter.clear(self.per_account, "login-pair", _pair(address, username))
        self.limiter.storage.incr(self.per_ip.key_for("login-ip", address or "-"), self.per_ip.get_expiry(), amount=-1)


def _pair(address: str, username: str) -> str:
    name = (username or "").strip().lower()[:256]
    return hashlib.sha256(f"{address or '-'}\0{name}".encode()).hexdigest()[:32]


def _epoch(clock: Clock) -> float:
    return clock().timestamp()


_UPSERT = ("INSERT INTO login_limits (key, count, expires_at) VALUES ({p}, {p}, {p}) "
           "ON CONFLICT (key) DO UPDATE SET "
           "count = CASE WHEN login_limits.expires_at <= {p} THEN excluded.count "
           "ELSE login_limits.count + excluded.count END, "
           "expires_at = CASE WHEN login_limits.expires_at <= {p} THEN excluded.expires_at "
           "ELSE login_limits.expires_at END "
           "RETURNING count")


class SQLiteStorage(Storage):
    """Counters in one SQLite file shared by every process on the machine."""

    STORAGE_SCHEME = ["guatu+sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, clock: Clock = utc_now, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.path = Path(uri.split("://", 1)[1])
        self.clock = clock
        self._local = threading.local()

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS login_limits (key TEXT PRIMARY KEY, count INTEGER NOT NULL, "
                       "expires_at REAL NOT NULL)")
            self._local.db = db
        return db

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """SQLite's "database or disk is full" as the 507 every writer gives (SQLite rolled the statement
        back): a password check on a full disk is refused cleanly, not a 500."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode == sqlite3.SQLITE_FULL:
                raise disk_full(self.path) from exc
            raise

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = _epoch(self.clock)
        with self._writing():
            db = self._db()
            (count,) = db.execute(_UPSERT.format(p="?"), (key, amount, now + expiry, now, now)).fetchone()
            if random.random() < 0.01:  # now and then, forget windows that are over
                db.execute("DELETE FROM login_limits WHERE expires_at <= ?", (now,))
        return int(count)

    def get(self, key: str) -> int:
        row = self._db().execute("SELECT count FROM login_limits WHERE key = ? AND expires_at > ?",
                                 (key, _epoch(self.clock))).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._db().execute("SELECT expires_at FROM login_limits WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row else _epoch(self.clock)

    def check(self) -> bool:
        self._db().execute("SELECT 1")
        return True

    def reset(self) -> int | None:
        with self._writing():
            return self._db().execute("DELETE FROM login_limits").rowcount

    def clear(self, key: str) -> None:
        with self._writing():
            self._db().execute("DELETE FROM login_limits WHERE key = ?", (key,))

    def close(self) -> None:
        """Close this thread's connection (the next use opens a new one)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


class PostgresStorage(Storage):
    """Counters in the campaign schema's `login_limits` table, shared by every instance.

    `connection` is the PostGIS store's `connection` (a pooled connection, autocommit, search_path set to
    the schema, through its breaker): while the database is down a password check is refused at once with
    the store's 503 and Retry-After, as every other request, instead of waiting for the pool's timeout."""

    STORAGE_SCHEME = ["guatu+postgres"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, clock: Clock = utc_now,
                 connection: Callable[[], AbstractContextManager] | None = None, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        if connection is None:
            raise ValueError("PostgresStorage needs the store's connection (storage option 'connection')")
        self.connection = connection
        self.clock = clock

    @property
    def base_exceptions(self) -> type[Exception]:
        import psycopg

        return psycopg.Error

    def _one(self, query: str, params: tuple) -> tuple | None:
        with self.connection() as conn:
            return conn.execute(query, params).fetchone()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = _epoch(self.clock)
        (count,) = self._one(_UPSERT.format(p="%s"), (key, amount, now + expiry, now, now))
        if random.random() < 0.01:
            with self.connection() as conn:
                conn.execute("DELETE FROM login_limits WHERE expires_at <= %s", (now,))
        return int(count)

    def get(self, key: str) -> int:
        row = self._one("SELECT count FROM login_limits WHERE key = %s AND expires_at > %s", (key, _epoch(self.clock)))
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._one("SELECT expires_at FROM login_limits WHERE key = %s", (key,))
        return float(row[0]) if row else _epoch(self.clock)

    def check(self) -> bool:
        self._one("SELECT 1", ())
        return True

    def reset(self) -> int | None:
        with self.connection() as conn:
            return conn.execute("DELETE FROM login_limits").rowcount

    def clear(self, key: str) -> None:
        with self.connection() as conn:
            conn.execute("DELETE FROM login_limits WHERE key = %s", (key,))
