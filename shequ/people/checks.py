"""Start-up check: the field keys must be usable, or the site must not start."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

from shequ.lib.crypto import FieldCipher


def check_field_keys(**kwargs: Any) -> list[CheckMessage]:
    try:
        FieldCipher(settings.SHEQU_FIELD_KEYS, settings.SHEQU_BLIND_INDEX_KEY)
    except ValueError as error:
        return [
            Error(
                f"SHEQU_FIELD_KEYS / SHEQU_BLIND_INDEX_KEY: {error}",
                hint="Generate a key with `manage.py rotate_field_keys --new-key`.",
                id="people.E001",
            )
        ]
    return []
