"""PostgreSQL goes down under a real gunicorn, and comes back: nobody restarts anything.

A PostgreSQL cluster of its own (not the session's, which other tests use) is
stopped as an outage would stop it (`pg_ctl stop -m fast`) while gunicorn
serves the campaign from it. While it is down, every request that needs it is
answered 503 with Retry-After and the catalogue's Chinese message, at once
(the breaker, geo/store/breaker.py: nobody waits for the pool's timeout);
liveness stays 200, readiness and health say why they are 503; a worker
killed meanwhile is replaced (it boots without the database) and the master
stays up. When the database is back, reads and writes work again.
"""

from __future__ import annotations

import inspect
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from geo.config import load_campaign
from geo.messages import t
from geo.store.postgis import DatabaseUnavailable, PostGISStore, _where
from geo.store.transfer import copy_to_postgis
from tests.faults.server import Server, copy_demo, make_editor_token
from tests.pg_cluster import ThrowawayCluster
from tests.waiting import retry, wait_until

LAYER = "courtyards"
BURST = 12
POOL_TIMEOUT = inspect.signature(PostGISStore).parameters["connect_timeout"].default  # what the app runs with


def workers(master: int) -> set[int]:
    """gunicorn's worker processes: the master's children."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def status(url: str, **kwargs) -> int | None:
    """The status of a GET on a fresh connection, or None when the connection dropped before an answer (a
    worker being replaced): not answered yet, asked again by the poll. The server's log, printed with a failure,
    says why a worker went."""
    try:
        return requests.get(url, timeout=30, **kwargs).status_code
    except requests.ConnectionError:
        return None


def answered(ask) -> requests.Response | None:
    """ask()'s response, or None while the worker that took it still says 503 (its breaker not yet closed) or the
    connection dropped before an answer: not answered yet."""
    try:
        resp = ask()
    except requests.ConnectionError:
        return None
    return None if resp.status_code == 503 else resp


def poll(condition, what: str = "an answer", timeout: float = 60):
    """condition() every 0.1 s until it returns something true, within `timeout` seconds."""
    return wait_until(condition, what, timeout=timeout, interval=0.1)


@pytest.fixture
def outage_cluster():
    cluster = ThrowawayCluster().start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.mark.timeout(240)
def test_workers_answer_503_while_postgresql_is_down_and_recover_by_themselves(tmp_path, outage_cluster):
    data = copy_demo(tmp_path / "data")
    copy_to_postgis(data, load_campaign(data), outage_cluster.url)
    instance = tmp_path / "instance"
    token = make_editor_token(instance, data=data, database_url=outage_cluster.url)
    server = Server(data, instance, tmp_path / "server.log", workers=2,
                    env={"GUATU_DATABASE_URL": outage_cluster.url}).start()
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    try:
        place = f"{server.url}/api/layers/{LAYER}/features/c-0001"
        before = http.get(place, timeout=30)
        assert before.status_code == 200
        version = before.json()["properties"]["version"]

        outage_cluster.pause()

        # A burst of screens asking at once: every request that needs the database gets 503,
        # Retry-After and the catalogue's message.
        asked = [place, f"{server.url}/api/wall/state", f"{server.url}/api/cases", f"{server.url}/api/mine?unit=区政府办",
                 f"{server.url}/api/wall/shapes/{LAYER}?bbox=113.5,34.6,113.8,34.8&zoom=13&format=packed"]  # a view too

        def ask(i: int) -> tuple[requests.Response, float]:
            started = time.perf_counter()
            resp = requests.get(asked[i % len(asked)], timeout=30, headers={"Authorization": f"Bearer {token}"})
            return resp, time.perf_counter() - started

        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(ask, range(BURST)))
        answers, seconds = [r for r, _ in results], [s for _, s in results]
        for resp in answers:
            assert resp.status_code == 503, resp.text[:300]
            assert int(resp.headers["Retry-After"]) >= 1
            body = resp.json()
            assert body["error"] == "store_unavailable"
            assert body["message"] == t("db.unavailable", where=_where(outage_cluster.url),
                                        seconds=int(resp.headers["Retry-After"]))
        print(f"\n503 answers while PostgreSQL is down: max {max(seconds) * 1000:.0f} ms, "
              f"median {sorted(seconds)[len(seconds) // 2] * 1000:.0f} ms over {BURST} requests")
        # Not a timing test: no request waited for the pool's timeout (what each did before the breaker).
        assert max(seconds) < POOL_TIMEOUT

        write = http.patch(place, json={"properties": {"notes": "停库期间"}},
                           headers={"If-Match": f'"c-0001-v{version}"'}, timeout=30)
        assert write.status_code == 503 and "Retry-After" in write.headers

        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
        ready = requests.get(server.url + "/readyz", timeout=10)
        assert ready.status_code == 503 and "数据库暂时无法连接" in ready.json()["reason"]
        health = requests.get(server.url + "/api/health", timeout=10)
        assert health.status_code == 503 and "Retry-After" in health.headers
        assert [p["code"] for p in health.json()["problems"]] == ["database_unavailable"]
        assert health.json()["problems"][0]["remedy"] == t("db.unavailable_remedy")
        assert requests.get(server.url + "/login", timeout=10).status_code == 200  # needs no database
        assert http.get(server.url + "/api/boundaries/district", timeout=10).status_code == 200  # nor this
        # a screen (re)started now gets a page that says why, shows the banner and tries again by itself
        page = http.get(server.url + "/wall", headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 503 and page.headers["Content-Type"].startswith("text/html")
        assert '<meta http-equiv="refresh"' in page.text and "js/pages/banner.js" in page.text
        assert t("banner.page_unavailable") in page.text

        # A worker that dies now is replaced: the new one boots without the database; the master stays.
        master = server.proc.pid
        old = workers(master)
        victim = min(old)
        os.kill(victim, signal.SIGKILL)
        new = poll(lambda: (workers(master) - old) if len(workers(master)) == len(old) else None,
                   "gunicorn booting a new worker")
        assert victim not in workers(master)
        assert server.proc.poll() is None, server.log()[-3000:]
        for _ in range(2 * len(old)):  # whichever worker answers, the new one included
            assert http.get(place, timeout=30).status_code == 503

        outage_cluster.resume()

        # Back by itself: reads, then a write, with nothing restarted. Which worker answers a connection is the
        # kernel's choice, and a worker's breaker remembers the outage up to 2 s before it asks the database
        # again: so each step is asked until no worker says 503 (a 503 changes nothing, a write may be sent again).
        poll(lambda: all(status(place, headers=http.headers) == 200
                         for _ in range(4 * len(old))), "reads answered again")
        write = poll(lambda: answered(lambda: http.patch(place, json={"properties": {"notes": "恢复之后"}},
                                                         headers={"If-Match": f'"c-0001-v{version}"'}, timeout=30)),
                     "the write taken")
        assert write.status_code == 200, write.text[:300]
        assert write.json()["properties"]["version"] == version + 1
        assert poll(lambda: answered(lambda: http.get(place, timeout=30))).json()["properties"]["notes"] == "恢复之后"
        poll(lambda: all(status(server.url + "/readyz") == 200 for _ in range(4 * len(old))), "ready again")
        page = poll(lambda: answered(lambda: http.get(server.url + "/wall", headers={"Accept": "text/html"}, timeout=30)),
                    "the wall page")
        assert page.status_code == 200
        for url in asked[2:]:  # the case queues and "my places", kept by each worker, answer again
            assert poll(lambda url=url: answered(lambda: http.get(url, timeout=30))).status_code == 200
        assert poll(lambda: answered(lambda: requests.get(server.url + "/api/health", timeout=10))).json()["problems"] == []
        assert server.proc.poll() is None
        assert new <= workers(master)
    finally:
        server.stop()


@pytest.mark.timeout(180)
def test_gunicorn_starts_while_postgresql_is_down_and_serves_once_it_is_up(tmp_path, outage_cluster):
    data = copy_demo(tmp_path / "data")
    copy_to_postgis(data, load_campaign(data), outage_cluster.url)
    instance = tmp_path / "instance"
    token = make_editor_token(instance, data=data, database_url=outage_cluster.url)
    outage_cluster.pause()
    server = Server(data, instance, tmp_path / "server.log", workers=2,
                    env={"GUATU_DATABASE_URL": outage_cluster.url}).start()  # up: /api/health answers (503)
    try:
        place = f"{server.url}/api/layers/{LAYER}/features/c-0001"
        auth = {"Authorization": f"Bearer {token}"}
        resp = retry(lambda: requests.get(place, headers=auth, timeout=30), "a first answer",
                     on=requests.ConnectionError)
        assert resp.status_code == 503 and "Retry-After" in resp.headers
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
        assert server.proc.poll() is None

        outage_cluster.resume()
        poll(lambda: all(status(place, headers=auth) == 200 for _ in range(4)), "reads answered once the database is up")
        poll(lambda: status(server.url + "/readyz") == 200, "ready")
        assert "caches not warmed" in server.log()  # the warm-up said why, in one line, and the worker went on
        assert server.proc.poll() is None
    finally:
        print(server.log()[-6000:])  # shown with a failure
        server.stop()


@pytest.mark.timeout(240)
def test_a_password_check_while_postgresql_is_down_is_a_503_with_retry_after_and_works_after(tmp_path, outage_cluster):
    """The login throttle counts in the campaign's database: while it is down, HTTP Basic and the login form are
    refused like every other request (503, Retry-After, the catalogue's message), not a 500 after the pool's
    timeout; when it is back, the same password works without a restart."""
    import base64

    from web import create_app

    data = copy_demo(tmp_path / "data")
    copy_to_postgis(data, load_campaign(data), outage_cluster.url)
    app = create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_INSTANCE": str(tmp_path / "instance"),
                      "GUATU_DATABASE_URL": outage_cluster.url})
    app.extensions["guatu_accounts"].create_user("viewer1", "correct horse battery", "viewer", "王看")
    basic = {"Authorization": "Basic " + base64.b64encode(b"viewer1:correct horse battery").decode()}
    url = f"/api/layers/{LAYER}/features"
    assert app.test_client().get(url).status_code == 401  # the store answers: schema ready
    browser = app.test_client()
    form = browser.get("/login").data.decode()
    csrf = form.split('name="csrf_token" value="')[1].split('"')[0]

    outage_cluster.pause()
    refused = app.test_client().get(url, headers=basic)
    assert refused.status_code == 503, refused.data[:500]
    assert refused.get_json()["error"] == "store_unavailable"
    assert refused.get_json()["message"].startswith("数据库暂时无法连接")
    assert int(refused.headers["Retry-After"]) >= 1
    page = browser.post("/login", data={"username": "viewer1", "password": "correct horse battery",
                                        "csrf_token": csrf}, headers={"Accept": "text/html"})
    assert page.status_code == 503 and "数据库暂时无法连接" in page.data.decode()

    outage_cluster.resume()
    poll(lambda: app.test_client().get(url, headers=basic).status_code == 200, "HTTP Basic after the database is back")
    app.extensions["guatu"].store.close()


@pytest.mark.timeout(240)
def test_store_check_repair_and_backup_while_postgresql_is_down_say_so_without_a_traceback(tmp_path, outage_cluster):
    from web import create_app

    data = copy_demo(tmp_path / "data")
    copy_to_postgis(data, load_campaign(data), outage_cluster.url)
    app = create_app({"TESTING": True, "GUATU_DATA": str(data), "GUATU_INSTANCE": str(tmp_path / "instance"),
                      "GUATU_DATABASE_URL": outage_cluster.url})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["store", "check"]).exit_code == 0

    outage_cluster.pause()
    out = tmp_path / "backups"
    for args in (["store", "check"], ["store", "repair"], ["backup", "--out", str(out)]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, (args, result.output)
        assert isinstance(result.exception, SystemExit), (args, result.exception)  # a message, not a traceback
        assert "数据库暂时无法连接" in result.output, (args, result.output)
    assert list(out.glob("*")) == []  # no archive, not even a part of one
    app.extensions["guatu"].store.close()


@pytest.mark.timeout(120)
def test_a_request_queued_for_a_connection_when_the_database_fails_is_answered_without_the_pools_timeout(
        tmp_path, postgis_url, postgis_schema):
    """Every pooled connection busy, a request waits for one; meanwhile another request finds the database down
    (the breaker opens). The waiting request is answered 503 then — while the busy connection is still held,
    long before the pool's timeout (set far beyond the test's) — instead of waiting that timeout out."""
    data = copy_demo(tmp_path / "data")
    campaign = load_campaign(data)
    copy_to_postgis(data, campaign, postgis_url, schema=postgis_schema)
    store = PostGISStore(postgis_url, campaign, schema=postgis_schema, pool_size=1, connect_timeout=600)
    try:
        store.revision()  # the breaker knows the database is up
        outcome: list[BaseException | None] = []
        with store.connection():  # the pool's one connection, held
            def waiting_request() -> None:
                try:
                    store.revision()
                    outcome.append(None)
                except DatabaseUnavailable as exc:
                    outcome.append(exc)

            waiter = threading.Thread(target=waiting_request, daemon=True)
            waiter.start()
            wait_until(lambda: store.pool.get_stats().get("requests_waiting", 0) >= 1,
                       "the request queued for the pool's connection")
            store.breaker.failed("the database went away")  # what another request just found
            wait_until(lambda: not waiter.is_alive(), "the queued request answered while the connection is held")
        assert isinstance(outcome[0], DatabaseUnavailable) and outcome[0].retry_after >= 1
    finally:
        store.close()
