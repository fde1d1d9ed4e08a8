"""Per-request context for the event log: a request id and the client's address."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from shequ.orgs.events import RequestContext, reset_request_context, set_request_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,36}$")


def has_nul(query_string: str) -> bool:
    """True when a query string carries a NUL character, which PostgreSQL cannot store
    or compare: every page's search would answer 500 instead of 400."""
    return "%00" in query_string or "\x00" in query_string


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else str(uuid.uuid4())
        ctx = RequestContext(request_id=request_id, client_ip=request.META.get("REMOTE_ADDR"))
        token = set_request_context(ctx)
        try:
            if has_nul(request.META.get("QUERY_STRING", "")):
                response: HttpResponse = HttpResponseBadRequest(
                    _("请求参数含有无法处理的字符。"), content_type="text/plain; charset=utf-8"
                )
            else:
                response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request_id
        return response


class BodyGuardMiddleware:
    """Two refusals before a view, and one header after it (issue 11):

    - a body larger than its path's limit is refused from its Content-Length, before it
      is read (a 30 MB "scan" was received whole, then refused for being over 5 MB);
    - a form field holding a NUL character is refused before any database sees it
      (PostgreSQL cannot store one; forms.CharField refuses it, but not every view reads
      its fields through one);
    - an answer to a reveal (``…/reveal``, page or API) is never stored by a browser or
      a proxy: ``Cache-Control: no-store``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"POST", "PUT", "PATCH"}:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > body_limit(request.path):
                return HttpResponse(
                    _("上传内容过大。"), status=413, content_type="text/plain; charset=utf-8"
                )
            content_type = request.META.get("CONTENT_TYPE", "")
            form = content_type.startswith(("application/x-www-form-urlencoded", "multipart/"))
            if form and any("\x00" in v for _k, vs in request.POST.lists() for v in vs):
                return HttpResponseBadRequest(
                    _("提交的内容含有无法处理的字符。"), content_type="text/plain; charset=utf-8"
                )
        response = self.get_response(request)
        if request.path.rstrip("/").endswith("/reveal"):
            response["Cache-Control"] = "no-store"
        return response


def body_limit(path: str) -> int:
    """The largest body accepted on ``path``: ``SHEQU_BODY_LIMITS`` (path prefix → bytes),
    else ``SHEQU_MAX_BODY_BYTES``."""
    from django.conf import settings

    for prefix, limit in settings.SHEQU_BODY_LIMITS.items():
        if path.startswith(prefix):
            return int(limit)
    return int(settings.SHEQU_MAX_BODY_BYTES)


class RecentConnectionMiddleware:
    """Django's ``CONN_HEALTH_CHECKS`` pings the database (``SELECT 1``) before the first
    query of every request: one more round trip per request, a third of a case read's
    (issue 21). A connection this thread used less than ``SHEQU_DB_CHECK_IDLE_SECONDS``
    ago is taken as working, so only one that sat idle longer is pinged. One that breaks
    while in use fails its request either way, and Django closes it when that request
    ends (its ``errors_occurred`` check), so the next request connects afresh."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.idle = float(settings.SHEQU_DB_CHECK_IDLE_SECONDS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.monotonic()
        for conn in connections.all(initialized_only=True):
            used_at = getattr(conn, "_shequ_used_at", None)
            if conn.connection is not None and used_at is not None and now - used_at < self.idle:
                conn.health_check_done = True  # type: ignore[attr-defined]
        try:
            return self.get_response(request)
        finally:
            done = time.monotonic()
            for conn in connections.all(initialized_only=True):
                if conn.connection is not None:
                    conn._shequ_used_at = done  # type: ignore[attr-defined]
