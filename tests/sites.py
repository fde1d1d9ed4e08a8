"""Databases for tests that start their own processes (backup and restore, the worker's
crash, the killed processes, ``scripts/run``): migrated once per test run and copied for
each site, since a fresh ``migrate`` of the whole schema costs about 25 s of CPU.

SQLite: the template is a file, copied. PostgreSQL: the template is a database, cloned
with ``CREATE DATABASE … TEMPLATE``. A site's own ``migrate`` then has nothing to apply.

``scripts/test`` migrates the two templates once, before its lanes start, and names them
in ``SHEQU_TEST_SQLITE_TEMPLATE`` (a file) and ``SHEQU_TEST_PG_TEMPLATE`` (a database
URL); every lane then copies them — the test database itself (``template_test_database``,
used by the root conftest), the browser tests' server and these sites — so a run migrates
once per database engine instead of once per database.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SQLITE_TEMPLATE_ENV = "SHEQU_TEST_SQLITE_TEMPLATE"
PG_TEMPLATE_ENV = "SHEQU_TEST_PG_TEMPLATE"
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
    given = os.environ.get(SQLITE_TEMPLATE_ENV, "")
    if _sqlite_template is None and given and Path(given).is_file():
        _sqlite_template = Path(given)
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
    template = _pg_templates.get(base) or given_pg_template(base)
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
    clone_postgres(base, template, name)
    return f"{base}/{name}"


def create_postgres(base: str, name: str) -> None:
    """An empty database ``name`` (dropped first if it is there)."""
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def given_pg_template(base: str) -> str | None:
    given = os.environ.get(PG_TEMPLATE_ENV, "")
    given_base, _, name = given.rpartition("/")
    return name if given and given_base == base else None


def clone_postgres(base: str, template: str, name: str) -> None:
    """``CREATE DATABASE name TEMPLATE template``; two lanes cloning one template at the
    same moment make PostgreSQL refuse one of them ("being accessed by other users"), so a
    refused clone is tried again."""
    for attempt in range(30):
        try:
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 29:
                raise
            time.sleep(0.5)


def template_test_database(db: Any, data_dir: Path) -> str | None:
    """Point the test database of ``db`` (a ``DATABASES`` entry) at a copy of the run's
    migrated template, when ``scripts/test`` made one for its engine; the name of the
    copy, or None (pytest-django then migrates a test database as usual)."""
    test = db.setdefault("TEST", {})
    if db["ENGINE"] == "django.db.backends.sqlite3":
        given = os.environ.get(SQLITE_TEMPLATE_ENV, "")
        if not given or not Path(given).is_file():
            return None
        target = data_dir / "test-database.sqlite3"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(given, target)
        test["NAME"] = str(target)
        return str(target)
    if db["ENGINE"] == "django.db.backends.postgresql":
        base = f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}"
        base += f":{db.get('PORT') or 5432}"
        template = given_pg_template(base)
        if template is None:
            return None
        name = test.get("NAME") or f"test_{db['NAME']}"
        clone_postgres(base, template, name)
        test["NAME"] = name
        return name
    return None


def drop_postgres(db: Any, name: str) -> None:
    base = f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}"
    _drop(f"{base}:{db.get('PORT') or 5432}", name)


def _drop(base: str, name: str) -> None:
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _main(argv: list[str]) -> int:
    """``python -m tests.sites`` for scripts/test: ``create-pg BASE NAME`` (an empty
    database), ``drop-pg BASE NAME``, ``seal-sqlite FILE`` (checkpoint the WAL into the
    file, so that a plain copy of it is complete)."""
    match argv:
        case ["create-pg", base, name]:
            create_postgres(base, name)
        case ["drop-pg", base, name]:
            _drop(base, name)
        case ["seal-sqlite", file]:
            import sqlite3

            conn = sqlite3.connect(file)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.close()
        case _:
            print(_main.__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
