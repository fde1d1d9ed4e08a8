from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shequ.orgs import calendar


class Command(BaseCommand):
    help = (
        "Load a year's holidays and adjusted working days from the State Council's notice, "
        "typed one line per day or range: '2027-02-06~2027-02-13 休 春节', "
        "'2027-02-14 班 春节调休上班'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path, help="the notice as lines (UTF-8); - for stdin")
        parser.add_argument("--reference", required=True, help="the notice's number or title")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if str(path) == "-":
            import sys

            text = sys.stdin.read()
        else:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc}") from exc
        try:
            days = calendar.parse_notice(options["year"], text)
            calendar.do_import_calendar_year(
                None, year=options["year"], days=days, reference=options["reference"]
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        off = sum(1 for d in days if not d.is_working_day)
        self.stdout.write(
            f"{options['year']}: {off} days off, {len(days) - off} adjusted working days; "
            f"calendar known until {calendar.known_until()}"
        )
