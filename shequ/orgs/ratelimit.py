"""A fixed-window request counter in Django's cache, for the APIs' abuse limits.

One counter per (bucket, window): the first hit of a window creates it, each hit adds
one, and the window's key expires on its own. With several web processes the cache must
be shared (SHEQU_CACHE_URL, see docs/operations.md), or each process counts alone.

The default cache is the database's (issue 11). Django's ``incr`` there is a read and a
write, so two processes can both read 7 and both write 8, and it costs a dozen queries;
the counter is therefore one atomic upsert on the cache table instead (SQLite ≥ 3.35 and
PostgreSQL both have ``INSERT … ON CONFLICT … RETURNING``). Redis counts atomically itself.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    count: int
    retry_after: int  # seconds until the window resets


class RateLimited(Exception):
    def __init__(self, verdict: Verdict) -> None:
        super().__init__(f"rate limit of {verdict.limit} per window exceeded")
        self.verdict = verdict


def hit(bucket: str, limit: int, window: int = 60) -> Verdict:
    """Count one request against ``bucket``; ``limit`` 0 switches the limit off."""
    now = int(time.time())
    start = now - now % window
    retry_after = start + window - now
    if limit <= 0:
        return Verdict(True, limit, 0, retry_after)
    key = f"shequ:rl:{bucket}:{start}"
    backend = caches["default"]
    if isinstance(backend, DatabaseCache):
        count = _db_incr(backend, key, start + window + 5)
    else:
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
            count = 1
    return Verdict(count <= limit, limit, count, retry_after)


def _db_incr(backend: DatabaseCache, key: str, expires_at: int) -> int:
    """One atomic ``+1`` in the cache table; the rows are ours alone (``rl|`` keys are
    never made by Django's own key function, which starts with the version)."""
    table = backend._table  # type: ignore[attr-defined]
    connection = connections[router.db_for_write(backend.cache_model_class)]
    quoted = connection.ops.quote_name(table)
    adapt = connection.ops.adapt_datetimefield_value
    expires = adapt(dt.datetime.fromtimestamp(expires_at, tz=dt.UTC))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quoted} (cache_key, value, expires) VALUES (%s, '1', %s) "  # noqa: S608
            f"ON CONFLICT (cache_key) DO UPDATE SET value = "
            f"CAST(CAST({quoted}.value AS INTEGER) + 1 AS TEXT) RETURNING value",
            [f"rl|{key}", expires],
        )
        row = cursor.fetchone()
    return int(row[0])


def check(bucket: str, limit: int, window: int = 60) -> Verdict:
    """Like ``hit`` but raises RateLimited when the limit is exceeded."""
    verdict = hit(bucket, limit, window)
    if not verdict.allowed:
        raise RateLimited(verdict)
    return verdict


def purge_expired_counters() -> int:
    """Delete the database counters of windows that have ended (a worker task)."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        return 0
    connection = connections[router.db_for_write(backend.cache_model_class)]
    quoted = connection.ops.quote_name(backend._table)  # type: ignore[attr-defined]
    now = connection.ops.adapt_datetimefield_value(dt.datetime.now(tz=dt.UTC))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quoted} WHERE cache_key LIKE %s AND expires < %s",  # noqa: S608
            ["rl|%", now],
        )
        return cursor.rowcount
