"""The state every app instance must agree on, kept in the campaign's PostgreSQL schema (migration 0007).

With PostgreSQL configured, several machines serve one campaign behind a load
balancer; whatever one of them writes, the others must read:

* `PostgresAccounts` — the accounts document (users, their sessions, API
  tokens and display links: geo/accounts.py), one row whose `version` grows
  with each write; writers take turns under a transaction advisory lock;
* `shared_key` — a key made once for every instance (the session signing
  key), by the first instance that asks;
* `PostgresPreviews` — an import's preview between upload and confirmation
  (the embedded deployment keeps them as files: geo/exchange/previews.py).

Each takes `connection`, the store's pooled connection through its breaker
(`PostGISStore.connection`): while the database is down they raise its 503
at once, like every other read of the campaign.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import orjson
import psycopg
from psycopg.types.json import Jsonb

Connect = Callable[[], AbstractContextManager[psycopg.Connection]]


def _advisory_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"guatu-shared:{name}".encode(), digest_size=8).digest(), "big", signed=True)


class _Writer:
    """The accounts row inside one transaction that holds the writers' lock."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def read(self) -> tuple[object, dict] | None:
        row = self.conn.execute("SELECT version, body FROM accounts WHERE id = 1").fetchone()
        return (row[0], row[1]) if row else None

    def save(self, document: dict) -> None:
        self.conn.execute("INSERT INTO accounts (id, version, body) VALUES (1, 1, %s) ON CONFLICT (id) DO UPDATE "
                          "SET version = accounts.version + 1, body = excluded.body, updated_at = now()",
                          (Jsonb(document),))


class PostgresAccounts:
    """The accounts document in the table `accounts` (an `AccountsKeeping`: geo/accounts.py)."""

    def __init__(self, connection: Connect, where: str, *, lock_name: str = "accounts") -> None:
        self._connection = connection
        self.where = where
        self._lock_key = _advisory_key(lock_name)

    def stamp(self) -> object | None:
        with self._connection() as conn:
            row = conn.execute("SELECT version FROM accounts WHERE id = 1").fetchone()
        return row[0] if row else None

    def read(self) -> tuple[object, dict] | None:
        with self._connection() as conn:
            return _Writer(conn).read()

    @contextmanager
    def exclusive(self) -> Iterator[_Writer]:
        with self._connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            yield _Writer(conn)

    def empty(self) -> bool:
        """No accounts kept yet (what `users import-from-file` may fill)."""
        return self.stamp() is None


def shared_key(connection: Connect, name: str, size: int = 32) -> bytes:
    """The key `name`: made by the first instance that asks, the same for every instance after."""
    with connection() as conn:
        conn.execute("INSERT INTO app_keys (name, value) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING",
                     (name, secrets.token_bytes(size)))
        return bytes(conn.execute("SELECT value FROM app_keys WHERE name = %s", (name,)).fetchone()[0])


class PostgresPreviews:
    """Import previews in the table `import_previews` (a `PreviewKeeping`: geo/exchange/previews.py)."""

    def __init__(self, connection: Connect) -> None:
        self._connection = connection

    def put(self, pid: str, record: dict) -> None:
        with self._connection() as conn:
            conn.execute("INSERT INTO import_previews (id, username, created, body) VALUES (%s, %s, %s, %s)",
                         (pid, record["user"], record["created"], orjson.dumps(record)))

    def get(self, pid: str) -> dict | None:
        with self._connection() as conn:
            row = conn.execute("SELECT body FROM import_previews WHERE id = %s", (pid,)).fetchone()
        return orjson.loads(row[0]) if row else None

    def drop(self, pid: str) -> None:
        with self._connection() as conn:
            conn.execute("DELETE FROM import_previews WHERE id = %s", (pid,))

    def expire(self, before: float) -> None:
        with self._connection() as conn:
            conn.execute("DELETE FROM import_previews WHERE created < %s", (before,))
