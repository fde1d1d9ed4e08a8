"""Re-encrypt the portal's phone numbers (accounts, callback requests) under the current
field key, after a new key was put first in SHEQU_FIELD_KEYS (see people's
``rotate_field_keys`` for the registry). Blind indexes do not change."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from shequ.lib.crypto import InvalidToken
from shequ.orgs.crypto import cipher
from shequ.portal.models import Account, CallbackRequest


class Command(BaseCommand):
    help = "Re-encrypt the portal's phone numbers under the current field key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        c = cipher()
        batch = max(1, options["batch_size"])
        models: tuple[type[Any], ...] = (Account, CallbackRequest)
        for model in models:
            done = 0
            while True:
                with transaction.atomic():
                    rows: list[Any] = list(
                        model._default_manager.select_for_update()
                        .exclude(key_id=c.current_key_id)
                        .order_by("pk")
                        .only("pk", "phone_enc", "key_id")[:batch]
                    )
                    if not rows:
                        break
                    for row in rows:
                        try:
                            row.phone_enc = c.rotate(row.phone_enc)
                        except InvalidToken:
                            raise CommandError(
                                f"{model.__name__} {row.pk} uses key {row.key_id}, which is not "
                                "in SHEQU_FIELD_KEYS; add it back (after the new key) and rerun"
                            ) from None
                        row.key_id = c.current_key_id
                    model._default_manager.bulk_update(rows, ["phone_enc", "key_id"])
                done += len(rows)
            self.stdout.write(f"re-encrypted {done} {model._meta.verbose_name_plural}")
