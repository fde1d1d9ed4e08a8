"""The JSON API at /api/v1/: one NinjaAPI, one router per app (see docs/api.md)."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as RequestInvalid
from ninja.security import django_auth

from shequ.orgs.apiauth import bearer
from shequ.orgs.ratelimit import RateLimited
from shequ.people.api import router as people_router
from shequ.services.api import router as services_router

logger = logging.getLogger("shequ.api")

api = NinjaAPI(
    title="Shequ API",
    version="1",
    urls_namespace="api",
    # A personal token (Authorization: Bearer …) or the signed-in session.
    auth=[bearer, django_auth],
)
api.add_router("/people/", people_router, tags=["people"])
api.add_router("/services/", services_router, tags=["services"])


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request,
        {
            "detail": _("请求过于频繁:每分钟最多 %(limit)d 次,请 %(seconds)d 秒后再试。")
            % {"limit": exc.verdict.limit, "seconds": exc.verdict.retry_after}
        },
        status=429,
    )
    response["Retry-After"] = str(exc.verdict.retry_after)
    return response


@api.exception_handler(RequestInvalid)
def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
    """Input that does not parse answers like the actions' own 422: a Chinese summary
    and messages per field, the shape every operation documents (found by schemathesis:
    ninja's default puts a list where the schema says a string)."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        where = [str(p) for p in error.get("loc", ()) if p not in _LOCATIONS]
        errors.setdefault(".".join(where) or "__all__", []).append(str(error.get("msg", "")))
    return api.create_response(request, {"detail": _("输入有误。"), "errors": errors}, status=422)


_LOCATIONS = {"body", "payload", "query", "path", "header", "cookie", "form"}


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": _("请求内容过大。")}, status=413)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Never a stack trace to the client, DEBUG or not; the log has it."""
    logger.exception("API error on %s", request.path)
    return api.create_response(request, {"detail": _("服务器内部错误,请稍后再试。")}, status=500)
