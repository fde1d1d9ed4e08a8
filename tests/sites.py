"""Databases for tests that start their own processes (backup and restore, the worker's
crash, the killed processes, ``scripts/run``): migrated once per test run and copied for
each site, since a fresh ``migrate`` of the whole schema costs about 25 s of CPU.

SQLite: the template is a file, copied. PostgreSQL: the template is a database, cloned
with ``CREATE DATABASE … TEMPLATE``. A site's own ``migrate`` then has nothing to apply.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
_sqlite_template: Path | None = None
_pg_templates: dict[str, str] = {}


def _migrate(data_dir: Path, database_url: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(SHEQU_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="shequ.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )


def migrated_sqlite(target: Path) -> Path:
    """Put a migrated, empty SQLite database at ``target`` (a data directory's
    ``shequ.sqlite3``, or any file a site's DATABASE_URL names)."""
    global _sqlite_template
    if _sqlite_template is None:
        folder = Path(tempfile.mkdtemp(prefix="shequ-template-"))
        atexit.register(shutil.rmtree, folder, True)
        _migrate(folder, None)
        _sqlite_template = folder / "shequ.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_sqlite_template, target)
    return target


def migrated_postgres(base: str) -> str:
    """A new database on the server at ``base`` (``postgres://user@host:port``), migrated
    and empty; its URL. The caller drops it."""
    template = _pg_templates.get(base)
    if template is None:
        template = f"shequ_template_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{template}"')
        atexit.register(_drop, base, template)
        folder = Path(tempfile.mkdtemp(prefix="shequ-template-"))
        atexit.register(shutil.rmtree, folder, True)
        _migrate(folder, f"{base}/{template}")
        _pg_templates[base] = template
    name = f"shequ_site_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return f"{base}/{name}"


def _drop(base: str, name: str) -> None:
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
