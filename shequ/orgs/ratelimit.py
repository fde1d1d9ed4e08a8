"""A fixed-window request counter in Django's cache, for the APIs' abuse limits.

One counter per (bucket, window): the first hit of a window creates it, each hit adds
one, and the window's key expires on its own. With several web processes the cache must
be shared (SHEQU_CACHE_URL, see docs/operations.md), or each process counts alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache


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
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return Verdict(count <= limit, limit, count, retry_after)


def check(bucket: str, limit: int, window: int = 60) -> Verdict:
    """Like ``hit`` but raises RateLimited when the limit is exceeded."""
    verdict = hit(bucket, limit, window)
    if not verdict.allowed:
        raise RateLimited(verdict)
    return verdict
