"""What users feel: case intake and case reads over HTTP against the bare database, in one run.

The real server on a fresh PostgreSQL database, 2 processes as ``make run`` starts them
(gunicorn with 4 threads each, and granian with one, where installed: both are measured,
``BENCH_HTTP_SERVERS`` picks), the clerk's API token, the rate limit off. Eight
keep-alive connections, driven by wrk where it is installed (it costs the 2-core machine
least), else by client threads in this process:

- intake: ``POST /api/v1/services/cases/`` with a new ``Idempotency-Key`` each;
- read: ``GET /api/v1/services/cases/{id}/`` over the cases just filed.

Two baselines, same database, same run, eight clients each:

- the bare database: pgbench (or a psycopg loop where pgbench is missing) inserting a
  12-column case-like row and an event row in one transaction, and selecting such a row
  by primary key — the ratio the issue asks for;
- the framework: the same insert and select as bare django-ninja endpoints in the same
  server, settings and middleware (``bench/bare_site.py``) — what Django itself reaches
  on this machine.

Reported: requests/s, the baselines' rates and the ratios; a run with any failed request
reports nothing and fails.

Uses DATABASE_URL when it is PostgreSQL, else postgres://postgres@127.0.0.1:5432; makes
and drops its own database, ``BENCH_HTTP_DB`` (default ``shequ_bench_http``).
``BENCH_HTTP_SECONDS`` (default 10) sets each phase's length.
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


def _gunicorn(bin_: Path, port: int, threads: int) -> list[str]:
    return [
        str(bin_ / "gunicorn"), "shequ.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "2", "--threads", str(threads), "--log-level", "warning",
    ]  # fmt: skip


def _granian(bin_: Path, port: int, threads: int) -> list[str]:
    return [
        str(bin_ / "granian"), "--interface", "wsgi", "shequ.wsgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
        "--blocking-threads", str(threads), "--log-level", "warning",
    ]  # fmt: skip


# name: (program, how to start it with 2 processes, threads per process)
SERVERS = {
    "gunicorn": ("gunicorn", _gunicorn, 4),
    "granian": ("granian", _granian, 1),
    "granian-4": ("granian", _granian, 4),
}

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
    """CLIENTS threads in this process, each on its own keep-alive connection, for SECONDS
    (where wrk is not installed)."""

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


WRK_POST = """
local n = 0
function setup(thread) thread:set("tid", tostring(math.random(1, 2000000000))) end
function init(args) token, body, round = args[1], args[2], args[3] end
function request()
  n = n + 1
  return wrk.format("POST", PATH, {
    ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "w-" .. round .. "-" .. tid .. "-" .. n}, body)
end
"""
WRK_GET = """
local ids = {}
function init(args)
  token = args[1]
  for line in io.lines(args[2]) do ids[#ids + 1] = line end
  math.randomseed(os.time() + #ids)
end
function request()
  return wrk.format("GET", PATH_BEFORE .. ids[math.random(1, #ids)] .. "/",
    {["Authorization"] = "Bearer " .. token})
end
"""


class Wrk:
    """wrk with 2 threads and CLIENTS connections for SECONDS; any socket error or
    unexpected status is an error."""

    def __init__(self, port: int, token: str, tmp: Path) -> None:
        self.port, self.token, self.tmp = port, token, tmp
        self.errors: list[str] = []
        self.done = 0

    def _run(self, label: str, lua: str, args: list[str], seconds: float) -> float:
        script = self.tmp / "load.lua"
        script.write_text(lua)
        done = subprocess.run(
            ["wrk", "-t2", f"-c{CLIENTS}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", str(script),
             f"http://127.0.0.1:{self.port}", "--", self.token, *args],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            self.errors.append(done.stderr[-500:])
            return 0.0
        for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: (.*)"):
            found = re.search(pattern, done.stdout)
            if found:
                self.errors.append(f"{label}: {found.group(0)}")
        self.done = int(re.search(r"(\d+) requests in", done.stdout).group(1))  # type: ignore[union-attr]
        return float(re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1))  # type: ignore[union-attr]

    def post(self, path: str, body: bytes, round_: str, seconds: float = SECONDS) -> float:
        lua = WRK_POST.replace("PATH", json.dumps(path))
        return self._run(f"POST {path}", lua, [body.decode(), round_], seconds)

    def get(self, path_before: str, ids: list[int], seconds: float = SECONDS) -> float:
        listing = self.tmp / "ids.txt"
        listing.write_text("".join(f"{i}\n" for i in ids))
        lua = WRK_GET.replace("PATH_BEFORE", json.dumps(path_before))
        return self._run(f"GET {path_before}", lua, [str(listing)], seconds)


class Threads:
    """The same two loads as ``Wrk`` from client threads in this process."""

    def __init__(self, port: int, token: str, tmp: Path) -> None:
        self.load = Load(port, token)
        self.errors = self.load.errors

    @property
    def done(self) -> int:
        return self.load.done

    def post(self, path: str, body: bytes, round_: str, seconds: float = SECONDS) -> float:
        return self.load.run(
            lambda n, i: ("POST", path, body, 201 if "services" in path else 200), seconds
        )

    def get(self, path_before: str, ids: list[int], seconds: float = SECONDS) -> float:
        return self.load.run(
            lambda n, i: ("GET", f"{path_before}{random.choice(ids)}/", None, 200), seconds
        )


def _start(name: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    _, command, threads = SERVERS[name]
    server = subprocess.Popen(
        command(Path(sys.executable).parent, port, threads),
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{name} did not start")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)


def _ids(url: str, sql: str) -> list[int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return [row[0] for row in conn.execute(sql)]


def _servers() -> list[str]:
    wanted = os.environ.get("BENCH_HTTP_SERVERS", ",".join(SERVERS)).split(",")
    here = Path(sys.executable).parent
    return [name for name in wanted if name in SERVERS and (here / SERVERS[name][0]).exists()]


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
        DJANGO_SETTINGS_MODULE="bench.bare_settings",
        DATABASE_URL=url,
        SHEQU_DATA_DIR=str(tmp / "data"),
        SHEQU_API_TOKEN_RATE_PER_MINUTE="0",  # noqa: S106 - a limit, not a secret
        LOG_LEVEL="WARNING",
    )
    loader = Wrk if shutil.which("wrk") else Threads
    lines: list[str] = []
    try:
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        facts = json.loads(done.stdout.strip().splitlines()[-1])
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(RAW_SCHEMA)
        body = json.dumps(
            {
                "unit_id": facts["unit"], "item": "LD-001", "channel": "window",
                "applicant_kind": "caller", "contact_name": "向桂英",
                "contact_phone": "13972700019", "summary": "就业登记",
            }
        ).encode()  # fmt: skip
        measured: dict[str, dict[str, float]] = {}
        for name in _servers():
            port = _free_port()
            server = _start(name, port, env)
            try:
                load = loader(port, facts["token"], tmp)
                # warm up: each process's first requests import and build what later ones reuse
                load.post("/api/v1/services/cases/", body, f"{name}-warm", seconds=3)
                load.post("/bare/insert/", b"{}", f"{name}-warm", seconds=2)
                load.errors.clear()
                first = max(_ids(url, "SELECT coalesce(max(id), 0) FROM services_case"))
                rates = {"intake": load.post("/api/v1/services/cases/", body, name)}
                rates["intake_n"] = load.done
                rates["bare_insert"] = load.post("/bare/insert/", b"{}", name)
                cases = _ids(url, f"SELECT id FROM services_case WHERE id > {int(first)}")  # noqa: S608
                rates["read"] = load.get("/api/v1/services/cases/", cases)
                rates["read_n"] = load.done
                rows = _ids(url, "SELECT id FROM bench_case ORDER BY id DESC LIMIT 5000")
                rates["bare_select"] = load.get("/bare/select/", rows)
                if load.errors:
                    raise AssertionError(f"{name}: failed requests, e.g. {load.errors[:3]}")
                measured[name] = rates
            finally:
                _stop(server)
        raw_insert = _pgbench(
            url, "\\set n random(1, 2000000000)\nBEGIN;\n" + RAW_INSERT + "END;\n", tmp, {}
        )
        (maxid,) = _ids(url, "SELECT max(id) FROM bench_case")
        raw_read = _pgbench(
            url,
            "\\set id random(1, :maxid)\nSELECT * FROM bench_case WHERE id = :id;\n",
            tmp,
            {"maxid": int(maxid)},
        )
        tool = "pgbench" if shutil.which("pgbench") else "psycopg loop"
        lines.append(
            f"raw insert case+event {raw_insert:.0f} tx/s, raw primary-key select"
            f" {raw_read:.0f} tx/s ({tool}, {CLIENTS} clients)"
        )
        for name, r in measured.items():
            lines += [
                f"{SERVERS[name][0]} 2 processes x {SERVERS[name][2]} threads, {CLIENTS} connections ({loader.__name__.lower()}),"
                f" {SECONDS:.0f} s a phase, 0 errors:",
                f"  intake POST /api/v1/services/cases/ {r['intake']:.0f}/s"
                f" ({r['intake_n']:.0f} cases): {r['intake'] / raw_insert:.3f}x the raw insert;"
                f" bare ninja insert {r['bare_insert']:.0f}/s ({r['bare_insert'] / raw_insert:.3f}x),"
                f" intake {r['intake'] / r['bare_insert']:.2f}x of it",
                f"  read GET /api/v1/services/cases/{{id}}/ {r['read']:.0f}/s"
                f" ({r['read_n']:.0f}): {r['read'] / raw_read:.3f}x the raw select;"
                f" bare ninja select {r['bare_select']:.0f}/s ({r['bare_select'] / raw_read:.3f}x),"
                f" read {r['read'] / r['bare_select']:.2f}x of it",
            ]
        return lines
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        _admin(base, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
