from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shequ.orgs.loading import DIVISIONS_FILE, MCA_TOWNSHIPS_FILE, load_divisions


class Command(BaseCommand):
    help = "Load Enshi's divisions (NBS 2023 codes) into the org tree; re-running changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DIVISIONS_FILE)
        parser.add_argument("--mca-file", type=Path, default=MCA_TOWNSHIPS_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_divisions(options["file"], options["mca_file"])
        parts = ", ".join(f"{kind} {n}" for kind, n in sorted(report.created.items()))
        self.stdout.write(
            f"created {report.total_created} units ({parts or 'none'}); "
            f"civil-affairs codes updated: {report.updated}"
        )
