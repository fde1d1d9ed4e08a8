"""What a web process remembers of the API tokens it has just seen (issue 21).

Without it every API request costs two queries before its work starts: the token with
its user, and the user's active posts (the scope). A process keeps both for
``SHEQU_API_TOKEN_CACHE_SECONDS`` (5 by default; 0 turns the memory off), keyed by the
token's digest, never by the secret.

What changes a token's meaning is forgotten at once in the process that made the change
(``forget``: revoking a token, giving or ending a post, regrouping units) and within the
memory's seconds in the others: a revoked token, an ended post or a deactivated account
stops working there at most that long after. The memory is per process and bounded; it
needs no shared cache.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from shequ.orgs.models import User

# Past this many tokens a process starts afresh rather than growing (a few hundred staff
# scripts at most in a prefecture).
MAX_TOKENS = 2000


@dataclass
class Seen:
    user: User  # with its active posts memoised (``orgs.access.active_posts``)
    token_id: int
    secret_hash: str
    last_used_at: dt.datetime | None
    until: float  # time.monotonic() after which the row is read again


_seen: dict[str, Seen] = {}
_lock = threading.Lock()


def seconds() -> int:
    return int(getattr(settings, "SHEQU_API_TOKEN_CACHE_SECONDS", 0))


def recall(secret_hash: str) -> Seen | None:
    """The remembered token, if still fresh."""
    seen = _seen.get(secret_hash)
    if seen is None or seen.until < time.monotonic():
        return None
    return seen


def remember(seen: Seen) -> None:
    with _lock:
        if len(_seen) >= MAX_TOKENS:
            _seen.clear()
        _seen[seen.secret_hash] = seen


def user_of(seen: Seen) -> User:
    """A copy of the remembered user for one request, so that what a request memoises on
    its user (permission caches, say) stays with that request."""
    return copy.copy(seen.user)


def forget() -> None:
    """Forget every token now and again when the transaction commits (a request in
    another thread may have read the old rows in between)."""
    _seen.clear()
    transaction.on_commit(_seen.clear)
