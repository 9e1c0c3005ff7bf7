"""HTTP Basic auth: requests per second on one gunicorn worker, with an API token beside it for reference.

    .venv/bin/python -m bench.bench_basic_auth [--requests 200] [--repo DIR]

Starts gunicorn (1 worker, 1 thread) on a private copy of the demo campaign,
with one viewer account and its API token, and sends `--requests` GET
/api/me one after another over one keep-alive connection, first with HTTP
Basic credentials, then with the token. `--repo` runs another checkout of
Guatu (e.g. an older commit, to compare). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(repo: Path, tmp: Path) -> tuple[subprocess.Popen, int, str]:
    data, instance = tmp / "data", tmp / "instance"
    shutil.copytree(repo / "data", data, ignore=shutil.ignore_patterns("journal.jsonl", ".*"))
    made = subprocess.run(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from geo.accounts import Accounts;"
         "acc = Accounts(Path(sys.argv[1]) / 'accounts.json');"
         "acc.create_user('viewer1', sys.argv[2], 'viewer');"
         "print(acc.create_api_token('viewer1', 'bench')[1])", str(instance), PASSWORD],
        cwd=repo, capture_output=True, text=True, check=True)
    token = made.stdout.strip()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUATU_")}
    env.update(GUATU_DATA=str(data), GUATU_INSTANCE=str(instance), PYTHONPATH=str(repo))
    log = open(tmp / "server.log", "ab")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", str(repo / "gunicorn.conf.py"),
                             "-w", "1", "--threads", "1", "--bind", f"127.0.0.1:{port}", "--no-control-socket",
                             "web:create_app()"], cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/api/health")
            conn.getresponse().read()
            return proc, port, token
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError((tmp / "server.log").read_text()[-2000:])


def _rate(port: int, headers: dict, n: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/api/me", headers=headers)  # one to warm up (and, for Basic, to fill the cache)
    conn.getresponse().read()
    started = time.perf_counter()
    for _ in range(n):
        conn.request("GET", "/api/me", headers=headers)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"GET /api/me answered {resp.status}")
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="guatu-bench-basic-") as tmp:
        proc, port, token = _serve(args.repo.resolve(), Path(tmp))
        try:
            basic = "Basic " + base64.b64encode(f"viewer1:{PASSWORD}".encode()).decode()
            basic_rps = _rate(port, {"Authorization": basic}, args.requests)
            token_rps = _rate(port, {"Authorization": f"Bearer {token}"}, args.requests)
        finally:
            proc.terminate()
            proc.wait(15)
    print(f"{'client':<14}{'requests':>10}{'req/s':>10}")
    print(f"{'HTTP Basic':<14}{args.requests:>10}{basic_rps:>10.1f}")
    print(f"{'API token':<14}{args.requests:>10}{token_rps:>10.1f}")
    print(f"Basic / token: {basic_rps / token_rps:.2f}")


if __name__ == "__main__":
    main()
