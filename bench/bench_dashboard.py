"""The prefecture dashboard with 100,000 and then 10,000,000 cases in the table.

The dashboard reads only the rollups (``RateRollup``, ``FigureRollup``), so its time must
not grow with the cases. Cases are loaded with PostgreSQL ``COPY`` when
``BENCH_DASHBOARD_DATABASE_URL`` names a PostgreSQL database (a throwaway one: it is
migrated and filled), otherwise with batched INSERTs into a temporary SQLite file;
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

YEAR = 2026


def _setup(tmp: Path) -> None:
    os.environ["SHEQU_DATA_DIR"] = str(tmp)
    url = os.environ.get("BENCH_DASHBOARD_DATABASE_URL", "")
    os.environ["DATABASE_URL"] = url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from shequ.orgs.loading import load_divisions
    from shequ.services.catalogue import ensure_catalogue

    load_divisions()
    ensure_catalogue()


def _copy(count: int, month: dt.date, rng: random.Random, units: list[int], item: int) -> None:
    """PostgreSQL: the same rows as ``_insert``, through COPY."""
    from django.db import connection

    from shequ.services.models import Case

    fields = [
        f
        for f in Case._meta.concrete_fields
        if not f.primary_key and (not f.null or f.name in ("due_at", "completed_at"))
    ]
    columns = ", ".join(str(f.column) for f in fields)
    start = dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC) - dt.timedelta(hours=8)
    with connection.cursor() as cursor:
        raw: Any = cursor.cursor
        with raw.copy(f"COPY {Case._meta.db_table} ({columns}) FROM STDIN") as copy:
            for _ in range(count):
                received = start + dt.timedelta(seconds=rng.randrange(27 * 86400))
                unit = rng.choice(units)
                good = rng.random() < 0.85
                row = []
                for f in fields:
                    n = f.name
                    row.append(
                        unit
                        if n in ("unit", "handling_unit")
                        else item
                        if n == "item"
                        else rng.choice(["window", "hotline", "online", "patrol"])
                        if n == "channel"
                        else "caller"
                        if n == "applicant_kind"
                        else "测试"
                        if n == "contact_name"
                        else "closed"
                        if n == "status"
                        else received
                        if n == "received_at"
                        else received + dt.timedelta(minutes=15)
                        if n == "quarter_hour_due_at"
                        else received + dt.timedelta(days=3)
                        if n == "due_at"
                        else received + dt.timedelta(days=1 if good else 5)
                        if n == "completed_at"
                        else True
                        if n == "quarter_hour_applies"
                        else good
                        if n == "quarter_hour_met"
                        else "[]"
                        if n == "deferred_materials"
                        else ""
                    )
                copy.write_row(row)


def _fill(total: int, rng: random.Random, units: list[int], item: int) -> None:
    from django.db import connection, transaction

    from shequ.services.models import Case

    load = _copy if connection.vendor == "postgresql" else _insert
    months = _months()
    extra = total - Case.objects.count()
    per = extra // len(months)
    for i, month in enumerate(months):
        with transaction.atomic():
            load(per + (extra % len(months) if i == 0 else 0), month, rng, units, item)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Case._meta.db_table}")


def _measure() -> dict[str, float]:
    from shequ.insights import dashboards
    from shequ.orgs.models import OrgUnit, UnitKind, User

    admin = User(is_superuser=True, username="bench")
    prefecture = OrgUnit.objects.get(kind=UnitKind.PREFECTURE)
    county = OrgUnit.objects.get(code="422801000000")
    township = OrgUnit.objects.get(code="422801001000")
    return {
        "prefecture dashboard": _time(lambda: dashboards.build(admin, prefecture, YEAR)),
        "county dashboard": _time(lambda: dashboards.build(admin, county, YEAR)),
        "township dashboard": _time(lambda: dashboards.build(admin, township, YEAR)),
    }


def run() -> list[str]:
    big = int(os.environ.get("BENCH_DASHBOARD_CASES", "10000000"))
    small = max(big // 100, 1000)
    with tempfile.TemporaryDirectory() as name:
        _setup(Path(name))
        from shequ.insights import rates
        from shequ.insights.models import FigureRollup
        from shequ.orgs.models import OrgUnit, UnitKind
        from shequ.services.models import Case, ServiceItem

        rng = random.Random(433)
        units = list(OrgUnit.objects.filter(kind=UnitKind.COMMUNITY).values_list("pk", flat=True))
        item = ServiceItem.objects.get(code="MZ-001").pk
        results: dict[int, dict[str, float]] = {}
        lines: list[str] = []
        for total in (small, big):
            t = time.perf_counter()
            _fill(total, rng, units, item)
            for month in _months():
                rates.refresh_month(month)
            built = time.perf_counter() - t
            results[total] = _measure()
            lines.append(
                f"{Case.objects.count():,} cases, {FigureRollup.objects.count():,} figure rows; "
                f"built in {built:.0f} s"
            )
    for key in results[small]:
        a, b = results[small][key], results[big][key]
        lines.append(
            f"{key}: {a * 1000:.1f} ms at {small:,}, {b * 1000:.1f} ms at {big:,}, ratio {b / a:.2f}"
        )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
