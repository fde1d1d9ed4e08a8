"""The jobs app's figures, for its own page, the Excel export and the insights app.

``jobs_figures(unit, first, last)`` counts what happened in ``unit``'s subtree (a
community, township, county or the prefecture) between two days; ``figures_by_unit``
and ``figures_by_month`` break it down. A few grouped queries each, whatever the rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from shequ.jobs.actions import add_months
from shequ.jobs.models import (
    Enrolment,
    EnrolmentStatus,
    FloatingActivity,
    Placement,
    Referral,
    ReferralStatus,
    Vacancy,
    VacancyReport,
    ZeroHousehold,
    ZeroStatus,
)
from shequ.lib.xlsx import workbook_bytes
from shequ.orgs.models import OrgUnit, UnitKind


@dataclass(frozen=True)
class JobsFigures:
    unit: OrgUnit
    first: dt.date
    last: dt.date
    reports: int
    posts_reported: int
    headcount_reported: int
    hired: int
    hired_local: int
    filled_posts: int
    days_to_fill_total: int
    zero_identified: int
    zero_cleared_in_quarter: int
    zero_open: int
    trained: int
    employed_after_training: int
    activities: int
    reach: int

    @property
    def local_share(self) -> Decimal | None:
        """Hires of the unit's own community's residents over all hires, in percent."""
        if not self.hired:
            return None
        return (Decimal(self.hired_local * 100) / self.hired).quantize(Decimal("0.1"))

    @property
    def days_to_fill(self) -> Decimal | None:
        if not self.filled_posts:
            return None
        return (Decimal(self.days_to_fill_total) / self.filled_posts).quantize(Decimal("0.1"))

    @property
    def zero_cleared_share(self) -> Decimal | None:
        if not self.zero_identified:
            return None
        rate = Decimal(self.zero_cleared_in_quarter * 100) / self.zero_identified
        return rate.quantize(Decimal("0.1"))


def jobs_figures(unit: OrgUnit, first: dt.date, last: dt.date) -> JobsFigures:
    """Figures of ``unit``'s subtree for the days ``first`` to ``last``: reports for
    months in the period; hires, fills, identifications, completions and activities
    dated in it."""
    path = unit.path
    reports = VacancyReport.objects.filter(
        community__path__startswith=path,
        month__gte=first.replace(day=1),
        month__lte=last,
    )
    posts = Vacancy.objects.filter(report__in=reports).aggregate(
        n=Count("pk"), heads=Sum("headcount")
    )
    hires = Referral.objects.filter(
        vacancy__community__path__startswith=path,
        status=ReferralStatus.HIRED,
        outcome_on__gte=first,
        outcome_on__lte=last,
    ).aggregate(n=Count("pk"), local=Count("pk", filter=Q(local=True)))
    filled = list(
        Vacancy.objects.filter(
            community__path__startswith=path, filled_on__gte=first, filled_on__lte=last
        ).values_list("opened_on", "filled_on")
    )
    fill_days = sum((f - o).days for o, f in filled if f is not None)
    spells = ZeroHousehold.objects.filter(community__path__startswith=path)
    identified = spells.filter(identified_on__gte=first, identified_on__lte=last)
    zero = identified.aggregate(
        n=Count("pk"),
        cleared=Count("pk", filter=Q(status=ZeroStatus.CLEARED, ended_on__lte=F("quarter_due"))),
    )
    open_spells = spells.filter(identified_on__lte=last).filter(
        Q(status=ZeroStatus.ASSISTING) | Q(ended_on__gt=last)
    )
    completed = list(
        Enrolment.objects.filter(
            seeker__community__path__startswith=path,
            status=EnrolmentStatus.COMPLETED,
            completed_on__gte=first,
            completed_on__lte=last,
        ).values_list("seeker_id", "session__starts_on", "session__ends_on")
    )
    months = settings.SHEQU_JOBS_FOLLOW_UP_MONTHS
    employed = 0
    if completed:
        starts: dict[int, list[dt.date]] = {}
        for seeker_id, started in Placement.objects.filter(
            seeker_id__in=[c[0] for c in completed]
        ).values_list("seeker_id", "started_on"):
            starts.setdefault(seeker_id, []).append(started)
        for seeker_id, begins, ends in completed:
            until = add_months(ends, months)
            if any(begins <= s <= until for s in starts.get(seeker_id, [])):
                employed += 1
    activities = FloatingActivity.objects.filter(
        unit__path__startswith=path, held_on__gte=first, held_on__lte=last
    )
    reach = activities.aggregate(others=Sum("others_reached"))["others"] or 0
    reach += FloatingActivity.reached.through.objects.filter(
        floatingactivity__in=activities
    ).count()
    return JobsFigures(
        unit=unit,
        first=first,
        last=last,
        reports=reports.count(),
        posts_reported=posts["n"] or 0,
        headcount_reported=posts["heads"] or 0,
        hired=hires["n"] or 0,
        hired_local=hires["local"] or 0,
        filled_posts=len(filled),
        days_to_fill_total=fill_days,
        zero_identified=zero["n"] or 0,
        zero_cleared_in_quarter=zero["cleared"] or 0,
        zero_open=open_spells.count(),
        trained=len(completed),
        employed_after_training=employed,
        activities=activities.count(),
        reach=reach,
    )


BREAKDOWN_KINDS = (UnitKind.COUNTY, UnitKind.TOWNSHIP, UnitKind.COMMUNITY)


def figures_by_unit(unit: OrgUnit, first: dt.date, last: dt.date) -> list[JobsFigures]:
    """One row per unit one level down (counties, townships or communities)."""
    children = [c for c in unit.children().order_by("path") if c.kind in BREAKDOWN_KINDS]
    return [jobs_figures(c, first, last) for c in children]


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    out, day = [], first.replace(day=1)
    while day <= last:
        out.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def figures_by_month(unit: OrgUnit, first: dt.date, last: dt.date) -> list[JobsFigures]:
    rows = []
    for start in month_starts(first, last):
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        rows.append(jobs_figures(unit, max(first, start), min(last, end)))
    return rows


def local_hire_share(unit: OrgUnit) -> Decimal | None:
    """All time: the share of hires through referrals that went to residents of the
    vacancy's own community, for ``unit``'s subtree."""
    hires = Referral.objects.filter(
        vacancy__community__path__startswith=unit.path, status=ReferralStatus.HIRED
    ).aggregate(n=Count("pk"), local=Count("pk", filter=Q(local=True)))
    if not hires["n"]:
        return None
    return (Decimal(hires["local"] * 100) / hires["n"]).quantize(Decimal("0.1"))


HEADERS = [
    _("单位或月份"),
    _("空岗报告数"),
    _("报告岗位数"),
    _("报告招聘人数"),
    _("推荐录用人数"),
    _("其中本社区居民"),
    _("本地录用占比(%)"),
    _("招满岗位数"),
    _("平均招满天数"),
    _("认定零就业家庭"),
    _("当季清零"),
    _("期末援助中"),
    _("培训结业人数"),
    _("培训后就业人数"),
    _("流动人口服务活动"),
    _("服务人次"),
]


def _row(label: str, f: JobsFigures) -> list[object]:
    return [
        label,
        f.reports,
        f.posts_reported,
        f.headcount_reported,
        f.hired,
        f.hired_local,
        f.local_share,
        f.filled_posts,
        f.days_to_fill,
        f.zero_identified,
        f.zero_cleared_in_quarter,
        f.zero_open,
        f.trained,
        f.employed_after_training,
        f.activities,
        f.reach,
    ]


def figures_workbook(unit: OrgUnit, first: dt.date, last: dt.date) -> bytes:
    """The figures as .xlsx: the whole, by unit one level down, and by month."""
    headers = [str(h) for h in HEADERS]
    total = jobs_figures(unit, first, last)
    by_unit = [_row(f.unit.name, f) for f in figures_by_unit(unit, first, last)]
    by_month = [_row(f"{f.first:%Y-%m}", f) for f in figures_by_month(unit, first, last)]
    return workbook_bytes(
        [
            (str(_("合计")), [headers, _row(unit.name, total)]),
            (str(_("按单位")), [headers, *by_unit]),
            (str(_("按月份")), [headers, *by_month]),
        ]
    )


def hires_by_unit_month(
    within: OrgUnit, first: dt.date, last: dt.date
) -> dict[tuple[int, int], tuple[int, int]]:
    """For insights' rollup: ``{(community id, month number): (hired, hired locally)}``
    for referrals hired between ``first`` and ``last`` (one year at most) in the subtree."""
    from django.db.models.functions import ExtractMonth

    rows = (
        Referral.objects.filter(
            vacancy__community__path__startswith=within.path,
            status=ReferralStatus.HIRED,
            outcome_on__gte=first,
            outcome_on__lte=last,
        )
        .annotate(m=ExtractMonth("outcome_on"))
        .values("vacancy__community_id", "m")
        .annotate(n=Count("pk"), local=Count("pk", filter=Q(local=True)))
        .order_by()
    )
    return {(r["vacancy__community_id"], r["m"]): (r["n"], r["local"]) for r in rows}
