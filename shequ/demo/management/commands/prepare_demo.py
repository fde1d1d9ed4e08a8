from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "What `make run` does before serving, in one process: migrate, load the demo, "
        "collect static files, and write the login banner to a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--banner", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=self.stdout)
        call_command("collectstatic", interactive=False, verbosity=0)
        with options["banner"].open("w", encoding="utf-8") as fh:
            call_command("demo_logins", url=options["url"], stdout=fh)
