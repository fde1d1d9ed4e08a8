"""Issue 11, item 11: under ``make run`` (scripts/run) the worker's death does not take
the site down: the worker is restarted with a back-off and gunicorn keeps serving. Fails
before issue 11: ``wait -n`` returned when the worker died and the exit trap stopped
gunicorn too."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.sites import migrated_sqlite

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[tuple[int, str]]:
    out = subprocess.run(
        ["ps", "-eo", "pid=,ppid=,args="], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split(None, 2) for line in out.splitlines() if line.strip()]
    found: list[tuple[int, str]] = []
    frontier = {pid}
    while frontier:
        kids = [(int(p), a) for p, pp, *rest in rows for a in rest if int(pp) in frontier]
        found += kids
        frontier = {p for p, _ in kids}
    return found


def _workers(pid: int) -> list[int]:
    return [p for p, args in _children(pid) if "manage.py worker" in args]


def _status(url: str) -> int:
    try:
        return int(urllib.request.urlopen(url, timeout=2).status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


@pytest.mark.own_sqlite
def test_a_killed_worker_is_restarted_and_the_site_keeps_serving(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "SHEQU_DATA_DIR": str(tmp_path), "PORT": str(port)}
    env.pop("DATABASE_URL", None)
    env["SHEQU_SKIP_PREPARE"] = "1"
    env["DJANGO_SETTINGS_MODULE"] = "shequ.settings"
    migrated_sqlite(tmp_path / "shequ.sqlite3")
    (tmp_path / "banner.txt").write_text("test\n")
    run = subprocess.Popen(
        ["bash", "scripts/run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    health = f"http://127.0.0.1:{port}/healthz"
    try:
        deadline = time.time() + 90
        while time.time() < deadline and (_status(health) != 200 or not _workers(run.pid)):
            time.sleep(0.5)
        first = _workers(run.pid)
        assert _status(health) == 200 and first
        os.kill(first[0], signal.SIGKILL)
        time.sleep(1)
        assert run.poll() is None, "scripts/run stopped with the worker"
        assert _status(health) in {200, 503}  # still serving; 503 once the beat is stale
        deadline = time.time() + 30
        while time.time() < deadline and not [w for w in _workers(run.pid) if w not in first]:
            time.sleep(0.5)
        assert [w for w in _workers(run.pid) if w not in first], "no new worker"
        assert _status(health) in {200, 503}
    finally:
        os.killpg(run.pid, signal.SIGTERM)
        try:
            run.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
