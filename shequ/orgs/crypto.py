"""The platform's field cipher: every app encrypts personal data at rest with it.

Keys come from settings on each call (cached per key set), so tests can override them
and a rotation takes effect without a restart of the code that imported this.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from shequ.lib.crypto import FieldCipher


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...], index_key: str) -> FieldCipher:
    return FieldCipher(keys, index_key)


def cipher() -> FieldCipher:
    return _cipher(tuple(settings.SHEQU_FIELD_KEYS), settings.SHEQU_BLIND_INDEX_KEY)


def decrypt_or_blank(token: str) -> str:
    """The plain value of an encrypted column that may be empty."""
    return cipher().decrypt(token) if token else ""
