"""Counts shown at every level of the tree browser, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Substr

from shequ.orgs.models import CommunityType, OrgUnit, Post, UnitKind


@dataclass
class UnitCounts:
    townships: int = 0
    urban: int = 0
    town: int = 0
    rural: int = 0
    villages: int = 0
    grids: int = 0
    staff: int = 0

    @property
    def communities(self) -> int:
        return self.urban + self.town + self.rural


def _add(counts: UnitCounts, kind: str, community_type: str, n: int) -> None:
    if kind == UnitKind.TOWNSHIP:
        counts.townships += n
    elif kind == UnitKind.COMMUNITY:
        if community_type == CommunityType.URBAN:
            counts.urban += n
        elif community_type == CommunityType.TOWN:
            counts.town += n
        else:
            counts.rural += n
    elif kind == UnitKind.VILLAGE:
        counts.villages += n
    elif kind == UnitKind.GRID:
        counts.grids += n


def counts_below(
    unit: OrgUnit, children: list[OrgUnit]
) -> tuple[UnitCounts, dict[int, UnitCounts]]:
    """Counts inside ``unit`` as a whole and inside each of its ``children``.

    Active units and active posts only; staff are distinct people.
    """
    width = len(unit.path) + OrgUnit.steplen
    per_child: dict[str, UnitCounts] = defaultdict(UnitCounts)
    total = UnitCounts()
    rows = (
        OrgUnit.objects.active()
        .filter(path__startswith=unit.path, depth__gt=unit.depth)
        .annotate(prefix=Substr("path", 1, width))
        .values_list("prefix", "kind", "community_type", "depth")
        .annotate(n=Count("id"))
        .order_by()
    )
    for prefix, kind, community_type, depth, n in rows:
        _add(total, kind, community_type, n)
        if depth > unit.depth + 1:
            _add(per_child[prefix], kind, community_type, n)
    posts = Post.objects.active().filter(unit__path__startswith=unit.path)
    total.staff = posts.values("user_id").distinct().count()
    staff_rows = (
        posts.annotate(prefix=Substr("unit__path", 1, width))
        .exclude(unit_id=unit.pk)
        .values_list("prefix")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    for prefix, n in staff_rows:
        per_child[prefix].staff = n
    return total, {child.pk: per_child[child.path] for child in children}
