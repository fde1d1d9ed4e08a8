"""Issue 11, item 10: rate limits count across processes. ``make run`` serves with two
gunicorn processes; with per-process memory each counted alone (238 of 300 requests
passed a 120-per-minute limit). Fails before issue 11: the default cache was local memory,
so each process below allowed 120 on its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

HITTER = """
import django, sys, time
django.setup()
from shequ.orgs import ratelimit
now = time.time()
time.sleep(max(0.0, float(sys.argv[1]) - now))
allowed = sum(ratelimit.hit("two-processes", 120, window=3600).allowed for _ in range(150))
print(allowed)
"""


def test_the_default_cache_is_shared() -> None:
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


@pytest.mark.own_sqlite
def test_two_processes_share_one_count(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shequ.settings",
        "SHEQU_DATA_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    env.pop("SHEQU_CACHE_URL", None)
    subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    import time

    start = str(time.time() + 3)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", HITTER, start], cwd=ROOT, env=env, stdout=subprocess.PIPE
        )
        for _ in range(2)
    ]
    allowed = [int(p.communicate(timeout=120)[0]) for p in procs]
    assert sum(allowed) == 120, allowed


def test_the_worker_purges_ended_windows(db: None) -> None:
    import time_machine

    from shequ.orgs import ratelimit
    from shequ.worker import tasks

    assert ratelimit.purge_expired_counters in tasks()
    with time_machine.travel(1_800_000_000, tick=False):
        ratelimit.hit("purge", 5)
        assert ratelimit.purge_expired_counters() == 0
    with time_machine.travel(1_800_000_000 + 600, tick=False):
        assert ratelimit.purge_expired_counters() == 1
