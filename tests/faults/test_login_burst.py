"""A burst of parallel wrong logins against a real gunicorn with several workers: the throttle holds.

Every worker counts in the same place (the instance folder's SQLite file), and each attempt takes
its number before any password is checked, so of 40 simultaneous wrong attempts at most the
configured limit reach the password check (answered 401); the rest are refused with 429. An
unknown user name gets exactly the same treatment as a known one.
"""

from __future__ import annotations

import base64
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from geo.accounts import Accounts
from geo.messages import t
from tests.faults.server import PASSWORD, Server, copy_demo

BURST, LIMIT = 40, 5


def _burst(send) -> list[requests.Response]:
    start = threading.Barrier(BURST)

    def one(_):
        start.wait(30)
        return send()

    with ThreadPoolExecutor(BURST) as pool:
        return list(pool.map(one, range(BURST)))


def _basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.mark.timeout(180)
def test_forty_parallel_wrong_logins_pass_at_most_the_limit_to_the_password_check(tmp_path):
    data = copy_demo(tmp_path / "data")
    instance = tmp_path / "instance"
    Accounts(instance / "accounts.json").create_user("admin1", PASSWORD, "admin", "赵管")
    server = Server(data, instance, tmp_path / "server.log", workers=3,
                    env={"GUATU_LOGIN_LIMIT_ACCOUNT": f"{LIMIT} per 15 minutes",
                         "GUATU_LOGIN_LIMIT_IP": "1000 per 15 minutes"})
    with server:
        # the login form: one browser session's cookie and CSRF token, replayed by 40 threads at once
        browser = requests.Session()
        page = browser.get(server.url + "/login", timeout=30).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        cookies = browser.cookies.get_dict()
        form = _burst(lambda: requests.post(server.url + "/login", cookies=cookies, allow_redirects=False, timeout=60,
                                            data={"username": "admin1", "password": "wrong guess!", "csrf_token": csrf}))
        # HTTP Basic, for a known and for an unknown user name
        known = _burst(lambda: requests.get(server.url + "/api/layers", timeout=60,
                                            headers=_basic("admin1", "another wrong guess")))
        unknown = _burst(lambda: requests.get(server.url + "/api/layers", timeout=60,
                                              headers=_basic("nobody", "another wrong guess")))
        right_password = requests.get(server.url + "/api/layers", headers=_basic("admin1", PASSWORD), timeout=30)
    assert "Traceback" not in server.log(), server.log()[-3000:]

    form_codes = sorted(r.status_code for r in form)
    assert set(form_codes) == {401, 429}
    assert form_codes.count(401) <= LIMIT  # checked passwords: the limit, whatever the interleaving
    assert form_codes.count(401) + form_codes.count(429) == BURST
    # the form and Basic count in the same place: the form used up admin1's attempts from this address
    assert [r.status_code for r in known] == [429] * BURST
    unknown_codes = sorted(r.status_code for r in unknown)
    assert unknown_codes.count(401) <= LIMIT and unknown_codes.count(429) >= BURST - LIMIT
    assert {r.json()["message"] for r in unknown if r.status_code == 429} == {t("accounts.throttled")}
    assert {r.json()["message"] for r in known} == {t("accounts.throttled")}
    assert right_password.status_code == 429  # this address waits out its window, even with the right password
