"""Backup and restore round trip, on the database engine this suite runs on.

A site with residents (ID numbers encrypted with its field key) and an uploaded scan is
backed up; the backup is restored into an empty data directory and an empty database.
Every table's row count and checksum, computed independently on both sides, agree; the
restored site decrypts the ID numbers and finds a resident by number (so the keys came
back too); a wrong passphrase restores nothing; a database that holds tables is not
overwritten without ``--force``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings

from tests.sites import migrated_postgres, migrated_sqlite

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "enshi-backup-passphrase-433"

SEED = """
from pathlib import Path
from typing import Any
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_enshi", file=Path(DIVISIONS))
from shequ.orgs.models import OrgUnit
from shequ.people.actions import do_register_resident
from shequ.people.models import Resident
unit = OrgUnit.objects.get(code="422828100001")
for i, (name, number) in enumerate([("向秀英", "422801196807151852"), ("田大山", "422801197503120015")]):
    do_register_resident(None, unit=unit, name=name, id_number=number, phone=f"1390718556{i}")
"""

READ = """
import json
from shequ.management.backups import table_fingerprints
from shequ.orgs.crypto import cipher
from shequ.people.crypto import id_number_index
from shequ.people.models import Resident
tables = {t: [f.rows, f.sha256] for t, f in table_fingerprints().items()}
people, found = [], None
if tables:
    people = sorted((r.name, cipher().decrypt(r.id_number_enc)) for r in Resident.objects.all())
    hit = Resident.objects.filter(id_number_index=id_number_index("422801196807151852"))
    found = hit.values_list("name", flat=True).first()
print(json.dumps({"tables": tables, "people": people, "found": found}, ensure_ascii=False))
"""


def _divisions(tmp: Path) -> Path:
    """A slice of the real division file: the prefecture, Hefeng county and its units."""
    lines = (ROOT / "data" / "enshi_divisions.csv").read_text().splitlines()
    keep = [lines[0]] + [
        line for line in lines[1:] if line.startswith(("420000", "422800000000", "422828"))
    ]
    path = tmp / "divisions.csv"
    path.write_text("\n".join(keep) + "\n")
    return path


class Site:
    def __init__(self, data_dir: Path, database_url: str | None) -> None:
        self.data_dir = data_dir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        self.env.pop("DATABASE_URL", None)
        self.env.update(SHEQU_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="shequ.settings")
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def manage(
        self, *args: str, check: bool = True, **env: str
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=600,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def read(self) -> dict[str, Any]:
        out = self.manage("shell", "-c", READ).stdout.strip().splitlines()[-1]
        return dict(json.loads(out))


def _pg_base() -> str | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return None
    host, port, user = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432, db["USER"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}"


@pytest.fixture
def two_databases() -> Iterator[tuple[str | None, str | None]]:
    base = _pg_base()
    if base is None:
        yield None, None
        return
    source = migrated_postgres(base)  # the restore's target stays empty
    names = [source.rsplit("/", 1)[1], f"shequ_bk_{uuid.uuid4().hex[:8]}_dst"]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{names[1]}"')
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.own_site
def test_a_backup_restores_into_an_empty_site_exactly(
    tmp_path: Path, two_databases: tuple[str | None, str | None]
) -> None:
    source_url, target_url = two_databases
    source = Site(tmp_path / "source", source_url)
    if source_url is None:
        migrated_sqlite(source.data_dir / "shequ.sqlite3")
    seed = f"DIVISIONS = {str(_divisions(tmp_path))!r}\n" + SEED
    source.manage("shell", "-c", seed)
    scan = source.data_dir / "media" / "agency" / "授权委托书.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"%PDF-1.4\n% signed\n%%EOF\n")
    before = source.read()
    assert before["found"] == "向秀英"

    backup = tmp_path / "backup-2026-12-02"
    done = source.manage("backup", str(backup), SHEQU_BACKUP_PASSPHRASE=PASSPHRASE)
    assert "keys: blind_index_key, field_key, secret_key" in done.stdout
    assert b"422801196807151852" not in (backup / "keys.enc").read_bytes()
    dump = "database.pgdump" if source_url else "database.sqlite3"
    assert sorted(p.name for p in backup.iterdir()) == sorted(
        [dump, "keys.enc", "manifest.json", "media.tar.gz"]
    )
    field_key = (source.data_dir / "field_key").read_text().strip()
    assert field_key.encode() not in (backup / "keys.enc").read_bytes()  # not in clear

    target = Site(tmp_path / "target", target_url)
    wrong = target.manage(
        "restore", str(backup), check=False, SHEQU_BACKUP_PASSPHRASE="not-the-passphrase"
    )
    assert wrong.returncode != 0 and "wrong passphrase" in wrong.stderr
    assert target.read()["tables"] == {}  # nothing written

    done = target.manage("restore", str(backup), SHEQU_BACKUP_PASSPHRASE=PASSPHRASE)
    assert "every table matches" in done.stdout
    after = target.read()
    assert after["tables"] == before["tables"]
    assert len(after["tables"]) > 40  # every app's tables, not an empty shell
    assert after["people"] == before["people"]  # decrypted with the restored field key
    assert after["found"] == "向秀英"  # found through the restored blind-index key
    assert (
        target.data_dir / "media" / "agency" / "授权委托书.pdf"
    ).read_bytes() == scan.read_bytes()
    for key in ("field_key", "blind_index_key", "secret_key"):
        assert (target.data_dir / key).read_text() == (source.data_dir / key).read_text()
        assert (target.data_dir / key).stat().st_mode & 0o077 == 0

    again = target.manage("restore", str(backup), check=False, SHEQU_BACKUP_PASSPHRASE=PASSPHRASE)
    assert again.returncode != 0 and "--force" in again.stderr
