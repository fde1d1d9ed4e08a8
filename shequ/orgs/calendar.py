"""The national working-day calendar in the database, and due dates computed from it.

Arithmetic lives in ``shequ.lib.workdays``; this module loads the exceptions a
computation needs, knows how far the calendar reaches (the last year whose holiday
arrangement is loaded), and imports the State Council's yearly notice.

Sources: the chinese-calendar package, seeded at migration time, for the years it knows;
each later year from the notice (国务院办公厅关于某年部分节假日安排的通知), which an
admin enters or imports (admin site, or ``manage.py import_calendar``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.lib.workdays import Pause, WorkCalendar
from shequ.orgs import access
from shequ.orgs.events import record_event
from shequ.orgs.models import CalendarDay, CalendarSource, CalendarYear, User
from shequ.orgs.verbs import OrgVerb

# Officers and admins are told this long before the calendar runs out.
WARN_DAYS = 90


def package_days() -> list[tuple[dt.date, bool, str]]:
    """(date, is_working_day, note) for every exception the chinese-calendar package knows."""

    def chinese(name: str) -> str:
        try:
            return str(chinese_calendar.Holiday(name).chinese)
        except ValueError:
            return name

    days = [(day, False, chinese(name)) for day, name in chinese_calendar.holidays.items()]
    days += [
        (day, True, f"{chinese(name)}调休上班") for day, name in chinese_calendar.workdays.items()
    ]
    return sorted(days)


def package_years() -> list[int]:
    """The years whose whole arrangement the package holds (it adds a year at a time)."""
    return sorted({day.year for day in chinese_calendar.holidays})


def seed_calendar() -> int:
    """Add the package's days that are not in the table yet, and mark its years known;
    rows already there (perhaps edited by an admin) are kept. Returns how many days were
    added."""
    known = set(CalendarDay.objects.values_list("date", flat=True))
    rows = [
        CalendarDay(
            date=day, is_working_day=working, note=note[:100], source=CalendarSource.PACKAGE
        )
        for day, working, note in package_days()
        if day not in known
    ]
    CalendarDay.objects.bulk_create(rows, batch_size=500)
    have = set(CalendarYear.objects.values_list("year", flat=True))
    CalendarYear.objects.bulk_create(
        CalendarYear(year=year, source=CalendarSource.PACKAGE, reference="chinese-calendar")
        for year in package_years()
        if year not in have
    )
    return len(rows)


def calendar_between(first: dt.date, last: dt.date) -> WorkCalendar:
    rows = CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list(
        "date", "is_working_day"
    )
    off = frozenset(day for day, working in rows if not working)
    on = frozenset(day for day, working in rows if working)
    return WorkCalendar(days_off=off, extra_working_days=on)


def known_until() -> dt.date | None:
    """The last day of the last year whose arrangement is loaded: beyond it, only
    weekends are known."""
    year = CalendarYear.objects.order_by("-year").values_list("year", flat=True).first()
    return dt.date(year, 12, 31) if year is not None else None


def last_loaded_at() -> dt.datetime | None:
    """When a year's arrangement was last loaded (seeded or imported): deadlines computed
    before then may be out of date."""
    loaded: dt.datetime | None = CalendarYear.objects.aggregate(last=Max("loaded_at"))["last"]
    return loaded


def is_provisional(at: dt.datetime | None, until: dt.date | None = None) -> bool:
    """True when ``at`` falls past the known calendar (so a due date there may move)."""
    if at is None:
        return False
    until = until if until is not None else known_until()
    return until is None or timezone.localtime(at).date() > until


def calendar_warning(today: dt.date | None = None) -> dt.date | None:
    """The date the calendar ends, when that is near enough to tell someone; else None.
    An empty calendar answers ``dt.date.min``."""
    today = today or timezone.localdate()
    until = known_until()
    if until is None:
        return dt.date.min
    return until if until < today + dt.timedelta(days=WARN_DAYS) else None


def due_at(
    start: dt.datetime,
    working_days: int,
    pauses: Iterable[Pause] = (),
    *,
    now: dt.datetime | None = None,
) -> dt.datetime:
    """The deadline of a limit of ``working_days`` starting at ``start``, in local time."""
    start = timezone.localtime(start)
    pauses = list(pauses)
    now = now or timezone.now()
    first = min([start.date()] + [timezone.localtime(p.start).date() for p in pauses])
    span = (
        2 * working_days
        + 40
        + sum(((p.end or now) - p.start).days + 1 for p in pauses if (p.end or now) > p.start)
    )
    while True:
        last = start.date() + dt.timedelta(days=span)
        result = calendar_between(first, last).due_at(start, working_days, pauses, now=now)
        if result.date() <= last:
            return result
        span *= 2


# --- the State Council's notice ------------------------------------------------------


@dataclass(frozen=True)
class NoticeDay:
    date: dt.date
    is_working_day: bool
    note: str


_LINE = re.compile(
    r"^(?P<first>\d{4}-\d{1,2}-\d{1,2})(?:\s*[~至到]\s*(?P<last>\d{4}-\d{1,2}-\d{1,2}))?"
    r"\s*[,，\s]\s*(?P<kind>休|班|off|work)\s*(?:[,，\s]\s*(?P<note>.*))?$",
    re.IGNORECASE,
)


def parse_notice(year: int, text: str) -> list[NoticeDay]:
    """Read a notice typed as one line per holiday or adjusted working day::

        2027-02-06~2027-02-13 休 春节
        2027-02-14 班 春节调休上班

    A range covers every day in it. Raises ValidationError naming each bad line."""
    days: dict[dt.date, NoticeDay] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            errors.append(_("第 %(n)d 行格式不对:%(line)s") % {"n": number, "line": line[:60]})
            continue
        try:
            first = dt.date.fromisoformat(_pad(match["first"]))
            last = dt.date.fromisoformat(_pad(match["last"])) if match["last"] else first
        except ValueError:
            errors.append(_("第 %(n)d 行日期不存在:%(line)s") % {"n": number, "line": line[:60]})
            continue
        if first.year != year or last.year != year or last < first:
            errors.append(
                _("第 %(n)d 行的日期不在 %(year)d 年内或起止颠倒。") % {"n": number, "year": year}
            )
            continue
        working = match["kind"].lower() in {"班", "work"}
        note = (match["note"] or "").strip()[:100]
        day = first
        while day <= last:
            if day in days and days[day].is_working_day != working:
                errors.append(
                    _("第 %(n)d 行:%(day)s 既是休息日又是上班日。")
                    % {"n": number, "day": day.isoformat()}
                )
            if working and day.weekday() < 5:
                errors.append(
                    _("第 %(n)d 行:%(day)s 是工作日,无需调休上班。")
                    % {"n": number, "day": day.isoformat()}
                )
            days[day] = NoticeDay(day, working, note)
            day += dt.timedelta(days=1)
    if errors:
        raise ValidationError({"text": errors})
    if not any(not d.is_working_day for d in days.values()):
        raise ValidationError({"text": _("通知中至少应有一个放假日。")})
    return sorted(days.values(), key=lambda d: d.date)


# The statutory holidays (《全国年节及纪念日放假办法》) every yearly notice arranges.
USUAL_HOLIDAYS = ("元旦", "春节", "清明", "劳动", "端午", "中秋", "国庆")


def missing_holidays(days: list[NoticeDay]) -> list[str]:
    """The usual holidays a parsed notice does not mention (a warning before import:
    a two-line notice would otherwise make every other holiday a working day)."""
    notes = " ".join(d.note for d in days if not d.is_working_day)
    return [name for name in USUAL_HOLIDAYS if name not in notes]


def _pad(value: str) -> str:
    y, m, d = value.split("-")
    return f"{y}-{int(m):02d}-{int(d):02d}"


@transaction.atomic
def do_import_calendar_year(
    actor: User | None, *, year: int, days: list[NoticeDay], reference: str
) -> CalendarYear:
    """Load a year's arrangement from the notice. It replaces what the package or an
    earlier import said of that year; days an admin edited by hand are kept."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("只有系统管理员可以导入工作日历。"))
    reference = reference.strip()
    if not reference:
        raise ValidationError({"reference": _("请填写通知的文号或标题。")})
    if not days:
        raise ValidationError({"text": _("通知中至少应有一个放假日。")})
    if any(d.date.year != year for d in days):
        raise ValidationError({"text": _("导入的日期必须都在 %(year)d 年内。") % {"year": year}})
    in_year = CalendarDay.objects.filter(date__year=year)
    hand_edited = set(in_year.filter(source=CalendarSource.ADMIN).values_list("date", flat=True))
    before = list(in_year.order_by("date").values_list("date", "is_working_day"))
    in_year.exclude(source=CalendarSource.ADMIN).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(
            date=d.date, is_working_day=d.is_working_day, note=d.note, source=CalendarSource.NOTICE
        )
        for d in days
        if d.date not in hand_edited
    )
    row, _created = CalendarYear.objects.update_or_create(
        year=year,
        defaults={
            "source": CalendarSource.NOTICE,
            "reference": reference[:200],
            "loaded_at": timezone.now(),
        },
    )
    record_event(
        actor,
        OrgVerb.CALENDAR_IMPORTED,
        row,
        unit=None,
        before={"days": [[d.isoformat(), w] for d, w in before]},
        after={
            "reference": reference,
            "days": [[d.date.isoformat(), d.is_working_day] for d in days],
        },
    )
    return row


def may_see_calendar_warning(user: access.AnyUser) -> bool:
    """Admins, who can fix the calendar, and officers, who answer for the due dates;
    not clerks, who can do nothing about it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(post.role in access.OFFICER_ROLES for post in access.active_posts(user))
