"""Secrets handed to API clients: made here, stored only as a SHA-256 digest.

A digest (not a slow password hash) is enough because the secrets are 256 random bits:
nobody can guess one, so there is nothing for a slow hash to slow down, and a lookup by
digest is one indexed query per request.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX_LENGTH = 8


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(kind: str) -> tuple[str, str, str]:
    """A fresh secret ``<kind>_<random>``: returns (secret, visible prefix, digest)."""
    secret = f"{kind}_{secrets.token_urlsafe(32)}"
    return secret, secret[: len(kind) + 1 + PREFIX_LENGTH], digest(secret)
