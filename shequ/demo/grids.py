"""Grids (网格) for the demo: two to four in every urban and town community."""

from __future__ import annotations

from django.db import transaction

from shequ.orgs.models import CommunityType, OrgUnit, UnitKind
from shequ.orgs.treebuild import TreeBuilder


@transaction.atomic
def ensure_demo_grids() -> int:
    communities = OrgUnit.objects.filter(
        kind=UnitKind.COMMUNITY, community_type__in=[CommunityType.URBAN, CommunityType.TOWN]
    ).order_by("path")
    with_grids = set(OrgUnit.objects.filter(kind=UnitKind.GRID).values_list("path", flat=True))
    has_grid = {path[: -OrgUnit.steplen] for path in with_grids}
    builder = TreeBuilder()
    for community in communities:
        if community.path in has_grid:
            continue
        for n in range(1, 2 + int(community.code or "0") % 3 + 1):
            builder.add_child(community, name=f"第{n}网格", kind=UnitKind.GRID)
    return builder.save()
