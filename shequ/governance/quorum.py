"""Who belongs to a meeting, the registry's denominators on its date, and whether the
attendance reaches the quorum in force."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shequ.governance import law
from shequ.governance.models import (
    Attendance,
    AttendanceKind,
    Basis,
    CommitteeKind,
    CommitteeMember,
    Group,
    Meeting,
    MeetingType,
    Representative,
    Rule,
    RuleKind,
)
from shequ.orgs.models import OrgUnit
from shequ.people.counts import adult_cutoff, community_counts
from shequ.people.models import Gender, Household, Resident, ResidentStatus

MAIN_COMMITTEES = (CommitteeKind.VILLAGE, CommitteeKind.RESIDENTS)


def active_representatives(unit: OrgUnit, day: dt.date) -> QuerySet[Representative]:
    return Representative.objects.filter(
        unit=unit, term_from__lte=day, term_to__gte=day, resident__status=ResidentStatus.LIVING
    ).select_related("resident")


def active_members(
    unit: OrgUnit, day: dt.date, kinds: tuple[str, ...]
) -> QuerySet[CommitteeMember]:
    return (
        CommitteeMember.objects.filter(
            committee__unit=unit,
            committee__kind__in=kinds,
            started_on__lte=day,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("resident")
    )


def member_ids(meeting: Meeting) -> set[int]:
    """Residents who make up a representatives' or joint meeting on its date."""
    day, unit = meeting.held_on, meeting.unit
    ids = set(active_members(unit, day, MAIN_COMMITTEES).values_list("resident_id", flat=True))
    if meeting.meeting_type in law.REPS_TYPES:
        ids |= set(active_representatives(unit, day).values_list("resident_id", flat=True))
    elif meeting.meeting_type == MeetingType.JOINT:
        ids |= set(
            active_members(unit, day, (CommitteeKind.SUPERVISION,)).values_list(
                "resident_id", flat=True
            )
        )
    return ids


def group_residents(group: Group) -> QuerySet[Resident]:
    rows = Resident.objects.filter(community=group.unit, status=ResidentStatus.LIVING)
    if group.households.exists():
        return rows.filter(membership__household__in=group.households.all())
    if group.area_id is not None:
        return rows.filter(unit__path__startswith=group.area.path)  # type: ignore[union-attr]
    return rows.none()


@dataclass(frozen=True)
class Bases:
    adults: int
    households: int
    members: int


def bases(meeting: Meeting) -> Bases:
    """The denominators on the meeting date, from the registry."""
    mtype = meeting.meeting_type
    if mtype in law.REPS_TYPES or mtype == MeetingType.JOINT:
        return Bases(0, 0, len(member_ids(meeting)))
    if mtype in law.GROUP_TYPES and meeting.group is not None:
        residents = group_residents(meeting.group)
        adults = residents.filter(birth_date__lte=adult_cutoff(meeting.held_on)).count()
        households = Household.objects.filter(members__resident__in=residents).distinct().count()
        return Bases(adults, households, 0)
    counts = community_counts([meeting.unit], meeting.held_on)[meeting.unit.pk]
    return Bases(counts.adults, counts.households, 0)


def may_attend(meeting: Meeting, resident: Resident) -> str | None:
    """Why ``resident`` may not sign in to ``meeting`` (None when they may)."""
    if resident.status != ResidentStatus.LIVING:
        return _("该居民不在册(已迁出或死亡)。")
    if resident.community_id != meeting.unit_id:
        return _("该居民不是本社区(村)的居民。")
    mtype = meeting.meeting_type
    if mtype in law.REPS_TYPES or mtype == MeetingType.JOINT:
        if resident.pk not in member_ids(meeting):
            return _("该居民不是本次会议的组成人员(代表或委员会成员)。")
        return None
    if resident.birth_date > adult_cutoff(meeting.held_on):
        return _("会议日期时未满十八周岁。")
    in_group = meeting.group is None or group_residents(meeting.group).filter(pk=resident.pk)
    if mtype in law.GROUP_TYPES and not in_group:
        return _("该居民不属于本小组。")
    return None


@dataclass(frozen=True)
class QuorumStatus:
    checks: list[law.Check]
    present: int
    statutory: bool

    @property
    def quorate(self) -> bool:
        return not self.statutory or any(c.met for c in self.checks)

    @property
    def rules(self) -> list[Rule]:
        return [c.rule for c in self.checks]

    @property
    def article(self) -> str:
        return law.cite(self.rules)

    @property
    def unconfirmed(self) -> bool:
        return any(not r.confirmed for r in self.rules)


def present_counts(meeting: Meeting) -> dict[str, int]:
    rows = Attendance.objects.filter(meeting=meeting)
    counts: dict[str, int] = {
        Basis.PRESENT: rows.count(),
        Basis.ADULTS: rows.filter(adult=True).count(),
        Basis.HOUSEHOLDS: rows.filter(household__isnull=False)
        .values("household_id")
        .distinct()
        .count(),
        Basis.MEMBERS: rows.filter(kind=AttendanceKind.MEMBER).count(),
    }
    return counts


def quorum(meeting: Meeting) -> QuorumStatus:
    """The meeting's attendance against every quorum alternative in force on its date."""
    found = law.rules_for(meeting.unit, RuleKind.QUORUM, meeting.held_on, meeting.meeting_type)
    counts = present_counts(meeting)
    base: dict[str, int] = {
        Basis.ADULTS: meeting.adults_base,
        Basis.HOUSEHOLDS: meeting.households_base,
        Basis.MEMBERS: meeting.members_base,
    }
    checks = [law.Check(r, counts.get(r.basis, 0), base.get(r.basis, 0)) for r in found]
    return QuorumStatus(checks, counts[Basis.PRESENT], statutory=bool(found))


@dataclass(frozen=True)
class Warning:
    text: str
    article: str


def composition_warnings(meeting: Meeting) -> list[Warning]:
    """A representatives' meeting's make-up against 第二十五条: representatives ≥ 4/5 of
    its members, women ≥ 1/3, one representative per 5–15 households."""
    if meeting.meeting_type not in law.REPS_TYPES:
        return []
    unit, day, mtype = meeting.unit, meeting.held_on, meeting.meeting_type
    reps = list(active_representatives(unit, day))
    members = len(member_ids(meeting))
    out: list[Warning] = []
    for rule in law.rules_for(unit, RuleKind.REPS_SHARE, day, mtype):
        if not rule.met(len(reps), members):
            out.append(
                Warning(
                    _("代表 %(n)d 人,占组成人员 %(m)d 人的比例未达 %(share)s。")
                    % {"n": len(reps), "m": members, "share": rule.describe()},
                    law.cite([rule]),
                )
            )
    women = sum(1 for r in reps if r.resident.gender == Gender.FEMALE)
    for rule in law.rules_for(unit, RuleKind.WOMEN_SHARE, day, mtype):
        if not rule.met(women, members):
            out.append(
                Warning(
                    _("妇女代表 %(n)d 人,未达组成人员 %(m)d 人的 %(share)s。")
                    % {"n": women, "m": members, "share": f"{rule.num}/{rule.den}"},
                    law.cite([rule]),
                )
            )
    households = community_counts([unit], day)[unit.pk].households
    low = law.number(unit, RuleKind.REP_MIN_HOUSEHOLDS, day, mtype)
    high = law.number(unit, RuleKind.REP_MAX_HOUSEHOLDS, day, mtype)
    if reps and low and high:
        per = households / len(reps)
        if not low.num <= per <= high.num:
            out.append(
                Warning(
                    _("每名代表平均联系 %(per).1f 户,法定为 %(low)d–%(high)d 户。")
                    % {"per": per, "low": low.num, "high": high.num},
                    law.cite([low]),
                )
            )
    return out
