"""Re-encrypt every ID number and phone under the current field key.

Rotation, step by step:
1. ``manage.py rotate_field_keys --new-key`` prints a fresh key.
2. Put it first in SHEQU_FIELD_KEYS, keeping the old keys after it, and restart.
   New rows use the new key at once; old rows stay readable with the old keys.
3. ``manage.py rotate_field_keys`` re-encrypts the old rows in batches, each batch its own
   transaction. If it is interrupted, run it again: it continues with the rows still
   under an old key (``Resident.key_id``).
4. When it reports nothing left, drop the old keys from SHEQU_FIELD_KEYS.
The blind-index key (SHEQU_BLIND_INDEX_KEY) is not touched: lookups keep working throughout.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from shequ.lib.crypto import InvalidToken, new_fernet_key
from shequ.people.crypto import cipher
from shequ.people.models import Resident, ResidentUnit


class Command(BaseCommand):
    help = "Re-encrypt personal numbers under the current field key (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--max-batches",
            type=int,
            default=0,
            help="stop after this many batches (0: until done); run again to continue",
        )
        parser.add_argument("--new-key", action="store_true", help="print a new key and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(new_fernet_key())
            return
        c = cipher()
        batch_size = max(1, options["batch_size"])
        done = batches = 0
        while not options["max_batches"] or batches < options["max_batches"]:
            with transaction.atomic():
                rows = list(
                    Resident.objects.select_for_update()
                    .exclude(key_id=c.current_key_id)
                    .order_by("pk")
                    .only("pk", "id_number_enc", "phone_enc", "key_id")[:batch_size]
                )
                if not rows:
                    break
                for r in rows:
                    try:
                        r.id_number_enc = c.rotate(r.id_number_enc)
                        if r.phone_enc:
                            r.phone_enc = c.rotate(r.phone_enc)
                    except InvalidToken:
                        raise CommandError(
                            f"resident {r.pk} was encrypted with key {r.key_id}, which is not in "
                            "SHEQU_FIELD_KEYS; add it back (after the new key) and run again"
                        ) from None
                    r.key_id = c.current_key_id
                Resident.objects.bulk_update(rows, ["id_number_enc", "phone_enc", "key_id"])
            done += len(rows)
            batches += 1
        left = Resident.objects.exclude(key_id=c.current_key_id).count()
        self.stdout.write(f"re-encrypted {done} residents; {left} still under an older key")
        budget = options["max_batches"] - batches if options["max_batches"] else None
        if not left:
            left = self._rotate_units(batch_size, budget)
        if not left:
            self.stdout.write("all rows use the current key: older keys may now be removed")

    def _rotate_units(self, batch_size: int, batches_left: int | None) -> int:
        """Resident units' contact mobiles, once the residents are done."""
        c = cipher()
        pending = ResidentUnit.objects.exclude(key_id=c.current_key_id).exclude(
            contact_phone_enc=""
        )
        done = batches = 0
        while batches_left is None or batches < batches_left:
            with transaction.atomic():
                rows = list(
                    pending.select_for_update()
                    .order_by("pk")
                    .only("pk", "contact_phone_enc", "key_id")[:batch_size]
                )
                if not rows:
                    break
                for ru in rows:
                    try:
                        ru.contact_phone_enc = c.rotate(ru.contact_phone_enc)
                    except InvalidToken:
                        raise CommandError(
                            f"resident unit {ru.pk} was encrypted with key {ru.key_id}, which "
                            "is not in SHEQU_FIELD_KEYS; add it back and run again"
                        ) from None
                    ru.key_id = c.current_key_id
                ResidentUnit.objects.bulk_update(rows, ["contact_phone_enc", "key_id"])
            done += len(rows)
            batches += 1
        left = pending.count()
        if done or left:
            self.stdout.write(
                f"re-encrypted {done} resident units; {left} still under an older key"
            )
        return left
