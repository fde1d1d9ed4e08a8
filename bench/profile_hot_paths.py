"""Profile the two hot paths of the HTTP benchmark in-process: case intake and case read
through the JSON API with the clerk's token (``python -m bench.profile_hot_paths``).

Prints each path's time per request, queries per request and cProfile's top entries by
cumulative time. Makes and drops its own PostgreSQL database, ``BENCH_PROFILE_DB``
(default ``shequ_bench_profile``), on the server of DATABASE_URL.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_cases import _admin, _server, _setup

DB = os.environ.get("BENCH_PROFILE_DB", "shequ_bench_profile")
N = 200


def main() -> int:
    os.environ["SHEQU_API_TOKEN_RATE_PER_MINUTE"] = "0"  # noqa: S105 - the path, not the limit
    base = _server()
    _setup(base, Path(tempfile.mkdtemp(prefix="bench-profile-")), DB)
    from django.db import connection
    from django.test import Client

    from shequ.demo.accounts import DEMO_COMMUNITY
    from shequ.orgs.actions import do_create_api_token
    from shequ.orgs.models import OrgUnit, User

    _, secret = do_create_api_token(User.objects.get(username="clerk"), name="profile")
    auth = {"Authorization": f"Bearer {secret}"}
    unit = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    body = json.dumps(
        {
            "unit_id": unit.pk, "item": "LD-001", "channel": "window",
            "applicant_kind": "caller", "contact_name": "向桂英",
            "contact_phone": "13972700019", "summary": "就业登记",
        }
    )  # fmt: skip
    client = Client(HTTP_HOST="localhost")
    ids: list[int] = []

    def intake(i: int) -> None:
        r = client.post(
            "/api/v1/services/cases/", body, content_type="application/json",
            headers={**auth, "Idempotency-Key": f"p-{i}"},
        )  # fmt: skip
        assert r.status_code == 201, r.content
        ids.append(r.json()["id"])

    def read(i: int) -> None:
        r = client.get(f"/api/v1/services/cases/{ids[i % len(ids)]}/", headers=auth)
        assert r.status_code == 200, r.content

    for name, fn in (("intake", intake), ("read", read)):
        for i in range(20):
            fn(10_000 + i)  # warm up
        queries: list[str] = []

        def log(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(log):
            fn(20_000)
        profile = cProfile.Profile()
        t = time.perf_counter()
        profile.enable()
        for i in range(N):
            fn(i)
        profile.disable()
        per = (time.perf_counter() - t) / N * 1000
        print(f"== {name}: {per:.2f} ms per request, {len(queries)} queries")
        for sql in queries:
            print("   ", sql[:160])
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(35)
        print(out.getvalue())
    _admin(base, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
