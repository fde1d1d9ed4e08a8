"""State changes of the jobs app. Each is one transaction: it checks the actor, validates
(every bad field at once, in Chinese), writes the rows and an audit event, and queues the
messages in the same transaction.

Zero-employment households are never set by hand: every action that changes a job
seeker calls ``refresh_zero_household``, which opens or closes the household's spell
from the registry and the job seekers; the worker sweeps for the rest (a member who
moved away or came of age, three months without contact).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.jobs import matching, unitlink
from shequ.jobs.access import WORK_ROLES
from shequ.jobs.messages import TEXTS
from shequ.jobs.models import (
    OUTCOMES,
    ActivityType,
    AssistanceRule,
    Attendance,
    DifficultyCategory,
    Enrolment,
    EnrolmentStatus,
    FloatingActivity,
    JobSeeker,
    Placement,
    PlacementSource,
    Referral,
    ReferralStatus,
    ReportChannel,
    ReportReminder,
    SchoolHelp,
    SchoolStage,
    SeekerKind,
    SeekerStatus,
    TrainingSession,
    Vacancy,
    VacancyReport,
    VacancyStatus,
    ZeroExit,
    ZeroHousehold,
    ZeroStatus,
)
from shequ.jobs.verbs import JobsVerb
from shequ.notify.models import Channel as MessageChannel
from shequ.notify.outbox import enqueue
from shequ.orgs.crypto import cipher
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.kit import require, transition, user_or_none
from shequ.orgs.models import OrgUnit, UnitKind, User
from shequ.people.models import (
    Gender,
    Household,
    HouseholdMember,
    Resident,
    ResidentStatus,
    ResidentUnit,
    ResidentUnitStatus,
    Trade,
)
from shequ.services import actions as case_actions
from shequ.services.models import ApplicantKind, Channel, ServiceItem

MAX_HEADCOUNT = 999
MAX_PAY = Decimal("999999.99")


def _require(actor: User | None, unit: OrgUnit) -> None:
    require(actor, WORK_ROLES, unit, message=_("您的岗位无权办理就业服务。"))


def _by_token[T](model: type[T], token: str | None) -> T | None:
    token = (token or "").strip() or None
    if token is None:
        return None
    return model._default_manager.filter(client_token=token).first()  # type: ignore[attr-defined]


def _today() -> dt.date:
    return timezone.localdate()


def _text(value: Any, field: str, limit: int, errors: dict[str, str], *, required: bool = False,
          label: str = "") -> str:  # fmt: skip
    text = " ".join(str(value or "").split())
    if required and not text:
        errors[field] = _("请填写%(label)s。") % {"label": label}
    elif len(text) > limit:
        errors[field] = _("%(label)s不能超过%(n)d个字。") % {"label": label, "n": limit}
    return text


def _community(unit: OrgUnit) -> OrgUnit:
    if unit.kind == UnitKind.COMMUNITY:
        return unit
    found = unit.ancestors().filter(kind=UnitKind.COMMUNITY).first()
    if found is None:
        raise ValidationError({"unit": _("请选择社区或其网格。")})
    return found


def _phone(enc: str) -> str:
    return cipher().decrypt(enc) if enc else ""


# --- months and the report cadence ------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def quarter_end(day: dt.date) -> dt.date:
    last_month = (day.month - 1) // 3 * 3 + 3
    return dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def report_due(month: dt.date) -> dt.date:
    """The day by which a unit reports ``month``'s vacancies: the set day of the month
    before (``SHEQU_JOBS_REPORT_DAY``; 0 is its last day, the month-end report)."""
    before = add_months(month_start(month), -1)
    last = calendar.monthrange(before.year, before.month)[1]
    day = settings.SHEQU_JOBS_REPORT_DAY
    return before.replace(day=min(day, last) if day else last)


def reporting_month(day: dt.date) -> dt.date:
    """The month whose report is being collected on ``day``: next month's, until its
    due day; the month after once that has passed."""
    nxt = add_months(month_start(day), 1)
    return nxt if day <= report_due(nxt) else add_months(nxt, 1)


def unreported_units(units: QuerySet[ResidentUnit], month: dt.date) -> QuerySet[ResidentUnit]:
    """Active units among ``units`` that have not reported ``month``."""
    done = VacancyReport.objects.filter(resident_unit=OuterRef("pk"), month=month_start(month))
    return units.filter(status=ResidentUnitStatus.ACTIVE).exclude(Exists(done))


# --- vacancy reports ----------------------------------------------------------------------------


def _clean_vacancy(row: dict[str, Any], n: int, month: dt.date, errors: dict[str, str]) -> dict:
    """One post of a report; errors keyed ``vacancies.<n>.<field>``."""
    e: dict[str, str] = {}
    post = _text(row.get("post"), "post", 50, e, required=True, label=_("岗位名称"))
    try:
        headcount = int(row.get("headcount") or 0)
    except (TypeError, ValueError):
        headcount = 0
    if not 1 <= headcount <= MAX_HEADCOUNT:
        e["headcount"] = _("人数应为1至999。")
    trade = row.get("trade") or ""
    if trade not in Trade.values:
        e["trade"] = _("请选择行业。")
    pay: list[Decimal] = []
    for key in ("pay_min", "pay_max"):
        try:
            value = Decimal(str(row.get(key) if row.get(key) not in (None, "") else "x"))
            if not value.is_finite() or not Decimal(0) <= value <= MAX_PAY:
                raise InvalidOperation
            pay.append(value.quantize(Decimal("0.01")))
        except (InvalidOperation, ValueError):
            e[key] = _("请填写月薪(元)。")
    if len(pay) == 2 and pay[0] > pay[1]:
        e["pay_max"] = _("月薪上限不能低于下限。")
    valid_until = row.get("valid_until")
    if isinstance(valid_until, str):
        try:
            valid_until = dt.date.fromisoformat(valid_until)
        except ValueError:
            valid_until = None
    if not isinstance(valid_until, dt.date):
        e["valid_until"] = _("请填写有效期。")
    elif valid_until < month_start(month):
        e["valid_until"] = _("有效期不能早于报告月份。")
    codes = list(row.get("target_groups") or [])
    groups = list(DifficultyCategory.objects.filter(code__in=codes, active=True))
    if len(groups) != len(set(codes)):
        e["target_groups"] = _("面向人群有误。")
    skills = _text(row.get("skills"), "skills", 200, e, label=_("技能要求"))
    requirements = _text(row.get("requirements"), "requirements", 300, e, label=_("其他要求"))
    for key, message in e.items():
        errors[f"vacancies.{n}.{key}"] = message
    if e:
        return {}
    return {
        "post": post,
        "headcount": headcount,
        "trade": trade,
        "pay_min": pay[0],
        "pay_max": pay[1],
        "valid_until": valid_until,
        "skills": skills,
        "requirements": requirements,
        "for_zero_households": bool(row.get("for_zero_households")),
        "groups": groups,
    }


@transaction.atomic
def do_report_vacancies(
    actor: User | None,
    *,
    resident_unit: ResidentUnit,
    month: dt.date,
    vacancies: Sequence[dict[str, Any]],
    channel: str = ReportChannel.CLERK,
    reported_on: dt.date | None = None,
    note: str = "",
    client_token: str | None = None,
) -> VacancyReport:
    """A unit's report of ``month``'s vacancies (none is a report too), entered by a
    clerk or by the unit itself through its link (``actor`` None, channel unit_link).
    One report per unit and month; a retry with the same token returns the first."""
    first = _by_token(VacancyReport, client_token)
    if first is not None:
        _require(actor, first.unit)
        return first
    _require(actor, resident_unit.unit)
    if channel not in ReportChannel.values:
        raise ValidationError({"channel": _("报告方式有误。")})
    if resident_unit.status != ResidentUnitStatus.ACTIVE:
        raise ValidationError({"resident_unit": _("该单位已迁离或注销。")})
    today = _today()
    reported_on = reported_on or today
    errors: dict[str, str] = {}
    if not isinstance(month, dt.date):
        raise ValidationError({"month": _("请选择报告月份。")})
    month = month_start(month)
    if reported_on > today:
        errors["reported_on"] = _("报告日期不能晚于今天。")
    if month < month_start(reported_on):
        errors["month"] = _("只能报告本月或以后月份的空岗。")
    elif month > add_months(month_start(reported_on), 2):
        errors["month"] = _("最多提前两个月报告。")
    elif VacancyReport.objects.filter(resident_unit=resident_unit, month=month).exists():
        errors["month"] = _("该单位本月份的空岗已报告。")
    if len(vacancies) > 50:
        errors["vacancies"] = _("一次最多报告50个岗位。")
    clean = [_clean_vacancy(dict(row), n, month, errors) for n, row in enumerate(vacancies)]
    note = _text(note, "note", 200, errors, label=_("备注"))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            report = VacancyReport.objects.create(
                resident_unit=resident_unit,
                unit=resident_unit.unit,
                community=resident_unit.community,
                month=month,
                reported_on=reported_on,
                channel=channel,
                note=note,
                client_token=(client_token or "").strip() or None,
                created_by=user_or_none(actor),
            )
    except IntegrityError:
        again = _by_token(VacancyReport, client_token)
        if again is not None:
            return again
        raise ValidationError({"month": _("该单位本月份的空岗已报告。")}) from None
    for row in clean:
        groups = row.pop("groups")
        vacancy = Vacancy.objects.create(
            report=report,
            resident_unit=resident_unit,
            unit=resident_unit.unit,
            community=resident_unit.community,
            opened_on=reported_on,  # recruiting starts when the post is known
            **row,
        )
        vacancy.target_groups.set(groups)
    record_event(
        actor,
        JobsVerb.VACANCIES_REPORTED,
        report,
        unit=report.unit,
        after={
            **snapshot(report, ["resident_unit", "month", "reported_on", "channel"]),
            "posts": [(r["post"], r["headcount"]) for r in clean],
        },
    )
    return report


@transaction.atomic
def do_close_vacancy(actor: User | None, vacancy: Vacancy, *, reason: str) -> Vacancy:
    _require(actor, vacancy.unit)
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", 200, errors, required=True, label=_("关闭原因"))
    if errors:
        raise ValidationError(errors)
    before = transition(vacancy, [VacancyStatus.OPEN], status=VacancyStatus.CLOSED)
    record_event(
        actor,
        JobsVerb.VACANCY_CLOSED,
        vacancy,
        unit=vacancy.unit,
        before=before and {"status": before["status"]},
        after={"status": vacancy.status, "reason": reason},
    )
    return vacancy


def remind_unreported_units(now: dt.datetime | None = None, limit: int = 200) -> int:
    """Worker task: within the days before a month's report is due, text each active unit
    that has a contact mobile and has not reported, once per month (with its link)."""
    today = timezone.localdate(now) if now else _today()
    month = reporting_month(today)
    due = report_due(month)
    if (due - today).days > settings.SHEQU_JOBS_REMIND_DAYS_BEFORE:
        return 0
    reminded = ReportReminder.objects.filter(resident_unit=OuterRef("pk"), month=month)
    candidates = (
        unreported_units(ResidentUnit.objects.exclude(contact_phone_enc=""), month)
        .exclude(Exists(reminded))
        .select_related("unit", "community")
        .order_by("pk")[:limit]
    )
    done = 0
    for ru in candidates:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    reminder = ReportReminder.objects.create(
                        resident_unit=ru, unit=ru.unit, month=month
                    )
            except IntegrityError:
                continue  # another worker got there first
            link = unitlink.absolute(ru)
            enqueue(
                unit=ru.unit,
                channel=MessageChannel.SMS,
                recipient=_phone(ru.contact_phone_enc),
                kind="jobs.remind_report",
                text=TEXTS["jobs.remind_report"],
                payload={
                    "community": ru.community.name,
                    "unit": ru.name,
                    "due": f"{due:%m月%d日}",
                    "month": f"{month:%Y年%m月}",
                    "link": f":{link}" if link else "",
                },
                dedupe_key=f"jobs:remind:{ru.pk}:{month:%Y-%m}",
            )
            record_event(
                None,
                JobsVerb.UNIT_REMINDED,
                reminder,
                unit=ru.unit,
                after={"resident_unit": ru.pk, "month": month, "due": due},
            )
            done += 1
    return done


# --- job seekers -------------------------------------------------------------------------------


def working_age(resident: Resident, day: dt.date) -> bool:
    age = resident.age_on(day)
    retire = (
        settings.SHEQU_JOBS_RETIRE_AGE_MALE
        if resident.gender == Gender.MALE
        else settings.SHEQU_JOBS_RETIRE_AGE_FEMALE
    )
    return settings.SHEQU_JOBS_WORKING_AGE_FROM <= age < retire


def _clean_seeker(
    *,
    skills: str,
    wishes: str,
    wished_trades: Iterable[str],
    availability: str,
    categories: Iterable[str],
    errors: dict[str, str],
) -> dict[str, Any]:
    trades = sorted(set(wished_trades or []))
    if any(t not in Trade.values for t in trades):
        errors["wished_trades"] = _("意向行业有误。")
    codes = sorted(set(categories or []))
    groups = list(DifficultyCategory.objects.filter(code__in=codes, active=True))
    if len(groups) != len(codes):
        errors["categories"] = _("就业困难人员类别有误。")
    return {
        "skills": _text(skills, "skills", 200, errors, label=_("技能")),
        "wishes": _text(wishes, "wishes", 200, errors, label=_("求职意向")),
        "availability": _text(availability, "availability", 100, errors, label=_("可工作时间")),
        "wished_trades": trades,
        "groups": groups,
    }


@transaction.atomic
def do_register_seeker(
    actor: User | None,
    *,
    resident: Resident,
    kind: str,
    registered_on: dt.date | None = None,
    skills: str = "",
    wishes: str = "",
    wished_trades: Iterable[str] = (),
    availability: str = "",
    categories: Iterable[str] = (),
    client_token: str | None = None,
) -> JobSeeker:
    """Register a resident as unemployed (登记失业) or looking for work. The household's
    zero-employment state follows at once."""
    first = _by_token(JobSeeker, client_token)
    if first is not None:
        _require(actor, first.unit)
        return first
    _require(actor, resident.unit)
    today = _today()
    registered_on = registered_on or today
    errors: dict[str, str] = {}
    if kind not in SeekerKind.values:
        errors["kind"] = _("请选择登记类型。")
    if resident.status != ResidentStatus.LIVING:
        errors["resident"] = _("该居民不在册。")
    elif not working_age(resident, registered_on):
        errors["resident"] = _("该居民不在法定劳动年龄内。")
    elif JobSeeker.objects.filter(resident=resident, status=SeekerStatus.ACTIVE).exists():
        errors["resident"] = _("该居民已有有效的求职登记。")
    if registered_on > today:
        errors["registered_on"] = _("登记日期不能晚于今天。")
    clean = _clean_seeker(
        skills=skills,
        wishes=wishes,
        wished_trades=wished_trades,
        availability=availability,
        categories=categories,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    groups = clean.pop("groups")
    try:
        with transaction.atomic():
            seeker = JobSeeker.objects.create(
                resident=resident,
                unit=resident.unit,
                community=resident.community,
                kind=kind,
                registered_on=registered_on,
                last_contact_on=registered_on,
                client_token=(client_token or "").strip() or None,
                created_by=user_or_none(actor),
                **clean,
            )
    except IntegrityError:
        again = _by_token(JobSeeker, client_token)
        if again is not None:
            return again
        raise ValidationError({"resident": _("该居民已有有效的求职登记。")}) from None
    seeker.categories.set(groups)
    record_event(
        actor,
        JobsVerb.SEEKER_REGISTERED,
        seeker,
        unit=seeker.unit,
        after={
            **snapshot(seeker, ["resident", "kind", "registered_on", "skills", "wished_trades"]),
            "categories": [g.code for g in groups],
        },
    )
    _refresh_for(resident, registered_on)
    return seeker


@transaction.atomic
def do_update_seeker(
    actor: User | None,
    seeker: JobSeeker,
    *,
    skills: str,
    wishes: str,
    wished_trades: Iterable[str],
    availability: str,
    categories: Iterable[str],
) -> JobSeeker:
    seeker = JobSeeker.objects.select_for_update().get(pk=seeker.pk)
    _require(actor, seeker.unit)
    errors: dict[str, str] = {}
    clean = _clean_seeker(
        skills=skills,
        wishes=wishes,
        wished_trades=wished_trades,
        availability=availability,
        categories=categories,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    groups = clean.pop("groups")
    fields = list(clean)
    before = {
        **snapshot(seeker, fields),
        "categories": sorted(c.code for c in seeker.categories.all()),
    }
    for key, value in clean.items():
        setattr(seeker, key, value)
    seeker.save(update_fields=fields)
    seeker.categories.set(groups)
    after = {**snapshot(seeker, fields), "categories": sorted(g.code for g in groups)}
    changed = [k for k in after if before.get(k) != after[k]]
    record_event(
        actor,
        JobsVerb.SEEKER_UPDATED,
        seeker,
        unit=seeker.unit,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return seeker


@transaction.atomic
def do_record_contact(
    actor: User | None, seeker: JobSeeker, *, on: dt.date | None = None, note: str = ""
) -> JobSeeker:
    """A visit or call reached the job seeker (keeps the assistance alive)."""
    _require(actor, seeker.unit)
    on = on or _today()
    errors: dict[str, str] = {}
    note = _text(note, "note", 200, errors, label=_("联系情况"))
    if on > _today():
        errors["on"] = _("日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    before = snapshot(seeker, ["last_contact_on"])
    JobSeeker.objects.filter(pk=seeker.pk, last_contact_on__lt=on).update(last_contact_on=on)
    seeker.refresh_from_db()
    record_event(
        actor,
        JobsVerb.SEEKER_CONTACTED,
        seeker,
        unit=seeker.unit,
        before=before,
        after={"last_contact_on": seeker.last_contact_on, "note": note},
    )
    return seeker


@transaction.atomic
def do_end_seeker(
    actor: User | None, seeker: JobSeeker, *, on: dt.date | None = None, reason: str
) -> JobSeeker:
    """End a registration for another reason than a job (moved away, stopped looking)."""
    _require(actor, seeker.unit)
    on = on or _today()
    errors: dict[str, str] = {}
    reason = _text(reason, "reason", 100, errors, required=True, label=_("注销原因"))
    if on > _today() or on < seeker.registered_on:
        errors["on"] = _("日期应在登记日期与今天之间。")
    if errors:
        raise ValidationError(errors)
    before = transition(
        seeker,
        [SeekerStatus.ACTIVE],
        fields=["status", "ended_on"],
        status=SeekerStatus.ENDED,
        ended_on=on,
        end_reason=reason,
    )
    record_event(
        actor,
        JobsVerb.SEEKER_ENDED,
        seeker,
        unit=seeker.unit,
        before=before,
        after=snapshot(seeker, ["status", "ended_on", "end_reason"]),
    )
    _refresh_for(seeker.resident, on)
    return seeker


# --- zero-employment households ------------------------------------------------------------------


def rule_in_force(day: dt.date) -> AssistanceRule:
    rule = (
        AssistanceRule.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise ValidationError(_("%(day)s 没有施行中的零就业家庭援助规则。") % {"day": day})
    return rule


def _unemployed_on(resident_ids: list[int], day: dt.date) -> set[int]:
    """Residents registered unemployed on ``day``."""
    return set(
        JobSeeker.objects.filter(
            resident_id__in=resident_ids, kind=SeekerKind.UNEMPLOYED, registered_on__lte=day
        )
        .filter(Q(status=SeekerStatus.ACTIVE) | Q(ended_on__gt=day))
        .values_list("resident_id", flat=True)
    )


def is_zero_employment(household: Household, day: dt.date) -> bool:
    """Every working-age living member is registered unemployed on ``day`` (and there
    is at least one): 《就业促进法》第五十六条."""
    members = [
        m.resident
        for m in HouseholdMember.objects.filter(household=household).select_related("resident")
        if m.resident.status == ResidentStatus.LIVING
    ]
    working = [r.pk for r in members if working_age(r, day)]
    if not working:
        return False
    return _unemployed_on(working, day) == set(working)


def _refresh_for(resident: Resident, day: dt.date) -> None:
    membership = HouseholdMember.objects.filter(resident=resident).first()
    if membership is not None:
        refresh_zero_household(membership.household_id, day)


def refresh_zero_household(household_id: int, day: dt.date) -> ZeroHousehold | None:
    """Open or close the household's zero-employment spell to match the registry on
    ``day``; returns the spell that was opened or closed, if any."""
    household = (
        Household.objects.select_for_update()
        .select_related("unit", "community")
        .get(pk=household_id)
    )
    spell = ZeroHousehold.objects.filter(household=household, status=ZeroStatus.ASSISTING).first()
    zero = is_zero_employment(household, day)
    if zero and spell is None:
        rule = rule_in_force(day)
        spell = ZeroHousehold.objects.create(
            household=household,
            unit=household.unit,
            community=household.community,
            rule=rule,
            identified_on=day,
            pledge_due=day + dt.timedelta(days=rule.pledge_days),
            quarter_due=quarter_end(day),
        )
        record_event(
            None,
            JobsVerb.ZERO_HOUSEHOLD_IDENTIFIED,
            spell,
            unit=spell.unit,
            after=snapshot(spell, ["household", "identified_on", "pledge_due", "quarter_due"]),
        )
        return spell
    if not zero and spell is not None:
        members = HouseholdMember.objects.filter(household=household).values("resident_id")
        placed = Placement.objects.filter(
            seeker__resident_id__in=members,
            started_on__gte=spell.identified_on,
            started_on__lte=day,
        ).exists()
        _end_spell(spell, day, ZeroExit.PLACED if placed else ZeroExit.NO_LONGER)
        return spell
    return None


def _end_spell(spell: ZeroHousehold, day: dt.date, reason: str) -> None:
    status = ZeroStatus.CLEARED if reason == ZeroExit.PLACED else ZeroStatus.EXITED
    before = transition(
        spell,
        [ZeroStatus.ASSISTING],
        fields=["status", "ended_on", "exit_reason"],
        status=status,
        ended_on=max(day, spell.identified_on),
        exit_reason=reason,
    )
    verb = (
        JobsVerb.ZERO_HOUSEHOLD_CLEARED
        if status == ZeroStatus.CLEARED
        else JobsVerb.ZERO_HOUSEHOLD_EXITED
    )
    record_event(
        None,
        verb,
        spell,
        unit=spell.unit,
        before=before,
        after=snapshot(spell, ["status", "ended_on", "exit_reason"]),
    )


def household_refusals(spell: ZeroHousehold) -> int:
    """Referrals the household's members refused since the spell began."""
    members = HouseholdMember.objects.filter(household_id=spell.household_id).values("resident_id")
    return Referral.objects.filter(
        seeker__resident_id__in=members,
        status=ReferralStatus.REFUSED_BY_PERSON,
        outcome_on__gte=spell.identified_on,
    ).count()


def last_contact(spell: ZeroHousehold) -> dt.date | None:
    members = HouseholdMember.objects.filter(household_id=spell.household_id).values("resident_id")
    found = (
        JobSeeker.objects.filter(resident_id__in=members, status=SeekerStatus.ACTIVE)
        .order_by("-last_contact_on")
        .values_list("last_contact_on", flat=True)
        .first()
    )
    return found


def sweep_zero_households(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Worker task: households whose state the registry changed without a jobs action
    (a member moved away, came of age, retired), and spells past the rule's months
    without contact. Returns how many spells were opened or closed."""
    today = timezone.localdate(now) if now else _today()
    done = 0
    open_spells = ZeroHousehold.objects.filter(status=ZeroStatus.ASSISTING).select_related("rule")
    for spell in open_spells.order_by("pk")[:limit]:
        with transaction.atomic():
            contact = last_contact(spell) or spell.identified_on
            if add_months(contact, spell.rule.no_contact_months) < today:
                _end_spell(spell, today, ZeroExit.NO_CONTACT)
                done += 1
            elif refresh_zero_household(spell.household_id, today) is not None:
                done += 1
    spells = ZeroHousehold.objects.filter(status=ZeroStatus.ASSISTING).values("household_id")
    candidates = (
        HouseholdMember.objects.filter(
            resident__in=JobSeeker.objects.filter(
                status=SeekerStatus.ACTIVE, kind=SeekerKind.UNEMPLOYED
            ).values("resident_id")
        )
        .exclude(household_id__in=spells)
        .values_list("household_id", flat=True)
        .distinct()
    )
    for household_id in list(candidates[:limit]):
        with transaction.atomic():
            # A spell that ended (three refusals, no contact) is not reopened by the sweep
            # on the same facts: only a registration after it ended opens a new one.
            ended = (
                ZeroHousehold.objects.filter(household_id=household_id)
                .exclude(status=ZeroStatus.ASSISTING)
                .order_by("-ended_on")
                .values_list("ended_on", flat=True)
                .first()
            )
            if (
                ended is not None
                and not JobSeeker.objects.filter(
                    resident__membership__household_id=household_id, registered_on__gt=ended
                ).exists()
            ):
                continue
            if refresh_zero_household(household_id, today) is not None:
                done += 1
    return done


def pledge_overdue(spells: QuerySet[ZeroHousehold], day: dt.date) -> QuerySet[ZeroHousehold]:
    """Open spells past the pledge with no member referred to a job within it."""
    offered = Referral.objects.filter(
        seeker__resident__membership__household_id=OuterRef("household_id"),
        referred_on__gte=OuterRef("identified_on"),
        referred_on__lte=OuterRef("pledge_due"),
    )
    return spells.filter(status=ZeroStatus.ASSISTING, pledge_due__lt=day).exclude(Exists(offered))


def quarter_overdue(spells: QuerySet[ZeroHousehold], day: dt.date) -> QuerySet[ZeroHousehold]:
    """Spells not cleared within their quarter, as seen on ``day``: still open after the
    quarter's end, or cleared only after it."""
    return spells.filter(quarter_due__lt=day, rule__place_within_quarter=True).filter(
        Q(status=ZeroStatus.ASSISTING) | Q(status=ZeroStatus.CLEARED, ended_on__gt=F("quarter_due"))
    )


# --- referrals and placements ---------------------------------------------------------------------


@transaction.atomic
def do_refer(
    actor: User | None,
    vacancy: Vacancy,
    *,
    seeker: JobSeeker,
    referred_on: dt.date | None = None,
    client_token: str | None = None,
) -> Referral:
    """Recommend a job seeker of the county for a vacancy; the tier and reasons are the
    matching's, stored with the referral. The person and the unit are told."""
    first = _by_token(Referral, client_token)
    if first is not None:
        _require(actor, first.unit)
        return first
    _require(actor, vacancy.unit)
    vacancy = (
        Vacancy.objects.select_for_update()
        .select_related("community", "resident_unit")
        .get(pk=vacancy.pk)
    )
    today = _today()
    referred_on = referred_on or today
    errors: dict[str, str] = {}
    if vacancy.status != VacancyStatus.OPEN:
        errors["vacancy"] = _("该岗位已招满或已关闭。")
    elif vacancy.valid_until < referred_on:
        errors["vacancy"] = _("该岗位已过有效期。")
    if seeker.status != SeekerStatus.ACTIVE:
        errors["seeker"] = _("该求职人员已就业或已注销。")
    elif Referral.objects.filter(vacancy=vacancy, seeker=seeker).exists():
        errors["seeker"] = _("已向该岗位推荐过此人。")
    suggestion = matching.explain(vacancy, seeker)
    if suggestion is None:
        errors["seeker"] = _("只能推荐本县市的求职人员。")
    if referred_on > today or referred_on < vacancy.opened_on:
        errors["referred_on"] = _("推荐日期应在岗位发布之后、今天之前。")
    if errors or suggestion is None:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                vacancy=vacancy,
                seeker=seeker,
                unit=vacancy.unit,
                tier=suggestion.tier,
                local=suggestion.local,
                reasons=suggestion.reasons,
                referred_on=referred_on,
                client_token=(client_token or "").strip() or None,
                created_by=user_or_none(actor),
            )
    except IntegrityError:
        again = _by_token(Referral, client_token)
        if again is not None:
            return again
        raise ValidationError({"seeker": _("已向该岗位推荐过此人。")}) from None
    JobSeeker.objects.filter(pk=seeker.pk, last_contact_on__lt=referred_on).update(
        last_contact_on=referred_on
    )
    record_event(
        actor,
        JobsVerb.REFERRAL_MADE,
        referral,
        unit=vacancy.unit,
        after=snapshot(referral, ["vacancy", "seeker", "tier", "local", "reasons", "referred_on"]),
    )
    ru = vacancy.resident_unit
    payload = {"community": vacancy.community.name, "unit": ru.name, "post": vacancy.post}
    phone = _phone(seeker.resident.phone_enc)
    if phone:
        enqueue(
            unit=vacancy.unit,
            channel=MessageChannel.SMS,
            recipient=phone,
            kind="jobs.referred",
            text=TEXTS["jobs.referred"],
            payload=payload,
            dedupe_key=f"jobs:referral:{referral.pk}:seeker",
        )
    unit_phone = _phone(ru.contact_phone_enc)
    if unit_phone:
        link = unitlink.absolute(ru)
        enqueue(
            unit=vacancy.unit,
            channel=MessageChannel.SMS,
            recipient=unit_phone,
            kind="jobs.referral_to_unit",
            text=TEXTS["jobs.referral_to_unit"],
            payload={**payload, "name": seeker.resident.name, "link": f":{link}" if link else ""},
            dedupe_key=f"jobs:referral:{referral.pk}:unit",
        )
    return referral


@transaction.atomic
def do_conclude_referral(
    actor: User | None,
    referral: Referral,
    *,
    outcome: str,
    on: dt.date | None = None,
    confirmed_by_name: str = "",
    channel: str = ReportChannel.CLERK,
) -> Referral:
    """The outcome the unit confirms: hired (a placement; the vacancy's local count), or
    refused by the person or the unit, or no show. Three refusals by the members of a
    zero-employment household end its assistance (the rule in force)."""
    _require(actor, referral.unit)
    today = _today()
    on = on or today
    errors: dict[str, str] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = _("请选择推荐结果。")
    if channel not in ReportChannel.values:
        errors["channel"] = _("确认方式有误。")
    name = _text(confirmed_by_name, "confirmed_by_name", 50, errors, label=_("单位确认人"))
    if channel == ReportChannel.CLERK and not name:
        errors["confirmed_by_name"] = _("请填写单位确认人(由单位确认结果)。")
    if on > today or on < referral.referred_on:
        errors["on"] = _("结果日期应在推荐日期与今天之间。")
    if errors:
        raise ValidationError(errors)
    vacancy = Vacancy.objects.select_for_update().get(pk=referral.vacancy_id)
    seeker = (
        JobSeeker.objects.select_for_update().select_related("resident").get(pk=referral.seeker_id)
    )
    if outcome == ReferralStatus.HIRED:
        if vacancy.status != VacancyStatus.OPEN or vacancy.open_places < 1:
            raise ValidationError({"outcome": _("该岗位已招满或已关闭,不能再录用。")})
        if seeker.status != SeekerStatus.ACTIVE:
            raise ValidationError({"outcome": _("该求职人员已就业或已注销。")})
    before = transition(
        referral,
        [ReferralStatus.REFERRED],
        fields=["status", "outcome_on"],
        status=outcome,
        outcome_on=on,
        confirmed_by_name=name,
        outcome_channel=channel,
    )
    record_event(
        actor,
        JobsVerb.REFERRAL_CONCLUDED,
        referral,
        unit=referral.unit,
        before=before,
        after=snapshot(referral, ["status", "outcome_on", "confirmed_by_name", "outcome_channel"]),
    )
    if outcome == ReferralStatus.HIRED:
        hired = vacancy.hired + 1
        changes: dict[str, Any] = {
            "hired": hired,
            "hired_local": vacancy.hired_local + (1 if referral.local else 0),
        }
        if hired >= vacancy.headcount:
            changes.update(status=VacancyStatus.FILLED, filled_on=on)
        Vacancy.objects.filter(pk=vacancy.pk).update(**changes)
        _place(
            actor,
            seeker,
            employer=vacancy.resident_unit.name,
            post=vacancy.post,
            source=PlacementSource.REFERRAL,
            started_on=on,
            referral=referral,
        )
    elif outcome == ReferralStatus.REFUSED_BY_PERSON:
        membership = HouseholdMember.objects.filter(resident_id=seeker.resident_id).first()
        spell = (
            ZeroHousehold.objects.filter(
                household_id=membership.household_id, status=ZeroStatus.ASSISTING
            )
            .select_related("rule")
            .first()
            if membership
            else None
        )
        if spell is not None and household_refusals(spell) >= spell.rule.max_refusals:
            _end_spell(spell, on, ZeroExit.REFUSED)
    return referral


def _place(
    actor: User | None,
    seeker: JobSeeker,
    *,
    employer: str,
    post: str,
    source: str,
    started_on: dt.date,
    referral: Referral | None = None,
    client_token: str | None = None,
) -> Placement:
    placement = Placement.objects.create(
        seeker=seeker,
        unit=seeker.unit,
        community=seeker.community,
        referral=referral,
        employer=employer,
        post=post,
        source=source,
        started_on=started_on,
        client_token=(client_token or "").strip() or None,
    )
    transition(
        seeker,
        [SeekerStatus.ACTIVE],
        fields=["status", "ended_on"],
        status=SeekerStatus.EMPLOYED,
        ended_on=started_on,
        end_reason=_("已就业"),
    )
    record_event(
        actor,
        JobsVerb.PLACEMENT_RECORDED,
        placement,
        unit=placement.unit,
        after=snapshot(placement, ["seeker", "employer", "post", "source", "started_on"]),
    )
    _refresh_for(seeker.resident, started_on)
    return placement


@transaction.atomic
def do_record_placement(
    actor: User | None,
    seeker: JobSeeker,
    *,
    employer: str,
    post: str = "",
    source: str,
    started_on: dt.date | None = None,
    client_token: str | None = None,
) -> Placement:
    """A job seeker found work other than through a referral (on their own, a public
    welfare post, another channel)."""
    first = _by_token(Placement, client_token)
    if first is not None:
        _require(actor, first.unit)
        return first
    _require(actor, seeker.unit)
    seeker = JobSeeker.objects.select_for_update().select_related("resident").get(pk=seeker.pk)
    started_on = started_on or _today()
    errors: dict[str, str] = {}
    employer = _text(employer, "employer", 100, errors, required=True, label=_("就业单位"))
    post = _text(post, "post", 50, errors, label=_("岗位"))
    if source not in PlacementSource.values or source == PlacementSource.REFERRAL:
        errors["source"] = _("请选择就业渠道(经推荐的由单位确认推荐结果)。")
    if seeker.status != SeekerStatus.ACTIVE:
        errors["seeker"] = _("该求职人员已就业或已注销。")
    if started_on > _today() or started_on < seeker.registered_on:
        errors["started_on"] = _("上岗日期应在登记日期与今天之间。")
    if errors:
        raise ValidationError(errors)
    return _place(
        actor,
        seeker,
        employer=employer,
        post=post,
        source=source,
        started_on=started_on,
        client_token=client_token,
    )


# --- training ------------------------------------------------------------------------------------


@transaction.atomic
def do_create_training(
    actor: User | None,
    *,
    unit: OrgUnit,
    skill: str,
    provider: str,
    starts_on: dt.date,
    ends_on: dt.date,
    place: str,
    capacity: int,
    client_token: str | None = None,
) -> TrainingSession:
    first = _by_token(TrainingSession, client_token)
    if first is not None:
        _require(actor, first.unit)
        return first
    _require(actor, unit)
    errors: dict[str, str] = {}
    if unit.kind not in (UnitKind.COMMUNITY, UnitKind.TOWNSHIP, UnitKind.COUNTY):
        errors["unit"] = _("培训班由社区、街道(乡镇)或县市举办。")
    skill = _text(skill, "skill", 50, errors, required=True, label=_("培训工种"))
    provider = _text(provider, "provider", 100, errors, required=True, label=_("培训机构"))
    place = _text(place, "place", 100, errors, required=True, label=_("地点"))
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date):
        errors["starts_on"] = _("请填写开班和结业日期。")
    elif ends_on < starts_on:
        errors["ends_on"] = _("结业日期不能早于开班日期。")
    elif (ends_on - starts_on).days > 366:
        errors["ends_on"] = _("培训期不能超过一年。")
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 500:
        errors["capacity"] = _("名额应为1至500。")
    if errors:
        raise ValidationError(errors)
    session = TrainingSession.objects.create(
        unit=unit,
        skill=skill,
        provider=provider,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        capacity=capacity,
        client_token=(client_token or "").strip() or None,
    )
    record_event(actor, JobsVerb.TRAINING_CREATED, session, unit=unit, after=snapshot(session))
    return session


@transaction.atomic
def do_enrol(
    actor: User | None,
    session: TrainingSession,
    *,
    seeker: JobSeeker,
    enrolled_on: dt.date | None = None,
) -> Enrolment:
    """Enrol a job seeker (``enrolled_on``: the day of a paper sign-up sheet entered
    later); a second enrolment of the same person returns the first."""
    _require(actor, seeker.unit)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    existing = Enrolment.objects.filter(session=session, seeker=seeker).first()
    if existing is not None:
        return existing
    enrolled_on = enrolled_on or _today()
    if enrolled_on > _today():
        raise ValidationError({"enrolled_on": _("报名日期不能晚于今天。")})
    if session.ends_on < enrolled_on:
        raise ValidationError({"session": _("该培训班已结业。")})
    if seeker.status == SeekerStatus.ENDED:
        raise ValidationError({"seeker": _("该求职登记已注销。")})
    if session.enrolments.count() >= session.capacity:
        raise ValidationError({"session": _("该培训班名额已满。")})
    enrolment = Enrolment.objects.create(session=session, seeker=seeker, unit=seeker.unit)
    record_event(
        actor,
        JobsVerb.TRAINING_ENROLLED,
        enrolment,
        unit=seeker.unit,
        after={"session": session.pk, "seeker": seeker.pk},
    )
    return enrolment


@transaction.atomic
def do_record_attendance(
    actor: User | None, session: TrainingSession, *, day: dt.date, present: Iterable[int]
) -> int:
    """The day's register: enrolments in ``present`` attended, the others did not."""
    _require(actor, session.unit)
    if not session.starts_on <= day <= session.ends_on:
        raise ValidationError({"day": _("日期不在培训期内。")})
    if day > _today():
        raise ValidationError({"day": _("不能登记未来日期的考勤。")})
    present_ids = set(present)
    rows = list(session.enrolments.filter(status=EnrolmentStatus.ENROLLED))
    for enrolment in rows:
        Attendance.objects.update_or_create(
            enrolment=enrolment, day=day, defaults={"present": enrolment.pk in present_ids}
        )
    record_event(
        actor,
        JobsVerb.TRAINING_ATTENDANCE,
        session,
        unit=session.unit,
        after={"day": day, "present": sorted(present_ids & {e.pk for e in rows})},
    )
    return len(rows)


def attendance_share(enrolment: Enrolment) -> int:
    """Days present over the session's days, in percent."""
    days = len(enrolment.session.days())
    present = enrolment.attendance.filter(present=True).count()
    return round(100 * present / days) if days else 0


@transaction.atomic
def do_complete_training(
    actor: User | None, session: TrainingSession, *, on: dt.date | None = None
) -> int:
    """Close the class: enrolments with enough attendance complete and get a certificate
    number, the others do not complete. Returns how many completed."""
    _require(actor, session.unit)
    on = on or _today()
    if on < session.ends_on or on > _today():
        raise ValidationError({"on": _("结业日期应在培训结束之后、今天之前。")})
    needed = settings.SHEQU_JOBS_COMPLETION_ATTENDANCE
    done = 0
    for n, enrolment in enumerate(
        session.enrolments.filter(status=EnrolmentStatus.ENROLLED).order_by("pk"), start=1
    ):
        if attendance_share(enrolment) >= needed:
            enrolment.status = EnrolmentStatus.COMPLETED
            enrolment.certificate_no = f"PX{session.ends_on:%Y}{session.pk:05d}{n:03d}"
            done += 1
        else:
            enrolment.status = EnrolmentStatus.FAILED
        enrolment.completed_on = on
        enrolment.save(update_fields=["status", "certificate_no", "completed_on"])
    record_event(
        actor,
        JobsVerb.TRAINING_COMPLETED,
        session,
        unit=session.unit,
        after={"on": on, "completed": done, "attendance_needed": needed},
    )
    return done


@transaction.atomic
def do_follow_up_training(
    actor: User | None, enrolment: Enrolment, *, on: dt.date | None = None, note: str
) -> Enrolment:
    """A follow-up visit after the class: whether the person works now is the
    placements' (``figures``); the note records what was found."""
    _require(actor, enrolment.unit)
    on = on or _today()
    errors: dict[str, str] = {}
    note = _text(note, "note", 200, errors, required=True, label=_("回访情况"))
    if on > _today() or on < enrolment.session.ends_on:
        errors["on"] = _("回访日期应在结业之后、今天之前。")
    if errors:
        raise ValidationError(errors)
    before = snapshot(enrolment, ["followed_up_on", "follow_up_note"])
    enrolment.followed_up_on, enrolment.follow_up_note = on, note
    enrolment.save(update_fields=["followed_up_on", "follow_up_note"])
    record_event(
        actor,
        JobsVerb.TRAINING_FOLLOWED_UP,
        enrolment,
        unit=enrolment.unit,
        before=before,
        after=snapshot(enrolment, ["followed_up_on", "follow_up_note"]),
    )
    return enrolment


# --- a home for the floating population --------------------------------------------------------


def floating_residents(community: OrgUnit) -> QuerySet[Resident]:
    """The community's living floating residents, as the registry holds them."""
    return Resident.objects.filter(
        community=community, status=ResidentStatus.LIVING, floating__isnull=False
    )


@transaction.atomic
def do_record_activity(
    actor: User | None,
    *,
    unit: OrgUnit,
    kind: ActivityType,
    title: str,
    held_on: dt.date,
    place: str,
    provider: str = "",
    reached: Iterable[Resident] = (),
    others_reached: int = 0,
    client_token: str | None = None,
) -> FloatingActivity:
    """A service brought to the floating population (科技, 药品, 政策, 健康 …) and the
    registry's floating residents it reached."""
    first = _by_token(FloatingActivity, client_token)
    if first is not None:
        _require(actor, first.unit)
        return first
    _require(actor, unit)
    errors: dict[str, str] = {}
    if unit.kind != UnitKind.COMMUNITY:
        errors["unit"] = _("请选择举办活动的社区。")
    if not kind.active:
        errors["kind"] = _("该服务类型已停用。")
    title = _text(title, "title", 100, errors, required=True, label=_("活动名称"))
    place = _text(place, "place", 100, errors, required=True, label=_("地点"))
    provider = _text(provider, "provider", 100, errors, label=_("服务提供方"))
    if held_on > _today():
        errors["held_on"] = _("活动日期不能晚于今天。")
    people = list(reached)
    allowed = set(floating_residents(unit).values_list("pk", flat=True)) if not errors else set()
    if any(r.pk not in allowed for r in people) and "unit" not in errors:
        errors["reached"] = _("服务对象须为本社区登记的流动人口。")
    try:
        others = int(others_reached or 0)
    except (TypeError, ValueError):
        others = -1
    if not 0 <= others <= 100_000:
        errors["others_reached"] = _("人数有误。")
    if errors:
        raise ValidationError(errors)
    activity = FloatingActivity.objects.create(
        unit=unit,
        kind=kind,
        title=title,
        held_on=held_on,
        place=place,
        provider=provider,
        others_reached=others,
        client_token=(client_token or "").strip() or None,
    )
    activity.reached.set(people)
    record_event(
        actor,
        JobsVerb.ACTIVITY_RECORDED,
        activity,
        unit=unit,
        after={**snapshot(activity), "reached": [r.pk for r in people]},
    )
    return activity


@transaction.atomic
def do_open_school_help(
    actor: User | None,
    *,
    resident: Resident,
    child_name: str,
    stage: str,
    wished_school: str = "",
    client_token: str | None = None,
) -> SchoolHelp:
    """Help a floating resident's child into school: a services case (the item set by
    ``SHEQU_JOBS_SCHOOL_ITEM``, the proof of residence schools ask for) tracks it."""
    token = (client_token or "").strip() or None
    if token is not None:
        first = SchoolHelp.objects.filter(case__client_token=f"jobs-school-{token}").first()
        if first is not None:
            _require(actor, first.unit)
            return first
    _require(actor, resident.unit)
    errors: dict[str, str] = {}
    if not hasattr(resident, "floating"):
        errors["resident"] = _("请先在居民信息中登记其流动人口信息。")
    child_name = _text(child_name, "child_name", 50, errors, required=True, label=_("子女姓名"))
    wished_school = _text(wished_school, "wished_school", 100, errors, label=_("意向学校"))
    if stage not in SchoolStage.values:
        errors["stage"] = _("请选择学段。")
    item = ServiceItem.objects.filter(code=settings.SHEQU_JOBS_SCHOOL_ITEM, active=True).first()
    if item is None:
        errors["__all__"] = _("服务目录中没有入学协助所用的事项,请联系管理员。")
    if errors or item is None:
        raise ValidationError(errors)
    summary = _("随迁子女入学协助:%(child)s,%(stage)s,意向学校:%(school)s") % {
        "child": child_name,
        "stage": SchoolStage(stage).label,
        "school": wished_school or "—",
    }
    case = case_actions.do_receive_case(
        actor,
        unit=resident.unit,
        item=item,
        channel=Channel.WINDOW,
        applicant_kind=ApplicantKind.RESIDENT,
        resident=resident,
        summary=summary,
        client_token=f"jobs-school-{token}" if token else None,
    )
    help_ = SchoolHelp.objects.create(
        resident=resident,
        unit=resident.unit,
        case=case,
        child_name=child_name,
        stage=stage,
        wished_school=wished_school,
    )
    record_event(
        actor,
        JobsVerb.SCHOOL_HELP_OPENED,
        help_,
        unit=resident.unit,
        after=snapshot(help_, ["resident", "case", "stage"]),
    )
    return help_
