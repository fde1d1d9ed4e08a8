"""Field encryption with key rotation (MultiFernet) and an HMAC blind index.

Keys: a list of Fernet keys, the first one current. Rotating means putting a new key
first, keeping the old ones until every row has been re-encrypted
(``manage.py rotate_field_keys``), then dropping them. The blind-index key is separate
and is never rotated with them: the index of a value must stay the same, or exact
lookups and the uniqueness of ID numbers would break. Changing it means rebuilding
every index from the decrypted values.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = ["FieldCipher", "InvalidToken", "fernet_key", "key_id", "new_fernet_key"]


def new_fernet_key() -> str:
    return Fernet.generate_key().decode("ascii")


def fernet_key(value: str) -> str:
    """A Fernet key from ``value``: 32 bytes url-safe base64, padding optional.

    ``secrets.token_urlsafe(32)`` (what the data-directory secret file holds) is such a
    value without its padding. Anything else is refused loudly.
    """
    value = value.strip()
    padded = value + "=" * (-len(value) % 4)
    try:
        raw = base64.urlsafe_b64decode(padded.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise ValueError("a field key must be url-safe base64") from None
    if len(raw) != 32:
        raise ValueError("a field key must encode exactly 32 bytes")
    return base64.urlsafe_b64encode(raw).decode("ascii")


def key_id(key: str) -> str:
    """A short, non-secret name for a key, stored next to each ciphertext."""
    return hashlib.sha256(b"shequ-key-id:" + fernet_key(key).encode("ascii")).hexdigest()[:12]


class FieldCipher:
    """Encrypts, decrypts and indexes personal values with the configured keys."""

    def __init__(self, keys: Sequence[str], index_key: str) -> None:
        if not keys:
            raise ValueError("at least one field key is needed")
        if not index_key:
            raise ValueError("a blind-index key is needed")
        normalised = [fernet_key(k) for k in keys]
        self._fernet = MultiFernet([Fernet(k) for k in normalised])
        self.current_key_id = key_id(normalised[0])
        self._index_key = hashlib.sha256(b"shequ-blind-index:" + index_key.encode()).digest()

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def rotate(self, token: str) -> str:
        """The same value encrypted under the current key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def blind_index(self, value: str, *, purpose: str) -> str:
        """A keyed hash of ``value`` for exact lookup; ``purpose`` keeps fields apart."""
        message = purpose.encode("utf-8") + b"\x00" + value.encode("utf-8")
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()
