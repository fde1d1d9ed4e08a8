"""Three-rates ranking of one month, with 100,000 and then 1,000,000 cases in the table.

The ranking reads only the monthly rollup (``RateRollup``, kept by the worker), so its
time must not grow with the cases of other months. The month ranked always holds the
same cases (``BENCH_RATES_MONTH_CASES``, default 10,000); the other eleven months grow
from 90,000 to 990,000 cases (``BENCH_RATES_CASES`` sets the big total). Reported: the
time of the prefecture's, a county's and a township's ranking (the page's queries),
the worker's refresh of the ranked month from the cases, and the ratio 1M / 100k of
each (≈ 1 means flat).

Sets Django up itself on a throwaway SQLite database in a temporary data directory, on
the real Enshi tree; cases are bulk-inserted with plain SQL (the benchmark is of the
reading side, not of the actions).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

MONTHS = 12
TARGET = dt.date(2026, 6, 1)


def _setup(tmp: Path) -> None:
    os.environ["SHEQU_DATA_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from shequ.orgs.loading import load_divisions
    from shequ.services.catalogue import ensure_catalogue

    load_divisions()
    ensure_catalogue()


def _months() -> list[dt.date]:
    from shequ.insights.rates import next_month

    months = [dt.date(2026, 1, 1)]
    while len(months) < MONTHS:
        months.append(next_month(months[-1]))
    return months


def _insert(count: int, month: dt.date, rng: random.Random, units: list[int], item: int) -> None:
    """``count`` cases received in ``month``, with plausible outcomes, by plain SQL."""
    from django.db import connection

    from shequ.services.models import Case

    fields = [
        f
        for f in Case._meta.concrete_fields
        if not f.primary_key and (not f.null or f.name in ("due_at", "completed_at"))
    ]
    columns = ", ".join(str(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {Case._meta.db_table} ({columns}) VALUES ({marks})"  # noqa: S608
    utc_start = dt.datetime(month.year, month.month, 1, tzinfo=dt.UTC) - dt.timedelta(hours=8)
    seconds = 27 * 86400

    def value(name: str, received: dt.datetime, unit: int, good: bool) -> Any:
        if name in ("unit", "handling_unit"):
            return unit
        if name == "item":
            return item
        if name == "channel":
            return "window"
        if name == "applicant_kind":
            return "caller"
        if name == "contact_name":
            return "测试"
        if name == "status":
            return "closed"
        if name == "received_at":
            return received.strftime("%Y-%m-%d %H:%M:%S")
        if name == "quarter_hour_due_at":
            return (received + dt.timedelta(minutes=15)).strftime("%Y-%m-%d %H:%M:%S")
        if name == "due_at":
            return (received + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")
        if name == "completed_at":
            return (received + dt.timedelta(days=1 if good else 5)).strftime("%Y-%m-%d %H:%M:%S")
        if name == "quarter_hour_applies":
            return True
        if name == "quarter_hour_met":
            return good
        if name == "deferred_materials":
            return "[]"
        return ""

    names = [f.name for f in fields]
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for _ in range(count):
            received = utc_start + dt.timedelta(seconds=rng.randrange(seconds))
            unit = rng.choice(units)
            good = rng.random() < 0.85
            batch.append(tuple(value(n, received, unit, good) for n in names))
            if len(batch) >= 20000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)


def _fill(total: int, month_cases: int, rng: random.Random, units: list[int], item: int) -> None:
    """Bring the table to ``total`` cases: the target month keeps ``month_cases``, the
    others share the rest."""
    from django.db import transaction

    from shequ.services.models import Case

    have = Case.objects.count()
    others = [m for m in _months() if m != TARGET]
    if have == 0:
        with transaction.atomic():
            _insert(month_cases, TARGET, rng, units, item)
        have = month_cases
    extra = total - have
    per = extra // len(others)
    for i, month in enumerate(others):
        with transaction.atomic():
            _insert(per + (extra % len(others) if i == 0 else 0), month, rng, units, item)


def _ratings(rng: random.Random) -> None:
    """Ratings of a fifth of the target month's cases (mostly good)."""
    from django.db import transaction

    from shequ.insights import rates
    from shequ.services.models import Case, Rating

    start, end = rates.month_bounds(TARGET)
    ids = list(
        Case.objects.filter(received_at__gte=start, received_at__lt=end).values_list(
            "pk", "unit_id", "completed_at"
        )
    )
    rows = [
        Rating(
            case_id=pk,
            unit_id=unit,
            handling_unit_id=unit,
            channel="pad",
            grade=5 if rng.random() < 0.9 else 2,
            rated_at=min(done or end, end - dt.timedelta(seconds=1)),
        )
        for pk, unit, done in ids[::5]
    ]
    with transaction.atomic():
        Rating.objects.bulk_create(rows, batch_size=5000)


def _time(fn: Any, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _measure() -> dict[str, float]:
    from shequ.insights import rates
    from shequ.orgs.models import OrgUnit, UnitKind

    prefecture = OrgUnit.objects.get(kind=UnitKind.PREFECTURE)
    county = OrgUnit.objects.get(code="422801000000")
    township = OrgUnit.objects.get(code="422801001000")
    return {
        "rank counties": _time(lambda: rates.ranking(prefecture, TARGET)),
        "rank townships": _time(lambda: rates.ranking(county, TARGET)),
        "rank communities": _time(lambda: rates.ranking(township, TARGET)),
        "page report (county)": _time(lambda: rates.report(county, TARGET)),
        "worker refresh of the month": _time(lambda: rates.refresh_month(TARGET), repeat=2),
    }


def run() -> list[str]:
    big = int(os.environ.get("BENCH_RATES_CASES", "1000000"))
    small = big // 10
    month_cases = int(os.environ.get("BENCH_RATES_MONTH_CASES", "10000"))
    with tempfile.TemporaryDirectory() as name:
        _setup(Path(name))
        from shequ.insights import rates
        from shequ.insights.models import RateRollup
        from shequ.orgs.models import OrgUnit, UnitKind
        from shequ.services.models import Case, ServiceItem

        rng = random.Random(433)
        units = list(OrgUnit.objects.filter(kind=UnitKind.COMMUNITY).values_list("pk", flat=True))
        item = ServiceItem.objects.get(code="MZ-001").pk
        results: dict[int, dict[str, float]] = {}
        lines: list[str] = []
        for total in (small, big):
            t = time.perf_counter()
            _fill(total, month_cases, rng, units, item)
            if total == small:
                _ratings(rng)
            for month in _months():
                rates.refresh_month(month)
            built = time.perf_counter() - t
            results[total] = _measure()
            lines.append(
                f"{Case.objects.count():,} cases ({month_cases:,} in the ranked month), "
                f"{RateRollup.objects.count():,} rollup rows, {len(units):,} communities; "
                f"built in {built:.0f} s"
            )
        top = rates.ranking(OrgUnit.objects.get(code="422801000000"), TARGET)[0]
        lines.append(
            f"top township of 恩施市: {top.unit.name}, composite {rates.percent(top.composite)}"
        )
    for key in results[small]:
        a, b = results[small][key], results[big][key]
        lines.append(
            f"{key}: {a * 1000:.1f} ms at {small:,}, {b * 1000:.1f} ms at {big:,}, "
            f"ratio {b / a:.2f}"
        )
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
