"""The JSON API at /api/v1/: one NinjaAPI, one router per app (see docs/api.md)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.operation import Operation
from ninja.parser import Parser

from shequ.agency.api import router as agency_router
from shequ.building.api import router as building_router
from shequ.governance.api import router as governance_router
from shequ.jobs.api import router as jobs_router
from shequ.mediation.api import router as mediation_router
from shequ.notify.api import router as notify_router
from shequ.orgs.api import router as orgs_router
from shequ.orgs.apiauth import bearer, session
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


class ShequAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """``agency_list_points`` rather than ``shequ_agency_api_list_points``: the names
        generated clients give their functions."""
        module = operation.view_func.__module__.removeprefix("shequ.").removesuffix(".api")
        return f"{module}_{operation.view_func.__name__}"


api = ShequAPI(
    title="Shequ API",
    version="1",
    urls_namespace="api",
    # A personal token (Authorization: Bearer …) or the signed-in session.
    auth=[bearer, session],
    parser=StorableTextParser(),
)
api.add_router("/orgs/", orgs_router, tags=["orgs"])
api.add_router("/people/", people_router, tags=["people"])
api.add_router("/services/", services_router, tags=["services"])
api.add_router("/jobs/", jobs_router, tags=["jobs"])
api.add_router("/building/", building_router, tags=["building"])
api.add_router("/mediation/", mediation_router, tags=["mediation"])
api.add_router("/governance/", governance_router, tags=["governance"])
api.add_router("/agency/", agency_router, tags=["agency"])
api.add_router("/notify/", notify_router, tags=["notify"])


def _answer(request: HttpRequest, status: int, detail: str, errors: Any = None) -> HttpResponse:
    """Every error in one shape (``orgs.apiauth.ErrorOut``), in the request's language."""
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """An action refused the input: 422 with its messages per field."""
    if hasattr(exc, "error_dict"):
        return _answer(request, 422, _("输入有误。"), exc.message_dict)
    return _answer(request, 422, " ".join(exc.messages))


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _answer(request, 403, str(exc) or _("无权操作。"))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """Out of scope and missing answer alike, so a 404 tells nothing of other units."""
    return _answer(request, 404, _("未找到,或不在您的管辖范围内。"))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError) or exc.status_code == 401:
        return _answer(request, 401, _("请登录,或在请求头中提供有效的接口令牌。"))
    return _answer(request, exc.status_code, str(exc))


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(
        request,
        {
            "detail": _("请求过于频繁:每分钟最多 %(limit)d 次,请 %(seconds)d 秒后再试。")
            % {"limit": exc.verdict.limit, "seconds": exc.verdict.retry_after},
            "errors": {},
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
    return _answer(request, 413, _("请求内容过大。"))


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Never a stack trace to the client, DEBUG or not; the log has it."""
    logger.exception("API error on %s", request.path)
    # ``errors`` is left out here only: an empty list of fields is the schema's default.
    return api.create_response(request, {"detail": _("服务器内部错误,请稍后再试。")}, status=500)
