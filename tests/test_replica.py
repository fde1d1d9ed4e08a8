"""The read replica, with two real databases: the primary and a copy of it taken earlier
(a replica that lags). The dashboards read their rollups from the replica when
``DATABASE_REPLICA_URL`` is set, every write goes to the primary, and without the setting
the same dashboard reads the primary.

Each step runs in a process of its own with the site's real settings, as ``make run``'s
web process would; the two databases are SQLite files, so "replication" is a file copy.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sites import ROOT, migrated_sqlite

pytestmark = pytest.mark.own_sqlite

STEP = r"""
import datetime as dt, json, sys
import django
django.setup()
from django.utils import timezone
from shequ.insights.dashboards import officer_dashboard
from shequ.insights.models import FigureRollup
from shequ.orgs.loading import load_divisions
from shequ.orgs.models import Employment, OrgUnit, Post, Role, User

step = sys.argv[1]
year = timezone.localdate().year
month = dt.date(year, 1, 1)
if step == "seed":
    load_divisions()
    officer = User.objects.create_user(username="county", password="x-correct-horse")
    Post.objects.create(user=officer, unit=OrgUnit.objects.get(code="422801000000"),
                        role=Role.COUNTY_OFFICER, employment=Employment.FULL_TIME,
                        started_on=dt.date(2020, 1, 1))
    guanpo = OrgUnit.objects.get(code="422801001001")
    FigureRollup.objects.create(unit=guanpo, month=month, key="cases:window", value=3)
elif step == "write":  # new work after the copy: lands on the primary only
    guanpo = OrgUnit.objects.get(code="422801001001")
    FigureRollup.objects.filter(unit=guanpo, month=month, key="cases:window").update(value=7)
    FigureRollup.objects.create(unit=guanpo, month=month, key="cases:hotline", value=2)
else:  # read the county officer's dashboard
    dash = officer_dashboard(User.objects.get(username="county"))
    series = {s["name"]: s["data"][0] for s in dash["options"]["cases_month"]["series"]}
    print(json.dumps(series, ensure_ascii=False))
"""


def _step(step: str, data_dir: Path, primary: Path, replica: Path | None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_REPLICA_URL", None)
    env.update(
        SHEQU_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="shequ.settings",
        DATABASE_URL=f"sqlite:///{primary}",
    )
    if replica is not None:
        env["DATABASE_REPLICA_URL"] = f"sqlite:///{replica}"
    done = subprocess.run(
        [sys.executable, "-c", STEP, step],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def _rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT key, value FROM insights_figurerollup").fetchall())


def test_dashboards_read_the_replica_and_writes_go_to_the_primary(tmp_path: Path) -> None:
    data = tmp_path / "data"
    primary = migrated_sqlite(tmp_path / "primary.sqlite3")
    replica = tmp_path / "replica.sqlite3"

    _step("seed", data, primary, None)
    shutil.copyfile(primary, replica)  # the replica as of now
    _step("write", data, primary, replica)  # with the replica configured

    # the writes went to the primary; the replica still holds the older figures
    assert _rows(primary) == {"cases:window": 7, "cases:hotline": 2}
    assert _rows(replica) == {"cases:window": 3}

    # the dashboard reads the replica's (lagging) rollups ...
    with_replica = json.loads(_step("read", data, primary, replica))
    assert with_replica == {"窗口": 3}
    # ... and, without a replica configured, the primary's
    without = json.loads(_step("read", data, primary, None))
    assert without == {"窗口": 7, "服务热线": 2}
