"""A real gunicorn server (several worker processes) on a private copy of the demo campaign.

The server runs in its own process group so a test can kill -9 the master and
every worker at once, as a power cut or the OOM killer would. Its log goes to
a file the test can read after the fact.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import requests

from geo.accounts import Accounts
from tests.waiting import wait_until

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
FLASK = Path(sys.executable).with_name("flask")
PASSWORD = "correct horse battery"
JOURNAL = "journal.jsonl"


def copy_demo(target: Path) -> Path:
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("journal.jsonl", ".*"))
    return target


LISTENING = re.compile(rb"Listening at: http://127\.0\.0\.1:(\d+) ")  # gunicorn's line once it has bound


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_editor_token(instance: Path, *, data: Path | None = None, database_url: str | None = None,
                      schema: str = "guatu") -> str:
    """An editor account and its API token, written before the server starts: in the instance folder, or in the
    campaign's database (`database_url`, with the campaign in `data`) where a server on it keeps its accounts."""
    if database_url is None:
        return _editor_token(Accounts(instance / "accounts.json"))
    from geo.config import load_campaign
    from geo.store.postgis import PostGISStore
    from geo.store.shared_state import PostgresAccounts

    store = PostGISStore(database_url, load_campaign(data), schema=schema)
    try:
        return _editor_token(Accounts(PostgresAccounts(store.connection, store.where)))
    finally:
        store.close()


def _editor_token(acc: Accounts) -> str:
    if not any(u.username == "editor1" for u in acc.users()):
        acc.create_user("editor1", PASSWORD, "editor", "李编")
    return acc.create_api_token("editor1", "fault tests")[1]


@dataclass
class Server:
    data: Path
    instance: Path
    log_path: Path
    workers: int = 3
    port: int = 0
    proc: subprocess.Popen | None = None
    env: dict = field(default_factory=dict)
    _log_from: int = 0  # where this start's lines begin in the log (a restarted server appends to it)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GUATU_")}
        env.update(GUATU_DATA=str(self.data), GUATU_INSTANCE=str(self.instance), GUATU_REFRESH_SECONDS="0",
                   PYTHONPATH=str(REPO), **self.env)
        return env

    def start(self, timeout: float = 30) -> Server:
        # gunicorn binds a port the system picks and says which in its log: a port found free here and bound later
        # could be taken meanwhile by another test's server or client (the suite runs on several workers)
        self.port = 0
        self._log_from = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [str(GUNICORN), "-c", str(REPO / "gunicorn.conf.py"), "-w", str(self.workers), "--threads", "2",
             "--bind", "127.0.0.1:0",
             # gunicorn keeps a kept-alive connection open 2 s into a stop; the grace after it is the time a
             # worker has to close its store (gunicorn.conf.py worker_exit compacts) before it is killed
             "--graceful-timeout", "10", "--timeout", "60",
             "--no-control-socket",  # each test server alone: no socket shared in the home folder
             "web:create_app()"],
            cwd=REPO, env=self.environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        try:
            self._wait_until_up(timeout)
        except BaseException:
            self.stop()  # never leave a server behind
            raise
        return self

    def _wait_until_up(self, timeout: float) -> None:
        def answers() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
            if not self.port:
                listening = LISTENING.search(self.log_path.read_bytes()[self._log_from:])
                if listening is None:
                    return False  # not bound yet
                self.port = int(listening.group(1))
            try:
                return requests.get(self.url + "/api/health", timeout=10).status_code in (200, 503)
            except (requests.ConnectionError, requests.Timeout):
                return False  # the workers are still starting

        try:
            wait_until(answers, "gunicorn to answer /api/health", timeout=timeout, interval=0.1)
        except AssertionError:
            raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log()[-3000:]}") from None

    def kill9(self) -> None:
        """SIGKILL the master and every worker: no clean-up runs anywhere."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill9()

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def flask_cli(server: Server, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`flask --app web ARGS` against the server's data and instance folders."""
    return subprocess.run([str(FLASK), "--app", "web", *args], cwd=REPO, env=server.environment(),
                          capture_output=True, text=True, timeout=timeout)


# --- what is on disk -----------------------------------------------------------------------

def strict_json(data: bytes):
    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(data, parse_constant=refuse)


def journal_entries(data: Path) -> list[dict]:
    """Complete journal lines (a torn last line left by a crash is not a change)."""
    raw = (data / JOURNAL).read_bytes() if (data / JOURNAL).exists() else b""
    end = raw.rfind(b"\n") + 1
    return [json.loads(line) for line in raw[:end].splitlines() if line.strip()]


def torn_seqs(data: Path) -> set[int]:
    """Seqs of the journal lines a crash cut short, kept aside beside the journal."""
    out = set()
    for path in data.glob(f"{JOURNAL}.torn-*"):
        head = path.read_bytes()[:40]
        if head.startswith(b'{"seq":'):
            digits = head[7:].split(b",")[0].split(b"}")[0]
            if digits.isdigit():
                out.add(int(digits))
    return out


def layer_docs(data: Path) -> dict[str, dict]:
    """Every layer file of the campaign, parsed strictly (raises if one does not parse)."""
    campaign = json.loads((data / "campaign.json").read_text(encoding="utf-8"))
    out = {}
    for layer in campaign["layers"]:
        path = data / layer["file"]
        out[layer["id"]] = strict_json(path.read_bytes()) if path.exists() else {"features": [], "guatu": {"seq": 0}}
    return out


def disagreements(data: Path) -> list[str]:
    """Where the layer files and the journal disagree; [] when they tell the same story."""
    problems = []
    entries = journal_entries(data)
    seqs = [e["seq"] for e in entries]
    torn = torn_seqs(data)  # a line a crash cut short is kept aside and its seq never used again: a gap
    if seqs != sorted(set(seqs)) or set(range(1, (seqs[-1] if seqs else 0) + 1)) - set(seqs) - torn:
        problems.append(f"journal seqs are not 1..{seqs[-1] if seqs else 0} without gaps other than torn lines {sorted(torn)}")
    docs = layer_docs(data)
    for layer_id, doc in docs.items():
        mine = [e for e in entries if e["layer"] == layer_id]
        seq = (doc.get("guatu") or {}).get("seq", 0)
        if seq != (mine[-1]["seq"] if mine else seq):
            problems.append(f"{layer_id}: file at seq {seq}, journal at {mine[-1]['seq']}")
        features = {f["id"]: f for f in doc["features"]}
        last: dict[str, dict] = {}
        for e in mine:
            last[e["id"]] = e
        for fid, e in last.items():
            if e["after"] is None:
                if fid in features:
                    problems.append(f"{layer_id}/{fid}: deleted in the journal, present in the file")
            elif features.get(fid) != e["after"]:
                problems.append(f"{layer_id}/{fid}: the file differs from journal seq {e['seq']}")
    return problems
