"""Backup and restore of one Shequ site: its database, its media files and the data
directory's keys (``manage.py backup`` / ``manage.py restore``, docs/operations.md).

A backup is a directory::

    manifest.json     what is inside: engine, when, each table's row count and checksum,
                      each file's SHA-256, the key-derivation salt
    database.sqlite3  SQLite's online backup (a consistent copy while the site runs), or
    database.pgdump   pg_dump's custom format (one consistent snapshot)
    media.tar.gz      uploaded scans and photos (MEDIA_ROOT)
    keys.enc          the data directory's keys (secret_key, field_key, blind_index_key),
                      encrypted with a key derived from the operator's passphrase (scrypt)

Without the field keys the ID numbers and phones in the database cannot be read, and
without the blind-index key they cannot be found: a backup that leaves them out restores
a database nobody can use; one that holds them in clear hands the registry to whoever
reads the backup disk. Hence the passphrase. Restore decrypts the keys first, so a wrong
passphrase stops it before anything is written, and it refuses a database that already
holds tables unless told ``--force``. After restoring it recomputes every table's row
count and checksum and compares them with the manifest.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

FORMAT = 1
KEY_FILES = ("secret_key", "field_key", "blind_index_key")
MIN_PASSPHRASE = 12


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass(frozen=True)
class Fingerprint:
    rows: int
    sha256: str


# --- what a database holds, table by table ---------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def table_fingerprints(conn: BaseDatabaseWrapper | None = None) -> dict[str, Fingerprint]:
    """Every table's row count and a checksum of its rows in primary-key order."""
    conn = conn or connection
    out: dict[str, Fingerprint] = {}
    with conn.cursor() as cursor:
        tables = sorted(conn.introspection.table_names(cursor))
        for table in tables:
            pk = conn.introspection.get_primary_key_column(cursor, table)
            quoted = conn.ops.quote_name(table)
            order = f" ORDER BY {conn.ops.quote_name(pk)}" if pk else ""
            cursor.execute(f"SELECT * FROM {quoted}{order}")  # noqa: S608 - names from introspection
            digest = hashlib.sha256()
            rows = 0
            while chunk := cursor.fetchmany(2000):
                for row in chunk:
                    digest.update(repr(tuple(_plain(v) for v in row)).encode())
                    rows += 1
            if not pk:  # no order to rely on: a checksum independent of it
                digest = hashlib.sha256(str(rows).encode())
            out[table] = Fingerprint(rows, digest.hexdigest())
    return out


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# --- the keys, under a passphrase ------------------------------------------------------------


def _fernet(passphrase: str, salt: bytes) -> Fernet:
    key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(
            f"口令至少 {MIN_PASSPHRASE} 个字符 / the passphrase needs {MIN_PASSPHRASE} characters"
        )


# --- the database engines --------------------------------------------------------------------


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库 / unsupported database: {vendor}")
    return vendor


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(cmd: list[str]) -> None:
    tool = shutil.which(cmd[0])
    if tool is None:
        raise BackupError(f"找不到 {cmd[0]} / {cmd[0]} is not installed (postgresql-client)")
    done = subprocess.run([tool, *cmd[1:]], env=_pg_env(), capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]}: {done.stderr.strip()}")


def _sqlite_path() -> Path:
    return Path(str(settings.DATABASES["default"]["NAME"]))


def _has_tables() -> bool:
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


# --- backup ----------------------------------------------------------------------------------


def backup(target: Path, passphrase: str) -> dict[str, Any]:
    """Write a backup directory at ``target`` (which must not exist) and return its manifest."""
    check_passphrase(passphrase)
    engine = _engine()
    if target.exists():
        raise BackupError(f"{target} 已存在 / already exists")
    work = target.with_name(target.name + ".partial")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    try:
        files: dict[str, str] = {}
        if engine == "sqlite":
            connection.close()
            source = sqlite3.connect(_sqlite_path())
            dest = sqlite3.connect(work / "database.sqlite3")
            with dest:
                source.backup(dest)
            source.close()
            dest.close()
            files["database.sqlite3"] = ""
        else:
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(work / "database.pgdump"),
                ]
            )
            files["database.pgdump"] = ""
        # The table checksums are taken from the copy just made, so they describe it exactly
        # even while the site goes on writing.
        tables = _fingerprints_of_copy(work, engine)

        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(work / "media.tar.gz", "w:gz") as tar:
            if media.is_dir():
                tar.add(media, arcname="media")
        files["media.tar.gz"] = ""

        data_dir = Path(settings.DATA_DIR)
        keys = {
            name: (data_dir / name).read_text() for name in KEY_FILES if (data_dir / name).is_file()
        }
        salt = os.urandom(16)
        (work / "keys.enc").write_bytes(
            _fernet(passphrase, salt).encrypt(json.dumps(keys).encode())
        )
        files["keys.enc"] = ""

        for name in files:
            files[name] = _file_sha256(work / name)
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "engine": engine,
            "salt": base64.b64encode(salt).decode(),
            "key_files": sorted(keys),
            "files": files,
            "tables": {t: {"rows": f.rows, "sha256": f.sha256} for t, f in tables.items()},
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _fingerprints_of_copy(work: Path, engine: str) -> dict[str, Fingerprint]:
    if engine == "sqlite":
        # Read the copy through Django's own introspection and value conversion, so the
        # figures compare with those of the restored database.
        from django.db import connections

        alias = "_backup_copy"
        connections.settings[alias] = {
            **settings.DATABASES["default"],
            "NAME": str(work / "database.sqlite3"),
        }
        try:
            copy = connections[alias]
            try:
                return table_fingerprints(copy)
            finally:
                copy.close()
        finally:
            del connections[alias]
            connections.settings.pop(alias, None)
    # pg_dump took one snapshot; with the site quiet (as a scheduled backup finds it) the
    # live tables match it. A busy site's figures may differ by the rows written since.
    return table_fingerprints()


# --- restore ---------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((source / "manifest.json").read_text())
    except FileNotFoundError:
        raise BackupError(f"{source} 不是备份目录 / is not a backup (no manifest.json)") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')} 不支持 / unsupported format")
    for name, sha in manifest["files"].items():
        if not (source / name).is_file() or _file_sha256(source / name) != sha:
            raise BackupError(f"{name} 已损坏或缺失 / is damaged or missing")
    return manifest


def restore(source: Path, passphrase: str, *, force: bool = False) -> list[str]:
    """Restore the backup at ``source`` into this site; return the tables whose figures
    differ from the manifest (empty when the restore is exact)."""
    manifest = read_manifest(source)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(
            f"备份来自 {manifest['engine']},本站为 {engine} / "
            f"the backup is of {manifest['engine']}, this site runs {engine}"
        )
    salt = base64.b64decode(manifest["salt"])
    try:
        keys: dict[str, str] = json.loads(
            _fernet(passphrase, salt).decrypt((source / "keys.enc").read_bytes())
        )
    except InvalidToken:
        raise BackupError("口令错误 / wrong passphrase: nothing was restored") from None
    if _has_tables() and not force:
        raise BackupError(
            "目标数据库已有数据表;确认覆盖请加 --force / "
            "the database already holds tables; add --force to overwrite it"
        )
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()) and not force:
        raise BackupError(f"{media} 不为空;确认覆盖请加 --force / is not empty; add --force")

    if engine == "sqlite":
        connection.close()
        target = _sqlite_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(source / "database.sqlite3")
        dest = sqlite3.connect(target)
        with dest:
            src.backup(dest)
        src.close()
        dest.close()
    else:
        cmd = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        if force:
            cmd += ["--clean", "--if-exists"]
        connection.close()
        _run(
            [
                *cmd,
                "--dbname",
                str(settings.DATABASES["default"]["NAME"]),
                str(source / "database.pgdump"),
            ]
        )

    if force and media.is_dir():
        shutil.rmtree(media)
    unpacked = media.with_name(media.name + ".restoring")
    shutil.rmtree(unpacked, ignore_errors=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as tar:
        tar.extractall(unpacked, filter="data")
    media.mkdir(parents=True, exist_ok=True)
    if (unpacked / "media").is_dir():
        for item in (unpacked / "media").iterdir():
            shutil.move(str(item), media / item.name)
    shutil.rmtree(unpacked, ignore_errors=True)

    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, value in keys.items():
        if name not in KEY_FILES:
            continue
        path = data_dir / name
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(value)

    found = table_fingerprints()
    expected = manifest["tables"]
    return sorted(
        t
        for t in set(found) | set(expected)
        if t not in found
        or t not in expected
        or (found[t].rows, found[t].sha256) != (expected[t]["rows"], expected[t]["sha256"])
    )
