"""The prefecture dashboard with 100,000 and then 10,000,000 cases in the table.

The dashboard reads only the rollups (``RateRollup``, ``FigureRollup``), so its time must
not grow with the cases. On PostgreSQL (by default a database of its own,
``BENCH_DASHBOARD_DB``, default ``shequ_bench_dashboard``, on the server of
``DATABASE_URL`` or 127.0.0.1, made and dropped) the cases are generated in SQL
(``INSERT … SELECT generate_series``, a month per statement);
``BENCH_DASHBOARD_DATABASE_URL`` names another database instead (a throwaway one: it is
migrated and filled; ``sqlite:///…`` loads by batched INSERTs);
``BENCH_DASHBOARD_CASES`` sets the big total (default 10,000,000; the small one is a
hundredth). The rollups are built once per size by the worker's own ``refresh_month``.
Reported: the prefecture's, a county's and a township's dashboard (``dashboards.build``,
the page's queries) at both sizes and the ratio big / small (target ≤ 1.2).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_three_rates import _insert, _months, _time
from bench.pgload import bulk_load

YEAR = 2026


DB = os.environ.get("BENCH_DASHBOARD_DB", "shequ_bench_dashboard")


def _server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/shequ"
    return url.rpartition("/")[0]


def _admin(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _setup(tmp: Path, url: str) -> None:
    os.environ["SHEQU_DATA_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from shequ.orgs.loading import load_divisions
    from shequ.services.catalogue import ensure_catalogue

    load_divisions()
    ensure_catalogue()


_GENERATE = """
INSERT INTO services_case (
  unit_id, handling_unit_id, channel, item_id, applicant_kind, org_name, org_credit_code,
  contact_name, contact_phone_enc, contact_phone_masked, summary, status, received_at,
  due_at, completed_at, deferred_materials, result, quarter_hour_applies,
  quarter_hour_due_at, quarter_hour_met, deadline_provisional)
SELECT u, u, channel, %(item)s, 'caller', '', '', '测试', '', '', '', 'closed', received,
       received + interval '3 days',
       received + CASE WHEN good THEN interval '1 day' ELSE interval '5 days' END,
       '[]', '', true, received + interval '15 minutes', good, false
FROM (
  SELECT (%(units)s::bigint[])[1 + floor(random() * %(n_units)s)::int] AS u,
         (ARRAY['window', 'hotline', 'online', 'patrol'])[1 + floor(random() * 4)::int]
           AS channel,
         %(start)s::timestamptz + random() * interval '27 days' AS received,
         random() < 0.85 AS good
  FROM generate_series(1, %(count)s)
) g
"""


def _generate(cursor: Any, count: int, month: dt.date, units: list[int], item: int) -> None:
    """PostgreSQL: the same rows as ``_insert``, generated in SQL (``generate_series``)."""
    start = dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC) - dt.timedelta(hours=8)
    cursor.execute(
        _GENERATE,
        {"units": units, "n_units": len(units), "item": item, "start": start, "count": count},
    )


def _fill(total: int, rng: random.Random, units: list[int], item: int) -> None:
    from django.db import connection, transaction

    from shequ.services.models import Case

    months = _months()
    extra = total - Case.objects.count()
    per = extra // len(months)
    counts = [per + (extra % len(months) if i == 0 else 0) for i in range(len(months))]
    if connection.vendor == "postgresql":
        with bulk_load(Case._meta.db_table) as cursor:
            for month, count in zip(months, counts, strict=True):
                _generate(cursor, count, month, units, item)
        return
    for month, count in zip(months, counts, strict=True):
        with transaction.atomic():
            _insert(count, month, rng, units, item)


def _measure() -> dict[str, float]:
    from shequ.insights import dashboards
    from shequ.orgs.models import OrgUnit, UnitKind, User

    admin = User(is_superuser=True, username="bench")
    prefecture = OrgUnit.objects.get(kind=UnitKind.PREFECTURE)
    county = OrgUnit.objects.get(code="422801000000")
    township = OrgUnit.objects.get(code="422801001000")
    return {
        "prefecture dashboard": _time(lambda: dashboards.build(admin, prefecture, YEAR), 20),
        "county dashboard": _time(lambda: dashboards.build(admin, county, YEAR), 20),
        "township dashboard": _time(lambda: dashboards.build(admin, township, YEAR), 20),
    }


def run() -> list[str]:
    big = int(os.environ.get("BENCH_DASHBOARD_CASES", "10000000"))
    small = max(big // 100, 1000)
    url, base = os.environ.get("BENCH_DASHBOARD_DATABASE_URL", ""), ""
    if not url:  # a database of its own on the PostgreSQL server, dropped afterwards
        base = _server()
        try:
            _admin(base, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
            _admin(base, f'CREATE DATABASE "{DB}"')
        except Exception as error:
            return [f"skipped: PostgreSQL not reachable at {base} ({type(error).__name__})"]
        url = f"{base}/{DB}"
    results: dict[int, dict[str, float]] = {}
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as name:
        try:
            _setup(Path(name), url)
            from shequ.insights import rates
            from shequ.insights.models import FigureRollup
            from shequ.orgs.models import OrgUnit, UnitKind
            from shequ.services.models import Case, ServiceItem

            rng = random.Random(433)
            units = list(
                OrgUnit.objects.filter(kind=UnitKind.COMMUNITY).values_list("pk", flat=True)
            )
            item = ServiceItem.objects.get(code="MZ-001").pk
            for total in (small, big):
                t = time.perf_counter()
                _fill(total, rng, units, item)
                for month in _months():
                    rates.refresh_month(month)
                built = time.perf_counter() - t
                results[total] = _measure()
                lines.append(
                    f"{Case.objects.count():,} cases, {FigureRollup.objects.count():,} figure "
                    f"rows; built in {built:.0f} s"
                )
        finally:
            if base:
                from django.db import connections

                connections.close_all()
                _admin(base, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    for key in results[small]:
        a, b = results[small][key], results[big][key]
        lines.append(
            f"{key}: {a * 1000:.1f} ms at {small:,}, {b * 1000:.1f} ms at {big:,}, "
            f"ratio {b / a:.2f} (target ≤ 1.2)"
        )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
