"""The village points' figures (办事不出村) for a county and a period.

One function, ``village_figures``, serves the county page and the tests. It adds the
county ledger's legacy monthly tallies (``LegacyTally``, the years before the platform)
to what the platform itself holds (remote matters, commercial services).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from shequ.agency.models import (
    AgencyItem,
    AgencyStatus,
    Authorization,
    AuthStatus,
    CommercialService,
    CountyTravelCost,
    LegacyTally,
    RemoteMatter,
    VillagePoint,
)
from shequ.orgs.access import AnyUser
from shequ.orgs.models import OrgUnit
from shequ.services.models import FINAL_CASE_STATUSES, CaseStatus

DONE = (CaseStatus.COMPLETED, CaseStatus.CLOSED)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class VillageFigures:
    unit: OrgUnit
    first: dt.date
    last: dt.date
    points: int
    points_with_fibre: int
    matters_accepted: int
    matters_completed: int
    commercial_services: int
    commercial_amount_yuan: Decimal
    trips_saved: int
    money_saved_yuan: Decimal

    @property
    def completion_rate(self) -> Decimal | None:
        """Completed over accepted, in percent; ``None`` when nothing was accepted."""
        if not self.matters_accepted:
            return None
        rate = Decimal(self.matters_completed * 100) / Decimal(self.matters_accepted)
        return rate.quantize(Decimal("0.1"))

    @property
    def money_saved_wan(self) -> Decimal:
        """In 万元 (10,000 yuan), as the county reports it."""
        return (self.money_saved_yuan / Decimal(10000)).quantize(Decimal("0.01"))


def trip_cost(point: VillagePoint, default: CountyTravelCost | None) -> Decimal:
    """One trip saved: the fare plus a day's lost work, the point's own or the county's."""
    fare = (
        point.fare_yuan if point.fare_yuan is not None else (default.fare_yuan if default else ZERO)
    )
    work = (
        point.lost_work_yuan
        if point.lost_work_yuan is not None
        else (default.lost_work_yuan if default else ZERO)
    )
    return fare + work


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def village_figures(unit: OrgUnit, first: dt.date, last: dt.date) -> VillageFigures:
    """Figures for the points in ``unit``'s subtree (a county, a township …) over the days
    ``first`` to ``last``. Points count if they were open by ``last``. A few grouped
    queries, whatever the number of rows."""
    points = list(
        VillagePoint.objects.filter(
            unit__path__startswith=unit.path, active=True, opened_on__lte=last
        )
    )
    county = unit if unit.kind == "county" else unit.ancestors().filter(kind="county").first()
    default = CountyTravelCost.objects.filter(unit=county).first() if county else None
    cost = {p.pk: trip_cost(p, default) for p in points}
    ids = list(cost)
    legacy = LegacyTally.objects.filter(
        point_id__in=ids, month__gte=first.replace(day=1), month__lte=last
    ).aggregate(
        accepted=Sum("approvals_accepted"),
        completed=Sum("approvals_completed"),
        commerce=Sum("commercial_services"),
        trips=Sum("trips_saved"),
        money=Sum("money_saved_yuan"),
    )
    start, end = _bounds(first, last)
    matters = (
        RemoteMatter.objects.filter(
            point_id__in=ids, case__received_at__gte=start, case__received_at__lt=end
        )
        .values("point_id")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(case__status__in=DONE)),
            trips=Sum("case__item__visits_needed"),
        )
    )
    commerce = (
        CommercialService.objects.filter(point_id__in=ids, at__gte=start, at__lt=end)
        .values("point_id")
        .annotate(n=Count("pk"), amount=Sum("amount_yuan"))
    )
    accepted = legacy["accepted"] or 0
    completed = legacy["completed"] or 0
    services = legacy["commerce"] or 0
    trips = legacy["trips"] or 0
    money = legacy["money"] or ZERO
    amount = ZERO
    for row in matters:
        accepted += row["n"]
        completed += row["done"]
        trips += row["trips"] or 0
        money += (row["trips"] or 0) * cost[row["point_id"]]
    for crow in commerce:
        services += crow["n"]
        amount += crow["amount"] or ZERO
        trips += crow["n"]
        money += crow["n"] * cost[crow["point_id"]]
    return VillageFigures(
        unit=unit,
        first=first,
        last=last,
        points=len(points),
        points_with_fibre=sum(1 for p in points if p.has_fibre),
        matters_accepted=accepted,
        matters_completed=completed,
        commercial_services=services,
        commercial_amount_yuan=amount,
        trips_saved=trips,
        money_saved_yuan=money,
    )


def activity_by_unit_month(
    within: OrgUnit, first: dt.date, last: dt.date
) -> dict[tuple[int, int], dict[str, int]]:
    """For insights' rollup: per (point's unit id, month number), approval matters
    accepted and completed and commercial services, legacy tallies included, between
    ``first`` and ``last`` (one year at most) in the subtree."""
    from django.db.models.functions import ExtractMonth

    out: dict[tuple[int, int], dict[str, int]] = {}

    def add(unit_id: int, month: int, **counts: int) -> None:
        row = out.setdefault((unit_id, month), {"accepted": 0, "completed": 0, "commerce": 0})
        for key, n in counts.items():
            row[key] += n or 0

    for r in (
        LegacyTally.objects.filter(
            point__unit__path__startswith=within.path,
            month__gte=first.replace(day=1),
            month__lte=last,
        )
        .annotate(m=ExtractMonth("month"))
        .values("point__unit_id", "m")
        .annotate(
            a=Sum("approvals_accepted"), c=Sum("approvals_completed"), s=Sum("commercial_services")
        )
        .order_by()
    ):
        add(r["point__unit_id"], r["m"], accepted=r["a"], completed=r["c"], commerce=r["s"])
    start, end = _bounds(first, last)
    for r2 in (
        RemoteMatter.objects.filter(
            point__unit__path__startswith=within.path,
            case__received_at__gte=start,
            case__received_at__lt=end,
        )
        .annotate(m=ExtractMonth("case__received_at"))
        .values("point__unit_id", "m")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(case__status__in=DONE)))
        .order_by()
    ):
        add(r2["point__unit_id"], r2["m"], accepted=r2["n"], completed=r2["done"])
    for r3 in (
        CommercialService.objects.filter(
            point__unit__path__startswith=within.path, at__gte=start, at__lt=end
        )
        .annotate(m=ExtractMonth("at"))
        .values("point__unit_id", "m")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        add(r3["point__unit_id"], r3["m"], commerce=r3["n"])
    return out


# --- the agent's workbench ---------------------------------------------------------------

# An authorisation whose end falls within this many days is shown as expiring.
EXPIRING_DAYS = 30


def expiring(authorizations: QuerySet[Authorization], today: dt.date) -> QuerySet[Authorization]:
    """Active authorisations that end within ``EXPIRING_DAYS`` of ``today`` (not yet ended)."""
    return authorizations.filter(
        status=AuthStatus.ACTIVE,
        valid_until__gte=today,
        valid_until__lte=today + dt.timedelta(days=EXPIRING_DAYS),
    )


def agent_workload(user: AnyUser, unit: OrgUnit) -> dict[str, int]:
    """For an agent's post on ``unit``: their open agency cases, what the items of those
    cases wait on (the resident's correction, the unit above, the community, the agent
    returning the result), and the authorisations of ``unit`` about to expire. Three
    aggregate queries, whatever the caseload."""
    from shequ.agency.access import agency_cases_for_user, authorizations_for_user

    mine = agency_cases_for_user(user).filter(
        agent_id=user.pk, status=AgencyStatus.OPEN, unit__path__startswith=unit.path
    )
    found: dict[str, int] = {"cases": mine.count()}
    status = "case__status"
    found.update(
        AgencyItem.objects.filter(agency_case__in=mine.values("pk")).aggregate(
            correction=Count("pk", filter=Q(**{status: CaseStatus.RETURNED})),
            sent_up=Count("pk", filter=Q(**{status: CaseStatus.SENT_UP})),
            returning=Count("pk", filter=Q(**{f"{status}__in": FINAL_CASE_STATUSES})),
            community=Count(
                "pk",
                filter=~Q(
                    **{
                        f"{status}__in": [
                            CaseStatus.RETURNED,
                            CaseStatus.SENT_UP,
                            *FINAL_CASE_STATUSES,
                        ]
                    }
                ),
            ),
        )
    )
    scoped = authorizations_for_user(user).filter(unit__path__startswith=unit.path)
    found["expiring"] = expiring(scoped, timezone.localdate()).count()
    return found
