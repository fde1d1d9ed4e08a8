"""What users feel: case intake and case reads over HTTP against the bare database, in one run.

The real server as ``make run`` starts it (gunicorn, 2 processes × 4 threads) on a fresh
PostgreSQL database, the clerk's API token, the rate limit off. Eight client threads
with keep-alive connections:

- intake: ``POST /api/v1/services/cases/`` with a new ``Idempotency-Key`` each;
- read: ``GET /api/v1/services/cases/{id}/`` over the cases just filed.

Baseline, same database, same run, eight clients: pgbench (or a psycopg loop where
pgbench is missing) inserting a 12-column case-like row and an event row in one
transaction, and selecting such a row by primary key. Reported: requests/s, raw
transactions/s and their ratio; a run with any failed request reports nothing and fails.

Uses DATABASE_URL when it is PostgreSQL, else postgres://postgres@127.0.0.1:5432; makes
and drops its own database ``shequ_bench_http``. ``BENCH_HTTP_SECONDS`` (default 10)
sets each phase's length.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DB = os.environ.get("BENCH_HTTP_DB", "shequ_bench_http")
SECONDS = float(os.environ.get("BENCH_HTTP_SECONDS", "10"))
CLIENTS = 8

SETUP = """
import json
from django.core.management import call_command
call_command("migrate", verbosity=0)
from shequ.demo.accounts import DEMO_COMMUNITY, ensure_demo_accounts
from shequ.demo.grids import ensure_demo_grids
from shequ.orgs.actions import do_create_api_token
from shequ.orgs.loading import load_divisions
from shequ.orgs.models import OrgUnit, User
from shequ.services.catalogue import ensure_catalogue
load_divisions(); ensure_demo_grids(); ensure_demo_accounts(); ensure_catalogue()
_, secret = do_create_api_token(User.objects.get(username="clerk"), name="bench")
print(json.dumps({"token": secret, "unit": OrgUnit.objects.get(code=DEMO_COMMUNITY).pk}))
"""

RAW_SCHEMA = """
DROP TABLE IF EXISTS bench_event; DROP TABLE IF EXISTS bench_case;
CREATE TABLE bench_case (
  id bigserial PRIMARY KEY, unit_id bigint NOT NULL, item_id bigint NOT NULL,
  channel varchar(20) NOT NULL, status varchar(20) NOT NULL, applicant_kind varchar(20) NOT NULL,
  contact_name varchar(100) NOT NULL, contact_phone_enc text NOT NULL, summary text NOT NULL,
  number varchar(30) NOT NULL, client_token varchar(100), received_at timestamptz NOT NULL,
  due_at timestamptz);
CREATE INDEX ON bench_case (unit_id, status); CREATE INDEX ON bench_case (due_at);
CREATE TABLE bench_event (id bigserial PRIMARY KEY, case_id bigint NOT NULL REFERENCES bench_case,
  verb varchar(30) NOT NULL, at timestamptz NOT NULL, note text NOT NULL);
"""
RAW_INSERT = (
    "INSERT INTO bench_case (unit_id, item_id, channel, status, applicant_kind, contact_name,"
    " contact_phone_enc, summary, number, client_token, received_at, due_at) VALUES"
    " (1, 1, 'api', 'received', 'caller', '向桂英', 'gAAAAABnZ2VuY3J5cHRlZC1waG9uZQ', '就业登记',"
    " 'R' || :n, NULL, now(), now() + interval '1 day');\n"
    "INSERT INTO bench_event (case_id, verb, at, note)"
    " VALUES (currval('bench_case_id_seq'), 'received', now(), '');\n"
)


def _server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/shequ"
    return url.rpartition("/")[0]


def _admin(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Load:
    """CLIENTS threads, each on its own keep-alive connection, for SECONDS."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.errors: list[str] = []
        self.done = 0
        self.rounds = 0
        self.lock = threading.Lock()

    def run(self, request: Any, seconds: float = SECONDS) -> float:
        stop = time.monotonic() + seconds
        self.done = 0
        self.rounds += 1
        round_ = self.rounds

        def client(n: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            i = 0
            while time.monotonic() < stop:
                i += 1
                method, path, body, want = request(n, i)
                headers = {"Authorization": f"Bearer {self.token}"}
                if body is not None:
                    headers |= {
                        "Content-Type": "application/json",
                        "Idempotency-Key": f"h-{round_}-{n}-{i}",
                    }
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    with self.lock:
                        self.errors.append(repr(exc))
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                    continue
                with self.lock:
                    if response.status != want:
                        self.errors.append(f"{response.status} {data[:200]!r}")
                    else:
                        self.done += 1
                        self.on_answer(data)
            conn.close()

        t = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        return self.done / (time.perf_counter() - t)

    def on_answer(self, data: bytes) -> None:
        pass


def _pgbench(url: str, script: str, tmp: Path, defines: dict[str, int]) -> float:
    path = tmp / "script.sql"
    path.write_text(script)
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        return _psycopg_loop(url, script, defines)
    args = [pgbench, "-n", "-c", str(CLIENTS), "-j", "2", "-T", str(int(SECONDS)), "-f", str(path)]
    for k, v in defines.items():
        args += ["-D", f"{k}={v}"]
    done = subprocess.run([*args, url], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    assert match, done.stdout + done.stderr
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    assert failed is None or failed.group(1) == "0", done.stdout
    return float(match.group(1))


def _psycopg_loop(url: str, script: str, defines: dict[str, int]) -> float:
    import psycopg

    stop = time.monotonic() + SECONDS
    counts = [0] * CLIENTS
    sql = re.sub(r"\\set .*\n", "", script)

    def client(n: int) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            while time.monotonic() < stop:
                n = random.randint(1, defines.get("maxid", 2_000_000_000))
                text = sql.replace(":id", str(n)).replace(":n", str(n))
                with conn.transaction():
                    for statement in filter(None, (s.strip() for s in text.split(";\n"))):
                        conn.execute(statement.rstrip(";"))
                counts[n] += 1

    t = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sum(counts) / (time.perf_counter() - t)


def run() -> list[str]:
    base = _server()
    try:
        _admin(base, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    except Exception as exc:
        return [f"skipped: PostgreSQL not reachable ({exc.__class__.__name__})"]
    _admin(base, f'CREATE DATABASE "{DB}"')
    url = f"{base}/{DB}"
    tmp = Path(tempfile.mkdtemp(prefix="bench-http-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="shequ.settings",
        DATABASE_URL=url,
        SHEQU_DATA_DIR=str(tmp / "data"),
        SHEQU_API_TOKEN_RATE_PER_MINUTE="0",  # noqa: S106 - a limit, not a secret
        LOG_LEVEL="WARNING",
    )
    server: subprocess.Popen[bytes] | None = None
    try:
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        facts = json.loads(done.stdout.strip().splitlines()[-1])
        port = _free_port()
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        server = subprocess.Popen(
            [gunicorn, "shequ.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "4", "--log-level", "warning"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        body = json.dumps(
            {
                "unit_id": facts["unit"], "item": "LD-001", "channel": "window",
                "applicant_kind": "caller", "contact_name": "向桂英",
                "contact_phone": "13972700019", "summary": "就业登记",
            }
        ).encode()  # fmt: skip
        ids: list[int] = []

        class Intake(Load):
            def on_answer(self, data: bytes) -> None:
                ids.append(int(json.loads(data)["id"]))

        intake = Intake(port, facts["token"])
        # warm up: each process's first requests import and build what later ones reuse
        intake.run(lambda n, i: ("POST", "/api/v1/services/cases/", body, 201), seconds=3)
        intake.errors.clear()
        intake_rate = intake.run(lambda n, i: ("POST", "/api/v1/services/cases/", body, 201))
        read = Load(port, facts["token"])
        read_rate = read.run(
            lambda n, i: ("GET", f"/api/v1/services/cases/{random.choice(ids)}/", None, 200)
        )
        errors = intake.errors + read.errors
        if errors:
            raise AssertionError(f"{len(errors)} failed requests, e.g. {errors[:3]}")

        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(RAW_SCHEMA)
        raw_insert = _pgbench(
            url, "\\set n random(1, 2000000000)\nBEGIN;\n" + RAW_INSERT + "END;\n", tmp, {}
        )
        with psycopg.connect(url, autocommit=True) as conn:
            maxid = conn.execute("SELECT max(id) FROM bench_case").fetchone()[0]  # type: ignore[index]
        raw_read = _pgbench(
            url,
            "\\set id random(1, :maxid)\nSELECT * FROM bench_case WHERE id = :id;\n",
            tmp,
            {"maxid": int(maxid)},
        )
        tool = "pgbench" if shutil.which("pgbench") else "psycopg loop"
        return [
            f"HTTP intake POST /api/v1/services/cases/: {intake_rate:.0f}/s ({intake.done} cases, "
            f"0 errors) vs raw insert case+event {raw_insert:.0f} tx/s ({tool}): "
            f"{intake_rate / raw_insert:.3f}x",
            f"HTTP read GET /api/v1/services/cases/{{id}}/: {read_rate:.0f}/s ({read.done}, 0 errors)"
            f" vs raw primary-key select {raw_read:.0f} tx/s ({tool}): {read_rate / raw_read:.3f}x",
            f"({CLIENTS} clients, {SECONDS:.0f} s each; gunicorn 2 processes x 4 threads)",
        ]
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)
        _admin(base, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
