"""``Authorization: Bearer <token>`` for the JSON API, next to the session.

The request's user becomes the token's user, so the access helpers scope it exactly
like a signed-in page. Each token has its own rate limit.

Below the token: what every router of /api/v1/ shares (the error shape, pages, the
``Idempotency-Key`` header), so that each app's ``api.py`` answers alike.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Header, Schema
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from shequ.lib import apikeys
from shequ.orgs import access, ratelimit, tokencache
from shequ.orgs.models import ApiToken

# last_used_at is written at most this often per token, not on every request.
_TOUCH_EVERY = dt.timedelta(minutes=1)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        secret_hash = apikeys.digest(token.strip())
        seen = tokencache.recall(secret_hash)
        if seen is None:
            seen = _look_up(secret_hash)
            if seen is None:
                return None
        # By digest, not pk: a reused id must not inherit a count.
        ratelimit.check(f"token:{seen.secret_hash[:16]}", settings.SHEQU_API_TOKEN_RATE_PER_MINUTE)
        now = timezone.now()
        if seen.last_used_at is None or seen.last_used_at < now - _TOUCH_EVERY:
            # Bookkeeping, not a state change of the token: no event.
            ApiToken.objects.filter(pk=seen.token_id).update(last_used_at=now)
            seen.last_used_at = now
        user = tokencache.user_of(seen)
        request.user = user
        return user


def _look_up(secret_hash: str) -> tokencache.Seen | None:
    """The live token of an active user, with the user's posts, remembered a few seconds
    (``orgs.tokencache``)."""
    row = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=secret_hash, revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    access.active_posts(row.user)  # memoised on the user, remembered with it
    seen = tokencache.Seen(
        user=row.user,
        token_id=row.pk,
        secret_hash=row.secret_hash,
        last_used_at=row.last_used_at,
        until=time.monotonic() + tokencache.seconds(),
    )
    if tokencache.seconds() > 0:
        tokencache.remember(seen)
    return seen


bearer = BearerToken()


class SessionAuth(NinjaSessionAuth):
    """The signed-in session, its writes CSRF-checked as on the pages.

    Only a request that has a signed-in session is checked: one without (an unknown,
    revoked or deactivated user's token, or no credentials at all) is simply not
    authenticated and answers 401 in the shared shape, not ninja's CSRF 403, so a
    script can tell a dead token from a refused write. The class keeps ninja's name,
    which the schema's security scheme is called by."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


session = SessionAuth()


# --- the shapes every router shares (docs/api.md) ----------------------------------------

# Past this page the database's OFFSET overflows; a page holds at most MAX_PAGE_SIZE rows.
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200


class ErrorOut(Schema):
    """Every error answer: a summary and, for bad input, messages per field. In Chinese,
    or in English for ``Accept-Language: en``."""

    detail: str
    errors: dict[str, list[str]] = {}


# What any operation may answer besides its own success: 401 no or bad credentials, 403
# a missing role, 404 out of scope or missing, 422 bad input (or a lost race), 429 rate.
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def answers(ok: dict[int, Any]) -> dict[int, Any]:
    """The documented answers of an operation: its own, and the shared error shape."""
    return {**ok, **ERRORS}


class PageIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


def paginate(
    rows: QuerySet[Any] | Sequence[Any], params: PageIn, render: Callable[[Any], Any]
) -> dict[str, Any]:
    """One page of ``rows`` (already in a stable order ending with the primary key, or a
    list already ranked, such as a vacancy's suggestions)."""
    start = (params.page - 1) * params.page_size
    return {
        "count": rows.count() if isinstance(rows, QuerySet) else len(rows),
        "page": params.page,
        "page_size": params.page_size,
        "items": [render(row) for row in rows[start : start + params.page_size]],
    }


# The client's key for a create: a retry with the same key returns the first result.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=64,
        pattern=r"^[\x21-\x7e]+$",
        description="同一键重试只返回第一次的结果,不会重复创建",
    ),
]


def client_key(header: str | None, body: str | None = None) -> str | None:
    """The header's key, else the body's ``client_token`` (as older clients send it)."""
    return (header or "").strip() or (body or "").strip() or None
