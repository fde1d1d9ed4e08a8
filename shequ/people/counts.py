"""Household and adult counts per community: what meeting quorums are computed from.

Exact by construction: a household counts when at least one living resident belongs to
it; an adult is a living resident of the community who is 18 or older on the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from shequ.orgs.models import OrgUnit
from shequ.people.models import Household, Resident, ResidentStatus

ADULT_AGE = 18


def adult_cutoff(day: dt.date) -> dt.date:
    """People born on or before this day are adults on ``day``."""
    try:
        return day.replace(year=day.year - ADULT_AGE)
    except ValueError:  # 29 February: the birthday of a non-leap year is 28 February
        return day.replace(year=day.year - ADULT_AGE, day=28)


@dataclass(frozen=True)
class CommunityCounts:
    households: int
    adults: int
    residents: int


def community_counts(communities: Iterable[OrgUnit], on: dt.date) -> dict[int, CommunityCounts]:
    ids = [c.pk for c in communities]
    living = Resident.objects.filter(community_id__in=ids, status=ResidentStatus.LIVING)
    residents = dict(
        living.values("community_id").annotate(n=Count("pk")).values_list("community_id", "n")
    )
    adults = dict(
        living.filter(birth_date__lte=adult_cutoff(on))
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    households = dict(
        Household.objects.filter(
            community_id__in=ids, members__resident__status=ResidentStatus.LIVING
        )
        .values("community_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("community_id", "n")
    )
    return {
        pk: CommunityCounts(households.get(pk, 0), adults.get(pk, 0), residents.get(pk, 0))
        for pk in ids
    }
