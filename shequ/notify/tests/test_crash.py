"""A worker killed mid-batch loses nothing and, with a second pair of workers, sends nothing
twice. Runs real ``manage.py worker`` processes against a file SQLite database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings

from tests.sites import migrated_sqlite

N = 60

SETUP = f"""
from django.core.management import call_command
from django.db import transaction
from shequ.notify.outbox import TEST_TEXT, enqueue
from shequ.orgs.models import OrgUnit
call_command("migrate", verbosity=0, skip_checks=True)
root = OrgUnit.add_root(name="恩施州", kind="prefecture")
with transaction.atomic():
    for i in range({N}):
        enqueue(unit=root, channel="sms", recipient="13900000000", kind="notify.test", text=TEST_TEXT,
                payload={{"n": i}}, dedupe_key=f"crash-{{i}}")
"""


def counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db, timeout=20) as conn:
        delivered = conn.execute("SELECT count(*) FROM notify_delivery").fetchone()[0]
        sending = conn.execute(
            "SELECT count(*) FROM notify_message WHERE status = 'sending'"
        ).fetchone()[0]
        sent = conn.execute("SELECT count(*) FROM notify_message WHERE status = 'sent'").fetchone()[
            0
        ]
    return delivered, sending, sent


def wait_for(
    condition: Callable[[], bool], seconds: float, procs: list[subprocess.Popen[bytes]]
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert all(p.poll() is None for p in procs), "a worker exited early"
        time.sleep(0.02)
    raise AssertionError("timed out")


@pytest.mark.own_sqlite
def test_it_delivers_every_message_exactly_once_across_a_crash(tmp_path: Path) -> None:
    db = tmp_path / "outbox.sqlite3"
    env = {
        **os.environ,
        "SHEQU_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{db}",
        "SHEQU_NOTIFY_BACKEND": "log",
        "SHEQU_NOTIFY_LOG_DELAY_MS": "20",
        "SHEQU_SMS_GATEWAY_TIMEOUT": "1",
        "SHEQU_NOTIFY_LEASE_SECONDS": "2",
        "SHEQU_NOTIFY_BATCH": "5",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    run = {"env": env, "cwd": settings.BASE_DIR, "check": True, "timeout": 60}
    migrated_sqlite(db)  # migrated once per run; SETUP's migrate has nothing to do
    subprocess.run([*manage, "shell", "-c", SETUP], **run)  # type: ignore[call-overload]

    worker = [*manage, "worker", "--skip-checks", "--poll", "0.1"]
    first = subprocess.Popen(worker, env=env, cwd=settings.BASE_DIR)
    try:
        # Kill it while it holds claimed, unsent messages.
        wait_for(lambda: (c := counts(db))[0] >= 10 and c[1] > 0, 30, [first])
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    delivered, in_flight, _ = counts(db)
    assert delivered < N
    assert in_flight > 0  # the dead worker's claims, to be reclaimed after the lease

    # Two workers now compete for the rest, including the dead worker's claims.
    others = [subprocess.Popen(worker, env=env, cwd=settings.BASE_DIR) for _ in range(2)]
    try:
        wait_for(lambda: counts(db)[2] == N, 60, others)
    finally:
        for proc in others:
            proc.send_signal(signal.SIGTERM)
        for proc in others:
            proc.wait(10)

    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT message_id, count(*) FROM notify_delivery GROUP BY 1"
        ).fetchall()
        reclaimed = conn.execute(
            "SELECT count(*) FROM notify_message WHERE attempts > 1"
        ).fetchone()[0]
        statuses = conn.execute("SELECT DISTINCT status FROM notify_message").fetchall()
    assert len(rows) == N
    assert all(n == 1 for _, n in rows)
    assert statuses == [("sent",)]
    assert reclaimed >= 1
