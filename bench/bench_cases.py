"""Cases on PostgreSQL: intake through the JSON API against a raw SQL insert of the same
rows, and the clerk's queue page and the overdue query with 100,000 and 10,000,000 cases.

(a) ``POST /api/v1/services/cases/`` in-process (Django's test client, the demo clerk's
session, an ``Idempotency-Key`` per request): validation, the case, its number, the
timeline entry and the audit event, one transaction each. Baseline: the same rows
(same columns) inserted by plain ``INSERT`` statements, one autocommit statement each.
(b) The clerk's case list (``/services/cases/``, open and overdue views), the county
officer's overdue view, and ``Case.objects.overdue()`` over the whole prefecture, with
the table at a hundredth of ``BENCH_CASES_TOTAL`` (default 10,000,000) and then at
all of it. Cases are generated in SQL (``bench.pgload``): every community and village of
the prefecture, 24 months; 官坡社区 keeps a few hundred. The work in hand is the same at
both sizes (``BENCH_CASES_OPEN`` open cases received in the last 60 days, about half of
them overdue): a larger table is a longer archive of closed cases, not a longer backlog.
Ratio big / small: ≈ 1 means the page does not grow with the table (targets: 1.2 for
the clerk's pages, 1.5 for the county's overdue page and the prefecture's count).

Uses DATABASE_URL's server when it is PostgreSQL, else postgres://postgres@127.0.0.1:5432;
makes and drops its own database ``BENCH_CASES_DB`` (default ``shequ_bench_cases``; kept
when ``BENCH_CASES_KEEP`` is set). Skips with a line when PostgreSQL is not reachable.
Not part of ``make test``.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.pgload import bulk_load

DB = os.environ.get("BENCH_CASES_DB", "shequ_bench_cases")
API_REQUESTS = int(os.environ.get("BENCH_CASES_API", "300"))
# The work in hand (open cases) of the whole prefecture and of the clerk's community,
# received in the last OPEN_DAYS: the same at both sizes, as the staff's backlog does not
# grow with the archive; everything else is closed history over 24 months.
OPEN_CASES = int(os.environ.get("BENCH_CASES_OPEN", "4000"))
OPEN_DAYS = 60
HOME_CASES = 400
TARGETS = {
    "clerk's queue page (open)": 1.2,
    "clerk's overdue page": 1.2,
    "county's overdue page": 1.5,
    "overdue count, prefecture": 1.5,
}


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


_COLUMNS = (
    "unit_id, handling_unit_id, channel, item_id, applicant_kind, org_name, org_credit_code, "
    "contact_name, contact_phone_enc, contact_phone_masked, summary, status, received_at, "
    "accepted_at, due_at, completed_at, closed_at, deferred_materials, result, "
    "quarter_hour_applies, quarter_hour_due_at, quarter_hour_met, deadline_provisional"
)
# One row per generate_series value, all in SQL (no Python per row): ``received_at`` is
# ``days`` back at most, a quarter of the open ones wait on a correction or were sent up.
_GENERATE = (
    f"INSERT INTO services_case ({_COLUMNS})"  # noqa: S608
    """
SELECT u, u, 'window', item, 'caller', '', '', '测试', '', '', '', status, received,
       accepted, accepted + (1 + floor(random() * 30)::int) * interval '1 day',
       CASE WHEN status = 'closed' THEN done END, CASE WHEN status = 'closed' THEN done END,
       '[]', '', true, received + interval '15 minutes',
       accepted <= received + interval '15 minutes', false
FROM (
  SELECT g.u, g.item, g.received, g.status,
         g.received + (1 + floor(random() * 20)::int) * interval '1 minute' AS accepted,
         g.received + (1 + floor(random() * 20)::int) * interval '1 day' AS done
  FROM (
    SELECT (%(units)s::bigint[])[1 + floor(random() * %(n_units)s)::int] AS u,
           (%(items)s::bigint[])[1 + floor(random() * %(n_items)s)::int] AS item,
           now() - random() * %(days)s * interval '1 day' AS received,
           CASE WHEN %(open)s
                THEN (ARRAY['received', 'accepted', 'accepted', 'in_progress', 'in_progress',
                            'in_progress', 'returned', 'sent_up'])[1 + floor(random() * 8)::int]
                ELSE 'closed' END AS status
    FROM generate_series(1, %(count)s)
  ) g
) r
"""
)
BATCH = 1_000_000


def _generate(
    cursor: Any, count: int, units: list[int], items: list[int], *, open_: bool, days: int
) -> None:
    """``count`` cases over ``units``, a million rows per statement."""
    done = 0
    while done < count:
        n = min(BATCH, count - done)
        params = {"units": units, "n_units": len(units), "items": items, "n_items": len(items)}
        cursor.execute(_GENERATE, {**params, "days": days, "open": open_, "count": n})
        done += n


def _best(fn: Any, repeat: int = 20) -> float:
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
    big = int(os.environ.get("BENCH_CASES_TOTAL", "10000000"))
    small = max(big // 100, 10 * OPEN_CASES)
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
            home = [OrgUnit.objects.get(code=DEMO_COMMUNITY).pk]
            units = list(
                OrgUnit.objects.filter(kind__in=[UnitKind.COMMUNITY, UnitKind.VILLAGE])
                .exclude(pk=home[0])
                .values_list("pk", flat=True)
            )
            items = list(ServiceItem.objects.values_list("pk", flat=True))
            with bulk_load("services_case") as cursor:
                cursor.execute("SELECT setseed(0.433)")
                # the clerk's community: a few hundred cases, a tenth of them in hand
                _generate(cursor, HOME_CASES * 9 // 10, home, items, open_=False, days=730)
                _generate(cursor, HOME_CASES // 10, home, items, open_=True, days=OPEN_DAYS)
                # the prefecture's work in hand, the same at both sizes; the rest is history
                _generate(cursor, OPEN_CASES, units, items, open_=True, days=OPEN_DAYS)
                history = small - Case.objects.count()
                _generate(cursor, history, units, items, open_=False, days=730)
            at_small = _measure()
            t = time.perf_counter()
            with bulk_load("services_case") as cursor:
                history = big - Case.objects.count()
                _generate(cursor, history, units, items, open_=False, days=730)
            loaded = time.perf_counter() - t
            at_big = _measure()
            lines.append(
                f"{Case.objects.count():,} cases ({len(units) + 1:,} communities and villages, "
                f"{Case.objects.open().count():,} open), {big - small:,} loaded in "
                f"{loaded:.0f} s"
            )
            for key, value in at_small.items():
                lines.append(
                    f"{key}: {value * 1000:.1f} ms at {small:,}, {at_big[key] * 1000:.1f} ms "
                    f"at {big:,} (ratio {at_big[key] / value:.2f}, target ≤ {TARGETS[key]})"
                )
        finally:
            from django.db import connections

            connections.close_all()
            if not os.environ.get("BENCH_CASES_KEEP"):
                _admin(base, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
