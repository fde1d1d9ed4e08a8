"""Where backup and restore read the passphrase from: a file, the environment or a prompt
(never the command line, which other users of the host can read)."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

ENV = "SHEQU_BACKUP_PASSPHRASE"


def add_passphrase_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        help=f"a file holding the passphrase (else ${ENV}, else a prompt)",
    )


def read_passphrase(options: dict[str, Any]) -> str:
    if options.get("passphrase_file"):
        return Path(options["passphrase_file"]).read_text().strip()
    if os.environ.get(ENV):
        return os.environ[ENV]
    if sys.stdin.isatty():
        return getpass.getpass("passphrase: ")
    raise CommandError(f"no passphrase: give --passphrase-file or set {ENV}")
