"""Cases on PostgreSQL: intake through the JSON API against a raw SQL insert of the same
rows, and the clerk's queue page and the overdue query with 100,000 and 1,000,000 cases.

(a) ``POST /api/v1/services/cases/`` in-process (Django's test client, the demo clerk's
session, an ``Idempotency-Key`` per request): validation, the case, its number, the
timeline entry and the audit event, one transaction each. Baseline: the same rows
(same columns) inserted by plain ``INSERT`` statements, one autocommit statement each.
(b) The clerk's case list (``/services/cases/``, open and overdue views), the county
officer's overdue view, and ``Case.objects.overdue()`` over the whole prefecture, with
the table at 100k and then 1M cases (COPY; many communities, 24 months; 官坡社区 keeps
a few hundred). Ratio 1M / 100k: ≈ 1 means the page does not grow with the table.

Uses DATABASE_URL when it is PostgreSQL, else postgres://postgres@127.0.0.1:5432; makes
and drops its own database ``shequ_bench``. Skips with a line when PostgreSQL is not
reachable. Not part of ``make test``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

DB = "shequ_bench"
API_REQUESTS = int(os.environ.get("BENCH_CASES_API", "300"))


def _server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/shequ"
    return url.rpartition("/")[0]


def _admin(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _setup(base: str, tmp: Path, db: str = DB) -> None:
    _admin(base, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    _admin(base, f'CREATE DATABASE "{db}"')
    os.environ["SHEQU_DATA_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = f"{base}/{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # pages render without collectstatic's manifest
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    call_command("migrate", verbosity=0)
    from shequ.demo.accounts import ensure_demo_accounts
    from shequ.demo.grids import ensure_demo_grids
    from shequ.orgs.loading import load_divisions
    from shequ.services.catalogue import ensure_catalogue

    load_divisions()
    ensure_demo_grids()
    ensure_demo_accounts()
    ensure_catalogue()


def _intake() -> tuple[float, float]:
    """Requests per second through the API, and inserts per second by plain SQL."""
    from django.db import connection
    from django.test import Client

    from shequ.demo.accounts import DEMO_COMMUNITY
    from shequ.orgs.models import OrgUnit, User
    from shequ.services.models import Case

    unit = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="clerk"))
    body = {
        "unit_id": unit.pk,
        "item": "LD-001",
        "channel": "window",
        "applicant_kind": "caller",
        "contact_name": "向桂英",
        "contact_phone": "13972700019",
        "summary": "就业登记",
    }
    for i in range(20):  # warm up
        client.post(
            "/api/v1/services/cases/",
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": f"warm-{i}"},
        )
    t = time.perf_counter()
    for i in range(API_REQUESTS):
        response = client.post(
            "/api/v1/services/cases/",
            json.dumps(body),
            content_type="application/json",
            headers={"Idempotency-Key": f"bench-{i}"},
        )
        assert response.status_code == 201, response.content
    api = API_REQUESTS / (time.perf_counter() - t)
    # the same rows, same columns, by plain SQL
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = [str(f.column) for f in fields]
    rows = list(
        Case.objects.filter(client_token__startswith="bench-").values_list(  # noqa: S106
            *[f.attname for f in fields]
        )
    )
    at = {name: i for i, name in enumerate(columns)}
    sql = (
        f"INSERT INTO {Case._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    prepared = []
    for n, row in enumerate(rows):
        values = list(row)
        values[at["number"]] = f"R{n:014d}"
        values[at["client_token"]] = f"raw-{n}"
        values[at["deferred_materials"]] = json.dumps(values[at["deferred_materials"]])
        prepared.append(values)
    t = time.perf_counter()
    with connection.cursor() as cursor:
        for values in prepared:
            cursor.execute(sql, values)
    raw = len(prepared) / (time.perf_counter() - t)
    return api, raw


def _copy(count: int, rng: random.Random, units: list[int], items: list[int]) -> None:
    """``count`` cases over 24 months and ``units`` by COPY: most closed, some open, a
    few overdue."""
    from django.db import connection, transaction

    now = dt.datetime.now(dt.UTC)
    columns = (
        "unit_id, handling_unit_id, channel, item_id, applicant_kind, contact_name, "
        "contact_phone_enc, contact_phone_masked, summary, status, received_at, accepted_at, "
        "due_at, completed_at, closed_at, deferred_materials, result, quarter_hour_applies, "
        "quarter_hour_due_at, quarter_hour_met, org_name, org_credit_code"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        pg: Any = cursor.cursor  # psycopg's own cursor, for COPY
        with pg.copy(f"COPY services_case ({columns}) FROM STDIN") as copy:
            for _ in range(count):
                unit = rng.choice(units)
                received = now - dt.timedelta(seconds=rng.randrange(2 * 365 * 86400))
                accepted = received + dt.timedelta(minutes=rng.randint(1, 20))
                due = accepted + dt.timedelta(days=rng.randint(1, 30))
                roll = rng.random()
                status = "closed" if roll < 0.96 else rng.choice(["accepted", "in_progress"])
                done = accepted + dt.timedelta(days=rng.randint(0, 20))
                closed = status == "closed"
                copy.write_row(
                    (
                        unit,
                        unit,
                        "window",
                        rng.choice(items),
                        "caller",
                        "测试",
                        "",
                        "",
                        "",
                        status,
                        received,
                        accepted,
                        due,
                        done if closed else None,
                        done if closed else None,
                        "[]",
                        "",
                        True,
                        received + dt.timedelta(minutes=15),
                        accepted <= received + dt.timedelta(minutes=15),
                        "",
                        "",
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE services_case")


def _best(fn: Any, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _measure() -> dict[str, float]:
    from django.test import Client

    from shequ.orgs.models import User
    from shequ.services.models import Case

    clerk, county = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    clerk.force_login(User.objects.get(username="clerk"))
    county.force_login(User.objects.get(username="county"))

    def get(client: Client, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, url

    return {
        "clerk's queue page (open)": _best(lambda: get(clerk, "/services/cases/?view=open")),
        "clerk's overdue page": _best(lambda: get(clerk, "/services/cases/?view=overdue")),
        "county's overdue page": _best(lambda: get(county, "/services/cases/?view=overdue")),
        "overdue count, prefecture": _best(lambda: Case.objects.overdue().count()),
    }


def run() -> list[str]:
    base = _server()
    try:
        _admin(base, "SELECT 1")
    except Exception as error:
        return [f"skipped: PostgreSQL not reachable at {base} ({type(error).__name__})"]
    big = int(os.environ.get("BENCH_CASES_TOTAL", "1000000"))
    small = big // 10
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as name:
        try:
            _setup(base, Path(name))
            from shequ.demo.accounts import DEMO_COMMUNITY
            from shequ.orgs.models import OrgUnit, UnitKind
            from shequ.services.models import Case, ServiceItem

            api, raw = _intake()
            lines.append(
                f"intake: API {api:,.0f} requests/s, raw INSERT {raw:,.0f} rows/s, "
                f"ratio raw/API {raw / api:.1f}"
            )
            rng = random.Random(433)
            home = OrgUnit.objects.get(code=DEMO_COMMUNITY).pk
            units = list(
                OrgUnit.objects.filter(kind__in=[UnitKind.COMMUNITY, UnitKind.VILLAGE])
                .exclude(pk=home)
                .values_list("pk", flat=True)
            )
            items = list(ServiceItem.objects.values_list("pk", flat=True))
            _copy(400, rng, [home], items)  # the clerk's community: a few hundred
            _copy(small - Case.objects.count(), rng, units, items)
            at_small = _measure()
            _copy(big - Case.objects.count(), rng, units, items)
            at_big = _measure()
            for key, value in at_small.items():
                lines.append(
                    f"{key}: {value * 1000:.1f} ms at {small:,}, {at_big[key] * 1000:.1f} ms "
                    f"at {big:,} (ratio {at_big[key] / value:.2f})"
                )
        finally:
            from django.db import connections

            connections.close_all()
            _admin(base, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
