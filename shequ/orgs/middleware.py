"""Per-request context for the event log: a request id and the client's address."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

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
