"""Open311 GeoReport v2 at /open311/v2/ (see docs/api.md and the spec in the reference).

Views parse, ask access.py, call the action, answer in the format of the URL's
extension. Every failure is the spec's error document, never a stack trace.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import server_error as django_server_error

from shequ.open311 import access
from shequ.open311.actions import do_file_service_request
from shequ.open311.models import PartnerKey, ServiceRequest
from shequ.open311.render import FORMATS, errors, respond, w3
from shequ.orgs import ratelimit
from shequ.orgs.models import OrgUnit
from shequ.services.models import OPEN_CASE_STATUSES, ItemKind, ServiceItem

logger = logging.getLogger("shequ.open311")

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_SPAN = dt.timedelta(days=90)
MAX_RESULTS = 1000
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
MATERIALS_READY = "materials_ready"


class Problem(Exception):
    """An error answer: the HTTP status and the (code, description) pairs of the body."""

    def __init__(self, status: int, *problems: tuple[int, str]) -> None:
        super().__init__(problems)
        self.status = status
        self.problems = problems or ((status, _("请求无法处理。")),)


View = Callable[..., HttpResponse]


def open311_view(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, fmt: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            return errors(
                "xml", 400, (400, _("不支持的格式“%(fmt)s”:请用 .xml 或 .json。") % {"fmt": fmt})
            )
        try:
            # Every call counts against its client address (POSTs against their key too).
            address = request.META.get("REMOTE_ADDR") or "unknown"
            ratelimit.check(f"o311ip:{address}", settings.SHEQU_OPEN311_ADDRESS_RATE_PER_MINUTE)
            return view(request, fmt, *args, **kwargs)
        except Problem as exc:
            return errors(fmt, exc.status, *exc.problems)
        except ratelimit.RateLimited as exc:
            response = errors(
                fmt,
                429,
                (
                    429,
                    _("请求过于频繁:每分钟最多 %(limit)d 次,请 %(seconds)d 秒后再试。")
                    % {"limit": exc.verdict.limit, "seconds": exc.verdict.retry_after},
                ),
            )
            response["Retry-After"] = str(exc.verdict.retry_after)
            return response
        except Exception:
            logger.exception("Open311 error on %s", request.path)
            return errors(fmt, 500, (500, _("服务内部错误,请稍后再试或联系平台管理员。")))

    return wrapper


def _only(request: HttpRequest, *methods: str) -> None:
    if request.method not in methods:
        raise Problem(400, (405, _("不支持 %(method)s 请求。") % {"method": request.method}))


def _jurisdiction(params: QueryDict) -> OrgUnit:
    jurisdiction_id = (params.get("jurisdiction_id") or "").strip()
    if not jurisdiction_id:
        raise Problem(
            400,
            (
                400,
                _("未提供 jurisdiction_id:本接口服务多个县市,请填县市的6位代码(如恩施市 422801)。"),
            ),
        )
    try:
        return access.get_jurisdiction(jurisdiction_id)
    except Http404:
        raise Problem(
            404, (404, _("jurisdiction_id %(id)s 不存在。") % {"id": jurisdiction_id})
        ) from None


def _service_code(county: OrgUnit, code: str) -> ServiceItem:
    try:
        return access.get_service_for(county, code)
    except Http404:
        raise Problem(404, (404, _("service_code %(code)s 不存在。") % {"code": code})) from None


# --- discovery and services -------------------------------------------------------------


@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    changeset = settings.SHEQU_OPEN311_CHANGESET
    data = {
        "changeset": changeset,
        "contact": settings.SHEQU_OPEN311_CONTACT,
        "key_service": settings.SHEQU_OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", data)


def _description(item: ServiceItem) -> str | None:
    first = item.guide.strip().split("\n", 1)[0].strip()
    return first or None


def _service(item: ServiceItem) -> dict[str, Any]:
    return {
        "service_code": item.code,
        "service_name": item.name,
        "description": _description(item),
        "metadata": bool(item.materials.all()),
        "type": "realtime",
        "keywords": ",".join(k for k in [item.window_type.name, item.handled_by] if k) or None,
        "group": str(item.get_category_display()),
    }


@open311_view
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    county = _jurisdiction(request.GET)
    return respond(fmt, "services", [_service(item) for item in access.services_for(county)])


def _attributes(item: ServiceItem) -> list[dict[str, Any]]:
    """Each material is shown to the user (variable false); one list asks which of them
    the applicant has ready, so the clerk knows what to ask for (一次性告知)."""
    materials = list(item.materials.all())
    out: list[dict[str, Any]] = []
    for order, material in enumerate(materials, start=1):
        text = f"{material.name} · {material.get_requirement_display()}"
        if material.note:
            text += f":{material.note}"
        out.append(
            {
                "variable": False,
                "code": f"material_{material.pk}",
                "datatype": "string",
                "required": False,
                "datatype_description": None,
                "order": order,
                "description": text,
            }
        )
    if materials:
        out.append(
            {
                "variable": True,
                "code": MATERIALS_READY,
                "datatype": "multivaluelist",
                "required": False,
                "datatype_description": _("可多选"),
                "order": len(materials) + 1,
                "description": _("已备齐的申请材料"),
                "values": [{"key": f"material_{m.pk}", "name": m.name} for m in materials],
            }
        )
    return out


@open311_view
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    county = _jurisdiction(request.GET)
    item = _service_code(county, service_code)
    data = {"service_code": item.code, "attributes": _attributes(item)}
    return respond(fmt, "service_definition", data)


# --- requests ---------------------------------------------------------------------------


def _notice(item: ServiceItem) -> str:
    if item.kind == ItemKind.IMMEDIATE:
        return _("即办件:社区一刻钟内办结。")
    if item.kind == ItemKind.ON_SITE:
        return _("工作人员一刻钟内到达现场或联系您。")
    return _("受理后承诺 %(days)d 个工作日内办结,材料不全的将一次性告知。") % {
        "days": item.promised_limit_days
    }


def _status_notes(row: ServiceRequest) -> str:
    case = row.case
    notes = str(case.get_status_display())
    if case.result and case.status not in OPEN_CASE_STATUSES:
        notes += f":{case.result}"
    return notes


def _request(row: ServiceRequest) -> dict[str, Any]:
    case = row.case
    updated = getattr(row, "updated_at", None) or case.received_at
    return {
        "service_request_id": case.number,
        "status": "open" if case.status in OPEN_CASE_STATUSES else "closed",
        "status_notes": _status_notes(row),
        "service_name": case.item.name,
        "service_code": case.item.code,
        "description": row.description or None,
        "agency_responsible": case.handling_unit.name,
        "service_notice": _notice(case.item),
        "requested_datetime": w3(case.received_at),
        "updated_datetime": w3(updated),
        "expected_datetime": w3(case.due_at),
        "address": row.address_string or case.unit.name,
        "address_id": access.place_key(case.unit),
        "zipcode": None,
        "lat": row.lat,
        "long": row.long,
        "media_url": row.media_url or None,
    }


def _datetime(params: QueryDict, name: str) -> dt.datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        value = None
    if value is None or timezone.is_naive(value):
        raise Problem(
            400,
            (
                400,
                _("%(name)s 须为含时区的 W3C 时间,如 2026-01-01T00:00:00+08:00。") % {"name": name},
            ),
        )
    return value


def _split(params: QueryDict, name: str) -> list[str]:
    return [part.strip() for part in (params.get(name) or "").split(",") if part.strip()]


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    county = _jurisdiction(params)
    rows = access.requests_for(county)
    ids = _split(params, "service_request_id")
    if ids:  # overrides every other filter
        rows = rows.filter(case__number__in=ids[:MAX_RESULTS])
    else:
        codes = _split(params, "service_code")
        if codes:
            rows = rows.filter(case__item__code__in=codes)
        statuses = set(_split(params, "status"))
        if statuses - {"open", "closed"}:
            raise Problem(400, (400, _("status 只能是 open 或 closed。")))
        if statuses == {"open"}:
            rows = rows.filter(case__status__in=OPEN_CASE_STATUSES)
        elif statuses == {"closed"}:
            rows = rows.exclude(case__status__in=OPEN_CASE_STATUSES)
        start, end = _datetime(params, "start_date"), _datetime(params, "end_date")
        if start is None:
            end = end or timezone.now()
            start = end - MAX_SPAN
        elif end is None:
            end = start + MAX_SPAN
        if start > end:
            raise Problem(400, (400, _("start_date 不能晚于 end_date。")))
        if end - start > MAX_SPAN:
            raise Problem(400, (400, _("start_date 与 end_date 相隔不能超过 90 天。")))
        rows = rows.filter(case__received_at__gte=start, case__received_at__lte=end)
    found = rows.order_by("-case__received_at", "-pk")[:MAX_RESULTS]
    return respond(fmt, "service_requests", [_request(row) for row in found])


def _partner(request: HttpRequest) -> PartnerKey:
    api_key = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    partner = access.partner_for_key(api_key)
    if partner is None:
        raise Problem(403, (403, _("api_key 缺失或无效,不能提交诉求。")))
    ratelimit.check(f"o311key:{partner.key_hash[:16]}", settings.SHEQU_OPEN311_KEY_RATE_PER_MINUTE)
    return partner


def _coordinate(raw: str, name: str, bound: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not -bound <= value <= bound:  # also false for nan
        raise Problem(400, (400, _("%(name)s 不是有效的 WGS84 坐标。") % {"name": name}))
    return value


def _place(county: OrgUnit, address_id: str, address_string: str) -> OrgUnit:
    """The community or village a request belongs to: by ``address_id`` (the unit's
    12-digit statistical code, or u<id>), else by the unit's name in ``address_string``."""
    if address_id:
        unit = access.get_place(county, address_id)
        if unit is None:
            raise Problem(
                404, (404, _("address_id %(id)s 不是本县市的社区或村。") % {"id": address_id})
            )
        return unit
    if address_string:
        named = [u for u in access.places_in(county) if u.name and u.name in address_string]
        if named:
            longest = max(len(u.name) for u in named)
            named = [u for u in named if len(u.name) == longest]
            if len(named) > 1:  # the same name in two townships: the township decides
                by_parent = [
                    u
                    for u in named
                    if (parent := u.parent_unit()) is not None and parent.name in address_string
                ]
                named = by_parent if len(by_parent) == 1 else named
            if len(named) == 1:
                return named[0]
            raise Problem(
                400, (400, _("地址对应多个社区或村,请写明乡镇(街道),或提供 address_id。"))
            )
    raise Problem(
        400,
        (
            400,
            _(
                "无法确定诉求所在的社区:请在 address_string 中写明社区或村的名称,"
                "或以 address_id 提供其12位统计代码。"
            ),
        ),
    )


def _parse_attributes(params: QueryDict, item: ServiceItem) -> tuple[dict[str, Any], list[str]]:
    definition = {a["code"]: a for a in _attributes(item) if a["variable"]}
    values: dict[str, Any] = {}
    for name in params:
        match = _ATTRIBUTE.match(name)
        if match is None:
            continue
        code = match.group(1)
        if code not in definition:
            raise Problem(400, (400, _("未知的 attribute[%(code)s]。") % {"code": code}))
        given = [v.strip() for v in params.getlist(name) if v.strip()]
        values[code] = given if definition[code]["datatype"] == "multivaluelist" else given[-1:]
    problems = [
        (400, _("缺少必填的 attribute[%(code)s]。") % {"code": code})
        for code, attribute in definition.items()
        if attribute["required"] and not values.get(code)
    ]
    if problems:
        raise Problem(400, *problems)
    ready: list[str] = []
    if MATERIALS_READY in values:
        names = {v["key"]: v["name"] for v in definition[MATERIALS_READY]["values"]}
        unknown = [key for key in values[MATERIALS_READY] if key not in names]
        if unknown:
            raise Problem(
                400,
                (
                    400,
                    _("attribute[materials_ready] 的取值无效:%(keys)s")
                    % {"keys": ", ".join(unknown)},
                ),
            )
        ready = [names[key] for key in values[MATERIALS_READY]]
    return values, ready


def _contact_name(params: QueryDict) -> str:
    first = (params.get("first_name") or "").strip()
    last = (params.get("last_name") or "").strip()
    if (first + last).isascii():
        return f"{first} {last}".strip()
    return f"{last}{first}"  # 姓在前


def _client_token(request: HttpRequest, partner: PartnerKey) -> str:
    """The case's idempotency token: the client's Idempotency-Key header (or a
    ``client_token`` field) if sent, else the request's own content on the same day, so
    a resent form never makes a second case."""
    key = (request.headers.get("Idempotency-Key") or request.POST.get("client_token") or "").strip()
    if key:
        raw = f"{partner.pk}:key:{key}"
    else:
        fields = sorted(
            (name, value)
            for name, values in request.POST.lists()
            if name != "api_key"
            for value in values
        )
        raw = f"{partner.pk}:{timezone.localdate().isoformat()}:{urlencode(fields)}"
    return "o311-" + hashlib.sha256(raw.encode()).hexdigest()[:59]


_FIELD_NAMES = {"contact_name": "first_name/last_name", "contact_phone": "phone"}


def _create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.SHEQU_OPEN311_MAX_BODY_BYTES:
        raise Problem(400, (413, _("请求内容过大。")))
    try:
        params = request.POST
    except RequestDataTooBig:
        raise Problem(400, (413, _("请求内容过大。"))) from None
    partner = _partner(request)
    # The spec sends every argument in the form body; a jurisdiction_id in the query
    # string (where GETs carry it) is accepted too.
    county = _jurisdiction(params if params.get("jurisdiction_id") else request.GET)
    if partner.county_id is not None and partner.county_id != county.pk:
        raise Problem(403, (403, _("该 api_key 不能向此县市提交诉求。")))
    code = (params.get("service_code") or "").strip()
    if not code:
        raise Problem(400, (400, _("未提供 service_code。")))
    item = _service_code(county, code)
    lat_raw, long_raw = (params.get("lat") or "").strip(), (params.get("long") or "").strip()
    address_string = (params.get("address_string") or "").strip()
    address_id = (params.get("address_id") or "").strip()
    if bool(lat_raw) != bool(long_raw):
        raise Problem(400, (400, _("lat 与 long 须同时提供。")))
    if not (lat_raw or address_string or address_id):
        raise Problem(400, (400, _("须提供位置:lat 与 long、address_string 或 address_id 之一。")))
    lat = _coordinate(lat_raw, "lat", 90) if lat_raw else None
    long = _coordinate(long_raw, "long", 180) if long_raw else None
    description = (params.get("description") or "").strip()
    if len(description) > 4000:
        raise Problem(400, (400, _("description 不能超过 4000 字。")))
    if len(address_string) > 255:
        raise Problem(400, (400, _("address_string 不能超过 255 字。")))
    media_url = (params.get("media_url") or "").strip()
    if media_url and not re.match(r"^https?://\S{1,490}$", media_url):
        raise Problem(400, (400, _("media_url 须为 http(s) 链接。")))
    unit = _place(county, address_id, address_string)
    attributes, ready = _parse_attributes(params, item)
    # The spec makes first_name, last_name, phone and email optional: without a name the
    # filing is anonymous (匿名), marked so on the case and reached through the partner.
    contact_name = _contact_name(params)
    anonymous = not contact_name
    if anonymous:
        contact_name = _("匿名(经%(partner)s)") % {"partner": partner.name}
    try:
        row = do_file_service_request(
            partner,
            unit=unit,
            item=item,
            contact_name=contact_name[:50],
            contact_phone=(params.get("phone") or "").strip(),
            anonymous=anonymous,
            description=description,
            address_string=address_string,
            address_id=address_id,
            lat=lat,
            long=long,
            media_url=media_url,
            device_id=(params.get("device_id") or "").strip()[:100],
            account_id=(params.get("account_id") or "").strip()[:100],
            attributes=attributes,
            materials_ready=ready,
            client_token=_client_token(request, partner),
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            problems = [
                (400, f"{_FIELD_NAMES.get(field, field)}: {message}")
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            problems = [(400, message) for message in exc.messages]
        raise Problem(400, *problems) from None
    except PermissionDenied as exc:
        raise Problem(403, (403, str(exc) or _("无权提交。"))) from None
    data = [
        {
            "service_request_id": row.case.number,
            "service_notice": _notice(item),
            "account_id": row.account_id or None,
        }
    ]
    return respond(fmt, "service_requests", data)


@csrf_exempt
@open311_view
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    _only(request, "GET", "HEAD", "POST")
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)


@open311_view
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    _only(request, "GET", "HEAD")
    county = _jurisdiction(request.GET)
    row = access.requests_for(county).filter(case__number=service_request_id).first()
    if row is None:
        raise Problem(
            404, (404, _("service_request_id %(id)s 不存在。") % {"id": service_request_id})
        )
    return respond(fmt, "service_requests", [_request(row)])


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = "json" if request.path.endswith(".json") else "xml"
    return errors(fmt, 404, (404, _("没有这个接口:%(path)s") % {"path": request.path}))


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the spec's error document under /open311/, JSON under /api/, the
    page elsewhere. Never a stack trace."""
    if request.path.startswith("/open311/"):
        fmt = "json" if request.path.endswith(".json") else "xml"
        return errors(fmt, 500, (500, _("服务内部错误,请稍后再试或联系平台管理员。")))
    if request.path.startswith("/api/"):
        body = json.dumps({"detail": _("服务器内部错误,请稍后再试。")}, ensure_ascii=False)
        return HttpResponse(body.encode(), status=500, content_type="application/json")
    return django_server_error(request)
