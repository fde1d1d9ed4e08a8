"""Mediation's figures: what the figures page, the export and ``insights`` may read.

Disputes are counted by the month they were registered in, for a unit's subtree (a
community, a township, a county, the prefecture). ``dispute_figures`` gives one unit and
period; ``breakdown`` the same per child unit, month or year; ``figures_workbook`` the
Excel export through the one formula-safe writer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.lib.xlsx import workbook_bytes
from shequ.mediation.models import (
    ActivityKind,
    AdvisorActivity,
    Agreement,
    Decision,
    Dispute,
    DisputeKind,
    DisputeStatus,
    Outcome,
    Source,
)
from shequ.orgs.models import OrgUnit

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Figures:
    unit: OrgUnit
    first: dt.date
    last: dt.date
    total: int
    by_kind: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    open: int = 0
    amount_yuan: Decimal = ZERO
    days_to_agreement: Decimal | None = None
    confirmations_applied: int = 0
    confirmations_granted: int = 0
    confirmations_refused: int = 0
    prevented_criminal: int = 0
    prevented_group: int = 0
    transferred: int = 0
    advisor_activity: dict[str, int] = field(default_factory=dict)

    @property
    def agreed(self) -> int:
        return self.by_outcome.get(Outcome.AGREED, 0)

    @property
    def success_rate(self) -> Decimal | None:
        """Agreements over mediations that ended (agreed or not), in percent."""
        ended = self.agreed + self.by_outcome.get(Outcome.NO_AGREEMENT, 0)
        if not ended:
            return None
        return (Decimal(self.agreed * 100) / Decimal(ended)).quantize(Decimal("0.1"))

    def share(self, kinds: tuple[str, ...]) -> Decimal | None:
        """The share of ``kinds`` among all disputes, in percent."""
        if not self.total:
            return None
        n = sum(self.by_kind.get(k, 0) for k in kinds)
        return (Decimal(n * 100) / Decimal(self.total)).quantize(Decimal("0.1"))

    @property
    def top_three_share(self) -> Decimal | None:
        """Marriage and family, neighbour and forest/land disputes (57.8 % in 2015)."""
        return self.share(
            (DisputeKind.MARRIAGE_FAMILY, DisputeKind.NEIGHBOUR, DisputeKind.FOREST_LAND)
        )


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, end


def disputes_in(unit: OrgUnit, first: dt.date, last: dt.date) -> Q:
    start, end = _bounds(first, last)
    return Q(unit__path__startswith=unit.path, received_at__gte=start, received_at__lt=end)


def dispute_figures(unit: OrgUnit, first: dt.date, last: dt.date) -> Figures:
    rows = Dispute.objects.filter(disputes_in(unit, first, last))
    by_kind = dict(rows.values_list("kind").annotate(n=Count("pk")).order_by())
    by_source = dict(rows.values_list("source").annotate(n=Count("pk")).order_by())
    by_outcome = dict(
        rows.exclude(outcome="").values_list("outcome").annotate(n=Count("pk")).order_by()
    )
    agreed = rows.filter(outcome=Outcome.AGREED)
    spans = [
        (ended - accepted).total_seconds() / 86400
        for accepted, ended in agreed.exclude(accepted_at=None).values_list(
            "accepted_at", "ended_at"
        )
        if ended is not None and accepted is not None
    ]
    agreements = Agreement.objects.filter(dispute__in=rows)
    activity = dict(
        AdvisorActivity.objects.filter(
            unit__path__startswith=unit.path, on__gte=first, on__lte=last
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Figures(
        unit=unit,
        first=first,
        last=last,
        total=rows.count(),
        by_kind=by_kind,
        by_source=by_source,
        by_outcome=by_outcome,
        refused=rows.exclude(refusal_reason="").count(),
        open=rows.filter(
            status__in=[
                DisputeStatus.REGISTERED,
                DisputeStatus.ACCEPTED,
                DisputeStatus.MEDIATING,
                DisputeStatus.TRANSFERRED,
            ]
        ).count(),
        amount_yuan=rows.aggregate(s=Sum("amount"))["s"] or ZERO,
        days_to_agreement=(
            Decimal(sum(spans) / len(spans)).quantize(Decimal("0.1")) if spans else None
        ),
        confirmations_applied=agreements.exclude(applied_on=None).count(),
        confirmations_granted=agreements.filter(decision=Decision.CONFIRMED).count(),
        confirmations_refused=agreements.filter(decision=Decision.REFUSED).count(),
        prevented_criminal=agreed.filter(risk_criminal=True).count(),
        prevented_group=agreed.filter(risk_group=True).count(),
        transferred=rows.filter(transfers__isnull=False).distinct().count(),
        advisor_activity=activity,
    )


@dataclass(frozen=True)
class Row:
    label: str
    unit: OrgUnit | None
    total: int
    agreed: int
    no_agreement: int
    amount_yuan: Decimal
    prevented_criminal: int

    @property
    def success_rate(self) -> Decimal | None:
        ended = self.agreed + self.no_agreement
        if not ended:
            return None
        return (Decimal(self.agreed * 100) / Decimal(ended)).quantize(Decimal("0.1"))


def _row(label: str, unit: OrgUnit | None, rows: Any) -> Row:
    return Row(
        label=label,
        unit=unit,
        total=int(rows.get("total") or 0),
        agreed=int(rows.get("agreed") or 0),
        no_agreement=int(rows.get("no_agreement") or 0),
        amount_yuan=Decimal(rows.get("amount") or 0).quantize(Decimal("0.01")),
        prevented_criminal=int(rows.get("criminal") or 0),
    )


_AGG = {
    "total": Count("pk"),
    "agreed": Count("pk", filter=Q(outcome=Outcome.AGREED)),
    "no_agreement": Count("pk", filter=Q(outcome=Outcome.NO_AGREEMENT)),
    "amount": Sum("amount"),
    "criminal": Count("pk", filter=Q(outcome=Outcome.AGREED, risk_criminal=True)),
}


def by_child(unit: OrgUnit, first: dt.date, last: dt.date) -> list[Row]:
    """One row per child unit (counties of the prefecture, townships of a county, …)."""
    result = []
    for child in unit.children().order_by("path"):
        agg = Dispute.objects.filter(disputes_in(child, first, last)).aggregate(**_AGG)
        if agg["total"]:
            result.append(_row(child.name, child, agg))
    return result


def by_month(unit: OrgUnit, first: dt.date, last: dt.date) -> list[Row]:
    rows = (
        Dispute.objects.filter(disputes_in(unit, first, last))
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(**_AGG)
        .order_by("month")
    )
    return [_row(f"{r['month']:%Y-%m}", None, r) for r in rows]


def by_year(unit: OrgUnit, first: dt.date, last: dt.date) -> list[Row]:
    years: dict[int, Counter[str]] = {}
    amounts: dict[int, Decimal] = {}
    for r in by_month(unit, first, last):
        year = int(r.label[:4])
        c = years.setdefault(year, Counter())
        c.update(
            total=r.total,
            agreed=r.agreed,
            no_agreement=r.no_agreement,
            criminal=r.prevented_criminal,
        )
        amounts[year] = amounts.get(year, ZERO) + r.amount_yuan
    return [_row(str(y), None, {**years[y], "amount": amounts[y]}) for y in sorted(years)]


def figures_workbook(unit: OrgUnit, first: dt.date, last: dt.date) -> bytes:
    f = dispute_figures(unit, first, last)
    summary: list[list[object]] = [
        [_("单位"), unit.name],
        [_("起"), first],
        [_("止"), last],
        [_("纠纷总数"), f.total],
        [_("调解成功"), f.agreed],
        [_("调解不成"), f.by_outcome.get(Outcome.NO_AGREEMENT, 0)],
        [_("调解成功率(%)"), f.success_rate],
        [_("涉及金额(元)"), f.amount_yuan],
        [_("平均调解天数"), f.days_to_agreement],
        [_("申请司法确认"), f.confirmations_applied],
        [_("确认有效"), f.confirmations_granted],
        [_("驳回申请"), f.confirmations_refused],
        [_("防止民转刑"), f.prevented_criminal],
        [_("防止群体性上访"), f.prevented_group],
        [_("移交办理"), f.transferred],
    ]
    kinds = [[_("纠纷类型"), _("件数")]] + [
        [str(label), f.by_kind.get(value, 0)] for value, label in DisputeKind.choices
    ]
    sources = [[_("来源"), _("件数")]] + [
        [str(label), f.by_source.get(value, 0)] for value, label in Source.choices
    ]
    header: list[object] = [
        _("单位/月份"),
        _("纠纷数"),
        _("成功"),
        _("不成"),
        _("成功率(%)"),
        _("金额(元)"),
        _("防止民转刑"),
    ]

    def table(rows: list[Row]) -> list[list[object]]:
        body: list[list[object]] = [
            [
                r.label,
                r.total,
                r.agreed,
                r.no_agreement,
                r.success_rate,
                r.amount_yuan,
                r.prevented_criminal,
            ]
            for r in rows
        ]
        return [header, *body]

    advisors = [[_("服务方式"), _("次数")]] + [
        [str(label), f.advisor_activity.get(value, 0)] for value, label in ActivityKind.choices
    ]
    return workbook_bytes(
        [
            (_("汇总"), summary),
            (_("按类型"), kinds),
            (_("按来源"), sources),
            (_("按下级单位"), table(by_child(unit, first, last))),
            (_("按月"), table(by_month(unit, first, last))),
            (_("按年"), table(by_year(unit, first, last))),
            (_("法律顾问服务"), advisors),
        ]
    )


def outcomes_by_unit_month(
    within: OrgUnit, first: dt.date, last: dt.date
) -> dict[tuple[int, int], dict[str, int]]:
    """For insights' rollup: ``{(unit id, month number): {"total", "agreed",
    "no_agreement"}}`` of disputes registered between ``first`` and ``last`` (one year at
    most) in the subtree, by the month they were registered in."""
    from django.db.models.functions import ExtractMonth

    rows = (
        Dispute.objects.filter(disputes_in(within, first, last))
        .annotate(m=ExtractMonth("received_at"))
        .values("unit_id", "m")
        .annotate(
            total=Count("pk"),
            agreed=Count("pk", filter=Q(outcome=Outcome.AGREED)),
            no_agreement=Count("pk", filter=Q(outcome=Outcome.NO_AGREEMENT)),
        )
        .order_by()
    )
    return {
        (r["unit_id"], r["m"]): {k: r[k] for k in ("total", "agreed", "no_agreement")} for r in rows
    }
