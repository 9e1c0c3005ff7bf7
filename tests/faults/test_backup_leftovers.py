"""What killed backups leave behind is removed by the next one (never a running backup's), a truncated or
lying archive restores nothing and says so in Chinese, and backups and restored files are private."""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from geo.backup import OWNER, STAGING_PREFIX, BackupError, backup, read_manifest, restore, sweep_leftovers
from geo.config import load_campaign
from geo.store import open_store
from tests.faults.server import REPO
from tests.waiting import wait_until
from web import create_app


def _wait_for(condition, what: str, timeout: float = 30.0):
    return wait_until(condition, what, timeout=timeout, interval=0.002)


def _start_backup(data_dir: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "geo.backup", "backup", str(data_dir), "--out", str(out)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


_OPEN_THEN_BACK_UP = """
import sys
from pathlib import Path
from geo.backup import backup
from geo.config import load_campaign
from geo.store import open_store
data, out = Path(sys.argv[1]), Path(sys.argv[2])
store = open_store(data, load_campaign(data))
print("opened", flush=True)
sys.stdin.readline()
backup(store, out)
"""


def _opened_backup(data_dir: Path, out: Path) -> subprocess.Popen:
    """A backup process that has opened the store and starts backing up when told (a line on its stdin)."""
    proc = subprocess.Popen([sys.executable, "-c", _OPEN_THEN_BACK_UP, str(data_dir), str(out)], cwd=REPO,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline() == b"opened\n", proc.stderr.read().decode()
    return proc


def _go(proc: subprocess.Popen) -> None:
    proc.stdin.write(b"go\n")
    proc.stdin.close()


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()
    proc.stderr.close()


def _staging(out: Path) -> set[Path]:
    return {p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)}


def _claimed(out: Path, n: int):
    """A condition: `n` staging folders, each with its lock file (what a backup makes before it copies)."""
    def check():
        folders = _staging(out)
        return folders if len(folders) == n and all((f / OWNER).exists() for f in folders) else None
    return check


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.timeout(120)
def test_a_backup_killed_while_waiting_leaves_a_folder_the_next_backup_removes_but_never_a_running_ones(
        tmp_path, data_dir, campaign, make_feature):
    store = open_store(data_dir, campaign)
    store.create("courtyards", make_feature(), user="alice")
    out = tmp_path / "backups"
    out.mkdir()
    first, second = _opened_backup(data_dir, out), _opened_backup(data_dir, out)
    with store.exclusive():  # both backups stop at the store's lock, with their staging folders made
        _go(first)
        (owned_by_first,) = _wait_for(_claimed(out, 1), "the first backup's staging folder")
        _go(second)
        _wait_for(_claimed(out, 2), "the second backup's staging folder")
        assert owned_by_first.exists()  # the second backup swept, and left the running one's folder alone
        assert sweep_leftovers(out) == [] and len(_staging(out)) == 2
        _kill(first)
    assert second.wait(60) == 0, second.stderr.read().decode()
    second.stdout.close()
    second.stderr.close()
    assert _staging(out) == {owned_by_first}  # the killed backup's folder is still there …

    stale_temp = out / f".guatu-backup-20261124T000000Z-r1.tar.gz.{_dead_pid()}.tmp"  # as earlier versions left it
    stale_temp.write_bytes(b"\x1f\x8b half an archive")
    live_temp = out / f".guatu-backup-20261124T000000Z-r1.tar.gz.{os.getpid()}.tmp"
    live_temp.write_bytes(b"\x1f\x8b being written")
    archive, _ = backup(store, out, clock=lambda: datetime(2026, 11, 25, tzinfo=UTC))  # … until the next backup
    assert not owned_by_first.exists() and not stale_temp.exists()
    assert live_temp.exists()  # its process is alive: it may be someone's write in progress
    live_temp.unlink()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert len(list(out.glob("guatu-backup-*.tar.gz"))) == 2
    assert restore(archive, tmp_path / "restored")["revision"] == 1


@pytest.mark.timeout(120)
def test_a_backup_killed_while_compressing_leaves_its_partial_archive_and_the_next_run_removes_it(
        tmp_path, data_dir, campaign):
    (data_dir / "boundaries").mkdir(exist_ok=True)
    (data_dir / "boundaries" / "scan.bin").write_bytes(os.urandom(48 * 1024 * 1024))  # takes a while to compress
    store = open_store(data_dir, campaign)
    out = tmp_path / "backups"
    out.mkdir()
    proc = _start_backup(data_dir, out)
    partial = _wait_for(lambda: _partial_archives(out), "a partial archive")
    _kill(proc)
    assert partial[0].exists() and not list(out.glob("guatu-backup-*.tar.gz"))

    archive, manifest = backup(store, out)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert [p.name for p in out.iterdir()] == [archive.name]
    assert read_manifest(archive)["files"]["boundaries/scan.bin"]["size"] == 48 * 1024 * 1024


def _partial_archives(out: Path) -> list[Path]:
    found = []
    for path in (p for folder in _staging(out) for p in folder.glob("*.tar.gz.tmp")):
        try:
            if path.stat().st_size:
                found.append(path)
        except FileNotFoundError:  # the backup finished meanwhile: the test then fails on its assertion
            pass
    return found


def _truncated(archive: Path, out: Path, size: int) -> Path:
    out.write_bytes(archive.read_bytes()[:size])
    return out


@pytest.fixture
def archive(tmp_path, data_dir, campaign, make_feature) -> Path:
    store = open_store(data_dir, campaign)
    for i in range(30):
        store.create("courtyards", make_feature(f"院{i}", x=113.60 + i / 1000), user="alice")
    path, _ = backup(store, tmp_path / "good.tar.gz")
    return path


@pytest.mark.parametrize("keep", [0.02, 0.5, -8])
def test_restoring_a_truncated_archive_says_it_is_incomplete_and_restores_nothing(tmp_path, archive, keep):
    size = archive.stat().st_size
    cut = _truncated(archive, tmp_path / "cut.tar.gz", int(size * keep) if keep > 0 else size + keep)
    target = tmp_path / "restored"
    with pytest.raises(BackupError, match="不完整") as caught:
        restore(cut, target)
    assert str(cut) in str(caught.value)
    assert not target.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []

    run = subprocess.run([sys.executable, "-m", "geo.backup", "restore", str(cut), "--to", str(target)],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "不完整" in run.stderr and str(cut) in run.stderr
    assert "Traceback" not in run.stderr and "Aborted" not in run.stderr + run.stdout
    assert not target.exists()


def test_the_restore_command_reports_a_truncated_archive_without_a_traceback(tmp_path, archive, data_dir):
    cut = _truncated(archive, tmp_path / "cut.tar.gz", archive.stat().st_size // 2)
    app = create_app({"TESTING": True, "GUATU_DATA": str(data_dir), "GUATU_INSTANCE": str(tmp_path / "instance")})
    result = app.test_cli_runner().invoke(args=["restore", str(cut), "--to", str(tmp_path / "new")])
    assert result.exit_code == 1
    assert "不完整" in result.output and str(cut) in result.output and "Aborted" not in result.output
    assert not isinstance(result.exception, EOFError)
    assert not (tmp_path / "new").exists()


def test_a_member_larger_than_its_manifest_says_is_refused_before_it_is_written(tmp_path):
    lying = tmp_path / "lying.tar.gz"
    body = b"{" + b" " * (4 * 1024 * 1024) + b"}"
    manifest = {"format": "guatu-backup/1", "revision": 0, "files": {"campaign.json": {"sha256": "", "size": 2}}}
    with tarfile.open(lying, "w:gz") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), ("data/campaign.json", body)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    target = tmp_path / "restored"
    with pytest.raises(BackupError, match="与清单记录的 2 字节不符"):
        restore(lying, target)
    assert not target.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backups_and_restored_files_are_readable_only_by_their_owner(tmp_path, archive):
    assert _mode(archive) == 0o600
    with tarfile.open(archive) as tar:
        assert {m.mode for m in tar.getmembers()} == {0o600}
    target = tmp_path / "restored"
    restore(archive, target)
    assert load_campaign(target).title
    assert _mode(target) == 0o700
    for path in target.rglob("*"):
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
