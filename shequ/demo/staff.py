"""Synthetic community staff that reproduce the seed's staffing figures.

The seed (2015): 72 civil servants serve as community party secretaries; 25 secretaries
are also committee directors (一肩挑); 452 full-time staff hold two or more posts;
1,166 part-time staff, of whom 465 are grid workers. The generator tops each figure up
to its target, so running it again adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from shequ.demo.accounts import DEMO_SINCE
from shequ.orgs import staffing
from shequ.orgs.models import CommunityType, Employment, OrgUnit, Post, Role, UnitKind, User

SEED_CIVIL_SERVANT_SECRETARIES = 72
SEED_DUAL_ROLE = 25
SEED_FULL_TIME_MULTI_POST = 452
SEED_PART_TIME = 1166
SEED_PART_TIME_GRID_WORKERS = 465

# Second posts of a full-time community worker ("一岗多责").
_PAIRS = [
    (Role.CLERK, Role.AGENT),
    (Role.CLERK, Role.MEDIATOR),
    (Role.AGENT, Role.MEDIATOR),
]
_PART_TIME_ROLES = [Role.VOLUNTEER, Role.MEDIATOR, Role.VOLUNTEER, Role.LEGAL_ADVISOR]


class _People:
    """Deterministic names and usernames for generated staff."""

    def __init__(self, start: int) -> None:
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(433 + start)
        self.n = start
        self.password = make_password(None)  # unusable: generated staff do not sign in

    def __iter__(self) -> Iterator[User]:
        return self

    def __next__(self) -> User:
        self.n += 1
        return User(
            username=f"staff{self.n:05d}", full_name=self.fake.name(), password=self.password
        )


@transaction.atomic
def ensure_demo_staff() -> int:
    """Top the seed's staffing figures up to their targets; returns posts created."""
    rng = random.Random(433)
    urban_town = list(
        OrgUnit.objects.filter(
            kind=UnitKind.COMMUNITY, community_type__in=[CommunityType.URBAN, CommunityType.TOWN]
        ).order_by("path")
    )
    grids = list(OrgUnit.objects.filter(kind=UnitKind.GRID).order_by("path"))
    existing = User.objects.filter(username__startswith="staff").count()
    people = _People(existing)
    posts: list[Post] = []
    users: list[User] = []

    def person(*roles_units: tuple[str, OrgUnit, str, bool]) -> None:
        user = next(people)
        users.append(user)
        for role, unit, employment, civil_servant in roles_units:
            posts.append(
                Post(
                    user=user,
                    unit=unit,
                    role=role,
                    employment=employment,
                    civil_servant=civil_servant,
                    started_on=DEMO_SINCE,
                )
            )

    ft, pt = Employment.FULL_TIME, Employment.PART_TIME
    taken = set(
        Post.objects.active().filter(role=Role.PARTY_SECRETARY).values_list("unit_id", flat=True)
    )
    free = [c for c in urban_town if c.pk not in taken]
    rng.shuffle(free)

    # Dual-role secretaries first, then civil-servant secretaries, in communities without one.
    need_dual = SEED_DUAL_ROLE - staffing.dual_role_people().count()
    for community in free[: max(need_dual, 0)]:
        person((Role.PARTY_SECRETARY, community, ft, False), (Role.DIRECTOR, community, ft, False))
    free = free[max(need_dual, 0) :]
    need_cs = SEED_CIVIL_SERVANT_SECRETARIES - staffing.civil_servant_secretaries()
    for community in free[: max(need_cs, 0)]:
        person((Role.PARTY_SECRETARY, community, ft, True))
    free = free[max(need_cs, 0) :]
    for community in free:  # every other urban/town community gets a secretary too
        person((Role.PARTY_SECRETARY, community, ft, False))

    need_multi = (
        SEED_FULL_TIME_MULTI_POST - staffing.full_time_multi_post().count() - max(need_dual, 0)
    )
    for i in range(max(need_multi, 0)):
        community = urban_town[i % len(urban_town)]
        first, second = _PAIRS[i % len(_PAIRS)]
        person((first, community, ft, False), (second, community, ft, False))

    need_grid = SEED_PART_TIME_GRID_WORKERS - staffing.part_time_grid_workers().count()
    for i in range(max(need_grid, 0)):
        person((Role.GRID_WORKER, grids[i % len(grids)], pt, False))
    need_pt = SEED_PART_TIME - staffing.part_time_staff().count() - max(need_grid, 0)
    for i in range(max(need_pt, 0)):
        community = urban_town[rng.randrange(len(urban_town))]
        person((_PART_TIME_ROLES[i % len(_PART_TIME_ROLES)], community, pt, False))

    User.objects.bulk_create(users, batch_size=500)
    by_name = dict(
        User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk")
    )
    for post in posts:
        post.user_id = by_name[post.user.username]
    Post.objects.bulk_create(posts, batch_size=500)
    return len(posts)
