"""Every change in mediation: one transaction, validation, the change and an audit event.

Actors are checked here as well as in the views (``orgs.kit.require``), so a command or
the API cannot skip a rule; ``actor=None`` is the system (the demo, the worker). The
flow of a dispute (《人民调解法》 and the local 受理 → 分流 → 调解 → 回访 → 归档):

    registered ─accept→ accepted ─session→ mediating ─agreement→ performing ─close→ closed
        │                  │                   │  └─no agreement→ ended ─close→ closed
        └─refuse→ refused  └──────transfer→ transferred ─receive/return→ …   closed/refused ─archive→ archived
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shequ.governance.figures import (
    MEDIATION_MATTERS,
    ResolutionRef,
    authorising_resolution,
    resolutions_for,
)
from shequ.lib.idcard import IdNumberError, parse_id_number
from shequ.lib.masking import mask_phone
from shequ.lib.phone import MSG_MOBILE, normalise_mobile
from shequ.lib.workdays import WorkCalendar
from shequ.mediation import access
from shequ.mediation.messages import TEXTS
from shequ.mediation.models import (
    OPEN_STATUSES,
    TIMED_STATUSES,
    ActivityKind,
    AdvisorActivity,
    AdvisorAssignment,
    Agreement,
    AgreementForm,
    BodyKind,
    Committee,
    CommitteeMember,
    DayKind,
    Decision,
    Dispute,
    DisputeKind,
    DisputeStatus,
    FollowUp,
    FollowUpResult,
    MediationType,
    MemberRole,
    Outcome,
    Party,
    Referrer,
    RefusalReason,
    RuleKey,
    Session,
    Side,
    Source,
    StatuteRule,
    ThirdParty,
    Transfer,
)
from shequ.mediation.verbs import MediationVerb
from shequ.notify.models import Channel as MessageChannel
from shequ.notify.outbox import enqueue
from shequ.orgs import access as org_access
from shequ.orgs import calendar, ratelimit
from shequ.orgs.crypto import cipher
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.kit import escalate_once, require, transition, user_or_none
from shequ.orgs.models import OrgUnit, Post, Role, UnitKind, User
from shequ.people.crypto import id_number_index, phone_index, protect_id_number, protect_phone
from shequ.people.models import Gender, Resident, ResidentUnit
from shequ.services.models import Case

DISPUTE_UNIT_KINDS = frozenset(
    {UnitKind.TOWNSHIP, UnitKind.COMMUNITY, UnitKind.VILLAGE, UnitKind.GRID}
)
COMMITTEE_UNIT_KINDS = frozenset({UnitKind.TOWNSHIP, UnitKind.COMMUNITY, UnitKind.VILLAGE})
# Committees whose members a residents' or villagers' meeting chooses (第九条).
MEMBER_RESOLUTION_UNIT_KINDS = frozenset({UnitKind.COMMUNITY, UnitKind.VILLAGE})
ADVISOR_UNIT_KINDS = frozenset({UnitKind.COMMUNITY, UnitKind.VILLAGE})
# The other routes a party is told of when mediation fails (第二十六条).
ROUTES = {
    "lawsuit": gettext_lazy("向人民法院提起诉讼"),
    "arbitration": gettext_lazy("申请仲裁"),
    "administrative": gettext_lazy("请求有关行政机关依法处理"),
}
REVEALABLE = ("id_number", "phone")
# Party particulars written to the log; ciphertexts and indexes never are.
PARTY_LOGGED = ["side", "resident", "name", "id_number_masked", "phone_masked"]


def _require(actor: User | None, roles: frozenset[str], unit: OrgUnit, message: str) -> None:
    require(actor, roles, unit, message=message)


def _require_mediate(actor: User | None, dispute: Dispute) -> None:
    if actor is None or access.may_mediate(actor, dispute):
        return
    if not org_access.in_scope(actor, dispute.unit) and dispute.mediator_id != actor.pk:
        raise PermissionDenied(_("该纠纷不在您的管辖范围内。"))
    raise PermissionDenied(_("只有承办的调解委员会的调解员可以办理此纠纷。"))


def _text(value: str | None, field: str, message: str, *, minimum: int = 1) -> str:
    value = " ".join((value or "").split()) if "\n" not in (value or "") else (value or "").strip()
    if len(value) < minimum:
        raise ValidationError({field: message})
    return value


def _existing(model: Any, actor: User | None, token: str | None) -> Any:
    token = (token or "").strip() or None
    if token is None:
        return None
    found = model.objects.filter(client_token=token).first()
    return found


def _log(
    actor: User | None,
    verb: MediationVerb,
    obj: Any,
    unit: OrgUnit,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record_event(user_or_none(actor), verb, obj, unit=unit, before=before, after=after)


# --- the law as data ------------------------------------------------------------------


def rule_in_force(key: str, day: dt.date) -> StatuteRule:
    """The row of ``key`` in force on ``day``; a missing rule is a configuration error
    shown as a field message, not a crash."""
    rule = (
        StatuteRule.objects.filter(key=key, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=day))
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise ValidationError(
            _("没有 %(day)s 施行的“%(rule)s”规则,请系统管理员在法定规则表中补充。")
            % {"day": day.isoformat(), "rule": RuleKey(key).label}
        )
    return rule


def period_end(start: dt.date, rule: StatuteRule, cal: WorkCalendar | None = None) -> dt.date:
    """The last day of a period of ``rule.value`` days from ``start``.

    Calendar days: the day of the start is not counted, and a period whose last day is a
    statutory holiday or a weekend ends on the first working day after it (民事诉讼法
    第八十五条). Working days: counted on the kernel calendar. ``cal`` is the calendar
    table already loaded (bulk loads); by default the needed span is read."""
    if rule.kind == DayKind.WORKING:
        if cal is not None:
            return cal.add_working_days(start, rule.value)
        aware = timezone.make_aware(dt.datetime.combine(start, dt.time(12)))
        return timezone.localtime(calendar.due_at(aware, rule.value)).date()
    last = start + dt.timedelta(days=rule.value)
    cal = cal or calendar.calendar_between(last, last + dt.timedelta(days=40))
    return last if cal.is_working_day(last) else cal.next_working_day(last)


# --- committees -----------------------------------------------------------------------


@transaction.atomic
def do_create_committee(
    actor: User | None,
    *,
    unit: OrgUnit,
    name: str = "",
    phone: str = "",
    address: str = "",
    multi_ethnic: bool = True,
) -> Committee:
    _require(actor, access.ADMIN_ROLES, unit, _("您的岗位无权设立调解委员会。"))
    if unit.kind not in COMMITTEE_UNIT_KINDS:
        raise ValidationError({"unit": _("人民调解委员会设在乡镇(街道)、社区或村。")})
    name = " ".join(name.split()) or f"{unit.name}人民调解委员会"
    if Committee.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": _("该单位已有同名调解委员会。")})
    committee = Committee.objects.create(
        unit=unit,
        name=name,
        phone=phone.strip(),
        address=address.strip(),
        multi_ethnic=multi_ethnic,
    )
    _log(actor, MediationVerb.COMMITTEE_CREATED, committee, unit, after=snapshot(committee))
    return committee


def current_members(committee: Committee, day: dt.date | None = None) -> list[CommitteeMember]:
    day = day or timezone.localdate()
    return list(
        committee.members.filter(chosen_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .order_by("role", "name")
    )


def member_resolutions(committee: Committee) -> list[ResolutionRef]:
    """The governance app's passed resolutions choosing mediation members that a new
    member of ``committee`` may rest on: those of its community's meetings. A township's
    committee is not chosen by a residents' or villagers' meeting, so it has none."""
    if committee.unit.kind not in MEMBER_RESOLUTION_UNIT_KINDS:
        return []
    return resolutions_for(committee.unit, MEDIATION_MATTERS)


def committee_warnings(committee: Committee, day: dt.date | None = None) -> list[str]:
    """What the committee lacks under 第八条 on ``day``: 3–9 members, a woman, and in a
    multi-ethnic area a member of an ethnic minority."""
    day = day or timezone.localdate()
    members = current_members(committee, day)
    warnings: list[str] = []
    try:
        size = rule_in_force(RuleKey.COMMITTEE_SIZE, day)
    except ValidationError as e:
        return list(e.messages)
    low, high = size.minimum or 0, size.value
    if not low <= len(members) <= high:
        warnings.append(
            _("委员 %(n)s 人,应为 %(low)s 至 %(high)s 人(%(article)s)。")
            % {"n": len(members), "low": low, "high": high, "article": size.article}
        )
    if not any(m.gender == Gender.FEMALE for m in members):
        warnings.append(_("委员中应当有妇女成员(《人民调解法》第八条)。"))
    if committee.multi_ethnic and not any(m.ethnicity and m.ethnicity != "汉族" for m in members):
        warnings.append(_("多民族居住地区应当有少数民族成员(《人民调解法》第八条)。"))
    if not any(m.role == MemberRole.CHAIR for m in members):
        warnings.append(_("尚未推选调解委员会主任。"))
    return warnings


@transaction.atomic
def do_add_member(
    actor: User | None,
    committee: Committee,
    *,
    name: str,
    gender: str,
    ethnicity: str = "汉族",
    role: str = MemberRole.MEMBER,
    chosen_on: dt.date | None = None,
    post: Post | None = None,
    resolution_ref: str | None = None,
    resolution_id: int | None = None,
) -> CommitteeMember:
    """Add a member chosen by the residents'/villagers' meeting (第九条): either a passed
    resolution of the governance app on the choice of mediation members, of the
    committee's community (``resolution_id``, checked by
    ``governance.figures.authorising_resolution``; the day it was taken is the default
    day chosen), or the number of a paper resolution taken before the platform."""
    _require(actor, access.ADMIN_ROLES, committee.unit, _("您的岗位无权调整调解委员会。"))
    ref = (resolution_ref or "").strip()[:100]
    if resolution_id is not None:
        resolution = (
            authorising_resolution(resolution_id, committee.unit, MEDIATION_MATTERS)
            if committee.unit.kind in MEMBER_RESOLUTION_UNIT_KINDS
            else None
        )
        if resolution is None:
            raise ValidationError(
                {
                    "resolution_id": _(
                        "该决议不能作为推选依据:须为本社区(村)居民会议或村民会议"
                        "通过的推选人民调解委员会委员的决议。"
                    )
                }
            )
        ref = ref or resolution.label[:100]
        chosen_on = chosen_on or resolution.decided_on
        if chosen_on < resolution.decided_on:
            raise ValidationError({"chosen_on": _("推选日期不能早于推选决议的日期。")})
    if chosen_on is None:
        raise ValidationError({"chosen_on": _("请填写推选日期。")})
    name = _text(name, "name", _("请填写委员姓名。"))
    if gender not in Gender.values:
        raise ValidationError({"gender": _("请选择性别。")})
    if role not in MemberRole.values:
        raise ValidationError({"role": _("请选择职务。")})
    ethnicity = (ethnicity or "").strip() or "汉族"
    if chosen_on > timezone.localdate():
        raise ValidationError({"chosen_on": _("推选日期不能晚于今天。")})
    if post is not None and (post.role != Role.MEDIATOR or not committee.unit.contains(post.unit)):
        raise ValidationError({"post": _("请选择本调解委员会所在单位的调解员岗位。")})
    term = rule_in_force(RuleKey.MEMBER_TERM, chosen_on)
    if role == MemberRole.CHAIR and any(
        m.role == MemberRole.CHAIR for m in current_members(committee, chosen_on)
    ):
        raise ValidationError({"role": _("调解委员会已有主任,请先办理原主任离任。")})
    try:
        term_ends = chosen_on.replace(year=chosen_on.year + term.value)
    except ValueError:  # 29 February
        term_ends = chosen_on.replace(year=chosen_on.year + term.value, day=28)
    member = CommitteeMember.objects.create(
        committee=committee,
        name=name,
        gender=gender,
        ethnicity=ethnicity,
        role=role,
        post=post,
        chosen_on=chosen_on,
        term_ends_on=term_ends,
        resolution_ref=ref or None,
        resolution_id=resolution_id,
    )
    _log(actor, MediationVerb.MEMBER_ADDED, member, committee.unit, after=snapshot(member))
    return member


@transaction.atomic
def do_end_member(actor: User | None, member: CommitteeMember, *, ended_on: dt.date) -> None:
    _require(actor, access.ADMIN_ROLES, member.committee.unit, _("您的岗位无权调整调解委员会。"))
    if member.ended_on is not None:
        raise ValidationError({"ended_on": _("该委员已离任。")})
    if ended_on < member.chosen_on:
        raise ValidationError({"ended_on": _("离任日期不能早于推选日期。")})
    before = snapshot(member, ["ended_on"])
    member.ended_on = ended_on
    member.save(update_fields=["ended_on"])
    _log(
        actor,
        MediationVerb.MEMBER_ENDED,
        member,
        member.committee.unit,
        before,
        {"ended_on": ended_on},
    )


# --- legal advisors -------------------------------------------------------------------


@transaction.atomic
def do_assign_advisor(
    actor: User | None,
    *,
    unit: OrgUnit,
    name: str,
    firm: str,
    started_on: dt.date,
    phone: str = "",
    user: User | None = None,
) -> AdvisorAssignment:
    _require(actor, access.ADMIN_ROLES, unit, _("您的岗位无权聘任法律顾问。"))
    if unit.kind not in ADVISOR_UNIT_KINDS:
        raise ValidationError({"unit": _("法律顾问服务到村或社区。")})
    name = _text(name, "name", _("请填写法律顾问姓名。"))
    firm = _text(firm, "firm", _("请填写所在律师事务所。"))
    fields: dict[str, Any] = {}
    if phone.strip():
        try:
            mobile = normalise_mobile(phone)
        except ValueError:
            raise ValidationError({"phone": MSG_MOBILE}) from None
        fields.update(phone_enc=cipher().encrypt(mobile), phone_masked=mask_phone(mobile))
    assignment = AdvisorAssignment.objects.create(
        unit=unit, name=name, firm=firm, started_on=started_on, user=user, **fields
    )
    _log(actor, MediationVerb.ADVISOR_ASSIGNED, assignment, unit, after=snapshot(assignment))
    return assignment


@transaction.atomic
def do_end_advisor(actor: User | None, assignment: AdvisorAssignment, *, ended_on: dt.date) -> None:
    _require(actor, access.ADMIN_ROLES, assignment.unit, _("您的岗位无权解聘法律顾问。"))
    if assignment.ended_on is not None:
        raise ValidationError({"ended_on": _("该法律顾问已解聘。")})
    if ended_on < assignment.started_on:
        raise ValidationError({"ended_on": _("解聘日期不能早于聘任日期。")})
    AdvisorAssignment.objects.filter(pk=assignment.pk).update(ended_on=ended_on)
    assignment.ended_on = ended_on
    _log(
        actor,
        MediationVerb.ADVISOR_ENDED,
        assignment,
        assignment.unit,
        after={"ended_on": ended_on},
    )


@transaction.atomic
def do_log_advisor_activity(
    actor: User | None,
    assignment: AdvisorAssignment,
    *,
    kind: str,
    on: dt.date,
    note: str,
    dispute: Dispute | None = None,
    client_token: str | None = None,
) -> AdvisorActivity:
    found = _existing(AdvisorActivity, actor, client_token)
    if found is not None:
        return found
    is_self = actor is not None and assignment.user_id == actor.pk
    if not is_self:
        _require(
            actor, access.ADVISOR_LOG_ROLES, assignment.unit, _("您的岗位无权登记法律顾问服务。")
        )
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("请选择服务方式。")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("服务日期不能晚于今天。")})
    if on < assignment.started_on or (assignment.ended_on and on > assignment.ended_on):
        raise ValidationError({"on": _("服务日期不在聘任期内。")})
    note = _text(note, "note", _("请写明服务内容。"), minimum=2)
    activity = AdvisorActivity.objects.create(
        assignment=assignment,
        unit=assignment.unit,
        kind=kind,
        on=on,
        note=note[:300],
        dispute=dispute,
        client_token=(client_token or "").strip() or None,
        created_by=user_or_none(actor),
    )
    _log(actor, MediationVerb.ADVISOR_ACTIVITY, activity, assignment.unit, after=snapshot(activity))
    return activity


@dataclass(frozen=True)
class PlanItem:
    kind: str
    count: int
    period: str  # month, quarter, year


def advisor_plan() -> list[PlanItem]:
    """The service plan from ``SHEQU_MEDIATION_ADVISOR_PLAN`` (kind:count:period)."""
    plan: list[PlanItem] = []
    for item in settings.SHEQU_MEDIATION_ADVISOR_PLAN:
        kind, count, period = item.split(":")
        plan.append(PlanItem(kind, int(count), period))
    return plan


def _periods(year: int, period: str, until: dt.date) -> list[tuple[dt.date, dt.date]]:
    if period == "year":
        bounds = [(dt.date(year, 1, 1), dt.date(year, 12, 31))]
    elif period == "quarter":
        bounds = [
            (
                dt.date(year, m, 1),
                (dt.date(year + (m + 3 > 12), (m + 2) % 12 + 1, 1) - dt.timedelta(days=1)),
            )
            for m in (1, 4, 7, 10)
        ]
    else:
        bounds = [
            (dt.date(year, m, 1), dt.date(year + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1))
            for m in range(1, 13)
        ]
    return [b for b in bounds if b[1] <= until]


@dataclass(frozen=True)
class PlanStatus:
    kind: str
    label: str
    count: int
    period: str
    periods: int
    met: int
    done: int


def plan_status(
    assignment: AdvisorAssignment, year: int, today: dt.date | None = None
) -> list[PlanStatus]:
    """For each plan item: how many whole periods of ``year`` have passed (within the
    assignment) and in how many of them the advisor did at least the planned count."""
    today = today or timezone.localdate()
    until = min(today, assignment.ended_on or today)
    rows = list(assignment.activities.filter(on__year=year).values_list("kind", "on"))
    result = []
    for item in advisor_plan():
        periods = [p for p in _periods(year, item.period, until) if p[1] >= assignment.started_on]
        met = sum(
            1
            for first, last in periods
            if sum(1 for k, on in rows if k == item.kind and first <= on <= last) >= item.count
        )
        label = ActivityKind(item.kind).label if item.kind in ActivityKind.values else item.kind
        result.append(
            PlanStatus(
                item.kind,
                str(label),
                item.count,
                item.period,
                len(periods),
                met,
                sum(1 for k, _on in rows if k == item.kind),
            )
        )
    return result


# --- third-party bodies ---------------------------------------------------------------


@transaction.atomic
def do_register_third_party(
    actor: User | None,
    *,
    unit: OrgUnit,
    kind: str,
    name: str = "",
    resident_unit: ResidentUnit | None = None,
    contact_name: str = "",
    contact_phone: str = "",
) -> ThirdParty:
    """A body joining mediation; resident units (共驻共建) are the registry's records."""
    _require(actor, access.ADMIN_ROLES, unit, _("您的岗位无权登记第三方调解组织。"))
    if kind not in BodyKind.values:
        raise ValidationError({"kind": _("请选择组织类别。")})
    if kind == BodyKind.RESIDENT_UNIT:
        if resident_unit is None:
            raise ValidationError({"resident_unit": _("请选择驻区单位。")})
        if not resident_unit.unit.path.startswith(unit.path) and not unit.path.startswith(
            resident_unit.community.path
        ):
            raise ValidationError({"resident_unit": _("该驻区单位不在本单位辖区。")})
        name = name.strip() or resident_unit.name
    elif resident_unit is not None:
        raise ValidationError({"resident_unit": _("只有“驻区单位”类别需要选择驻区单位。")})
    name = _text(name, "name", _("请填写组织名称。"))
    fields: dict[str, Any] = {}
    if contact_phone.strip():
        try:
            mobile = normalise_mobile(contact_phone)
        except ValueError:
            raise ValidationError({"contact_phone": MSG_MOBILE}) from None
        fields.update(
            contact_phone_enc=cipher().encrypt(mobile), contact_phone_masked=mask_phone(mobile)
        )
    body = ThirdParty.objects.create(
        unit=unit,
        kind=kind,
        name=name[:100],
        resident_unit=resident_unit,
        contact_name=contact_name.strip()[:50],
        **fields,
    )
    _log(actor, MediationVerb.THIRD_PARTY_REGISTERED, body, unit, after=snapshot(body))
    return body


# --- disputes: registration -----------------------------------------------------------


@dataclass(frozen=True)
class PartyInput:
    side: str
    name: str = ""
    resident: Resident | None = None
    gender: str = ""
    ethnicity: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""


def _party(actor: User | None, index: int, inp: PartyInput) -> Party:
    key = f"parties-{index}"
    if inp.side not in Side.values:
        raise ValidationError({key: _("请选择当事人类别。")})
    party = Party(side=inp.side, address=inp.address.strip()[:200])
    if inp.resident is not None:
        if actor is not None and not org_access.in_scope(actor, inp.resident.unit):
            raise PermissionDenied(_("该居民不在您的管辖范围内。"))
        r = inp.resident
        party.resident = r
        party.name, party.gender, party.ethnicity = r.name, r.gender, r.ethnicity
        party.id_number_enc, party.id_number_index = r.id_number_enc, r.id_number_index
        party.id_number_masked = r.id_number_masked
        party.phone_enc, party.phone_index = r.phone_enc, r.phone_index
        party.phone_masked = r.phone_masked
        party.address = party.address or r.address[:200]
        return party
    party.name = _text(inp.name, key, _("请填写当事人姓名或名称。"))[:100]
    party.gender = inp.gender if inp.gender in Gender.values else ""
    party.ethnicity = inp.ethnicity.strip()[:16]
    number = "".join(inp.id_number.split()).upper()
    if number:
        try:
            number = parse_id_number(number).number
        except IdNumberError as e:
            message = _(e.message) % e.params if e.params else _(e.message)
            raise ValidationError({key: f"{party.name}:{message}"}) from None
        pid = protect_id_number(number)
        party.id_number_enc, party.id_number_index, party.id_number_masked = (
            pid.enc,
            pid.index,
            pid.masked,
        )
    if inp.phone.strip():
        try:
            mobile = normalise_mobile(inp.phone)
        except ValueError:
            raise ValidationError({key: MSG_MOBILE}) from None
        pp = protect_phone(mobile)
        party.phone_enc, party.phone_index, party.phone_masked = pp.enc, pp.index, pp.masked
    return party


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("请填写金额(元)。")}) from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError({"amount": _("金额应在 0 至一万亿元之间。")})
    return amount


@transaction.atomic
def do_register_dispute(
    actor: User | None,
    *,
    unit: OrgUnit,
    committee: Committee,
    source: str,
    kind: str,
    summary: str,
    parties: Sequence[PartyInput],
    referrer: str = "",
    referrer_name: str = "",
    referrer_ref: str = "",
    place: str = "",
    amount: Any = None,
    risk_criminal: bool = False,
    risk_group: bool = False,
    case: Case | None = None,
    client_token: str | None = None,
    received_at: dt.datetime | None = None,
) -> Dispute:
    """Register a dispute (登记): a party's application, the committee's own initiative
    (第十七条) or a referral (第十八条: a court, the police, the petition office, the
    12345 hotline, a grid worker's report). A retried submission returns the first."""
    found = _existing(Dispute, actor, client_token)
    if found is not None:
        if actor is not None and not access.disputes_for_user(actor).filter(pk=found.pk).exists():
            raise ValidationError(_("提交编号已被使用,请刷新页面后重试。"))
        return found
    _require(actor, access.REGISTER_ROLES, unit, _("您的岗位无权登记纠纷。"))
    if unit.kind not in DISPUTE_UNIT_KINDS:
        raise ValidationError({"unit": _("纠纷登记在乡镇(街道)、社区、村或网格。")})
    if not committee.active or not committee.unit.contains(unit):
        raise ValidationError({"committee": _("请选择纠纷发生地所在的调解委员会。")})
    if source not in Source.values:
        raise ValidationError({"source": _("请选择纠纷来源。")})
    if kind not in DisputeKind.values:
        raise ValidationError({"kind": _("请选择纠纷类型。")})
    if source == Source.REFERRAL:
        if referrer not in Referrer.values:
            raise ValidationError({"referrer": _("委托移送的纠纷请选择移送单位类别。")})
        if referrer != Referrer.GRID and not referrer_name.strip():
            raise ValidationError({"referrer_name": _("请填写移送单位名称。")})
    else:
        referrer, referrer_name, referrer_ref = "", "", ""
    summary = _text(summary, "summary", _("请简要写明纠纷情况(至少5个字)。"), minimum=5)
    if len(parties) < 2:
        raise ValidationError({"parties": _("纠纷至少有两方当事人。")})
    rows = [_party(actor, i, p) for i, p in enumerate(parties)]
    if source == Source.APPLICATION and not any(r.side == Side.APPLICANT for r in rows):
        raise ValidationError({"parties": _("当事人申请的纠纷请注明申请人。")})
    if case is not None:
        _check_case(actor, case, unit)
    now = timezone.now()
    try:
        with transaction.atomic():
            dispute = Dispute.objects.create(
                unit=unit,
                committee=committee,
                source=source,
                referrer=referrer,
                referrer_name=referrer_name.strip()[:100],
                referrer_ref=referrer_ref.strip()[:60],
                kind=kind,
                summary=summary,
                place=place.strip()[:200],
                amount=_amount(amount),
                risk_criminal=risk_criminal,
                risk_group=risk_group,
                handling_body=committee.name,
                case=case,
                received_at=received_at or now,
                client_token=(client_token or "").strip() or None,
                reported_by=user_or_none(actor),
            )
    except IntegrityError:
        if not client_token:
            raise
        return Dispute.objects.get(client_token=client_token.strip())
    dispute.number = f"TJ{timezone.localtime(dispute.received_at):%Y%m%d}{dispute.pk:06d}"
    dispute.save(update_fields=["number"])
    for row in rows:
        row.dispute = dispute
    Party.objects.bulk_create(rows)
    _log(
        actor,
        MediationVerb.DISPUTE_REGISTERED,
        dispute,
        unit,
        after={
            **snapshot(dispute, ["number", "source", "referrer", "kind", "committee", "amount"]),
            "parties": [snapshot(r, PARTY_LOGGED) for r in rows],
        },
    )
    return dispute


def _check_case(actor: User | None, case: Case, unit: OrgUnit) -> None:
    if actor is not None and not org_access.in_scope(actor, case.unit):
        raise ValidationError({"case": _("该办件不在您的管辖范围内。")})
    if not (case.unit.contains(unit) or unit.contains(case.unit)):
        raise ValidationError({"case": _("该求助办件不是本辖区的办件。")})


@transaction.atomic
def do_link_case(actor: User | None, dispute: Dispute, case: Case) -> Dispute:
    """Link the services case of the call for help (its quarter-hour on-site verdict)."""
    _require_mediate(actor, dispute)
    _check_case(actor, case, dispute.unit)
    before = snapshot(dispute, ["case"])
    Dispute.objects.filter(pk=dispute.pk).update(case=case)
    dispute.refresh_from_db()
    _log(actor, MediationVerb.DISPUTE_CASE_LINKED, dispute, dispute.unit, before, {"case": case.pk})
    return dispute


# --- acceptance, refusal, time limit --------------------------------------------------


def _due(dispute: Dispute) -> dt.datetime | None:
    if dispute.accepted_at is None:
        return None
    return calendar.due_at(dispute.accepted_at, dispute.limit_days + dispute.extension_days)


def _tell_parties(dispute: Dispute, kind: str, tag: str, **payload: str) -> None:
    data = {"committee": dispute.committee.name, "number": dispute.number, **payload}
    for party in dispute.parties.exclude(phone_enc=""):
        enqueue(
            unit=dispute.unit,
            channel=MessageChannel.SMS,
            recipient=cipher().decrypt(party.phone_enc),
            kind=kind,
            text=TEXTS[kind],
            payload=data,
            dedupe_key=f"mediation:{dispute.pk}:{tag}:{party.pk}",
        )


def _tell_staff(
    dispute: Dispute, kind: str, usernames: Sequence[str], tag: str, **extra: str
) -> None:
    payload = {"number": dispute.number, "kind": dispute.get_kind_display(), **extra}
    for username in sorted(set(usernames)):
        enqueue(
            unit=dispute.unit,
            channel=MessageChannel.STAFF,
            recipient=username,
            kind=kind,
            text=TEXTS[kind],
            payload=payload,
            dedupe_key=f"mediation:{dispute.pk}:{tag}:{username}",
            link=dispute.get_absolute_url(),
        )


def committee_mediators(committee: Committee) -> list[User]:
    """Staff with an active mediator post on the committee's unit."""
    return list(
        User.objects.filter(
            pk__in=Post.objects.active()
            .filter(role=Role.MEDIATOR, unit=committee.unit)
            .values("user_id")
        ).order_by("full_name", "pk")
    )


@transaction.atomic
def do_accept_dispute(
    actor: User | None, dispute: Dispute, *, mediator: User | None = None, note: str = ""
) -> Dispute:
    """Accept (受理): the time limit starts, on the kernel's working-day calendar."""
    _require_mediate(actor, dispute)
    mediator = mediator or (actor if actor is not None and actor.is_authenticated else None)
    if mediator is None:
        raise ValidationError({"mediator": _("请指定主持调解的调解员。")})
    if mediator not in committee_mediators(dispute.committee) and not (
        actor is None or mediator == actor
    ):
        raise ValidationError({"mediator": _("请选择本调解委员会的调解员。")})
    now = timezone.now()
    limit = settings.SHEQU_MEDIATION_LIMIT_DAYS
    before = transition(
        dispute,
        [DisputeStatus.REGISTERED],
        status=DisputeStatus.ACCEPTED,
        accepted_at=now,
        limit_days=limit,
        mediator=mediator,
        due_at=calendar.due_at(now, limit),
    )
    _log(
        actor,
        MediationVerb.DISPUTE_ACCEPTED,
        dispute,
        dispute.unit,
        before,
        {**snapshot(dispute, ["status", "accepted_at", "due_at", "mediator"]), "note": note},
    )
    _tell_parties(
        dispute,
        "mediation.accepted",
        "accepted",
        mediator=mediator.full_name or mediator.username,
    )
    return dispute


@transaction.atomic
def do_refuse_dispute(actor: User | None, dispute: Dispute, *, reason: str, note: str) -> Dispute:
    """Not accepted, with the reason (第十七、十八条)."""
    _require_mediate(actor, dispute)
    if reason not in RefusalReason.values:
        raise ValidationError({"reason": _("请选择不予受理的理由。")})
    note = _text(note, "note", _("请写明不予受理的具体情况(至少4个字)。"), minimum=4)
    before = transition(
        dispute,
        [DisputeStatus.REGISTERED],
        status=DisputeStatus.REFUSED,
        refusal_reason=reason,
        refusal_note=note[:300],
        ended_at=timezone.now(),
    )
    _log(
        actor,
        MediationVerb.DISPUTE_REFUSED,
        dispute,
        dispute.unit,
        before,
        snapshot(dispute, ["status", "refusal_reason", "refusal_note"]),
    )
    return dispute


@transaction.atomic
def do_extend_dispute(actor: User | None, dispute: Dispute, *, days: int, reason: str) -> Dispute:
    _require_mediate(actor, dispute)
    reason = _text(reason, "reason", _("请写明延长调解期限的理由。"), minimum=4)
    cap = settings.SHEQU_MEDIATION_MAX_EXTENSION_DAYS
    if days < 1 or dispute.extension_days + days > cap:
        raise ValidationError(
            {
                "days": _("延长合计不能超过 %(cap)s 个工作日(已延长 %(done)s 个)。")
                % {"cap": cap, "done": dispute.extension_days}
            }
        )
    total = dispute.extension_days + days
    before = transition(
        dispute,
        TIMED_STATUSES,
        where=Q(extension_days=dispute.extension_days),
        extension_days=total,
        due_at=calendar.due_at(dispute.accepted_at or timezone.now(), dispute.limit_days + total),
    )
    _log(
        actor,
        MediationVerb.DISPUTE_EXTENDED,
        dispute,
        dispute.unit,
        before,
        {**snapshot(dispute, ["extension_days", "due_at"]), "reason": reason},
    )
    return dispute


# --- sessions and outcomes ------------------------------------------------------------


@transaction.atomic
def do_record_session(
    actor: User | None,
    dispute: Dispute,
    *,
    held_at: dt.datetime,
    place: str,
    participants: str,
    record: str,
    mediator: User | None = None,
    client_token: str | None = None,
) -> Session:
    """Record a mediation session (调解记录, 第二十七条)."""
    found = _existing(Session, actor, client_token)
    if found is not None and found.dispute_id == dispute.pk:
        return found
    _require_mediate(actor, dispute)
    mediator = mediator or dispute.mediator or user_or_none(actor)
    if mediator is None:
        raise ValidationError({"mediator": _("请指定调解员。")})
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at)
    if held_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"held_at": _("调解时间不能晚于现在。")})
    if dispute.accepted_at and held_at < dispute.received_at - dt.timedelta(days=1):
        raise ValidationError({"held_at": _("调解时间不能早于纠纷登记时间。")})
    place = _text(place, "place", _("请填写调解地点。"))
    participants = _text(participants, "participants", _("请填写参加人员。"))
    record = _text(record, "record", _("请填写调解记录(至少10个字)。"), minimum=10)
    transition(
        dispute,
        [DisputeStatus.ACCEPTED, DisputeStatus.MEDIATING],
        status=DisputeStatus.MEDIATING,
    )
    session = Session.objects.create(
        dispute=dispute,
        held_at=held_at,
        place=place[:200],
        participants=participants[:300],
        record=record,
        mediator=mediator,
        client_token=(client_token or "").strip() or None,
    )
    _log(
        actor,
        MediationVerb.SESSION_RECORDED,
        dispute,
        dispute.unit,
        after={"session": session.pk, "held_at": held_at, "place": place, "mediator": mediator.pk},
    )
    return session


@transaction.atomic
def do_record_agreement(
    actor: User | None,
    dispute: Dispute,
    *,
    form: str,
    facts: str,
    terms: str,
    liability: str = "",
    performance_manner: str = "",
    performance_due_on: dt.date | None = None,
    copies: int | None = None,
    effective_on: dt.date | None = None,
) -> Agreement:
    """The agreement: written with the contents of 第二十九条 (effective when the parties
    sign and the committee seals), or oral, recorded by the mediator (第二十八、三十条).
    A written agreement starts the 30-day countdown for judicial confirmation (第三十三条)."""
    _require_mediate(actor, dispute)
    if form not in AgreementForm.values:
        raise ValidationError({"form": _("请选择协议形式。")})
    if not dispute.sessions.exists():
        raise ValidationError({"status": _("请先记录调解过程,再登记调解协议。")})
    today = timezone.localdate()
    effective_on = effective_on or today
    if effective_on > today:
        raise ValidationError({"effective_on": _("生效日期不能晚于今天。")})
    facts = _text(facts, "facts", _("请写明纠纷的主要事实和争议事项。"), minimum=5)
    terms = _text(terms, "terms", _("请写明当事人达成的协议内容。"), minimum=5)
    parties = dispute.parties.count()
    fields: dict[str, Any] = {}
    if form == AgreementForm.WRITTEN:
        performance_manner = _text(
            performance_manner, "performance_manner", _("书面协议应写明履行方式(第二十九条)。")
        )
        if performance_due_on is None:
            raise ValidationError({"performance_due_on": _("书面协议应写明履行期限(第二十九条)。")})
        if performance_due_on < effective_on:
            raise ValidationError({"performance_due_on": _("履行期限不能早于协议生效日期。")})
        copies = copies or parties + 1
        if copies < parties + 1:
            raise ValidationError(
                {
                    "copies": _("协议书应一式 %(n)s 份以上:当事人各一份,调解委员会留存一份。")
                    % {"n": parties + 1}
                }
            )
        rule = rule_in_force(RuleKey.CONFIRMATION_WINDOW, effective_on)
        fields.update(confirmation_due_on=period_end(effective_on, rule), confirmation_rule=rule)
    else:
        copies = 1
    transition(
        dispute,
        [DisputeStatus.MEDIATING],
        status=DisputeStatus.PERFORMING,
        outcome=Outcome.AGREED,
        ended_at=timezone.now(),
    )
    agreement = Agreement.objects.create(
        dispute=dispute,
        form=form,
        facts=facts,
        liability=liability.strip(),
        terms=terms,
        performance_manner=performance_manner.strip()[:200],
        performance_due_on=performance_due_on,
        copies=copies,
        effective_on=effective_on,
        **fields,
    )
    _log(
        actor,
        MediationVerb.AGREEMENT_RECORDED,
        dispute,
        dispute.unit,
        after=snapshot(
            agreement,
            ["form", "effective_on", "performance_due_on", "copies", "confirmation_due_on"],
        ),
    )
    return agreement


@transaction.atomic
def do_end_without_agreement(
    actor: User | None, dispute: Dispute, *, routes: Sequence[str], note: str = ""
) -> Dispute:
    """No agreement: mediation ends and the parties are told their other routes
    (第二十六条); the notice is printed from the dispute page."""
    _require_mediate(actor, dispute)
    chosen = [r for r in routes if r in ROUTES]
    if not chosen or len(chosen) != len(routes):
        raise ValidationError({"routes": _("请选择告知当事人的其他解决途径。")})
    before = transition(
        dispute,
        [DisputeStatus.ACCEPTED, DisputeStatus.MEDIATING],
        status=DisputeStatus.ENDED,
        outcome=Outcome.NO_AGREEMENT,
        routes_told=",".join(chosen),
        ended_at=timezone.now(),
    )
    _log(
        actor,
        MediationVerb.NO_AGREEMENT,
        dispute,
        dispute.unit,
        before,
        {**snapshot(dispute, ["status", "outcome", "routes_told"]), "note": note.strip()},
    )
    return dispute


# --- judicial confirmation ------------------------------------------------------------


def _written_agreement(dispute: Dispute) -> Agreement:
    agreement = dispute.agreement
    if agreement is None or agreement.form != AgreementForm.WRITTEN:
        raise ValidationError({"agreement": _("只有书面调解协议可以申请司法确认。")})
    return agreement


@transaction.atomic
def do_apply_confirmation(
    actor: User | None, dispute: Dispute, *, court: str, applied_on: dt.date
) -> Agreement:
    """The parties' joint application to the court, within the window in force on the
    day the agreement took effect."""
    _require_mediate(actor, dispute)
    agreement = Agreement.objects.select_for_update().get(pk=_written_agreement(dispute).pk)
    if agreement.applied_on is not None:
        raise ValidationError({"applied_on": _("已申请司法确认。")})
    court = _text(court, "court", _("请填写受理申请的人民法院。"))
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": _("申请日期不能晚于今天。")})
    if applied_on < agreement.effective_on:
        raise ValidationError({"applied_on": _("申请日期不能早于协议生效日期。")})
    if agreement.confirmation_due_on and applied_on > agreement.confirmation_due_on:
        raise ValidationError(
            {
                "applied_on": _(
                    "已超过申请司法确认的期限(%(due)s)。当事人可就协议履行或内容另行起诉。"
                )
                % {"due": agreement.confirmation_due_on.isoformat()}
            }
        )
    agreement.court, agreement.applied_on = court[:100], applied_on
    agreement.save(update_fields=["court", "applied_on"])
    _log(
        actor,
        MediationVerb.CONFIRMATION_APPLIED,
        dispute,
        dispute.unit,
        after={"court": court, "applied_on": applied_on},
    )
    return agreement


@transaction.atomic
def do_record_confirmation_decision(
    actor: User | None,
    dispute: Dispute,
    *,
    decision: str,
    decided_on: dt.date,
    note: str = "",
    remediate: bool = False,
) -> Agreement:
    """The court's ruling: confirmed (the agreement is enforceable) or refused — then the
    parties re-mediate (the agreement is superseded, mediation resumes) or sue."""
    _require_mediate(actor, dispute)
    agreement = Agreement.objects.select_for_update().get(pk=_written_agreement(dispute).pk)
    if agreement.applied_on is None:
        raise ValidationError({"decision": _("尚未申请司法确认。")})
    if agreement.decision:
        raise ValidationError({"decision": _("法院已作出裁定。")})
    if decision not in Decision.values:
        raise ValidationError({"decision": _("请选择法院的裁定结果。")})
    if decided_on < agreement.applied_on or decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("裁定日期应在申请日期之后、今天之前。")})
    if decision == Decision.REFUSED and len(note.strip()) < 2:
        raise ValidationError({"note": _("请写明驳回的理由。")})
    agreement.decision, agreement.decided_on = decision, decided_on
    agreement.decision_note = note.strip()[:300]
    update = ["decision", "decided_on", "decision_note"]
    if decision == Decision.REFUSED and remediate:
        agreement.superseded = True
        update.append("superseded")
    agreement.save(update_fields=update)
    if decision == Decision.REFUSED:
        if remediate:
            transition(
                dispute,
                [DisputeStatus.PERFORMING],
                status=DisputeStatus.MEDIATING,
                outcome="",
                ended_at=None,
            )
        else:
            transition(
                dispute,
                [DisputeStatus.PERFORMING],
                status=DisputeStatus.ENDED,
                routes_told="lawsuit",
            )
    _log(
        actor,
        MediationVerb.CONFIRMATION_DECIDED,
        dispute,
        dispute.unit,
        after={
            "decision": decision,
            "decided_on": decided_on,
            "remediate": remediate,
            "note": note,
        },
    )
    return agreement


# --- performance, closing, archiving --------------------------------------------------


@transaction.atomic
def do_record_follow_up(
    actor: User | None, dispute: Dispute, *, visited_on: dt.date, result: str, note: str
) -> FollowUp:
    """A follow-up visit (回访) supervising performance of the agreement (第三十一条)."""
    if actor is not None and not access.may_follow_up(actor, dispute):
        raise PermissionDenied(_("您的岗位无权回访此纠纷。"))
    if dispute.status != DisputeStatus.PERFORMING:
        raise ValidationError({"status": _("只有达成协议、正在履行的纠纷需要回访。")})
    if result not in FollowUpResult.values:
        raise ValidationError({"result": _("请选择履行情况。")})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("回访日期不能晚于今天。")})
    agreement = dispute.agreement
    if agreement and visited_on < agreement.effective_on:
        raise ValidationError({"visited_on": _("回访日期不能早于协议生效日期。")})
    note = _text(note, "note", _("请写明回访情况。"), minimum=2)
    visit = FollowUp.objects.create(
        dispute=dispute,
        visited_on=visited_on,
        visited_by=user_or_none(actor),
        result=result,
        note=note[:300],
    )
    _log(actor, MediationVerb.FOLLOW_UP, dispute, dispute.unit, after=snapshot(visit))
    return visit


@transaction.atomic
def do_close_dispute(actor: User | None, dispute: Dispute, *, note: str = "") -> Dispute:
    """Close (结案): an agreement performed (at least one follow-up visit found it so) or
    a mediation that ended without one."""
    _require_mediate(actor, dispute)
    if (
        dispute.status == DisputeStatus.PERFORMING
        and not dispute.follow_ups.filter(result=FollowUpResult.PERFORMED).exists()
    ):
        raise ValidationError({"status": _("请先回访,确认协议已履行后再结案。")})
    before = transition(
        dispute,
        [DisputeStatus.PERFORMING, DisputeStatus.ENDED],
        status=DisputeStatus.CLOSED,
        closed_at=timezone.now(),
    )
    _log(
        actor,
        MediationVerb.DISPUTE_CLOSED,
        dispute,
        dispute.unit,
        before,
        {"status": dispute.status, "note": note},
    )
    return dispute


@transaction.atomic
def do_archive_dispute(actor: User | None, dispute: Dispute) -> Dispute:
    """Archive the case file (一案一卷, 第二十七条): registration, records, agreement."""
    _require_mediate(actor, dispute)
    now = timezone.now()
    year = timezone.localtime(now).year
    count = Dispute.objects.filter(committee=dispute.committee, archived_at__year=year).count()
    number = f"{year}-{dispute.committee_id:04d}-{count + 1:04d}"
    before = transition(
        dispute,
        [DisputeStatus.CLOSED, DisputeStatus.REFUSED],
        status=DisputeStatus.ARCHIVED,
        archived_at=now,
        archive_number=number,
    )
    _log(
        actor,
        MediationVerb.DISPUTE_ARCHIVED,
        dispute,
        dispute.unit,
        before,
        {"archive_number": number},
    )
    return dispute


# --- joined up: transfers ---------------------------------------------------------------


def _receipt() -> str:
    return f"YJ{timezone.localtime():%Y%m%d}{secrets.token_hex(3).upper()}"


@transaction.atomic
def do_transfer_dispute(
    actor: User | None,
    dispute: Dispute,
    *,
    to_type: str,
    reason: str,
    to_body: str = "",
    to_committee: Committee | None = None,
    third_party: ThirdParty | None = None,
) -> Transfer:
    """Move a dispute to administrative (township judicial office, police), judicial
    (court-entrusted) or third-party mediation, or up to the township's committee; the
    sender's receipt number goes with it, the receiver acknowledges."""
    _require_mediate(actor, dispute)
    if to_type not in MediationType.values:
        raise ValidationError({"to_type": _("请选择移交的调解类型。")})
    reason = _text(reason, "reason", _("请写明移交理由。"), minimum=2)
    changes: dict[str, Any] = {"status": DisputeStatus.TRANSFERRED}
    if to_type == MediationType.PEOPLES:
        if to_committee is None or to_committee.pk == dispute.committee_id:
            raise ValidationError({"to_committee": _("请选择接收的调解委员会。")})
        if not to_committee.active or not to_committee.unit.contains(dispute.unit):
            raise ValidationError({"to_committee": _("只能移交纠纷发生地的上级调解委员会。")})
        to_body = to_committee.name
    elif to_type == MediationType.THIRD_PARTY:
        if third_party is None or not third_party.active:
            raise ValidationError({"third_party": _("请选择第三方调解组织。")})
        to_body = third_party.name
        changes["third_party"] = third_party
    else:
        to_body = _text(to_body, "to_body", _("请填写接收单位(如乡镇司法所、派出所、人民法院)。"))
    changes.update(mediation_type=to_type, handling_body=to_body[:100])
    from_type, from_body = dispute.mediation_type, dispute.handling_body or dispute.committee.name
    before = transition(
        dispute,
        [DisputeStatus.REGISTERED, DisputeStatus.ACCEPTED, DisputeStatus.MEDIATING],
        **changes,
    )
    transfer = Transfer.objects.create(
        dispute=dispute,
        from_type=from_type,
        to_type=to_type,
        from_body=from_body[:100],
        to_body=to_body[:100],
        to_committee=to_committee,
        reason=reason[:300],
        receipt_number=_receipt(),
        sent_at=timezone.now(),
        sent_by=user_or_none(actor),
    )
    _log(
        actor,
        MediationVerb.DISPUTE_TRANSFERRED,
        dispute,
        dispute.unit,
        before,
        {**snapshot(transfer, ["from_type", "to_type", "from_body", "to_body", "receipt_number"])},
    )
    if to_committee is not None:
        _tell_staff(
            dispute,
            "mediation.transferred",
            [u.username for u in committee_mediators(to_committee)],
            f"transfer:{transfer.pk}",
            from_body=from_body,
            to_body=to_body,
            receipt=transfer.receipt_number,
        )
    return transfer


def open_transfer(dispute: Dispute) -> Transfer | None:
    return dispute.transfers.filter(returned=False).order_by("-sent_at", "-pk").first()


@transaction.atomic
def do_receive_transfer(actor: User | None, dispute: Dispute, *, received_by_name: str) -> Transfer:
    """The receiver's acknowledgement (回执). A committee taking a dispute up continues
    it as its own people's mediation (its mediators then act on it)."""
    transfer = open_transfer(dispute)
    if transfer is None or transfer.received_at is not None:
        raise ValidationError({"status": _("没有待接收的移交。")})
    if transfer.to_committee is not None:
        _require(
            actor,
            access.MEDIATE_ROLES,
            transfer.to_committee.unit,
            _("只有接收的调解委员会可以签收。"),
        )
    else:
        _require_mediate(actor, dispute)
    name = _text(received_by_name, "received_by_name", _("请填写接收人。"))
    Transfer.objects.filter(pk=transfer.pk).update(
        received_at=timezone.now(), received_by_name=name[:50]
    )
    transfer.refresh_from_db()
    if transfer.to_committee is not None:
        status = DisputeStatus.MEDIATING if dispute.sessions.exists() else DisputeStatus.ACCEPTED
        if dispute.accepted_at is None:
            status = DisputeStatus.REGISTERED
        transition(
            dispute,
            [DisputeStatus.TRANSFERRED],
            status=status,
            committee=transfer.to_committee,
            mediator=None,
        )
    _log(
        actor,
        MediationVerb.TRANSFER_RECEIVED,
        dispute,
        dispute.unit,
        after={"receipt_number": transfer.receipt_number, "received_by": name},
    )
    return transfer


@transaction.atomic
def do_return_dispute(
    actor: User | None, dispute: Dispute, *, result: str, settled: bool
) -> Transfer:
    """The body it went to sends it back with its result: settled there (the dispute
    closes, the outcome is the transfer's) or back to people's mediation, with a return
    receipt of its own."""
    _require_mediate(actor, dispute)
    transfer = open_transfer(dispute)
    if transfer is None or dispute.status != DisputeStatus.TRANSFERRED:
        raise ValidationError({"status": _("该纠纷没有在外单位办理的移交。")})
    if transfer.received_at is None:
        raise ValidationError({"status": _("接收单位尚未签收移交。")})
    result = _text(result, "result", _("请填写接收单位的处理结果。"), minimum=2)
    Transfer.objects.filter(pk=transfer.pk).update(result=result[:300])
    back = Transfer.objects.create(
        dispute=dispute,
        from_type=transfer.to_type,
        to_type=MediationType.PEOPLES,
        from_body=transfer.to_body,
        to_body=dispute.committee.name,
        reason=result[:300],
        receipt_number=_receipt(),
        sent_at=timezone.now(),
        sent_by=user_or_none(actor),
        received_at=timezone.now(),
        received_by_name=(actor.full_name or actor.username) if actor else "",
        returned=True,
        result=result[:300],
    )
    Transfer.objects.filter(pk=transfer.pk).update(returned=True)
    if settled:
        transition(
            dispute,
            [DisputeStatus.TRANSFERRED],
            status=DisputeStatus.CLOSED,
            outcome=Outcome.TRANSFERRED,
            ended_at=timezone.now(),
            closed_at=timezone.now(),
        )
    else:
        status = DisputeStatus.MEDIATING if dispute.sessions.exists() else DisputeStatus.ACCEPTED
        if dispute.accepted_at is None:
            status = DisputeStatus.REGISTERED
        transition(
            dispute,
            [DisputeStatus.TRANSFERRED],
            status=status,
            mediation_type=MediationType.PEOPLES,
            handling_body=dispute.committee.name,
            third_party=None,
        )
    _log(
        actor,
        MediationVerb.DISPUTE_RETURNED,
        dispute,
        dispute.unit,
        after={"receipt_number": back.receipt_number, "settled": settled, "result": result},
    )
    return back


@transaction.atomic
def do_return_result_to_referrer(
    actor: User | None, dispute: Dispute, *, note: str = ""
) -> Dispute:
    """Send the result back to the court (or other body) that referred the dispute."""
    _require_mediate(actor, dispute)
    if dispute.source != Source.REFERRAL or dispute.referrer == Referrer.GRID:
        raise ValidationError({"status": _("只有法院、公安等单位移送的纠纷需要反馈结果。")})
    if not dispute.outcome and dispute.status != DisputeStatus.REFUSED:
        raise ValidationError({"status": _("调解尚未结束,暂不能反馈结果。")})
    if dispute.result_returned_at is not None:
        raise ValidationError({"status": _("已向移送单位反馈结果。")})
    before = transition(
        dispute,
        [s for s in DisputeStatus.values if s not in OPEN_STATUSES],
        result_returned_at=timezone.now(),
    )
    _log(
        actor,
        MediationVerb.RESULT_RETURNED,
        dispute,
        dispute.unit,
        before,
        {"to": dispute.referrer_name, "outcome": dispute.outcome or dispute.status, "note": note},
    )
    return dispute


# --- personal data --------------------------------------------------------------------


@transaction.atomic
def do_reveal_party_field(actor: User, party: Party, *, field: str, reason: str) -> str:
    """A party's full ID number or phone, for the registry's reveal roles; logged."""
    if field not in REVEALABLE:
        raise ValidationError({"field": _("只能查看身份证号或手机号。")})
    if not access.may_reveal(actor, party.dispute):
        raise PermissionDenied(_("您的岗位无权查看完整号码。"))
    reason = " ".join((reason or "").split())
    if len(reason) < 4:
        raise ValidationError({"reason": _("请写明查看完整号码的事由(至少4个字)。")})
    token = party.id_number_enc if field == "id_number" else party.phone_enc
    record_event(
        actor,
        MediationVerb.PARTY_REVEALED,
        party,
        unit=party.dispute.unit,
        after={"field": field, "reason": reason[:200]},
    )
    return cipher().decrypt(token) if token else ""


@transaction.atomic
def do_find_parties(actor: User, *, id_number: str = "", phone: str = "") -> list[Party]:
    """Parties of the actor's disputes with this ID number or phone (the blind index),
    like the registry's exact lookup: throttled per user (``SHEQU_LOOKUP_RATE_PER_MINUTE``,
    ``ratelimit.RateLimited`` past it) and logged (who found which dispute, or nothing;
    never the number)."""
    field = "id_number" if id_number.strip() else "phone"
    ratelimit.check(f"mediation-lookup:{actor.pk}", settings.SHEQU_LOOKUP_RATE_PER_MINUTE)
    q = Q(pk__in=[])
    if id_number.strip():
        try:
            number = parse_id_number(id_number).number
        except IdNumberError:
            number = ""
        if number:
            q = Q(id_number_index=id_number_index(number))
    elif phone.strip():
        with contextlib.suppress(ValueError):
            q = Q(phone_index=phone_index(normalise_mobile(phone)))
    found = list(
        Party.objects.filter(q, dispute__in=access.disputes_for_user(actor))
        .select_related("dispute__unit")
        .order_by("-dispute__received_at", "pk")[:50]
    )
    for d in {p.dispute for p in found}:
        record_event(actor, MediationVerb.PARTY_LOOKED_UP, d, unit=d.unit, after={"field": field})
    if not found:
        record_event(
            actor,
            MediationVerb.PARTY_LOOKED_UP,
            actor,
            unit=org_access.scope_roots(actor).first(),
            after={"field": field, "matched": 0},
        )
    return found


# --- the worker: reminders --------------------------------------------------------------


def _leads(unit: OrgUnit) -> list[str]:
    roles = org_access.COMMUNITY_LEAD_ROLES | frozenset({Role.TOWNSHIP_OFFICER})
    return list(
        Post.objects.active()
        .filter(unit=unit, role__in=roles)
        .values_list("user__username", flat=True)
    )


def remind_due_disputes(now: dt.datetime | None = None, limit: int = 100) -> int:
    """Tell the mediator a dispute's limit is near (SHEQU_MEDIATION_REMIND_DAYS); once
    per due date."""
    now = now or timezone.now()
    soon = now + dt.timedelta(days=settings.SHEQU_MEDIATION_REMIND_DAYS)

    def remind(d: Dispute, due: dt.datetime) -> None:
        staff = [d.mediator.username] if d.mediator else _leads(d.committee.unit)
        _tell_staff(
            d,
            "mediation.due_soon",
            staff,
            f"due_soon:{due.isoformat()}",
            due=f"{timezone.localtime(due):%Y-%m-%d}",
        )

    return escalate_once(
        Dispute.objects.filter(
            status__in=TIMED_STATUSES, due_at__gte=now, due_at__lte=soon
        ).select_related("mediator", "committee__unit", "unit"),
        due_field="due_at",
        marker_field="reminded_for_due_at",
        handle=remind,
        limit=limit,
    )


def escalate_overdue_disputes(now: dt.datetime | None = None, limit: int = 100) -> int:
    """Tell the committee unit's leads a mediation is overdue; once per due date."""
    now = now or timezone.now()

    def escalate(d: Dispute, due: dt.datetime) -> None:
        record_event(None, MediationVerb.DISPUTE_OVERDUE, d, unit=d.unit, after={"due_at": due})
        staff = _leads(d.committee.unit) + ([d.mediator.username] if d.mediator else [])
        _tell_staff(
            d,
            "mediation.overdue",
            staff,
            f"overdue:{due.isoformat()}",
            due=f"{timezone.localtime(due):%Y-%m-%d}",
        )

    return escalate_once(
        Dispute.objects.overdue(now).select_related("mediator", "committee__unit", "unit"),
        due_field="due_at",
        marker_field="escalated_for_due_at",
        handle=escalate,
        limit=limit,
    )


def remind_confirmation_deadlines(today: dt.date | None = None, limit: int = 100) -> int:
    """Before the last day to apply for judicial confirmation (SHEQU_MEDIATION_
    CONFIRMATION_REMIND_DAYS), tell the parties and the mediator; once per deadline."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=settings.SHEQU_MEDIATION_CONFIRMATION_REMIND_DAYS)

    def remind(agreement: Agreement, due: dt.date) -> None:
        d = agreement.dispute
        _tell_parties(
            d, "mediation.confirmation_due", f"confirm:{due.isoformat()}", due=f"{due:%Y-%m-%d}"
        )
        staff = [d.mediator.username] if d.mediator else _leads(d.committee.unit)
        _tell_staff(
            d,
            "mediation.staff_confirmation_due",
            staff,
            f"confirm:{due.isoformat()}",
            due=f"{due:%Y-%m-%d}",
        )
        record_event(None, MediationVerb.CONFIRMATION_REMINDED, d, unit=d.unit, after={"due": due})

    return escalate_once(
        Agreement.objects.filter(
            form=AgreementForm.WRITTEN,
            superseded=False,
            applied_on__isnull=True,
            confirmation_due_on__gte=today,
            confirmation_due_on__lte=soon,
        ).select_related("dispute__mediator", "dispute__committee__unit", "dispute__unit"),
        due_field="confirmation_due_on",
        marker_field="reminded_for_due_on",
        handle=remind,
        limit=limit,
    )
