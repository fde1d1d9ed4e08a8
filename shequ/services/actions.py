"""State changes of cases (办件). Each is one transaction: it checks the actor, moves the
status with a conditional UPDATE (so of two clerks acting at once exactly one wins),
writes the case's timeline and the audit event, and queues the applicant's message in
the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import uscc

from shequ.lib.masking import mask_phone
from shequ.lib.phone import MSG_MOBILE, normalise_mobile
from shequ.lib.workdays import Pause
from shequ.notify.models import Channel as MessageChannel
from shequ.notify.outbox import enqueue
from shequ.orgs import access, calendar
from shequ.orgs.crypto import cipher
from shequ.orgs.events import snapshot
from shequ.orgs.kit import escalate_once, require, transition, user_or_none
from shequ.orgs.models import OrgUnit, UnitKind, User
from shequ.people.models import Resident
from shequ.services import deadlines, lifecycle
from shequ.services.access import (
    APPROVER_ROLES,
    CASE_ROLES,
    CASE_UNIT_KINDS,
    officers_on,
    supervisors,
)
from shequ.services.deadlines import quarter_hour
from shequ.services.lifecycle import Step
from shequ.services.messages import TEXTS
from shequ.services.models import (
    QUARTER_HOUR_CHANNELS,
    ApplicantKind,
    Case,
    CaseEvent,
    CaseExtension,
    CasePause,
    CaseStatus,
    Channel,
    ExtensionStatus,
    HandlingLevel,
    ItemKind,
    Requirement,
    ServiceItem,
)
from shequ.services.ratings import invite_rating
from shequ.services.timeline import CASE_FIELDS
from shequ.services.timeline import log_case as _log
from shequ.services.verbs import CaseVerb

MSG_CASE_ROLE = gettext_lazy("您的岗位无权办理此办件。")


def _rule(actor: User | None, case: Case, step: Step) -> lifecycle.Rule:
    """The lifecycle rule under which ``actor`` may take ``step`` on ``case`` as loaded:
    the step must be allowed from the case's state, and the actor must hold the rule's
    roles over the rule's unit."""
    if actor is not None and not (
        access.in_scope(actor, case.unit) or access.in_scope(actor, case.handling_unit)
    ):
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))
    rule = lifecycle.rule_for(case, step)
    if rule is None:
        raise ValidationError(
            {
                "status": _("办件当前状态为“%(status)s”,不能%(step)s。")
                % {"status": case.get_status_display(), "step": step.label}
            }
        )
    require(actor, rule.roles, rule.unit_of(case), message=str(MSG_CASE_ROLE))
    return rule


def _take(case: Case, rule: lifecycle.Rule, **changes: Any) -> dict[str, Any]:
    """Move the case under ``rule``: the UPDATE holds only while the case is still in one
    of the rule's states and still with the handling unit the actor was checked against
    (so a case sent up meanwhile is not completed by the community). Returns the
    snapshot from before."""
    return transition(
        case,
        rule.sources,
        where=Q(handling_unit_id=case.handling_unit_id),
        fields=CASE_FIELDS,
        **changes,
    )


def _settle_quarter_hour(case: Case, at: dt.datetime) -> None:
    """Record the quarter-hour verdict the first time a qualifying step happens."""
    if not case.quarter_hour_applies:
        return
    met = at <= case.quarter_hour_due_at
    if Case.objects.filter(pk=case.pk, quarter_hour_met__isnull=True).update(
        quarter_hour_met=met, quarter_hour_at=at
    ):
        case.quarter_hour_met, case.quarter_hour_at = met, at


def applicant_phone(case: Case) -> str:
    if case.applicant_kind == ApplicantKind.RESIDENT and case.resident is not None:
        enc = case.resident.phone_enc
    else:
        enc = case.contact_phone_enc
    return cipher().decrypt(enc) if enc else ""


def _tell_applicant(case: Case, kind: str, event: CaseEvent, **extra: str) -> None:
    phone = applicant_phone(case)
    if not phone:
        return
    payload = {
        "unit": case.unit.name,
        "item": case.item.name,
        "number": case.number or "",
        **extra,
    }
    enqueue(
        unit=case.unit,
        channel=MessageChannel.SMS,
        recipient=phone,
        kind=kind,
        text=TEXTS[kind],
        payload=payload,
        dedupe_key=f"case:{case.pk}:{event.pk}",
    )


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _local_date(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


# --- receiving ------------------------------------------------------------------------


def _check_channel(item: ServiceItem, channel: str) -> None:
    if channel not in Channel.values:
        raise ValidationError({"channel": _("请选择来源渠道。")})
    if channel == Channel.AGENCY and not item.agency_allowed:
        raise ValidationError({"channel": _("该事项不能由代理站点代办。")})
    if channel == Channel.VILLAGE_POINT and not item.village_point_allowed:
        raise ValidationError({"channel": _("该事项不能在村级服务点办理。")})
    if channel == Channel.ONLINE and not item.public:
        raise ValidationError({"channel": _("该事项不能网上申请。")})


def do_receive_case(
    actor: User | None,
    *,
    unit: OrgUnit,
    item: ServiceItem,
    channel: str,
    applicant_kind: str,
    resident: Resident | None = None,
    org_name: str = "",
    org_credit_code: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    summary: str = "",
    client_token: str | None = None,
    quarter_hour_from: dt.datetime | None = None,
) -> Case:
    """Register a request (登记). A retried submission with the same ``client_token``
    returns the case it created the first time. ``quarter_hour_from`` starts the quarter
    hour earlier than registration: when the hall called the applicant's number."""
    client_token = (client_token or "").strip() or None
    try:
        return _receive_case(
            actor,
            unit=unit,
            item=item,
            channel=channel,
            applicant_kind=applicant_kind,
            resident=resident,
            org_name=org_name,
            org_credit_code=org_credit_code,
            contact_name=contact_name,
            contact_phone=contact_phone,
            summary=summary,
            client_token=client_token,
            quarter_hour_from=quarter_hour_from,
        )
    except IntegrityError:
        # A concurrent retry with the same token committed first. The transaction (or,
        # inside a caller's, its savepoint) is rolled back, so the first case is readable.
        existing = Case.objects.filter(client_token=client_token).first() if client_token else None
        if existing is None:
            raise
        require(actor, CASE_ROLES, existing.unit, message=str(MSG_CASE_ROLE))
        return existing


@transaction.atomic
def _receive_case(
    actor: User | None,
    *,
    unit: OrgUnit,
    item: ServiceItem,
    channel: str,
    applicant_kind: str,
    resident: Resident | None,
    org_name: str,
    org_credit_code: str,
    contact_name: str,
    contact_phone: str,
    summary: str,
    client_token: str | None,
    quarter_hour_from: dt.datetime | None,
) -> Case:
    """``do_receive_case`` in one transaction (a savepoint when nested): no savepoint of
    its own around the insert, which on PostgreSQL costs two more round trips."""
    if client_token is not None:
        existing = Case.objects.filter(client_token=client_token).first()
        if existing is not None:
            require(actor, CASE_ROLES, existing.unit, message=str(MSG_CASE_ROLE))
            return existing
    require(actor, CASE_ROLES, unit, message=str(MSG_CASE_ROLE))
    if unit.kind not in CASE_UNIT_KINDS:
        raise ValidationError({"unit": _("办件由社区(村)或网格登记。")})
    if not item.active or not item.unit.contains(unit):
        raise ValidationError({"item": _("该事项不在本社区的服务目录中。")})
    _check_channel(item, channel)
    fields: dict[str, Any] = {}
    org_name, contact_name, summary = org_name.strip(), contact_name.strip(), summary.strip()
    if applicant_kind == ApplicantKind.RESIDENT:
        if resident is None:
            raise ValidationError({"resident": _("请选择申请人。")})
        if actor is not None and not access.in_scope(actor, resident.unit):
            raise PermissionDenied(_("该居民不在您的管辖范围内。"))
        fields["resident"] = resident
    elif applicant_kind == ApplicantKind.RESIDENT_UNIT:
        if not org_name:
            raise ValidationError({"org_name": _("请填写单位名称。")})
        if org_credit_code:
            if not uscc.is_valid(org_credit_code):
                raise ValidationError({"org_credit_code": _("统一社会信用代码有误,请核对。")})
            org_credit_code = uscc.compact(org_credit_code)
        fields.update(org_name=org_name, org_credit_code=org_credit_code)
    elif applicant_kind == ApplicantKind.CALLER:
        if not contact_name:
            raise ValidationError({"contact_name": _("请填写来电人姓名。")})
        # A partner system's filing (Open311) may come without one: the spec makes the
        # phone optional, and the filer is reached through the partner (issue 11).
        if not contact_phone and channel != Channel.API:
            raise ValidationError({"contact_phone": _("请填写来电人电话。")})
    else:
        raise ValidationError({"applicant_kind": _("请选择申请人类型。")})
    if contact_phone:
        try:
            phone = normalise_mobile(contact_phone)
        except ValueError:
            raise ValidationError({"contact_phone": MSG_MOBILE}) from None
        fields.update(
            contact_phone_enc=cipher().encrypt(phone), contact_phone_masked=mask_phone(phone)
        )
    now = timezone.now()
    case = Case.objects.create(
        unit=unit,
        handling_unit=unit,
        channel=channel,
        item=item,
        applicant_kind=applicant_kind,
        contact_name=contact_name,
        summary=summary,
        received_at=now,
        quarter_hour_due_at=min(now, quarter_hour_from or now) + quarter_hour(),
        quarter_hour_applies=channel in QUARTER_HOUR_CHANNELS,
        client_token=client_token,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )
    # The number carries the id, which the insert has only just made.
    case.number = f"{timezone.localtime(now):%Y%m%d}{case.pk:07d}"
    Case.objects.filter(pk=case.pk).update(number=case.number)
    _log(actor, case, CaseVerb.RECEIVED, None, note=summary, data={"channel": channel})
    return case


# --- accepting, returning, refusing ---------------------------------------------------


def _pauses(case: Case) -> list[Pause]:
    return [Pause(p.started_at, p.ended_at) for p in case.pauses.order_by("started_at")]


def _extension_days(case: Case) -> int:
    """The working days of every approved extension."""
    return sum(
        case.extensions.filter(status=ExtensionStatus.APPROVED).values_list("days", flat=True)
    )


def case_deadlines(case: Case, now: dt.datetime) -> deadlines.Deadlines:
    """The deadlines of an accepted case as its pauses and extensions stand now."""
    if case.accepted_at is None:
        raise ValueError("only an accepted case has deadlines")
    return deadlines.compute(
        case.item,
        accepted_at=case.accepted_at,
        quarter_hour_due_at=case.quarter_hour_due_at,
        pauses=_pauses(case),
        extension_days=_extension_days(case),
        reply_due_at=case.reply_due_at if case.item.kind == ItemKind.IMMEDIATE else None,
        now=now,
    )


def _end_pause(case: Case, at: dt.datetime) -> None:
    CasePause.objects.filter(case=case, ended_at__isnull=True).update(ended_at=at)


@transaction.atomic
def do_accept_case(
    actor: User | None,
    case: Case,
    *,
    deferred_materials: Iterable[str] = (),
    materials_due_on: dt.date | None = None,
    reply_due_at: dt.datetime | None = None,
    note: str = "",
) -> Case:
    """Accept (受理) a received case, or take a corrected one back (补正后恢复计时).

    Deferrable materials (容缺) may follow on the applicant's signed commitment, by a date
    no later than the promised limit. An immediate item that cannot be done at once gets
    a formal reply time (``reply_due_at``); by default it is due within the quarter hour.
    """
    rule = _rule(actor, case, Step.ACCEPT)
    item = case.item
    now = timezone.now()
    deferred = sorted({m.strip() for m in deferred_materials if m.strip()})
    if case.accepted_at is not None:  # resuming after a correction
        if deferred or materials_due_on:
            raise ValidationError({"deferred_materials": _("容缺材料在首次受理时确定。")})
        _end_pause(case, now)
        d = deadlines.compute(
            item,
            accepted_at=case.accepted_at,
            quarter_hour_due_at=case.quarter_hour_due_at,
            pauses=_pauses(case),
            extension_days=_extension_days(case),
            resumed_at=now,
            previous_due_at=case.due_at,
            now=now,
        )
        due = d.due_at
        before = _take(
            case,
            rule,
            status=CaseStatus.IN_PROGRESS,
            due_at=d.due_at,
            legal_due_at=d.legal_due_at,
            reply_due_at=d.reply_due_at,
            deadline_provisional=d.provisional,
            deadlines_at=now,
        )
        event = _log(actor, case, CaseVerb.RESUMED, before, note=note)
        _tell_applicant(case, "case.accepted", event, due_date=_local_date(due))
        return case

    if reply_due_at is not None and timezone.is_naive(reply_due_at):
        raise ValidationError({"reply_due_at": _("答复时间须含时区。")})
    d = deadlines.compute(
        item,
        accepted_at=now,
        quarter_hour_due_at=case.quarter_hour_due_at,
        reply_due_at=reply_due_at,
        now=now,
    )
    due = d.due_at
    if deferred:
        allowed = set(
            item.materials.filter(requirement=Requirement.DEFERRABLE).values_list("name", flat=True)
        )
        not_allowed = [m for m in deferred if m not in allowed]
        if not_allowed:
            raise ValidationError(
                {
                    "deferred_materials": _("以下材料不能容缺:%(names)s")
                    % {"names": "、".join(not_allowed)}
                }
            )
        if materials_due_on is None:
            raise ValidationError({"materials_due_on": _("请填写容缺材料的补交期限。")})
        if materials_due_on > timezone.localtime(due).date():
            raise ValidationError(
                {
                    "materials_due_on": _("补交期限不能晚于承诺办结日期 %(day)s。")
                    % {"day": _local_date(due)}
                }
            )
    elif materials_due_on is not None:
        materials_due_on = None
    was_returned = case.status == CaseStatus.RETURNED
    before = _take(
        case,
        rule,
        status=CaseStatus.ACCEPTED,
        accepted_at=now,
        due_at=d.due_at,
        legal_due_at=d.legal_due_at,
        reply_due_at=d.reply_due_at,
        deadline_provisional=d.provisional,
        deadlines_at=now,
        deferred_materials=deferred,
        materials_due_on=materials_due_on,
    )
    if was_returned:
        _end_pause(case, now)
    if item.kind != ItemKind.ON_SITE:
        _settle_quarter_hour(case, now)
    event = _log(
        actor,
        case,
        CaseVerb.ACCEPTED,
        before,
        note=note,
        data={"deferred_materials": deferred} if deferred else None,
    )
    _tell_applicant(case, "case.accepted", event, due_date=_local(due))
    return case


@transaction.atomic
def do_return_case_for_correction(
    actor: User | None, case: Case, *, missing: Iterable[str], note: str = ""
) -> Case:
    """Ask for corrected or missing materials, all of them in one notice (一次性告知)."""
    rule = _rule(actor, case, Step.RETURN)
    names = [m.strip() for m in missing if m.strip()]
    names = list(dict.fromkeys(names))
    if not names:
        raise ValidationError({"missing": _("请列出需要补正的全部材料。")})
    now = timezone.now()
    by_unit = rule.unit_of(case)
    changes: dict[str, Any] = {"status": CaseStatus.RETURNED}
    if case.status == CaseStatus.SENT_UP:  # back to the queue of the unit that received it
        changes["handling_unit"] = case.unit
    before = _take(case, rule, **changes)
    CasePause.objects.create(case=case, started_at=now, missing_materials=names)
    if case.item.kind != ItemKind.ON_SITE:
        _settle_quarter_hour(case, now)
    event = _log(
        actor,
        case,
        CaseVerb.RETURNED,
        before,
        note=note,
        data={"missing": names, "unit": by_unit.pk},
    )
    _tell_applicant(case, "case.returned", event, materials="、".join(names))
    return case


@transaction.atomic
def do_refuse_case(actor: User | None, case: Case, *, reason: str, legal_basis: str) -> Case:
    """Refuse to accept (不予受理), with the reason and its legal basis."""
    rule = _rule(actor, case, Step.REFUSE)
    reason, legal_basis = reason.strip(), legal_basis.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("请填写不予受理的理由。")
    if not legal_basis:
        errors["legal_basis"] = _("请填写不予受理的法律依据。")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    by_unit = rule.unit_of(case)
    before = _take(case, rule, status=CaseStatus.REFUSED, result=reason)
    _end_pause(case, now)
    _settle_quarter_hour(case, now)
    event = _log(
        actor,
        case,
        CaseVerb.REFUSED,
        before,
        note=reason,
        data={"legal_basis": legal_basis, "unit": by_unit.pk},
    )
    _tell_applicant(case, "case.refused", event, reason=reason, basis=legal_basis)
    return case


# --- working, sending up, completing, closing ----------------------------------------


@transaction.atomic
def do_start_case(actor: User | None, case: Case, *, note: str = "") -> Case:
    """Start work; for an on-site item this records arrival at the scene (到达现场)."""
    on_site = case.item.kind == ItemKind.ON_SITE
    rule = _rule(actor, case, Step.ARRIVE if on_site else Step.START)
    now = timezone.now()
    changes: dict[str, Any] = {"status": CaseStatus.IN_PROGRESS}
    if on_site:
        changes["arrived_at"] = now
    before = _take(case, rule, **changes)
    if on_site:
        _settle_quarter_hour(case, now)
    _log(actor, case, CaseVerb.ARRIVED if on_site else CaseVerb.STARTED, before, note=note)
    return case


@transaction.atomic
def do_send_up_case(actor: User | None, case: Case, *, to_unit: OrgUnit, note: str = "") -> Case:
    """Send the case to the township or county that decides it; it joins their queue."""
    rule = _rule(actor, case, Step.SEND_UP)
    level = case.item.handling_level
    if level == HandlingLevel.COMMUNITY:
        raise ValidationError({"to_unit": _("该事项由社区办结,无需报送。")})
    wanted = UnitKind.TOWNSHIP if level == HandlingLevel.TOWNSHIP else UnitKind.COUNTY
    if to_unit.kind != wanted or not to_unit.contains(case.unit):
        raise ValidationError(
            {"to_unit": _("该事项应报送本社区所属的%(kind)s。") % {"kind": UnitKind(wanted).label}}
        )
    before = _take(case, rule, status=CaseStatus.SENT_UP, handling_unit=to_unit)
    event = _log(actor, case, CaseVerb.SENT_UP, before, note=note, data={"to_unit": to_unit.pk})
    _tell_applicant(case, "case.sent_up", event, to_unit=to_unit.name)
    return case


@transaction.atomic
def do_complete_case(actor: User | None, case: Case, *, result: str) -> Case:
    """Complete (办结). A case sent up is completed by the unit it was sent to; the result
    comes back to the community's list and to the applicant. An immediate item may be
    completed straight from registration."""
    rule = _rule(actor, case, Step.COMPLETE)
    result = result.strip()
    if not result:
        raise ValidationError({"result": _("请填写办理结果。")})
    now = timezone.now()
    changes: dict[str, Any] = {
        "status": CaseStatus.COMPLETED,
        "completed_at": now,
        "result": result,
    }
    if case.status == CaseStatus.RECEIVED:  # an immediate item done at once (当场办结)
        changes.update(accepted_at=now, due_at=case.quarter_hour_due_at)
    by_unit = rule.unit_of(case)
    before = _take(case, rule, **changes)
    _settle_quarter_hour(case, now)
    event = _log(actor, case, CaseVerb.COMPLETED, before, note=result, data={"unit": by_unit.pk})
    _tell_applicant(case, "case.completed", event)
    invite_rating(case, applicant_phone(case))
    return case


@transaction.atomic
def do_close_case(actor: User | None, case: Case) -> Case:
    """File the case (归档) once it is completed or refused."""
    rule = _rule(actor, case, Step.CLOSE)
    before = _take(case, rule, status=CaseStatus.CLOSED, closed_at=timezone.now())
    _log(actor, case, CaseVerb.CLOSED, before)
    return case


# --- extensions -----------------------------------------------------------------------

MAX_EXTENSION_DAYS = 30


@transaction.atomic
def do_request_case_extension(
    actor: User | None, case: Case, *, days: int, reason: str
) -> CaseExtension:
    """Ask for more working days; the due date moves only when a supervisor approves."""
    if lifecycle.rule_for(case, Step.EXTEND) is None:
        raise ValidationError({"status": _("只有办理中的承诺件可以申请延期。")})
    _rule(actor, case, Step.EXTEND)
    reason = reason.strip()
    errors = {}
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = _("延长天数应为 1 至 %(max)s 个工作日。") % {"max": MAX_EXTENSION_DAYS}
    if not reason:
        errors["reason"] = _("请填写延期理由。")
    if errors:
        raise ValidationError(errors)
    if case.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError({"days": _("该办件已有待审批的延期申请。")})
    try:
        with transaction.atomic():
            extension = CaseExtension.objects.create(
                case=case,
                days=days,
                reason=reason,
                requested_by=user_or_none(actor),
            )
    except IntegrityError:
        raise ValidationError({"days": _("该办件已有待审批的延期申请。")}) from None
    _log(actor, case, CaseVerb.EXTENSION_REQUESTED, None, note=reason, data={"days": days})
    for username in supervisors(case.unit):
        enqueue(
            unit=case.unit,
            channel=MessageChannel.STAFF,
            recipient=username,
            kind="case.extension_requested",
            text=TEXTS["case.extension_requested"],
            payload={"number": case.number or "", "item": case.item.name, "days": str(days)},
            dedupe_key=f"case:{case.pk}:extension:{extension.pk}:{username}",
            link=case.get_absolute_url(),
        )
    return extension


@transaction.atomic
def do_decide_case_extension(
    actor: User, extension: CaseExtension, *, approve: bool, note: str = ""
) -> CaseExtension:
    """A supervisor (not the one who asked) approves or rejects an extension."""
    case = extension.case
    require(actor, APPROVER_ROLES, case.unit, message=_("延期须由社区负责人或上级审批。"))
    if extension.requested_by_id == actor.pk:
        raise PermissionDenied(_("不能审批自己提出的延期申请。"))
    now = timezone.now()
    status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    if not CaseExtension.objects.filter(pk=extension.pk, status=ExtensionStatus.PENDING).update(
        status=status, decided_by=actor, decided_at=now, decision_note=note.strip()
    ):
        raise ValidationError({"status": _("该延期申请已审批。")})
    extension.refresh_from_db()
    if not approve:
        _log(
            actor, case, CaseVerb.EXTENSION_REJECTED, None, note=note, data={"days": extension.days}
        )
        return extension
    case.refresh_from_db()
    if case.accepted_at is None:
        raise ValidationError({"status": _("只有办理中的承诺件可以申请延期。")})
    d = case_deadlines(case, now)
    due = d.due_at
    before = transition(
        case,
        lifecycle.sources(Step.EXTEND) | {CaseStatus.RETURNED},
        fields=CASE_FIELDS,
        due_at=d.due_at,
        reply_due_at=d.reply_due_at,
        deadline_provisional=d.provisional,
        deadlines_at=now,
    )
    event = _log(
        actor, case, CaseVerb.EXTENSION_APPROVED, before, note=note, data={"days": extension.days}
    )
    _tell_applicant(case, "case.extended", event, due_date=_local(due))
    return extension


# --- the worker's part ----------------------------------------------------------------


def mark_quarter_hour_breaches(now: dt.datetime | None = None, limit: int = 100) -> int:
    """Settle the verdict of cases whose quarter hour ran out with no qualifying step,
    and tell their supervisors. Returns how many were marked."""
    now = now or timezone.now()
    ids = list(
        Case.objects.filter(
            quarter_hour_applies=True, quarter_hour_met__isnull=True, quarter_hour_due_at__lt=now
        )
        .order_by("quarter_hour_due_at")
        .values_list("pk", flat=True)[:limit]
    )
    marked = 0
    for pk in ids:
        with transaction.atomic():
            case = Case.objects.select_related("unit", "item").get(pk=pk)
            if not Case.objects.filter(pk=pk, quarter_hour_met__isnull=True).update(
                quarter_hour_met=False, quarter_hour_at=case.quarter_hour_due_at
            ):
                continue  # settled meanwhile by a clerk or another worker
            case.refresh_from_db()
            _log(None, case, CaseVerb.QUARTER_HOUR_BREACHED, None)
            for username in supervisors(case.unit):
                enqueue(
                    unit=case.unit,
                    channel=MessageChannel.STAFF,
                    recipient=username,
                    kind="case.quarter_hour_breach",
                    text=TEXTS["case.quarter_hour_breach"],
                    payload={
                        "number": case.number or "",
                        "item": case.item.name,
                        "minutes": str(settings.SHEQU_QUARTER_HOUR_MINUTES),
                    },
                    dedupe_key=f"case:{pk}:quarter_hour:{username}",
                    link=case.get_absolute_url(),
                )
            marked += 1
    return marked


def _tell_staff(case: Case, kind: str, usernames: Iterable[str], tag: str) -> None:
    payload = {
        "number": case.number or "",
        "item": case.item.name,
        "due_date": _local(case.due_at),
    }
    for username in sorted(set(usernames)):
        enqueue(
            unit=case.unit,
            channel=MessageChannel.STAFF,
            recipient=username,
            kind=kind,
            text=TEXTS[kind],
            payload=payload,
            dedupe_key=f"case:{case.pk}:{tag}:{username}",
            link=case.get_absolute_url(),
        )


def remind_due_cases(now: dt.datetime | None = None, limit: int = 100) -> int:
    """Remind whoever holds a case that it falls due within SHEQU_DUE_REMINDER_HOURS;
    once per due date."""
    now = now or timezone.now()
    soon = now + dt.timedelta(hours=settings.SHEQU_DUE_REMINDER_HOURS)

    def remind(case: Case, due: dt.datetime) -> None:
        if case.status == CaseStatus.SENT_UP:
            staff = officers_on(case.handling_unit)
        else:
            staff = [case.created_by.username] if case.created_by else supervisors(case.unit)
        _tell_staff(case, "case.due_soon", staff, f"due_soon:{due.isoformat()}")

    return escalate_once(
        Case.objects.open()
        .exclude(status=CaseStatus.RETURNED)
        .filter(due_at__gte=now, due_at__lte=soon)
        .select_related("unit", "item", "handling_unit", "created_by"),
        due_field="due_at",
        marker_field="reminded_for_due_at",
        handle=remind,
        limit=limit,
    )


def escalate_overdue_cases(now: dt.datetime | None = None, limit: int = 100) -> int:
    """Tell the community's leads (and, for a case sent up, the officers it waits on)
    that a case is overdue; once per due date."""
    now = now or timezone.now()

    def escalate(case: Case, due: dt.datetime) -> None:
        staff = supervisors(case.unit)
        if case.status == CaseStatus.SENT_UP:
            staff += officers_on(case.handling_unit)
        _log(None, case, CaseVerb.OVERDUE, None, data={"due_at": due.isoformat()})
        _tell_staff(case, "case.overdue", staff, f"overdue:{due.isoformat()}")

    return escalate_once(
        Case.objects.overdue(now).select_related("unit", "item", "handling_unit"),
        due_field="due_at",
        marker_field="escalated_for_due_at",
        handle=escalate,
        limit=limit,
    )


def refresh_provisional_deadlines(limit: int = 200) -> int:
    """Recompute the deadlines of cases computed past the known calendar, once a year's
    holiday notice has been loaded since (an admin imported it). Finished cases too: their
    due dates decide whether they were done on time. A case waiting for a correction is
    left alone: its clock stands, and resuming recomputes it. Returns how many cases it
    recomputed; a date that moves is written to the timeline."""
    loaded = calendar.last_loaded_at()
    if loaded is None:
        return 0
    ids = list(
        Case.objects.filter(deadline_provisional=True, accepted_at__isnull=False)
        .exclude(status=CaseStatus.RETURNED)
        .filter(Q(deadlines_at__lt=loaded) | Q(deadlines_at__isnull=True))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    done = 0
    for pk in ids:
        with transaction.atomic():
            case = Case.objects.select_for_update().select_related("item", "unit").get(pk=pk)
            if not case.deadline_provisional or case.status == CaseStatus.RETURNED:
                continue
            now = timezone.now()
            d = case_deadlines(case, now)
            before = snapshot(case, CASE_FIELDS)
            moved = (d.due_at, d.legal_due_at) != (case.due_at, case.legal_due_at)
            Case.objects.filter(pk=pk).update(
                due_at=d.due_at,
                legal_due_at=d.legal_due_at,
                reply_due_at=d.reply_due_at,
                deadline_provisional=d.provisional,
                deadlines_at=now,
            )
            case.refresh_from_db()
            if moved:
                until = calendar.known_until()
                _log(
                    None,
                    case,
                    CaseVerb.DEADLINE_RECOMPUTED,
                    before,
                    data={"calendar_until": str(until)},
                )
            done += 1
    return done


# --- one entry for every step, for the pages and the API -------------------------------


@dataclass
class StepInput:
    """What a clerk may send with any step; each step reads the fields it needs."""

    note: str = ""
    result: str = ""
    reason: str = ""
    legal_basis: str = ""
    missing: list[str] = field(default_factory=list)
    deferred_materials: list[str] = field(default_factory=list)
    materials_due_on: dt.date | None = None
    to_unit: OrgUnit | None = None
    days: int = 0


def do_case_step(actor: User | None, case: Case, step: Step, inp: StepInput) -> Case:
    """Take ``step`` on ``case`` (the pages' and the API's one way in to the actions)."""
    if step == Step.ACCEPT:
        return do_accept_case(
            actor,
            case,
            deferred_materials=inp.deferred_materials,
            materials_due_on=inp.materials_due_on,
            note=inp.note,
        )
    if step == Step.RETURN:
        return do_return_case_for_correction(actor, case, missing=inp.missing, note=inp.note)
    if step == Step.REFUSE:
        return do_refuse_case(actor, case, reason=inp.reason, legal_basis=inp.legal_basis)
    if step in (Step.START, Step.ARRIVE):
        if step == Step.ARRIVE and case.item.kind != ItemKind.ON_SITE:
            raise ValidationError({"status": _("“到达现场”只用于现场响应事项,请用“开始办理”。")})
        if step == Step.START and case.item.kind == ItemKind.ON_SITE:
            raise ValidationError({"status": _("现场响应事项请用“到达现场”。")})
        return do_start_case(actor, case, note=inp.note)
    if step == Step.SEND_UP:
        if inp.to_unit is None:
            raise ValidationError({"to_unit": _("请选择报送单位。")})
        return do_send_up_case(actor, case, to_unit=inp.to_unit, note=inp.note)
    if step == Step.COMPLETE:
        return do_complete_case(actor, case, result=inp.result)
    if step == Step.CLOSE:
        return do_close_case(actor, case)
    do_request_case_extension(actor, case, days=inp.days, reason=inp.reason)
    case.refresh_from_db()
    return case
