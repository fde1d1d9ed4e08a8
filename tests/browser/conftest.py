"""A real server for browser tests: gunicorn and the worker on a fresh database.

The server runs in its own processes against its own database (a file SQLite database,
or a fresh PostgreSQL database when DATABASE_URL points at PostgreSQL), loaded with the
Enshi demo exactly as `make run` loads it; its settings are the production ones with a
fast password hash (``site_settings.py``). Chromium is Debian's, driven by Playwright.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.sites import (
    SQLITE_TEMPLATE_ENV,
    clone_postgres,
    create_postgres,
    given_pg_template,
    migrated_sqlite,
)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SHEQU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "enshi-433-demo"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_database(tmp: Path) -> str:
    """The server's own database: a copy of the run's migrated template when scripts/test
    made one (tests/sites.py), else an empty one its ``migrate`` fills."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        target = tmp / "browser.sqlite3"
        if os.environ.get(SQLITE_TEMPLATE_ENV):
            migrated_sqlite(target)
        return f"sqlite:///{target}"
    base, _, name = url.rpartition("/")
    browser_db = f"{name}_browser"
    template = given_pg_template(base)
    if template is not None:
        clone_postgres(base, template, browser_db)
    else:
        create_postgres(base, browser_db)
    return f"{base}/{browser_db}"


@dataclass(frozen=True)
class Site:
    url: str
    env: dict[str, str]

    def manage(self, *args: str, timeout: float = 120) -> str:
        """Run a management command against the site's database (as its operator would):
        ``site.manage("worker", "--once", "--task", …)`` runs a worker task now instead
        of waiting for the site's worker loop to reach it."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return done.stdout


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does)")
    tmp = tmp_path_factory.mktemp("site")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.site_settings",  # passwords hashed fast
        "SHEQU_DATA_DIR": str(tmp),
        "DATABASE_URL": _server_database(tmp),
        "SHEQU_DEMO_PASSWORD": DEMO_PASSWORD,
        "SHEQU_WORKER_POLL_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    python = sys.executable
    for args in (
        ["migrate", "--no-input", "-v0"],
        ["load_demo"],
        ["collectstatic", "--no-input", "-v0"],
    ):
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True)
    gunicorn = shutil.which("gunicorn", path=str(Path(python).parent)) or "gunicorn"
    log = (tmp / "server.log").open("w")
    procs = [
        subprocess.Popen(
            [
                gunicorn,
                "shequ.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [python, "manage.py", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
    ]
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:  # refused, reset, timed out, or 503 until the worker beats
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    "the server did not become healthy:\n"
                    + (tmp / "server.log").read_text()[-3000:]
                )
            time.sleep(0.3)
        yield Site(url, env)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


@pytest.fixture(scope="session")
def live_server_url(live_site: Site) -> str:
    return live_site.url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, live_server_url: str) -> Iterator[object]:
    context = browser.new_context(base_url=live_server_url, locale="zh-CN")  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: object, name: str) -> None:
    """Save a screenshot when SHEQU_SCREENSHOTS names a directory (for looking at pages)."""
    folder = os.environ.get("SHEQU_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
