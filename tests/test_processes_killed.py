"""Several processes on one PostgreSQL, two of them killed mid-load: nothing lost, nothing
twice.

Two web processes (gunicorn, as ``make run`` serves) and two workers run against a fresh
PostgreSQL database. Eight clients file cases through ``POST /api/v1/services/cases/``,
each case under its own ``Idempotency-Key``; a client that gets no answer (the process
died, the connection dropped) retries the same key on the other web process until it
gets one, as a county system or a village point would. Every case tells its applicant
by SMS through the outbox. Mid-load one web process and one worker holding claimed
messages are killed with SIGKILL. Afterwards every case exists exactly once, every case's
message exists once and was delivered once, and no claim is left unfinished.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

from tests.sites import migrated_postgres

ROOT = Path(__file__).resolve().parent.parent
CASES = 160
CLIENTS = 8

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="several processes on one database: the PostgreSQL run of the suite",
)

SETUP = """
import json
from pathlib import Path
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_enshi", file=Path(DIVISIONS))
from shequ.orgs.actions import do_create_api_token
from shequ.orgs.models import Employment, OrgUnit, Post, Role, User
from shequ.services.catalogue import ensure_catalogue
ensure_catalogue()
unit = OrgUnit.objects.get(code="422828100001")
clerk = User.objects.create_user(username="kill-clerk", password="correct-horse-battery")
Post.objects.create(user=clerk, unit=unit, role=Role.CLERK, employment=Employment.FULL_TIME,
                    started_on="2020-01-01")
_, secret = do_create_api_token(clerk, name="load")
print(json.dumps({"token": secret, "unit": unit.pk}))
"""


def _divisions(tmp: Path) -> Path:
    lines = (ROOT / "data" / "enshi_divisions.csv").read_text().splitlines()
    keep = [lines[0]] + [
        line for line in lines[1:] if line.startswith(("420000", "422800000000", "422828"))
    ]
    path = tmp / "divisions.csv"
    path.write_text("\n".join(keep) + "\n")
    return path


@pytest.fixture
def database() -> Iterator[str]:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    base = f"postgres://{db['USER']}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    url = migrated_postgres(base)  # SETUP's migrate then has nothing to do
    name = url.rsplit("/", 1)[1]
    try:
        yield url
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _call(
    port: int, token: str, path: str, body: bytes | None = None, key: str = ""
) -> tuple[int | None, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/services/{path}",
        data=body,
        method="POST" if body is not None else "GET",
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), {}
    except (OSError, http.client.HTTPException, ValueError):
        # refused, reset, timed out, or the answer cut off mid-body: the process is gone
        return None, {}


def _wait_http(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except urllib.error.HTTPError:  # it answers (503 until a worker has beaten)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"web process on {port} did not start")


@pytest.mark.own_site
def test_kill_a_web_process_and_a_worker_mid_load(tmp_path: Path, database: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="shequ.settings",
        DATABASE_URL=database,
        SHEQU_DATA_DIR=str(tmp_path / "data"),
        SHEQU_API_TOKEN_RATE_PER_MINUTE="0",
        SHEQU_NOTIFY_BACKEND="log",
        SHEQU_NOTIFY_LOG_DELAY_MS="40",
        SHEQU_SMS_GATEWAY_TIMEOUT="1",
        SHEQU_NOTIFY_LEASE_SECONDS="2",
        SHEQU_NOTIFY_BATCH="5",
        LOG_LEVEL="WARNING",
    )
    setup = f"DIVISIONS = {str(_divisions(tmp_path))!r}\n" + SETUP
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", setup],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout.strip().splitlines()[-1])

    ports = [_free_port(), _free_port()]
    log = (tmp_path / "processes.log").open("ab")
    procs: list[subprocess.Popen[bytes]] = []

    def start(cmd: list[str]) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=log,
            stderr=log,
        )
        procs.append(proc)
        return proc

    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    webs = [
        start(
            [
                gunicorn,
                "shequ.wsgi:application",
                "--bind",
                f"127.0.0.1:{p}",
                "--workers",
                "1",
                "--threads",
                "4",
            ]
        )
        for p in ports
    ]
    workers = [
        start([sys.executable, "manage.py", "worker", "--skip-checks", "--poll", "0.1"])
        for _ in range(2)
    ]
    try:
        for port in ports:
            _wait_http(port)
        alive = list(ports)
        answered: dict[str, int] = {}
        retries = 0
        lock = threading.Lock()
        queue = list(range(CASES))

        def client() -> None:
            nonlocal retries
            while True:
                with lock:
                    if not queue:
                        return
                    n = queue.pop()
                key = f"kill-{n}"
                body = json.dumps(
                    {
                        "unit_id": facts["unit"],
                        "item": "SQ-003",
                        "channel": "api",
                        "applicant_kind": "caller",
                        "contact_name": f"来电人{n}",
                        "contact_phone": f"139{n:08d}",
                        "summary": "多进程压测",
                    }
                ).encode()
                case: dict[str, Any] = {}
                for _attempt in range(40):  # file it; a retry carries the same key
                    status, case = _call(random.choice(alive), facts["token"], "cases/", body, key)
                    if status is not None and status < 500:
                        break
                    with lock:
                        retries += 1
                    time.sleep(0.2)
                if status not in (200, 201):
                    with lock:
                        answered[key] = status or 0
                    continue
                # accept it (the applicant is texted); a lost answer is checked by reading
                step = f"cases/{case['id']}/steps/accept/"
                for _attempt in range(40):
                    port = random.choice(alive)
                    status, _ = _call(port, facts["token"], step, b"{}")
                    if status == 422:  # accepted by the try whose answer was lost?
                        status, case = _call(port, facts["token"], f"cases/{case['id']}/")
                        if status == 200 and case["status"] != "received":
                            break
                    elif status is not None and status < 500:
                        break
                    with lock:
                        retries += 1
                    time.sleep(0.2)
                with lock:
                    answered[key] = status or 0

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for t in threads:
            t.start()

        def db(sql: str, *args: Any) -> list[tuple[Any, ...]]:
            with psycopg.connect(database) as conn:
                return conn.execute(sql, args).fetchall()

        # Mid-load: the worker that holds claimed, unsent messages, and one web process.
        # The worker is frozen (SIGSTOP) before its claims are counted, so a claim seen is
        # a claim it still holds when it dies; one that finished meanwhile is let go on.
        victim, held = None, 0
        deadline = time.monotonic() + 120
        while not held and time.monotonic() < deadline:
            holders = {
                r[0] for r in db("SELECT claimed_by FROM notify_message WHERE status='sending'")
            }
            victim = next(
                (w for w in workers if any(h.endswith(f":{w.pid}") for h in holders)), None
            )
            if victim is not None:
                os.killpg(victim.pid, signal.SIGSTOP)
                held = db(
                    "SELECT count(*) FROM notify_message WHERE status='sending'"
                    " AND claimed_by LIKE %s",
                    f"%:{victim.pid}",
                )[0][0]
                if not held:
                    os.killpg(victim.pid, signal.SIGCONT)
            time.sleep(0.05)
        assert victim is not None and held, f"no worker ever held a claim; answers: {answered}"
        os.killpg(victim.pid, signal.SIGKILL)
        # Mid-load means cases still to file or to accept: the messages come with the
        # acceptances, so on a fast run every case may be filed before a worker holds one.
        with lock:
            finished_before = len(answered)
        os.killpg(webs[0].pid, signal.SIGKILL)
        alive.remove(ports[0])

        for t in threads:
            t.join(300)
        assert not any(t.is_alive() for t in threads)
        assert len(answered) == CASES, f"{CASES - len(answered)} requests never answered"
        assert set(answered.values()) == {200}, answered

        # The surviving worker finishes every message, the dead one's claims included.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            left = db("SELECT count(*) FROM notify_message WHERE status <> 'sent'")[0][0]
            if left == 0:
                break
            time.sleep(0.5)

        cases = db(
            "SELECT client_token, count(*) FROM services_case WHERE client_token LIKE 'kill-%%' GROUP BY 1"
        )
        assert len(cases) == CASES and all(n == 1 for _, n in cases)  # none lost, none twice
        per_case = db(
            "SELECT c.id, m.kind, count(m.id) FROM services_case c JOIN notify_message m"
            " ON m.dedupe_key LIKE 'case:' || c.id || ':%%'"
            " WHERE c.client_token LIKE 'kill-%%' GROUP BY c.id, m.kind"
        )
        assert all(n == 1 for _, _, n in per_case), "a message doubled"
        told = {case for case, kind, _ in per_case if kind == "case.accepted"}
        assert len(told) == CASES, "an applicant not told of the acceptance"
        statuses = db("SELECT status, count(*) FROM notify_message GROUP BY 1")
        assert statuses == [("sent", len(per_case))], statuses
        deliveries = db("SELECT message_id, count(*) FROM notify_delivery GROUP BY 1")
        assert len(deliveries) == len(per_case) and all(n == 1 for _, n in deliveries)
        reclaimed = db("SELECT count(*) FROM notify_message WHERE attempts > 1")[0][0]
        assert held > 0 and reclaimed >= 1  # the dead worker's claims were finished by the other
        assert finished_before < CASES  # the kill came mid-load
        assert webs[1].poll() is None and workers[1 - workers.index(victim)].poll() is None
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
