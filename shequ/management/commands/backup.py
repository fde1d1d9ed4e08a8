from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shequ.management.backups import BackupError, backup
from shequ.management.passphrase import add_passphrase_arguments, read_passphrase


class Command(BaseCommand):
    help = (
        "Back up the database, the media files and the data directory's keys (encrypted "
        "with a passphrase) into a new directory. See docs/operations.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", type=Path, help="the backup directory to create")
        add_passphrase_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["target"], read_passphrase(options))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"backup: {options['target']} ({manifest['engine']}, {len(manifest['tables'])} "
            f"tables, {rows} rows, keys: {', '.join(manifest['key_files']) or 'none'})"
        )
