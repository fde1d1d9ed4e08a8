"""Staffing figures of the seed's "integration" link (抓整合), computed from posts.

Community-level posts are posts on a community, a village or a grid. Each function
counts distinct people with active posts, optionally inside one unit's subtree.
"""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from shequ.orgs.models import Employment, OrgUnit, Post, Role, UnitKind, User

COMMUNITY_LEVEL = (UnitKind.COMMUNITY, UnitKind.VILLAGE, UnitKind.GRID)


def community_posts(within: OrgUnit | None = None) -> QuerySet[Post]:
    posts = Post.objects.active().filter(unit__kind__in=COMMUNITY_LEVEL)
    if within is not None:
        posts = posts.filter(unit__path__startswith=within.path)
    return posts


def civil_servant_secretaries(within: OrgUnit | None = None) -> int:
    """Civil servants serving as community party secretaries (公务员任社区书记)."""
    posts = community_posts(within).filter(role=Role.PARTY_SECRETARY, civil_servant=True)
    return posts.values("user_id").distinct().count()


def dual_role_people(within: OrgUnit | None = None) -> QuerySet[User]:
    """Party secretaries who also direct the same community's committee (一肩挑)."""
    director = Post.objects.active().filter(
        user=OuterRef("user_id"), unit=OuterRef("unit_id"), role=Role.DIRECTOR
    )
    secretary_posts = community_posts(within).filter(role=Role.PARTY_SECRETARY)
    return User.objects.filter(pk__in=secretary_posts.filter(Exists(director)).values("user_id"))


def _people_by_posts(within: OrgUnit | None) -> QuerySet[User]:
    posts = community_posts(within)
    return User.objects.filter(pk__in=posts.values("user_id")).annotate(
        n_posts=Count("posts", filter=Q(posts__in=posts)),
        n_part_time=Count(
            "posts", filter=Q(posts__in=posts.filter(employment=Employment.PART_TIME))
        ),
    )


def full_time_multi_post(within: OrgUnit | None = None) -> QuerySet[User]:
    """Full-time community staff holding two or more posts (身兼两职及以上)."""
    return _people_by_posts(within).filter(n_posts__gte=2, n_part_time=0)  # type: ignore[misc]


def part_time_staff(within: OrgUnit | None = None) -> QuerySet[User]:
    """Community staff whose every community post is part-time (兼职工作人员)."""
    return _people_by_posts(within).filter(n_posts__gte=1, n_posts=F("n_part_time"))  # type: ignore[misc]


def part_time_grid_workers(within: OrgUnit | None = None) -> QuerySet[User]:
    grid_posts = community_posts(within).filter(role=Role.GRID_WORKER)
    return part_time_staff(within).filter(pk__in=grid_posts.values("user_id"))
