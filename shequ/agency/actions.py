"""State changes of agency and village points. Each is one transaction: it checks the
actor, validates, writes the rows and an audit event, and queues the resident's and the
family contact's messages in the same transaction. Cases themselves are created and
moved only by the services app's actions."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.agency.access import AGENCY_ROLES, POINT_ROLES
from shequ.agency.messages import TEXTS
from shequ.agency.models import (
    AgencyCase,
    AgencyItem,
    AgencyStation,
    AgencyStatus,
    AuthChannel,
    Authorization,
    AuthStatus,
    CommercialKind,
    CommercialService,
    Handover,
    HandoverKind,
    RemoteMatter,
    VillagePoint,
)
from shequ.agency.verbs import AgencyVerb
from shequ.lib.masking import mask_phone
from shequ.lib.phone import MSG_MOBILE, normalise_mobile
from shequ.notify.models import Channel as MessageChannel
from shequ.notify.outbox import enqueue
from shequ.orgs.crypto import cipher
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.kit import require, user_or_none
from shequ.orgs.models import OrgUnit, Post, Role, UnitKind, User
from shequ.people.models import Category, CategoryMembership, Resident, ResidentStatus
from shequ.services import actions as case_actions
from shequ.services.models import (
    FINAL_CASE_STATUSES,
    ApplicantKind,
    Case,
    CaseStatus,
    Channel,
    ServiceItem,
)

SCAN_TYPES = {b"%PDF": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG": "png"}
log = logging.getLogger("shequ.agency")
MAX_AUTH_DAYS = 3 * 366  # an authorisation is renewed at least every three years


def _require(actor: User | None, unit: OrgUnit, roles: frozenset[str]) -> None:
    require(actor, roles, unit, message=_("您的岗位无权办理全程代理或服务点业务。"))


_user = user_or_none


def check_scan(upload: UploadedFile | None, field: str) -> UploadedFile:
    """A scan or photo: present, not too large, and really a PDF, JPEG or PNG."""
    if upload is None:
        raise ValidationError({field: _("请上传扫描件或照片。")})
    limit = settings.SHEQU_AGENCY_MAX_SCAN_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {field: _("文件不能超过 %(mb)s MB。") % {"mb": round(limit / 1024 / 1024, 1)}}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    ext = next((e for magic, e in SCAN_TYPES.items() if head.startswith(magic)), None)
    if ext is None:
        raise ValidationError({field: _("只接受 PDF、JPG 或 PNG 格式的扫描件。")})
    # Stored under a name and extension from the detected type, never the sender's
    # (a PDF sent as evil.html, a PNG as a.svg: issue 11).
    upload.name = f"{uuid.uuid4().hex}.{ext}"
    return upload


def _family_phone(auth: Authorization) -> str:
    return cipher().decrypt(auth.family_phone_enc) if auth.family_phone_enc else ""


def _tell(auth: Authorization, kind: str, tag: str, **payload: str) -> None:
    """Tell the resident and the family contact (each once per ``tag``)."""
    resident = auth.resident
    data = {"unit": auth.unit.name, "name": resident.name, **payload}
    phones = [("r", cipher().decrypt(resident.phone_enc) if resident.phone_enc else "")]
    phones.append(("f", _family_phone(auth)))
    for who, phone in phones:
        if phone:
            enqueue(
                unit=auth.unit,
                channel=MessageChannel.SMS,
                recipient=phone,
                kind=kind,
                text=TEXTS[kind],
                payload=data,
                dedupe_key=f"agency:{auth.pk}:{tag}:{who}",
            )


# --- eligibility and authorisation ------------------------------------------------------


def eligible_categories(resident: Resident, day: dt.date | None = None) -> list[str]:
    """The resident's valid memberships, on ``day``, of the agency-eligible categories."""
    codes = settings.SHEQU_AGENCY_CATEGORIES
    return sorted(
        CategoryMembership.objects.valid_on(day or timezone.localdate())
        .filter(resident=resident, category__code__in=codes, category__active=True)
        .values_list("category__code", flat=True)
        .distinct()
    )


def _category_names() -> str:
    names = Category.objects.filter(code__in=settings.SHEQU_AGENCY_CATEGORIES).order_by("sort")
    return "、".join(names.values_list("name", flat=True))


def eligibility_problem(resident: Resident, unit: OrgUnit, day: dt.date | None = None) -> str:
    """Why ``resident`` may not authorise a station of ``unit`` (a community) on ``day``
    ("" if they may): they must live there, be on the register, and belong to an
    agency-eligible category. The registration and the API's eligibility check ask this."""
    if resident.community_id != unit.pk:
        return _("委托人须为本社区居民。")
    if resident.status != ResidentStatus.LIVING:
        return _("该居民不在册,不能登记授权。")
    if not eligible_categories(resident, day or timezone.localdate()):
        return _(
            "%(name)s目前不属于可全程代理的人群(%(groups)s),不能登记授权。"
            "如情况有变,请先在居民信息中登记救助类别。"
        ) % {"name": resident.name, "groups": _category_names()}
    return ""


@transaction.atomic
def do_register_authorization(
    actor: User | None,
    *,
    station: AgencyStation,
    resident: Resident,
    agent: User,
    channel: str,
    valid_until: dt.date,
    form_scan: UploadedFile | None,
    items: Iterable[ServiceItem] = (),
    all_items: bool = False,
    family_name: str = "",
    family_phone: str = "",
    client_token: str | None = None,
) -> Authorization:
    """Register a resident's authorisation (授权委托) at a station or by the hotline.

    Eligibility is checked against the registry now: the resident must be living, of the
    station's community, and a current member of an agency-eligible category."""
    client_token = (client_token or "").strip() or None
    if client_token is not None:
        existing = Authorization.objects.filter(client_token=client_token).first()
        if existing is not None:
            _require(actor, existing.unit, AGENCY_ROLES)
            return existing
    unit = station.unit
    _require(actor, unit, AGENCY_ROLES)
    if not station.active:
        raise ValidationError({"station": _("该代理站点已停用。")})
    if channel not in AuthChannel.values:
        raise ValidationError({"channel": _("请选择登记方式。")})
    today = timezone.localdate()
    problem = eligibility_problem(resident, unit, today)
    if problem:
        raise ValidationError({"resident": problem})
    categories = eligible_categories(resident, today)
    if not Post.objects.active().filter(user=agent, unit=unit, role=Role.AGENT).exists():
        raise ValidationError({"agent": _("请选择本社区在岗的代办员。")})
    if valid_until < today:
        raise ValidationError({"valid_until": _("有效期不能早于今天。")})
    if valid_until > today + dt.timedelta(days=MAX_AUTH_DAYS):
        raise ValidationError({"valid_until": _("授权有效期最长三年,到期后重新登记。")})
    chosen = list(items)
    if not all_items:
        if not chosen:
            raise ValidationError({"items": _("请选择委托事项,或勾选“全部事项”。")})
        refused = [i.name for i in chosen if not i.agency_allowed]
        if refused:
            raise ValidationError(
                {"items": _("以下事项不能代办:%(names)s") % {"names": "、".join(refused)}}
            )
    check_scan(form_scan, "form_scan")
    family_name = family_name.strip()
    fields: dict[str, Any] = {}
    if family_phone.strip():
        try:
            phone = normalise_mobile(family_phone)
        except ValueError:
            raise ValidationError({"family_phone": MSG_MOBILE}) from None
        if not family_name:
            raise ValidationError({"family_name": _("请填写家属联系人姓名。")})
        fields.update(
            family_phone_enc=cipher().encrypt(phone), family_phone_masked=mask_phone(phone)
        )
    try:
        with transaction.atomic():
            auth = Authorization.objects.create(
                unit=unit,
                resident=resident,
                station=station,
                agent=agent,
                channel=channel,
                all_items=all_items,
                valid_from=today,
                valid_until=valid_until,
                categories=categories,
                form_scan=form_scan,
                family_name=family_name,
                client_token=client_token,
                created_by=_user(actor),
                **fields,
            )
    except IntegrityError:
        if client_token is None:
            raise
        return Authorization.objects.get(client_token=client_token)
    if not all_items:
        auth.items.set(chosen)
    record_event(actor, AgencyVerb.AUTHORIZATION_REGISTERED, auth, unit=unit, after=snapshot(auth))
    _tell(
        auth,
        "agency.authorized",
        "authorized",
        station=station.name,
        agent=agent.full_name or agent.username,
        until=valid_until.isoformat(),
    )
    return auth


@transaction.atomic
def do_revoke_authorization(
    actor: User | None, auth: Authorization, *, reason: str
) -> Authorization:
    _require(actor, auth.unit, AGENCY_ROLES)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因。")})
    before = snapshot(auth)
    now = timezone.now()
    if not Authorization.objects.filter(pk=auth.pk, status=AuthStatus.ACTIVE).update(
        status=AuthStatus.REVOKED, revoked_at=now, revoke_reason=reason[:200]
    ):
        raise ValidationError({"status": _("该授权已撤销。")})
    auth.refresh_from_db()
    record_event(
        actor,
        AgencyVerb.AUTHORIZATION_REVOKED,
        auth,
        unit=auth.unit,
        before=before,
        after=snapshot(auth),
    )
    _tell(auth, "agency.revoked", "revoked", station=auth.station.name)
    return auth


def authorization_problem(
    auth: Authorization, items: Sequence[ServiceItem], day: dt.date | None = None
) -> str:
    """Why ``auth`` cannot carry a new agency case for ``items`` today ("" if it can)."""
    day = day or timezone.localdate()
    if auth.status != AuthStatus.ACTIVE:
        return _("该授权已撤销,请重新登记授权。")
    if day < auth.valid_from:
        return _("该授权尚未生效。")
    if day > auth.valid_until:
        return _("该授权已于 %(day)s 过期,请重新登记授权。") % {"day": auth.valid_until}
    if not auth.all_items:
        allowed = set(auth.items.values_list("pk", flat=True))
        outside = [i.name for i in items if i.pk not in allowed]
        if outside:
            return _("以下事项不在授权范围内:%(names)s") % {"names": "、".join(outside)}
    return ""


# --- agency cases -------------------------------------------------------------------------


@transaction.atomic
def do_open_agency_case(
    actor: User | None,
    *,
    authorization: Authorization,
    items: Sequence[ServiceItem],
    summary: str = "",
    client_token: str | None = None,
) -> AgencyCase:
    """File one request as an agency case: each item becomes a services case on the
    agency channel, registered and accepted with ``do_receive_case``."""
    client_token = (client_token or "").strip() or None
    if client_token is not None:
        existing = AgencyCase.objects.filter(client_token=client_token).first()
        if existing is not None:
            _require(actor, existing.unit, AGENCY_ROLES)
            return existing
    auth = Authorization.objects.select_for_update().get(pk=authorization.pk)
    _require(actor, auth.unit, AGENCY_ROLES)
    items = list(dict.fromkeys(items))
    if not items:
        raise ValidationError({"items": _("请选择要代办的事项。")})
    problem = authorization_problem(auth, items)
    if problem:
        raise ValidationError({"authorization": problem})
    try:
        with transaction.atomic():
            agency_case = AgencyCase.objects.create(
                unit=auth.unit,
                authorization=auth,
                agent=auth.agent,
                summary=summary.strip(),
                client_token=client_token,
            )
    except IntegrityError:
        if client_token is None:
            raise
        return AgencyCase.objects.get(client_token=client_token)
    for item in items:
        case = case_actions.do_receive_case(
            actor,
            unit=auth.unit,
            item=item,
            channel=Channel.AGENCY,
            applicant_kind=ApplicantKind.RESIDENT,
            resident=auth.resident,
            summary=summary.strip() or _("全程代理"),
            client_token=f"agency-{agency_case.pk}-{item.pk}",
        )
        AgencyItem.objects.create(agency_case=agency_case, case=case)
    record_event(
        actor, AgencyVerb.CASE_OPENED, agency_case, unit=auth.unit, after=snapshot(agency_case)
    )
    _tell(
        auth,
        "agency.filed",
        f"filed:{agency_case.pk}",
        agent=auth.agent.full_name or auth.agent.username,
        items="、".join(i.name for i in items),
    )
    return agency_case


def _receipt_number(at: dt.datetime) -> str:
    return f"JJ{timezone.localtime(at):%Y%m%d}{secrets.token_hex(4).upper()}"


@transaction.atomic
def do_record_handover(
    actor: User | None,
    agency_case: AgencyCase,
    *,
    kind: str,
    from_party: str,
    to_party: str,
    documents: Iterable[str],
    case: Case | None = None,
    cases: Iterable[Case] = (),
    client_token: str | None = None,
) -> Handover:
    """Record documents changing hands, with a receipt, and tell resident and family.
    One handover may cover several items (``cases``); naming none covers them all."""
    client_token = (client_token or "").strip() or None
    if client_token is not None:
        existing = Handover.objects.filter(client_token=client_token).first()
        if existing is not None:
            _require(actor, existing.unit, AGENCY_ROLES)
            return existing
    _require(actor, agency_case.unit, AGENCY_ROLES)
    if kind not in HandoverKind.values or kind == HandoverKind.POINT_RESULT:
        raise ValidationError({"kind": _("请选择交接类型。")})
    docs = [d.strip() for d in documents if d.strip()]
    errors = {}
    if not docs:
        errors["documents"] = _("请列出交接的材料。")
    if not from_party.strip():
        errors["from_party"] = _("请填写交出方。")
    if not to_party.strip():
        errors["to_party"] = _("请填写接收方。")
    named = list(dict.fromkeys([*([case] if case is not None else []), *cases]))
    mine = set(AgencyItem.objects.filter(agency_case=agency_case).values_list("case_id", flat=True))
    if any(c.pk not in mine for c in named):
        errors["case"] = _("该办件不属于本代理件。")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    handover = Handover.objects.create(
        unit=agency_case.unit,
        agency_case=agency_case,
        case=named[0] if len(named) == 1 else None,
        receipt_number=_receipt_number(now),
        kind=kind,
        from_party=from_party.strip()[:100],
        to_party=to_party.strip()[:100],
        documents=docs,
        at=now,
        recorded_by=_user(actor),
        client_token=client_token,
    )
    if named:
        handover.cases.set(named)
    record_event(
        actor, AgencyVerb.HANDOVER, handover, unit=agency_case.unit, after=snapshot(handover)
    )
    _tell(
        agency_case.authorization,
        "agency.handover",
        f"handover:{handover.pk}",
        step=str(HandoverKind(kind).label),
        from_party=handover.from_party,
        to_party=handover.to_party,
        receipt=handover.receipt_number,
    )
    return handover


def settle_agency_case(actor: User | None, agency_case: AgencyCase) -> AgencyCase:
    """Tell resident and family of each finished item once, and complete the agency case
    when every item is finished. Safe to call any number of times, by anyone."""
    auth = agency_case.authorization
    now = timezone.now()
    rows = list(agency_case.items.select_related("case__item"))
    for row in rows:
        if (
            row.case.status in FINAL_CASE_STATUSES
            and row.completion_told_at is None
            and AgencyItem.objects.filter(pk=row.pk, completion_told_at__isnull=True).update(
                completion_told_at=now
            )
        ):
            if row.case.status == CaseStatus.REFUSED:
                _tell(
                    auth,
                    "agency.item_refused",
                    f"item:{row.pk}",
                    item=row.case.item.name,
                    reason=row.case.result,
                )
            else:
                _tell(auth, "agency.item_completed", f"item:{row.pk}", item=row.case.item.name)
    if rows and all(r.case.status in FINAL_CASE_STATUSES for r in rows):
        before = snapshot(agency_case)
        if AgencyCase.objects.filter(pk=agency_case.pk, status=AgencyStatus.OPEN).update(
            status=AgencyStatus.COMPLETED, completed_at=now
        ):
            agency_case.refresh_from_db()
            record_event(
                actor,
                AgencyVerb.CASE_COMPLETED,
                agency_case,
                unit=agency_case.unit,
                before=before,
                after=snapshot(agency_case),
            )
            _tell(auth, "agency.completed", f"completed:{agency_case.pk}")
    return agency_case


@transaction.atomic
def do_complete_agency_item(
    actor: User | None, agency_case: AgencyCase, case: Case, *, result: str
) -> Case:
    """Complete one item (a community item, by the agent) and settle the agency case."""
    if not AgencyItem.objects.filter(agency_case=agency_case, case=case).exists():
        raise ValidationError({"case": _("该办件不属于本代理件。")})
    if case.status == CaseStatus.RECEIVED and case.item.kind != "immediate":
        case = case_actions.do_accept_case(actor, case)
    case = case_actions.do_complete_case(actor, case, result=result)
    settle_agency_case(actor, agency_case)
    return case


def sync_agency_cases(limit: int = 200) -> int:
    """Worker task, and the only place besides ``do_complete_agency_item`` that settles:
    agency cases whose items were finished elsewhere (a township completing an item sent
    up) are settled, each in its own transaction, so a failure (the outbox, say) leaves
    that case for the next loop with nothing half-told. Returns how many it settled."""
    done = 0
    open_cases = AgencyCase.objects.filter(status=AgencyStatus.OPEN).filter(
        items__case__status__in=FINAL_CASE_STATUSES, items__completion_told_at__isnull=True
    )
    for agency_case in open_cases.distinct().order_by("pk")[:limit]:
        try:
            with transaction.atomic():
                settle_agency_case(None, agency_case)
        except Exception:
            log.exception("could not settle agency case %s; retrying next loop", agency_case.pk)
            continue
        done += 1
    return done


# --- village service points ---------------------------------------------------------------


def _send_up_unit(point: VillagePoint, item: ServiceItem) -> OrgUnit | None:
    if not item.sent_up:
        return None
    wanted = UnitKind.TOWNSHIP if item.handling_level == "township" else UnitKind.COUNTY
    return point.unit.ancestors().filter(kind=wanted).first()


@transaction.atomic
def do_file_remote_matter(
    actor: User | None,
    point: VillagePoint,
    *,
    item: ServiceItem,
    scan: UploadedFile | None,
    villager_name: str = "",
    villager_phone: str = "",
    resident: Resident | None = None,
    summary: str = "",
    client_token: str | None = None,
) -> RemoteMatter:
    """File an approval matter for a villager at a point with its scanned materials: it
    is registered and accepted at the village and sent up to the township or county
    queue. A retried submission (same client token) returns the first matter."""
    client_token = (client_token or "").strip() or None
    if client_token is not None:
        existing = RemoteMatter.objects.filter(case__client_token=client_token).first()
        if existing is not None:
            _require(actor, existing.point.unit, POINT_ROLES)
            return existing
    _require(actor, point.unit, POINT_ROLES)
    if not point.active:
        raise ValidationError({"point": _("该服务点已停用。")})
    check_scan(scan, "scan")
    applicant: dict[str, Any]
    if resident is not None:
        applicant = {"applicant_kind": ApplicantKind.RESIDENT, "resident": resident}
        if villager_phone:
            applicant["contact_phone"] = villager_phone
    else:
        applicant = {
            "applicant_kind": ApplicantKind.CALLER,
            "contact_name": villager_name,
            "contact_phone": villager_phone,
        }
        if not villager_name.strip():
            raise ValidationError({"villager_name": _("请填写村民姓名。")})
    case = case_actions.do_receive_case(
        actor,
        unit=point.unit,
        item=item,
        channel=Channel.VILLAGE_POINT,
        summary=summary,
        client_token=client_token,
        **applicant,
    )
    existing = RemoteMatter.objects.filter(case=case).first()
    if existing is not None:  # a concurrent retry won
        return existing
    matter = RemoteMatter.objects.create(point=point, case=case, scan=scan)
    if item.kind != "immediate" or item.sent_up:
        case = case_actions.do_accept_case(actor, case)
    to_unit = _send_up_unit(point, item)
    if to_unit is not None:
        case_actions.do_send_up_case(actor, case, to_unit=to_unit, note=_("村级服务点远程报送"))
    record_event(
        actor, AgencyVerb.REMOTE_MATTER_FILED, matter, unit=point.unit, after=snapshot(matter)
    )
    return matter


@transaction.atomic
def do_resubmit_remote_matter(
    actor: User | None, matter: RemoteMatter, *, scan: UploadedFile | None
) -> RemoteMatter:
    """The villager brought what the township's one-time notice (一次性告知) asked for:
    the point scans it and sends the matter up again (the clock resumes)."""
    point = matter.point
    _require(actor, point.unit, POINT_ROLES)
    case = Case.objects.select_related("item", "unit", "handling_unit").get(pk=matter.case_id)
    if case.status != CaseStatus.RETURNED:
        raise ValidationError({"case": _("该事项没有待补正的材料。")})
    check_scan(scan, "scan")
    before = snapshot(matter)
    matter.scan = scan
    matter.save(update_fields=["scan"])
    case = case_actions.do_accept_case(actor, case, note=_("村级服务点补正材料"))
    to_unit = _send_up_unit(point, case.item)
    if to_unit is not None:
        case_actions.do_send_up_case(actor, case, to_unit=to_unit, note=_("补正后重新报送"))
    record_event(
        actor,
        AgencyVerb.REMOTE_MATTER_RESUBMITTED,
        matter,
        unit=point.unit,
        before=before,
        after=snapshot(matter),
    )
    return matter


@transaction.atomic
def do_hand_over_remote_result(actor: User | None, matter: RemoteMatter) -> Handover:
    """The point hands the result that came back to the villager, with a receipt."""
    point = matter.point
    _require(actor, point.unit, POINT_ROLES)
    case = Case.objects.get(pk=matter.case_id)
    if case.status not in FINAL_CASE_STATUSES:
        raise ValidationError({"case": _("办理结果尚未返回,不能交付。")})
    now = timezone.now()
    if not RemoteMatter.objects.filter(pk=matter.pk, handed_over_at__isnull=True).update(
        handed_over_at=now
    ):
        raise ValidationError({"case": _("该结果已交付。")})
    matter.refresh_from_db()
    handover = Handover.objects.create(
        unit=point.unit,
        case=case,
        receipt_number=_receipt_number(now),
        kind=HandoverKind.POINT_RESULT,
        from_party=point.name,
        to_party=case.applicant_name or "—",
        documents=[case.result or case.item.name],
        at=now,
        recorded_by=_user(actor),
    )
    record_event(
        actor,
        AgencyVerb.REMOTE_RESULT_HANDED_OVER,
        handover,
        unit=point.unit,
        after=snapshot(handover),
    )
    return handover


@transaction.atomic
def do_record_commercial_service(
    actor: User | None,
    point: VillagePoint,
    *,
    kind: str,
    amount_yuan: Decimal | str,
    note: str = "",
    client_token: str | None = None,
    at: dt.datetime | None = None,
) -> CommercialService:
    client_token = (client_token or "").strip() or None
    if client_token is not None:
        existing = (
            CommercialService.objects.select_related("point__unit")
            .filter(client_token=client_token)
            .first()
        )
        if existing is not None:
            _require(actor, existing.point.unit, POINT_ROLES)
            return existing
    _require(actor, point.unit, POINT_ROLES)
    if kind not in CommercialKind.values:
        raise ValidationError({"kind": _("请选择商务服务类型。")})
    try:
        amount = Decimal(str(amount_yuan)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount_yuan": _("请填写正确的金额。")}) from None
    if amount < 0 or amount >= Decimal("1e10"):
        raise ValidationError({"amount_yuan": _("请填写正确的金额。")})
    try:
        with transaction.atomic():
            service = CommercialService.objects.create(
                point=point,
                kind=kind,
                amount_yuan=amount,
                note=note.strip()[:200],
                at=at or timezone.now(),
                recorded_by=_user(actor),
                client_token=client_token,
            )
    except IntegrityError:
        if client_token is None:
            raise
        return CommercialService.objects.get(client_token=client_token)
    record_event(
        actor, AgencyVerb.COMMERCIAL_SERVICE, service, unit=point.unit, after=snapshot(service)
    )
    return service
