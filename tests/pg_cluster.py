"""A throwaway PostgreSQL + PostGIS cluster for the test suite and the benchmarks.

`ThrowawayCluster` runs Debian's own binaries (/usr/lib/postgresql/<ver>/bin):
`initdb` into a private temporary folder, `postgres` listening only on a
unix socket in that folder (no TCP port to collide with), one database with
the PostGIS extension, and at the end a fast shutdown and the folder removed.
PostgreSQL refuses to run as root, so under root the server runs as the
`postgres` system user (made by the Debian package) or else `nobody`.

Missing binaries are an error naming the Debian packages to install, never
a reason to skip: the store contract must hold on both backends.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from tests.waiting import wait_until

PACKAGES = "postgresql postgresql-postgis"  # Debian 12: postgresql-15 and postgresql-15-postgis-3
DATABASE = "guatu_test"
SUPERUSER = "guatu"


class ClusterError(RuntimeError):
    pass


def postgres_bin_dir() -> Path:
    """The newest Debian PostgreSQL server whose PostGIS extension is installed."""
    root = Path("/usr/lib/postgresql")
    versions = sorted((p for p in root.glob("*") if (p / "bin" / "postgres").exists()),
                      key=lambda p: int(p.name) if p.name.isdigit() else 0, reverse=True) if root.exists() else []
    if not versions:
        raise ClusterError(f"PostgreSQL server binaries not found under {root}: install the Debian packages "
                           f"`{PACKAGES}` (./guatu test does), or set GUATU_TEST_DATABASE_URL to a PostGIS server")
    for version in versions:
        if list(Path(f"/usr/share/postgresql/{version.name}/extension").glob("postgis.control")):
            return version / "bin"
    raise ClusterError(f"PostgreSQL {versions[0].name} is installed but not its PostGIS extension: install the Debian "
                       f"packages `{PACKAGES}` (./guatu test does), or set GUATU_TEST_DATABASE_URL")


def _run_as() -> str | None:
    """The user the server runs as: ourselves, unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ClusterError("running as root and there is neither a `postgres` nor a `nobody` user to run PostgreSQL as")


class ThrowawayCluster:
    """initdb + postgres in a temporary folder; `url` is ready once `start()` returns."""

    def __init__(self, *, durable: bool = False, settings: dict[str, str] | None = None) -> None:
        self.bin = postgres_bin_dir()
        self.user = _run_as()
        self.durable = durable
        self.settings = settings or {}
        self.root: Path | None = None
        self.process: subprocess.Popen | None = None

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None
        return self.root / "socket"

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@/{DATABASE}?host={self.socket_dir}"

    def _popen_kwargs(self) -> dict:
        if self.user is None:
            return {}
        entry = pwd.getpwnam(self.user)
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}

    def _run(self, *args: str) -> None:
        result = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=self.root,
                                **self._popen_kwargs())
        if result.returncode:
            raise ClusterError(f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr or result.stdout}")

    def start(self, timeout: float = 60) -> ThrowawayCluster:
        self.root = Path(tempfile.mkdtemp(prefix="guatu-pg-"))
        data, log = self.root / "data", self.root / "postgres.log"
        self.socket_dir.mkdir()
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            for path in (self.root, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._run(self.bin / "initdb", "-D", data, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
                  "--locale=C", "--no-sync")
        options = {"listen_addresses": "''", "unix_socket_directories": f"'{self.socket_dir}'",
                   "max_connections": "200", "shared_buffers": "128MB", "logging_collector": "off"}
        if not self.durable:  # a test cluster lives for minutes: trade durability for speed
            options.update(fsync="off", synchronous_commit="off", full_page_writes="off")
        options.update(self.settings)
        with open(data / "postgresql.conf", "a", encoding="utf-8") as fh:
            fh.write("\n# throwaway cluster (tests/pg_cluster.py)\n")
            fh.writelines(f"{k} = {v}\n" for k, v in options.items())
        log_fh = open(log, "wb")
        if self.user is not None:
            os.chown(log, pwd.getpwnam(self.user).pw_uid, -1)
        self.process = subprocess.Popen([str(self.bin / "postgres"), "-D", str(data)], stdout=log_fh,
                                        stderr=subprocess.STDOUT, cwd=self.root, **self._popen_kwargs())
        log_fh.close()
        self._wait_ready(timeout, log)
        self._run(self.bin / "createdb", "-h", self.socket_dir, "-U", SUPERUSER, DATABASE)
        self._run(self.bin / "psql", "-h", self.socket_dir, "-U", SUPERUSER, "-d", DATABASE, "-v", "ON_ERROR_STOP=1",
                  "-qc", "CREATE EXTENSION IF NOT EXISTS postgis")
        return self

    def _wait_ready(self, timeout: float, log: Path) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise ClusterError(f"postgres exited with {self.process.returncode}: {log.read_text(errors='replace')[-2000:]}")
            return subprocess.run([str(self.bin / "pg_isready"), "-q", "-h", str(self.socket_dir), "-U", SUPERUSER],
                                  capture_output=True).returncode == 0

        try:
            wait_until(ready, "postgres to accept connections", timeout=timeout, interval=0.1)
        except AssertionError:
            self.stop()
            raise ClusterError(f"postgres did not become ready within {timeout:.0f} s") from None

    def pause(self) -> None:
        """Stop the server as an outage would (`pg_ctl stop -m fast`: open sessions are ended), keeping
        its data for `resume()`."""
        assert self.root is not None and self.process is not None
        self._run(self.bin / "pg_ctl", "stop", "-D", self.root / "data", "-m", "fast", "-w")
        self.process.wait(timeout=30)
        self.process = None

    def resume(self, timeout: float = 60) -> None:
        """Start the paused server again on the same data and socket."""
        assert self.root is not None and self.process is None
        log = self.root / "postgres.log"
        log_fh = open(log, "ab")
        self.process = subprocess.Popen([str(self.bin / "postgres"), "-D", str(self.root / "data")], stdout=log_fh,
                                        stderr=subprocess.STDOUT, cwd=self.root, **self._popen_kwargs())
        log_fh.close()
        self._wait_ready(timeout, log)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # "fast" shutdown: ends open sessions
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> ThrowawayCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
