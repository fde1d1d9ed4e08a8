"""The JSON API at /api/v1/: one NinjaAPI, one router per app (see docs/api.md)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as RequestInvalid
from ninja.parser import Parser
from ninja.security import django_auth

from shequ.building.api import router as building_router
from shequ.governance.api import router as governance_router
from shequ.jobs.api import router as jobs_router
from shequ.mediation.api import router as mediation_router
from shequ.orgs.apiauth import bearer
from shequ.orgs.ratelimit import RateLimited
from shequ.people.api import router as people_router
from shequ.services.api import router as services_router

logger = logging.getLogger("shequ.api")


def _storable(value: Any) -> bool:
    """False for text a database cannot hold: NUL characters (PostgreSQL refuses them)
    and lone surrogates (not encodable as UTF-8), anywhere in keys or values."""
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_storable(k) and _storable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_storable(v) for v in value)
    return True


def _refuse_unstorable(data: Any, where: str) -> None:
    if not _storable(data):
        raise RequestInvalid([{"loc": (where,), "msg": _("输入含有无法保存的字符(如空字符)。")}])


class StorableTextParser(Parser):
    """Refuse a body the database would refuse with a 500 (found by schemathesis on
    PostgreSQL); ninja answers 400 as for any body that does not parse. Query strings
    with a NUL are refused for every page by ``RequestContextMiddleware``."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        _refuse_unstorable(data, "body")
        return data


api = NinjaAPI(
    title="Shequ API",
    version="1",
    urls_namespace="api",
    # A personal token (Authorization: Bearer …) or the signed-in session.
    auth=[bearer, django_auth],
    parser=StorableTextParser(),
)
api.add_router("/people/", people_router, tags=["people"])
api.add_router("/services/", services_router, tags=["services"])
api.add_router("/jobs/", jobs_router, tags=["jobs"])
api.add_router("/building/", building_router, tags=["building"])
api.add_router("/mediation/", mediation_router, tags=["mediation"])
api.add_router("/governance/", governance_router, tags=["governance"])


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
