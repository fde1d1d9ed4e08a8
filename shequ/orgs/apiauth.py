"""``Authorization: Bearer <token>`` for the JSON API, next to the session.

The request's user becomes the token's user, so the access helpers scope it exactly
like a signed-in page. Each token has its own rate limit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from shequ.lib import apikeys
from shequ.orgs import ratelimit
from shequ.orgs.models import ApiToken

# last_used_at is written at most this often per token, not on every request.
_TOUCH_EVERY = dt.timedelta(minutes=1)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .filter(secret_hash=apikeys.digest(token.strip()), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        # By digest, not pk: a reused id must not inherit a count.
        ratelimit.check(f"token:{row.secret_hash[:16]}", settings.SHEQU_API_TOKEN_RATE_PER_MINUTE)
        now = timezone.now()
        if row.last_used_at is None or row.last_used_at < now - _TOUCH_EVERY:
            # Bookkeeping, not a state change of the token: no event.
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


bearer = BearerToken()
