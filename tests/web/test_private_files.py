"""What the server keeps about people (accounts, import previews, the session key) only its own user can read."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.web.conftest import login
from tests.web.test_exchange_web import upload


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_instance_folder_and_its_key_and_accounts_are_private(private_app, instance_dir):
    assert _mode(instance_dir) == 0o700
    assert _mode(instance_dir / "secret_key") == 0o600
    assert _mode(instance_dir / "accounts.json") == 0o600


def test_an_import_preview_is_kept_readable_only_by_the_server(private_app, instance_dir):
    client = private_app.test_client()
    csrf = login(client, "editor1")
    assert upload(client, csrf).status_code == 200
    (kept,) = (instance_dir / "imports").glob("*.json")
    assert "兑周村2号院" in kept.read_text(encoding="utf-8")
    assert _mode(instance_dir / "imports") == 0o700
    assert _mode(kept) == 0o600


def test_a_previews_folder_an_earlier_version_left_open_is_closed(private_app, instance_dir):
    folder = instance_dir / "imports"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    client = private_app.test_client()
    assert upload(client, login(client, "editor1")).status_code == 200
    assert _mode(folder) == 0o700


def test_an_instance_folder_an_earlier_version_left_open_is_closed(seeded, clock, tmp_path):
    from web import create_app

    instance = tmp_path / "old-instance"
    instance.mkdir()
    instance.chmod(0o755)
    create_app({"TESTING": True, "GUATU_DATA": str(seeded), "GUATU_CLOCK": clock, "GUATU_INSTANCE": str(instance)})
    assert _mode(instance) == 0o700



def test_workers_starting_at_once_agree_on_one_session_key(tmp_path):
    """Gunicorn starts its workers together: each must end with the same whole key, none may fail."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from web.core.shared_state import instance_key

    workers = 8
    for attempt in range(20):
        instance = tmp_path / f"instance-{attempt}"
        start = Barrier(workers)

        def start_worker(instance=instance, start=start):
            start.wait()
            return instance_key(instance)

        with ThreadPoolExecutor(workers) as pool:
            keys = list(pool.map(lambda _: start_worker(), range(workers)))
        assert len(set(keys)) == 1 and len(keys[0]) == 32
        assert [p.name for p in instance.iterdir()] == ["secret_key"]
        assert _mode(instance / "secret_key") == 0o600
