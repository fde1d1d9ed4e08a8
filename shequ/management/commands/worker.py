from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from shequ.orgs.worker import Worker
from shequ.worker import tasks


class Command(BaseCommand):
    help = "Run the background worker (polls the database; stop with Ctrl-C or SIGTERM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one loop and exit")
        parser.add_argument("--poll", type=float, default=None, help="seconds between idle polls")

    def handle(self, *args: Any, **options: Any) -> None:
        poll = options["poll"] or settings.SHEQU_WORKER_POLL_SECONDS
        worker = Worker(tasks(), poll_seconds=poll)
        worker.install_signal_handlers()
        worker.run(max_loops=1 if options["once"] else None)
