"""State changes of self-governance. Each is one transaction: it checks the actor,
validates against the rules in force on the record's date (``law``), writes the rows
and an audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.governance import law, quorum
from shequ.governance.access import GOVERNANCE_ROLES, TOWNSHIP_ROLES
from shequ.governance.messages import TEXTS
from shequ.governance.models import (
    ART24_MATTERS,
    AgendaItem,
    Attendance,
    AttendanceKind,
    Ballot,
    BallotMark,
    Basis,
    Charter,
    CharterComment,
    CharterVersion,
    Committee,
    CommitteeKind,
    CommitteeMember,
    ConveneRequest,
    DeclaredRelation,
    Evaluation,
    EvaluationResult,
    EvaluationStatus,
    EvaluationVoter,
    Group,
    Matter,
    Meeting,
    MeetingStatus,
    MeetingType,
    Rating,
    Recall,
    RecallStatus,
    Representative,
    RequestStatus,
    Resolution,
    ResolutionResult,
    RollCallVote,
    RuleKind,
    VersionStatus,
    VoteMethod,
)
from shequ.governance.verbs import GovernanceVerb
from shequ.notify.models import Channel
from shequ.notify.outbox import enqueue
from shequ.orgs.access import COMMUNITY_LEAD_ROLES
from shequ.orgs.actions import do_end_post
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.kit import escalate_once, require, transition, user_or_none
from shequ.orgs.models import CommunityType, OrgUnit, Post, Role, UnitKind, User
from shequ.people.counts import adult_cutoff, community_counts
from shequ.people.models import Household, HouseholdMember, Resident, ResidentStatus

QUARTER = dt.timedelta(days=92)  # a term's expiry is shown to the township a quarter ahead


def _require(actor: User | None, unit: OrgUnit) -> None:
    require(actor, GOVERNANCE_ROLES, unit, message=_("您的岗位无权办理居民自治事务。"))


def _community(unit: OrgUnit) -> OrgUnit:
    if unit.kind != UnitKind.COMMUNITY:
        raise ValidationError({"unit": _("请选择一个社区(村)。")})
    return unit


def _by_token(model: Any, token: str | None) -> Any:
    return model.objects.filter(client_token=token).first() if token else None


def _check_day(field: str, day: dt.date) -> None:
    """Dates far outside the platform's use are typing errors (and would overflow)."""
    if not 1990 <= day.year <= 2100:
        raise ValidationError({field: _("日期须在1990年至2100年之间。")})


def _check_type(unit: OrgUnit, meeting_type: str) -> None:
    if meeting_type not in MeetingType.values:
        raise ValidationError({"meeting_type": _("会议类型无效。")})
    if meeting_type not in law.meeting_types_for(unit):
        raise ValidationError(
            {
                "meeting_type": _("%(type)s不能召开%(meeting)s。")
                % {
                    "type": unit.get_community_type_display(),
                    "meeting": MeetingType(meeting_type).label,
                }
            }
        )


# --- requests to convene ---------------------------------------------------------------------


def _request_base(unit: OrgUnit, basis: str, day: dt.date) -> int:
    if basis == Basis.REPRESENTATIVES:
        return quorum.active_representatives(unit, day).count()
    if basis == Basis.GROUPS:
        return Group.objects.filter(unit=unit).count()
    counts = community_counts([unit], day)[unit.pk]
    return counts.households if basis == Basis.HOUSEHOLDS else counts.adults


def _request_count(unit: OrgUnit, basis: str, day: dt.date, signers: list[Resident]) -> int:
    if basis == Basis.REPRESENTATIVES:
        reps = set(quorum.active_representatives(unit, day).values_list("resident_id", flat=True))
        return sum(1 for r in signers if r.pk in reps)
    if basis == Basis.GROUPS:
        return Group.objects.filter(unit=unit, leader__in=signers).count()
    adults = [r for r in signers if r.birth_date <= adult_cutoff(day)]
    if basis == Basis.HOUSEHOLDS:
        return (
            HouseholdMember.objects.filter(resident__in=adults)
            .values("household_id")
            .distinct()
            .count()
        )
    return len(adults)


@transaction.atomic
def do_file_request(
    actor: User | None,
    *,
    unit: OrgUnit,
    meeting_type: str,
    basis: str,
    subject: str,
    received_on: dt.date,
    signatories: Sequence[Resident],
    client_token: str | None = None,
) -> ConveneRequest:
    """Record a request to convene with its signatories, checked against the threshold in
    force; a valid one obliges the committee by ``due_on``."""
    if (existing := _by_token(ConveneRequest, client_token)) is not None:
        return existing
    _community(unit)
    _require(actor, unit)
    _check_type(unit, meeting_type)
    _check_day("received_on", received_on)
    if not subject.strip():
        raise ValidationError({"subject": _("请填写提议事项。")})
    found = [
        r for r in law.rules_for(unit, RuleKind.CONVENE_REQUEST, received_on, meeting_type)
        if r.basis == basis
    ]  # fmt: skip
    if not found:
        raise ValidationError({"basis": _("法律未规定以此身份提议召集该会议。")})
    rule = found[0]
    signers = list({r.pk: r for r in signatories}.values())
    outsiders = [
        r.name for r in signers if r.community_id != unit.pk or r.status != ResidentStatus.LIVING
    ]
    if outsiders:
        raise ValidationError(
            {"signatories": _("以下提议人不是本社区在册居民:%(n)s") % {"n": "、".join(outsiders)}}
        )
    if not signers:
        raise ValidationError({"signatories": _("请选择提议人。")})
    base = _request_base(unit, basis, received_on)
    count = _request_count(unit, basis, received_on, signers)
    valid = rule.met(count, base)
    answer = law.number(unit, RuleKind.REQUEST_ANSWER_DAYS, received_on, meeting_type)
    request = ConveneRequest.objects.create(
        unit=unit,
        meeting_type=meeting_type,
        basis=basis,
        subject=subject.strip(),
        received_on=received_on,
        signed=count,
        base=base,
        needed=rule.needed(base),
        article=law.cite([rule]),
        status=RequestStatus.VALID if valid else RequestStatus.INSUFFICIENT,
        due_on=received_on + dt.timedelta(days=answer.num) if valid and answer else None,
        client_token=client_token or None,
        created_by=user_or_none(actor),
    )
    request.signatories.set(signers)
    record_event(actor, GovernanceVerb.REQUEST_FILED, request, unit=unit, after=snapshot(request))
    return request


# --- meetings ----------------------------------------------------------------------------------


def notice_days(unit: OrgUnit, meeting_type: str, day: dt.date) -> int:
    rule = law.number(unit, RuleKind.NOTICE_DAYS, day, meeting_type)
    return rule.num if rule else 0


@transaction.atomic
def do_convene_meeting(
    actor: User | None,
    *,
    unit: OrgUnit,
    meeting_type: str,
    title: str,
    held_on: dt.date,
    notice_on: dt.date,
    place: str,
    agenda: Sequence[tuple[str, str]],
    convened_by: str = "",
    starts_at: dt.time | None = None,
    group: Group | None = None,
    authorised_by: Resolution | None = None,
    request: ConveneRequest | None = None,
    client_token: str | None = None,
) -> Meeting:
    """Give notice of a meeting with its agenda, at least the statutory days ahead."""
    if (existing := _by_token(Meeting, client_token)) is not None:
        return existing
    _community(unit)
    _require(actor, unit)
    _check_type(unit, meeting_type)
    _check_day("held_on", held_on)
    _check_day("notice_on", notice_on)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("请填写会议名称。")
    if not place.strip():
        errors["place"] = _("请填写会议地点。")
    items = [(t.strip(), m) for t, m in agenda if t.strip()]
    if not items:
        errors["agenda"] = _("请至少列出一项议题。")
    for _t, m in items:
        if m not in Matter.values:
            errors["agenda"] = _("议题的事项类别无效。")
    if notice_on > held_on:
        errors["notice_on"] = _("通知日期不能晚于会议日期。")
    days = notice_days(unit, meeting_type, held_on)
    if days and (held_on - notice_on).days < days and "notice_on" not in errors:
        rule = law.number(unit, RuleKind.NOTICE_DAYS, held_on, meeting_type)
        errors["notice_on"] = _("%(meeting)s应当提前 %(days)d 天通知(%(article)s)。") % {
            "meeting": MeetingType(meeting_type).label,
            "days": days,
            "article": law.cite([rule] if rule else []),
        }
    if meeting_type in law.GROUP_TYPES:
        if group is None or group.unit_id != unit.pk:
            errors["group"] = _("小组会议须选择本社区(村)的小组。")
    elif group is not None:
        errors["group"] = _("只有小组会议才选择小组。")
    if authorised_by is not None:
        if meeting_type != MeetingType.VILLAGERS_REPS:
            errors["authorised_by"] = _("只有村民代表会议需要授权决议。")
        elif not _is_delegation(authorised_by, unit):
            errors["authorised_by"] = _("授权决议须为本村村民会议通过的授权决议。")
    if request is not None and (
        request.unit_id != unit.pk
        or request.meeting_type != meeting_type
        or request.status != RequestStatus.VALID
    ):
        errors["request"] = _("所选提议与本会议不符或已召集。")
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        unit=unit,
        meeting_type=meeting_type,
        group=group,
        title=title.strip(),
        held_on=held_on,
        starts_at=starts_at or dt.time(9, 0),
        place=place.strip(),
        notice_on=notice_on,
        convened_by=convened_by.strip() or _("%(unit)s委员会") % {"unit": unit.name},
        authorised_by=authorised_by,
        client_token=client_token or None,
        created_by=user_or_none(actor),
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, number=n, title=t, matter=m)
        for n, (t, m) in enumerate(items, start=1)
    )
    if request is not None:
        transition(request, [RequestStatus.VALID], status=RequestStatus.CONVENED, meeting=meeting)
    record_event(
        actor, GovernanceVerb.MEETING_CONVENED, meeting, unit=unit, after=snapshot(meeting)
    )
    return meeting


def _is_delegation(resolution: Resolution, unit: OrgUnit) -> bool:
    return (
        resolution.unit_id == unit.pk
        and resolution.matter == Matter.DELEGATION
        and resolution.passed
        and resolution.meeting.meeting_type == MeetingType.VILLAGERS
    )


@transaction.atomic
def do_open_meeting(actor: User | None, meeting: Meeting) -> Meeting:
    """Open the sign-in: the registry's denominators on the meeting date are fixed."""
    _require(actor, meeting.unit)
    base = quorum.bases(meeting)
    before = transition(
        meeting,
        [MeetingStatus.CONVENED],
        status=MeetingStatus.IN_SESSION,
        adults_base=base.adults,
        households_base=base.households,
        members_base=base.members,
    )
    record_event(
        actor,
        GovernanceVerb.MEETING_OPENED,
        meeting,
        unit=meeting.unit,
        before=before,
        after=snapshot(meeting),
    )
    return meeting


@transaction.atomic
def do_sign_in(
    actor: User | None,
    meeting: Meeting,
    resident: Resident,
    *,
    for_household: bool = False,
    at: dt.datetime | None = None,
) -> Attendance:
    """Sign in an attendee from the registry, in person or as the household's
    representative (one per household)."""
    _require(actor, meeting.unit)
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("unit", "group")
        .get(pk=meeting.pk)
    )
    if meeting.status != MeetingStatus.IN_SESSION:
        raise ValidationError({"resident": _("会议未在签到中。")})
    if (why := quorum.may_attend(meeting, resident)) is not None:
        raise ValidationError({"resident": why})
    if Attendance.objects.filter(meeting=meeting, resident=resident).exists():
        raise ValidationError({"resident": _("%(name)s已签到。") % {"name": resident.name}})
    members = meeting.meeting_type in law.REPS_TYPES or meeting.meeting_type == MeetingType.JOINT
    household = None
    if for_household and not members:
        membership = HouseholdMember.objects.filter(resident=resident).first()
        if membership is None:
            raise ValidationError({"resident": _("该居民未登记在任何户中,不能作为户代表。")})
        if Attendance.objects.filter(meeting=meeting, household=membership.household).exists():
            raise ValidationError({"resident": _("该户已有代表签到。")})
        household = membership.household
    if members:
        kind = AttendanceKind.MEMBER
    else:
        kind = AttendanceKind.HOUSEHOLD if household else AttendanceKind.PERSON
    attendance = Attendance.objects.create(
        meeting=meeting,
        resident=resident,
        kind=kind,
        household=household,
        adult=resident.birth_date <= adult_cutoff(meeting.held_on),
        signed_at=at or timezone.now(),
    )
    record_event(
        actor,
        GovernanceVerb.ATTENDEE_SIGNED,
        meeting,
        unit=meeting.unit,
        after={"resident": resident.pk, "kind": kind, "household": household},
    )
    return attendance


@transaction.atomic
def do_roll_call(
    actor: User | None, meeting: Meeting, residents: Sequence[Resident]
) -> list[Attendance]:
    """Sign in every member ticked present at a roll-call (点名), all or none: one refusal
    leaves the attendance as it was, with every refusal named."""
    _require(actor, meeting.unit)
    if not residents:
        raise ValidationError({"present": _("请勾选到会人员。")})
    done: list[Attendance] = []
    errors: list[str] = []
    for resident in {r.pk: r for r in residents}.values():
        try:
            done.append(do_sign_in(actor, meeting, resident))
        except ValidationError as e:
            errors.extend(m if resident.name in m else f"{resident.name}:{m}" for m in e.messages)
    if errors:
        raise ValidationError({"present": errors})
    return done


@transaction.atomic
def do_record_discussion(actor: User | None, item: AgendaItem, discussion: str) -> AgendaItem:
    """A meeting without quorum can still record what was discussed."""
    _require(actor, item.meeting.unit)
    if item.meeting.status == MeetingStatus.CLOSED:
        raise ValidationError({"discussion": _("会议已结束。")})
    before = snapshot(item, ["discussion"])
    item.discussion = discussion.strip()
    item.save(update_fields=["discussion"])
    record_event(
        actor,
        GovernanceVerb.ITEM_DISCUSSED,
        item.meeting,
        unit=item.meeting.unit,
        before=before,
        after={"item": item.number, "discussion": item.discussion},
    )
    return item


def matter_refusal(meeting: Meeting, matter: str) -> str | None:
    """Why ``meeting`` may not decide ``matter`` (None when it may)."""
    mtype = meeting.meeting_type
    if matter in ART24_MATTERS:
        if meeting.unit.community_type != CommunityType.RURAL:
            return _("第二十四条事项仅适用于村民委员会所在的农村社区。")
        if mtype == MeetingType.VILLAGERS:
            return None
        if mtype == MeetingType.VILLAGERS_REPS and meeting.authorised_by is not None:
            return None
        return _(
            "《村民委员会组织法》第二十四条:此事项须经村民会议讨论决定,"
            "或由村民会议授权的村民代表会议决定。"
        )
    if matter == Matter.CHARTER and mtype not in law.PLENARY_TYPES:
        return _(
            "自治章程、村规民约和居民公约须由村民会议或居民会议通过,不得授权代表会议"
            "(《村民委员会组织法》第二十七条、《城市居民委员会组织法》第十五条)。"
        )
    if matter == Matter.DELEGATION and mtype != MeetingType.VILLAGERS:
        return _("只有村民会议可以授权村民代表会议(《村民委员会组织法》第二十三条)。")
    return None


@dataclass(frozen=True)
class Tally:
    votes_for: int
    votes_against: int
    votes_abstain: int


def _next_number(meeting: Meeting) -> str:
    year = meeting.held_on.year
    n = Resolution.objects.filter(unit=meeting.unit, number__startswith=f"{year}-").count() + 1
    return f"{year}-{n:03d}"


@transaction.atomic
def do_decide_resolution(
    actor: User | None,
    item: AgendaItem,
    *,
    text: str,
    method: str = VoteMethod.SHOW_OF_HANDS,
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
    roll_call: Mapping[int, str] | None = None,
    at: dt.datetime | None = None,
    client_token: str | None = None,
) -> Resolution:
    """Decide an agenda item by a recorded vote under the majority rule in force.

    Refused, with the article, when the meeting lacks its quorum or may not decide the
    matter; a vote short of the majority is recorded as not passed, with the article."""
    if (existing := _by_token(Resolution, client_token)) is not None:
        return existing
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("unit", "authorised_by")
        .get(pk=item.meeting_id)
    )
    _require(actor, meeting.unit)
    if meeting.status != MeetingStatus.IN_SESSION:
        raise ValidationError({"__all__": _("只有签到中的会议才能表决。")})
    if Resolution.objects.filter(item=item).exists():
        raise ValidationError({"__all__": _("该议题已表决。")})
    if (why := matter_refusal(meeting, item.matter)) is not None:
        raise ValidationError({"__all__": why})
    status = quorum.quorum(meeting)
    if not status.quorate:
        raise ValidationError(
            {
                "__all__": _("会议未达到法定人数,只能记录讨论情况,不能形成决议(%(article)s)。")
                % {"article": status.article}
            }
        )
    if not text.strip():
        raise ValidationError({"text": _("请填写决议内容。")})
    present = status.present
    votes: list[tuple[Attendance, str]] = []
    if method == VoteMethod.ROLL_CALL:
        attendances = {a.pk: a for a in Attendance.objects.filter(meeting=meeting)}
        for pk, choice in (roll_call or {}).items():
            if pk not in attendances or choice not in ("for", "against", "abstain"):
                raise ValidationError({"roll_call": _("记名表决中有无效的表决人或意见。")})
            votes.append((attendances[pk], choice))
        votes_for = sum(1 for _a, c in votes if c == "for")
        votes_against = sum(1 for _a, c in votes if c == "against")
        votes_abstain = sum(1 for _a, c in votes if c == "abstain")
    elif method != VoteMethod.SHOW_OF_HANDS:
        raise ValidationError({"method": _("表决方式无效。")})
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise ValidationError({"votes_for": _("票数不能为负数。")})
    if votes_for + votes_against + votes_abstain > present:
        raise ValidationError({"votes_for": _("票数合计不能超过到会人数 %(n)d。") % {"n": present}})
    majority = law.rules_for(meeting.unit, RuleKind.MAJORITY, meeting.held_on, meeting.meeting_type)
    if majority:
        passed = any(r.met(votes_for, present) for r in majority)
        majority_article = law.cite(majority)
    else:  # the joint meeting: no statutory rule, more than half of those present
        passed = votes_for * 2 > present
        majority_article = _("无法定门槛,按到会人员过半数")
    resolution = Resolution(
        unit=meeting.unit,
        meeting=meeting,
        item=item,
        number=_next_number(meeting),
        matter=item.matter,
        text=text.strip(),
        method=method,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        present=present,
        result=ResolutionResult.PASSED if passed else ResolutionResult.REJECTED,
        quorum_article=status.article if status.statutory else _("无法定人数要求"),
        majority_article=majority_article,
        rule=majority[0] if majority else None,
        decided_at=at or timezone.now(),
        client_token=client_token or None,
    )
    try:
        with transaction.atomic():
            resolution.save()
    except IntegrityError:
        raise ValidationError({"__all__": _("该议题已表决或编号冲突,请刷新后重试。")}) from None
    RollCallVote.objects.bulk_create(
        RollCallVote(resolution=resolution, attendance=a, choice=c) for a, c in votes
    )
    record_event(
        actor,
        GovernanceVerb.RESOLUTION_DECIDED,
        resolution,
        unit=meeting.unit,
        after=snapshot(resolution),
    )
    return resolution


@transaction.atomic
def do_close_meeting(
    actor: User | None,
    meeting: Meeting,
    *,
    minutes: str,
    chair: str,
    recorder: str,
    at: dt.datetime | None = None,
) -> Meeting:
    _require(actor, meeting.unit)
    errors = {}
    if not chair.strip():
        errors["chair"] = _("请填写主持人。")
    if not recorder.strip():
        errors["recorder"] = _("请填写记录人。")
    if errors:
        raise ValidationError(errors)
    status = quorum.quorum(meeting)
    before = transition(
        meeting,
        [MeetingStatus.IN_SESSION],
        status=MeetingStatus.CLOSED,
        minutes=minutes.strip(),
        chair=chair.strip(),
        recorder=recorder.strip(),
        closed_at=at or timezone.now(),
        quorate=status.quorate,
    )
    record_event(
        actor,
        GovernanceVerb.MEETING_CLOSED,
        meeting,
        unit=meeting.unit,
        before=before,
        after=snapshot(meeting),
    )
    return meeting


# --- groups and representatives ---------------------------------------------------------------


@transaction.atomic
def do_save_group(
    actor: User | None,
    *,
    unit: OrgUnit,
    name: str,
    area: OrgUnit | None = None,
    leader: Resident | None = None,
    households: Sequence[Household] = (),
) -> Group:
    _community(unit)
    _require(actor, unit)
    if not name.strip():
        raise ValidationError({"name": _("请填写小组名称。")})
    if area is not None and not unit.contains(area):
        raise ValidationError({"area": _("小组范围须在本社区(村)内。")})
    if leader is not None and leader.community_id != unit.pk:
        raise ValidationError({"leader": _("组长须为本社区(村)居民。")})
    kind = "villager" if unit.community_type == CommunityType.RURAL else "resident"
    if any(h.community_id != unit.pk for h in households):
        raise ValidationError({"households": _("小组所辖户须属于本社区(村)。")})
    group, _new = Group.objects.update_or_create(
        unit=unit, name=name.strip(), defaults={"kind": kind, "area": area, "leader": leader}
    )
    if households:
        group.households.set(households)
    record_event(actor, GovernanceVerb.GROUP_SAVED, group, unit=unit, after=snapshot(group))
    return group


@transaction.atomic
def do_add_representative(
    actor: User | None,
    *,
    unit: OrgUnit,
    resident: Resident,
    term_from: dt.date,
    term_to: dt.date | None = None,
    group: Group | None = None,
    households: int = 0,
    client_token: str | None = None,
) -> Representative:
    if (existing := _by_token(Representative, client_token)) is not None:
        return existing
    _community(unit)
    _require(actor, unit)
    if resident.community_id != unit.pk or resident.status != ResidentStatus.LIVING:
        raise ValidationError({"resident": _("代表须为本社区(村)在册居民。")})
    _check_day("term_from", term_from)
    if term_to is not None:
        _check_day("term_to", term_to)
    if resident.birth_date > adult_cutoff(term_from):
        raise ValidationError({"resident": _("代表须年满十八周岁。")})
    years = law.number(unit, RuleKind.TERM_YEARS, term_from)
    term_to = term_to or _years_later(term_from, years.num if years else 5)
    if term_to < term_from:
        raise ValidationError({"term_to": _("任期止不能早于任期起。")})
    if group is not None and group.unit_id != unit.pk:
        raise ValidationError({"group": _("小组须属于本社区(村)。")})
    overlapping = Representative.objects.filter(
        unit=unit, resident=resident, term_from__lte=term_to, term_to__gte=term_from
    )
    if overlapping.exists():
        raise ValidationError({"resident": _("该居民在此期间已是代表。")})
    rep = Representative.objects.create(
        unit=unit,
        resident=resident,
        group=group,
        households=max(households, 0),
        term_from=term_from,
        term_to=term_to,
        client_token=client_token or None,
    )
    record_event(actor, GovernanceVerb.REPRESENTATIVE_ADDED, rep, unit=unit, after=snapshot(rep))
    return rep


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years) - dt.timedelta(days=1)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- committees, supervision and eligibility ----------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    resident: Resident
    post: str
    accounting_skill: bool = False
    user: User | None = None


def ineligibility(unit: OrgUnit, resident: Resident, day: dt.date) -> str | None:
    """Why ``resident`` may not sit on the supervision committee (第三十二条): a member of
    the village/residents' committee, or a close relative of one (same household in the
    registry, or a declared relation)."""
    members = list(quorum.active_members(unit, day, quorum.MAIN_COMMITTEES))
    ids = {m.resident_id: m for m in members}
    if resident.pk in ids:
        return _("%(name)s是村(居)民委员会成员,不得担任监督委员会成员。") % {"name": resident.name}
    household = HouseholdMember.objects.filter(resident=resident).values("household_id").first()
    if household is not None:
        same = HouseholdMember.objects.filter(
            household_id=household["household_id"], resident_id__in=ids
        ).first()
        if same is not None:
            m = ids[same.resident_id]
            return _(
                "%(name)s与村(居)民委员会%(post)s%(member)s同户(近亲属),不得担任监督委员会成员。"
            ) % {"name": resident.name, "post": m.get_post_display(), "member": m.resident.name}
    declared = DeclaredRelation.objects.filter(
        Q(a=resident, b_id__in=ids) | Q(b=resident, a_id__in=ids)
    ).first()
    if declared is not None:
        other = declared.b if declared.a_id == resident.pk else declared.a
        m = ids[other.pk]
        return _(
            "%(name)s是村(居)民委员会%(post)s%(member)s的近亲属(%(relation)s),不得担任监督委员会成员。"
        ) % {
            "name": resident.name,
            "post": m.get_post_display(),
            "member": other.name,
            "relation": declared.relation,
        }
    return None


def committee_warnings(committee: Committee, day: dt.date | None = None) -> list[str]:
    day = day or timezone.localdate()
    out: list[str] = []
    members = committee.members.filter(ended_on__isnull=True)
    if (
        committee.kind == CommitteeKind.SUPERVISION
        and not members.filter(accounting_skill=True).exists()
    ):
        out.append(_("监督委员会成员中没有具备财会知识的人员(《村民委员会组织法》第三十二条)。"))
    if committee.ended_on is None and committee.term_to - QUARTER <= day:
        out.append(_("本届任期于 %(day)s 届满,请及时组织换届。") % {"day": committee.term_to})
    return out


@transaction.atomic
def do_elect_committee(
    actor: User | None,
    *,
    unit: OrgUnit,
    kind: str,
    elected_on: dt.date,
    members: Sequence[Candidate],
    resolution: Resolution | None = None,
    client_token: str | None = None,
) -> Committee:
    """Record a committee's new term. A supervision committee needs the meeting's passed
    resolution electing it, and each member's eligibility."""
    if (existing := _by_token(Committee, client_token)) is not None:
        return existing
    _community(unit)
    _require(actor, unit)
    rural = unit.community_type == CommunityType.RURAL
    if (kind == CommitteeKind.VILLAGE and not rural) or (kind == CommitteeKind.RESIDENTS and rural):
        raise ValidationError({"kind": _("委员会类型与社区类型不符。")})
    if kind not in CommitteeKind.values:
        raise ValidationError({"kind": _("委员会类型无效。")})
    _check_day("elected_on", elected_on)
    if not members:
        raise ValidationError({"members": _("请列出委员会成员。")})
    errors: list[str] = []
    if kind == CommitteeKind.SUPERVISION:
        if (
            resolution is None
            or resolution.unit_id != unit.pk
            or resolution.matter != Matter.SUPERVISION
            or not resolution.passed
        ):
            raise ValidationError(
                {"resolution": _("监督委员会须由村(居)民会议或代表会议的通过决议推选。")}
            )
        for c in members:
            if (why := ineligibility(unit, c.resident, elected_on)) is not None:
                errors.append(why)
    for c in members:
        if c.resident.community_id != unit.pk or c.resident.status != ResidentStatus.LIVING:
            errors.append(_("%(name)s不是本社区(村)在册居民。") % {"name": c.resident.name})
    if len({c.resident.pk for c in members}) != len(members):
        errors.append(_("成员名单中有重复的人。"))
    if errors:
        raise ValidationError({"members": errors})
    years = law.number(unit, RuleKind.TERM_YEARS, elected_on)
    Committee.objects.filter(unit=unit, kind=kind, ended_on__isnull=True).update(
        ended_on=elected_on
    )
    CommitteeMember.objects.filter(
        committee__unit=unit, committee__kind=kind, ended_on__isnull=True
    ).update(ended_on=elected_on, end_reason=_("换届"))
    committee = Committee.objects.create(
        unit=unit,
        kind=kind,
        elected_on=elected_on,
        term_to=_years_later(elected_on, years.num if years else 5),
        resolution=resolution,
        client_token=client_token or None,
    )
    CommitteeMember.objects.bulk_create(
        CommitteeMember(
            committee=committee,
            resident=c.resident,
            post=c.post,
            user=c.user,
            accounting_skill=c.accounting_skill,
            started_on=elected_on,
        )
        for c in members
    )
    record_event(
        actor,
        GovernanceVerb.COMMITTEE_ELECTED,
        committee,
        unit=unit,
        after={**snapshot(committee), "members": [c.resident.pk for c in members]},
    )
    return committee


@transaction.atomic
def do_declare_relation(
    actor: User | None, *, a: Resident, b: Resident, relation: str
) -> DeclaredRelation:
    unit = a.community
    _require(actor, unit)
    if a.pk == b.pk or b.community_id != a.community_id:
        raise ValidationError({"b": _("请选择本社区(村)的另一位居民。")})
    if not relation.strip():
        raise ValidationError({"relation": _("请填写关系。")})
    row = DeclaredRelation.objects.create(unit=unit, a=a, b=b, relation=relation.strip())
    record_event(actor, GovernanceVerb.RELATION_DECLARED, row, unit=unit, after=snapshot(row))
    return row


def _end_member(actor: User | None, member: CommitteeMember, day: dt.date, reason: str) -> None:
    before = snapshot(member, ["ended_on", "end_reason"])
    updated = CommitteeMember.objects.filter(pk=member.pk, ended_on__isnull=True).update(
        ended_on=day, end_reason=reason
    )
    if not updated:
        raise ValidationError({"member": _("该成员已离任。")})
    member.refresh_from_db()
    unit = member.committee.unit
    record_event(
        actor,
        GovernanceVerb.MEMBER_ENDED,
        member,
        unit=unit,
        before=before,
        after=snapshot(member, ["ended_on", "end_reason"]),
    )
    if member.user_id is not None:  # the member's platform post ends through the orgs action
        for post in Post.objects.active(day).filter(user_id=member.user_id, unit=unit):
            do_end_post(actor, post, ended_on=max(day, post.started_on))


# --- recall -------------------------------------------------------------------------------------


@transaction.atomic
def do_propose_recall(
    actor: User | None,
    member: CommitteeMember,
    *,
    basis: str,
    proposers: int,
    reason: str,
    proposed_on: dt.date,
    client_token: str | None = None,
) -> Recall:
    if (existing := _by_token(Recall, client_token)) is not None:
        return existing
    unit = member.committee.unit
    _require(actor, unit)
    if member.ended_on is not None:
        raise ValidationError({"member": _("该成员已离任。")})
    _check_day("proposed_on", proposed_on)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写罢免理由。")})
    found = [
        r for r in law.rules_for(unit, RuleKind.RECALL_REQUEST, proposed_on) if r.basis == basis
    ]
    if not found:
        raise ValidationError({"basis": _("法律未规定以此身份提议罢免。")})
    rule = found[0]
    if basis == Basis.REPRESENTATIVES:
        base = quorum.active_representatives(unit, proposed_on).count()
    else:
        base = community_counts([unit], proposed_on)[unit.pk].adults
    ok = rule.met(proposers, base)
    recall = Recall.objects.create(
        unit=unit,
        member=member,
        basis=basis,
        proposers=proposers,
        base=base,
        reason=reason.strip(),
        proposed_on=proposed_on,
        status=RecallStatus.PROPOSED if ok else RecallStatus.INSUFFICIENT,
        article=law.cite([rule]),
        client_token=client_token or None,
    )
    record_event(actor, GovernanceVerb.RECALL_PROPOSED, recall, unit=unit, after=snapshot(recall))
    return recall


@transaction.atomic
def do_vote_recall(
    actor: User | None,
    recall: Recall,
    *,
    voters: int,
    votes_cast: int,
    votes_for: int,
    voted_on: dt.date,
) -> Recall:
    """The law's double majority: valid with more than half of the registered voters
    voting, passed with more than half of the votes cast (第十六条)."""
    unit = recall.unit
    _require(actor, unit)
    _check_day("voted_on", voted_on)
    if not 0 <= votes_for <= votes_cast <= voters:
        raise ValidationError({"votes_cast": _("须满足:赞成票 ≤ 投票人数 ≤ 登记选民数。")})
    valid_rules = law.rules_for(unit, RuleKind.RECALL_VALID, voted_on)
    pass_rules = law.rules_for(unit, RuleKind.RECALL_PASS, voted_on)
    valid = any(r.met(votes_cast, voters) for r in valid_rules)
    passed = valid and any(r.met(votes_for, votes_cast) for r in pass_rules)
    before = transition(
        recall,
        [RecallStatus.PROPOSED],
        voters=voters,
        votes_cast=votes_cast,
        votes_for=votes_for,
        voted_on=voted_on,
        status=RecallStatus.PASSED if passed else RecallStatus.FAILED,
        article=law.cite(valid_rules + pass_rules),
    )
    record_event(
        actor, GovernanceVerb.RECALL_VOTED, recall, unit=unit, before=before, after=snapshot(recall)
    )
    if passed:
        _end_member(actor, recall.member, voted_on, _("被罢免"))
    return recall


# --- charters and conventions --------------------------------------------------------------------


@transaction.atomic
def do_draft_charter(
    actor: User | None, *, unit: OrgUnit, kind: str, title: str, text: str
) -> CharterVersion:
    """A new draft version (the first one creates the charter)."""
    _community(unit)
    _require(actor, unit)
    if not text.strip():
        raise ValidationError({"text": _("请填写全文。")})
    charter, _new = Charter.objects.get_or_create(
        unit=unit, kind=kind, defaults={"title": title.strip() or unit.name}
    )
    charter = Charter.objects.select_for_update(of=("self",)).get(pk=charter.pk)
    if charter.versions.exclude(status__in=[VersionStatus.PUBLISHED, VersionStatus.FILED]).exists():
        raise ValidationError({"text": _("已有一个未完成的版本,请先完成它。")})
    number = (charter.versions.count() or 0) + 1
    version = CharterVersion.objects.create(charter=charter, number=number, text=text.strip())
    record_event(actor, GovernanceVerb.CHARTER_DRAFTED, version, unit=unit, after=snapshot(version))
    return version


def _advance(
    actor: User | None, version: CharterVersion, allowed: Iterable[str], **changes: Any
) -> CharterVersion:
    unit = version.charter.unit
    _require(actor, unit)
    before = transition(version, allowed, **changes)
    record_event(
        actor,
        GovernanceVerb.CHARTER_ADVANCED,
        version,
        unit=unit,
        before=before,
        after=snapshot(version),
    )
    return version


@transaction.atomic
def do_open_comment(
    actor: User | None, version: CharterVersion, *, comment_from: dt.date, comment_to: dt.date
) -> CharterVersion:
    if comment_to < comment_from:
        raise ValidationError({"comment_to": _("截止日期不能早于开始日期。")})
    return _advance(
        actor,
        version,
        [VersionStatus.DRAFT],
        status=VersionStatus.COMMENT,
        comment_from=comment_from,
        comment_to=comment_to,
    )


@transaction.atomic
def do_record_comment(
    actor: User | None,
    version: CharterVersion,
    *,
    author: str,
    text: str,
    received_on: dt.date,
    channel: str = "paper",
) -> CharterComment:
    unit = version.charter.unit
    _require(actor, unit)
    if version.status != VersionStatus.COMMENT:
        raise ValidationError({"text": _("该版本不在征求意见期。")})
    if not text.strip() or not author.strip():
        raise ValidationError({"text": _("请填写意见人和意见。")})
    comment = CharterComment.objects.create(
        version=version,
        author=author.strip(),
        text=text.strip(),
        channel=channel,
        received_on=received_on,
        recorded_by=user_or_none(actor),
    )
    record_event(
        actor, GovernanceVerb.CHARTER_COMMENTED, version, unit=unit, after=snapshot(comment)
    )
    return comment


@transaction.atomic
def do_mark_discussed(
    actor: User | None, version: CharterVersion, meeting: Meeting
) -> CharterVersion:
    if meeting.unit_id != version.charter.unit_id or meeting.meeting_type not in law.REPS_TYPES:
        raise ValidationError({"meeting": _("须为本社区(村)的代表会议。")})
    return _advance(
        actor,
        version,
        [VersionStatus.COMMENT],
        status=VersionStatus.DISCUSSED,
        discussed_by=meeting,
    )


@transaction.atomic
def do_adopt_charter(
    actor: User | None, version: CharterVersion, resolution: Resolution
) -> CharterVersion:
    """Adopted only by a passed resolution of the 居民会议 / 村民会议 itself."""
    if (
        resolution.unit_id != version.charter.unit_id
        or resolution.matter != Matter.CHARTER
        or not resolution.passed
        or resolution.meeting.meeting_type not in law.PLENARY_TYPES
    ):
        raise ValidationError(
            {
                "resolution": _(
                    "须为本社区(村)居民会议或村民会议通过的章程公约决议(不得由代表会议代行)。"
                )
            }
        )
    return _advance(
        actor,
        version,
        [VersionStatus.DISCUSSED],
        status=VersionStatus.ADOPTED,
        adopted_by=resolution,
    )


@transaction.atomic
def do_publish_charter(
    actor: User | None, version: CharterVersion, *, published_on: dt.date
) -> CharterVersion:
    return _advance(
        actor,
        version,
        [VersionStatus.ADOPTED],
        status=VersionStatus.PUBLISHED,
        published_on=published_on,
    )


@transaction.atomic
def do_file_charter(
    actor: User | None,
    version: CharterVersion,
    *,
    filed_on: dt.date,
    filed_with: str,
    receipt: str,
) -> CharterVersion:
    if not filed_with.strip() or not receipt.strip():
        raise ValidationError({"filing_receipt": _("请填写备案机关和回执号。")})
    return _advance(
        actor,
        version,
        [VersionStatus.PUBLISHED],
        status=VersionStatus.FILED,
        filed_on=filed_on,
        filed_with=filed_with.strip(),
        filing_receipt=receipt.strip(),
    )


# --- democratic evaluation ------------------------------------------------------------------------


@transaction.atomic
def do_open_evaluation(
    actor: User | None,
    *,
    committee: Committee,
    meeting: Meeting,
    chair: CommitteeMember,
    year: int,
    client_token: str | None = None,
) -> Evaluation:
    """Open the year's evaluation of ``committee`` at ``meeting``, chaired by a member of
    the supervision committee (第三十三条)."""
    if (existing := _by_token(Evaluation, client_token)) is not None:
        return existing
    unit = committee.unit
    _require(actor, unit)
    if meeting.unit_id != unit.pk or meeting.meeting_type not in (
        law.PLENARY_TYPES | law.REPS_TYPES
    ):
        raise ValidationError({"meeting": _("须为本社区(村)的村(居)民会议或代表会议。")})
    if meeting.status != MeetingStatus.IN_SESSION:
        raise ValidationError({"meeting": _("会议须在签到中。")})
    if (
        chair.committee.unit_id != unit.pk
        or chair.committee.kind != CommitteeKind.SUPERVISION
        or chair.ended_on is not None
    ):
        raise ValidationError({"chair": _("民主评议须由村(居)务监督委员会成员主持。")})
    if committee.kind == CommitteeKind.SUPERVISION:
        raise ValidationError({"committee": _("被评议的应是村(居)民委员会。")})
    if Evaluation.objects.filter(committee=committee, year=year).exists():
        raise ValidationError({"year": _("该委员会本年度已评议。")})
    evaluation = Evaluation.objects.create(
        unit=unit,
        year=year,
        committee=committee,
        meeting=meeting,
        chair=chair,
        client_token=client_token or None,
    )
    record_event(
        actor, GovernanceVerb.EVALUATION_OPENED, evaluation, unit=unit, after=snapshot(evaluation)
    )
    return evaluation


def evaluated_members(evaluation: Evaluation) -> list[CommitteeMember]:
    day = evaluation.meeting.held_on
    return list(
        evaluation.committee.members.filter(started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("resident")
    )


@transaction.atomic
def do_cast_ballot(
    actor: User | None,
    evaluation: Evaluation,
    *,
    voter: Resident,
    marks: Mapping[int, str],
) -> None:
    """One anonymous ballot per attendee: who voted is recorded, what they voted is a
    ballot with a random id and no time, which nothing links back to them."""
    unit = evaluation.unit
    _require(actor, unit)
    evaluation = Evaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.OPEN:
        raise ValidationError({"__all__": _("评议已计票,不能再投票。")})
    if not Attendance.objects.filter(meeting=evaluation.meeting, resident=voter).exists():
        raise ValidationError({"voter": _("只有签到参加评议会议的人员可以投票。")})
    members = {m.pk for m in evaluated_members(evaluation)}
    if set(marks) != members or any(r not in Rating.values for r in marks.values()):
        raise ValidationError({"marks": _("请对每位委员会成员作出称职、基本称职或不称职的评价。")})
    try:
        with transaction.atomic():
            EvaluationVoter.objects.create(evaluation=evaluation, resident=voter)
    except IntegrityError:
        raise ValidationError({"voter": _("%(name)s已投票。") % {"name": voter.name}}) from None
    ballot = Ballot.objects.create(evaluation=evaluation)
    BallotMark.objects.bulk_create(
        BallotMark(ballot=ballot, member_id=pk, rating=rating) for pk, rating in marks.items()
    )
    # The event says that someone voted, never what: the ballot is not named.
    record_event(actor, GovernanceVerb.EVALUATION_VOTED, evaluation, unit=unit, after={"voted": 1})


@transaction.atomic
def do_close_evaluation(actor: User | None, evaluation: Evaluation) -> Evaluation:
    """Count the ballots under the rule in force; a member rated 不称职 in the previous
    evaluation too is marked for the township's confirmation."""
    unit = evaluation.unit
    _require(actor, unit)
    meeting = evaluation.meeting
    attending = Attendance.objects.filter(meeting=meeting).count()
    rules = law.rules_for(unit, RuleKind.EVALUATION_UNFIT, meeting.held_on, meeting.meeting_type)
    before = transition(
        evaluation,
        [EvaluationStatus.OPEN],
        status=EvaluationStatus.CLOSED,
        attending=attending,
        closed_at=timezone.now(),
    )
    tallies = {
        (row["member_id"], row["rating"]): row["n"]
        for row in BallotMark.objects.filter(ballot__evaluation=evaluation)
        .values("member_id", "rating")
        .annotate(n=Count("pk"))
    }
    base = meeting.members_base if meeting.meeting_type in law.REPS_TYPES else attending
    previous = (
        Evaluation.objects.filter(
            unit=unit, committee__kind=evaluation.committee.kind, year__lt=evaluation.year
        )
        .order_by("-year")
        .first()
    )
    for member in evaluated_members(evaluation):
        fit = tallies.get((member.pk, Rating.FIT), 0)
        basic = tallies.get((member.pk, Rating.BASIC), 0)
        unfit = tallies.get((member.pk, Rating.UNFIT), 0)
        if rules and any(r.met(unfit, base) for r in rules):
            rating = Rating.UNFIT
        else:
            rating = Rating.FIT if fit >= basic else Rating.BASIC
        twice = (
            rating == Rating.UNFIT
            and previous is not None
            and EvaluationResult.objects.filter(
                evaluation=previous, member__resident=member.resident, rating=Rating.UNFIT
            ).exists()
        )
        EvaluationResult.objects.create(
            evaluation=evaluation,
            member=member,
            fit=fit,
            basic=basic,
            unfit=unfit,
            rating=rating,
            article=law.cite(rules),
            dismissal_due=twice,
        )
    record_event(
        actor,
        GovernanceVerb.EVALUATION_CLOSED,
        evaluation,
        unit=unit,
        before=before,
        after=snapshot(evaluation),
    )
    return evaluation


@transaction.atomic
def do_confirm_dismissal(
    actor: User | None, result: EvaluationResult, *, day: dt.date | None = None
) -> EvaluationResult:
    """The township confirms: rated 不称职 twice in a row, the member's office ends
    (第三十三条), and their platform post with it through the orgs action."""
    unit = result.evaluation.unit
    require(actor, TOWNSHIP_ROLES, unit, message=_("须由乡镇(街道)确认。"))
    day = day or timezone.localdate()
    if not result.dismissal_due:
        raise ValidationError({"__all__": _("该成员不是连续两次被评为不称职。")})
    before = snapshot(result, ["confirmed_at", "confirmed_by"])
    claimed = EvaluationResult.objects.filter(
        pk=result.pk, dismissal_due=True, confirmed_at__isnull=True
    ).update(confirmed_at=timezone.now(), confirmed_by=user_or_none(actor))
    if not claimed:
        raise ValidationError({"__all__": _("已由他人确认。")})
    result.refresh_from_db()
    record_event(
        actor,
        GovernanceVerb.DISMISSAL_CONFIRMED,
        result,
        unit=unit,
        before=before,
        after=snapshot(result),
    )
    _end_member(actor, result.member, day, _("连续两次民主评议不称职"))
    return result


# --- terms about to end ---------------------------------------------------------------------------


def _term_recipients(unit: OrgUnit) -> list[str]:
    """The community's leads, and the township's officers (who see expiring terms too)."""
    township = unit.parent_unit()
    q = Q(unit=unit, role__in=COMMUNITY_LEAD_ROLES)
    if township is not None:
        q |= Q(unit=township, role=Role.TOWNSHIP_OFFICER)
    return sorted(set(Post.objects.active().filter(q).values_list("user__username", flat=True)))


def _tell_term(unit: OrgUnit, kind: str, tag: str, payload: dict[str, Any]) -> None:
    for username in _term_recipients(unit):
        enqueue(
            unit=unit,
            channel=Channel.STAFF,
            recipient=username,
            kind=kind,
            text=TEXTS[kind],
            payload=payload,
            dedupe_key=f"governance:{tag}:{username}",
        )


def expiring_representatives(unit: OrgUnit | None, today: dt.date) -> Any:
    """Representatives whose term ends within a quarter and who have no next term yet."""
    later = Representative.objects.filter(
        unit=OuterRef("unit"), resident=OuterRef("resident"), term_from__gt=OuterRef("term_to")
    )
    rows = Representative.objects.filter(
        term_to__gte=today,
        term_to__lte=today + QUARTER,
        resident__status=ResidentStatus.LIVING,
    ).exclude(Exists(later))
    return rows.filter(unit=unit) if unit is not None else rows


def remind_expiring_terms(today: dt.date | None = None, limit: int = 100) -> int:
    """A quarter before a committee's or a representative's term ends, tell the
    community's leads and the township; once per term end (a worker task)."""
    today = today or timezone.localdate()

    def committee(c: Committee, due: dt.date) -> None:
        _tell_term(
            c.unit,
            "governance.committee_term_ending",
            f"term:committee:{c.pk}:{due.isoformat()}",
            {"unit": c.unit.name, "committee": c.get_kind_display(), "due": f"{due:%Y-%m-%d}"},
        )
        record_event(None, GovernanceVerb.TERM_REMINDED, c, unit=c.unit, after={"term_to": due})

    def representative(rep: Representative, due: dt.date) -> None:
        # One message for all the representatives whose term ends that day (elected together).
        n = expiring_representatives(rep.unit, today).filter(term_to=due).count()
        _tell_term(
            rep.unit,
            "governance.reps_term_ending",
            f"term:reps:{rep.unit_id}:{due.isoformat()}",
            {"unit": rep.unit.name, "n": n, "due": f"{due:%Y-%m-%d}"},
        )
        record_event(None, GovernanceVerb.TERM_REMINDED, rep, unit=rep.unit, after={"term_to": due})

    done = escalate_once(
        Committee.objects.filter(
            ended_on__isnull=True, term_to__gte=today, term_to__lte=today + QUARTER
        ).select_related("unit"),
        due_field="term_to",
        marker_field="expiry_reminded_for",
        handle=committee,
        limit=limit,
    )
    return done + escalate_once(
        expiring_representatives(None, today).select_related("unit"),
        due_field="term_to",
        marker_field="expiry_reminded_for",
        handle=representative,
        limit=limit,
    )
