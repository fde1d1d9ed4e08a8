from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shequ.management.backups import BackupError, restore
from shequ.management.passphrase import add_passphrase_arguments, read_passphrase


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into this site's database, media directory and "
        "data directory, then check every table against the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="the backup directory")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that holds tables"
        )
        add_passphrase_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            differ = restore(options["source"], read_passphrase(options), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if differ:
            raise CommandError(
                "restored, but these tables differ from the backup: " + ", ".join(differ)
            )
        self.stdout.write(f"restore: {options['source']} restored; every table matches")
