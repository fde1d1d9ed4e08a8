from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shequ.orgs.worker import Worker
from shequ.worker import tasks


class Command(BaseCommand):
    help = "Run the background worker (polls the database; stop with Ctrl-C or SIGTERM)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one loop and exit")
        parser.add_argument(
            "--until-idle",
            action="store_true",
            help="run loops until one finds nothing to do, then exit (a queue drained)",
        )
        parser.add_argument("--poll", type=float, default=None, help="seconds between idle polls")
        parser.add_argument(
            "--task",
            action="append",
            default=[],
            metavar="NAME",
            help="run only this task (repeatable, in the worker's order), e.g. "
            "--until-idle --task remind_confirmation_deadlines --task deliver_outbox",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        poll = options["poll"] or settings.SHEQU_WORKER_POLL_SECONDS
        listed = tasks()
        wanted = set(options["task"])
        if wanted:
            names = {task.__name__ for task in listed}
            if unknown := sorted(wanted - names):
                raise CommandError(
                    f"unknown task {', '.join(unknown)}; the tasks are: {', '.join(sorted(names))}"
                )
            listed = [task for task in listed if task.__name__ in wanted]
        worker = Worker(listed, poll_seconds=poll)
        worker.install_signal_handlers()
        worker.run(max_loops=1 if options["once"] else None, until_idle=options["until_idle"])
