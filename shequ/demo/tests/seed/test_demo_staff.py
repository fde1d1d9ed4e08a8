"""The seed's staffing figures, reproduced by the demo staff and counted from posts."""

from __future__ import annotations

import pytest

from shequ.demo.accounts import ensure_demo_accounts
from shequ.demo.grids import ensure_demo_grids
from shequ.demo.staff import ensure_demo_staff
from shequ.orgs import staffing
from shequ.orgs.models import Post

pytestmark = pytest.mark.django_db


def test_the_demo_reproduces_the_seed_staffing_figures(seed_demo: dict[str, int]) -> None:
    assert seed_demo["staff"] > 0  # the package's demo (conftest.py) made the posts
    assert staffing.civil_servant_secretaries() == 72
    assert staffing.dual_role_people().count() == 25
    assert staffing.full_time_multi_post().count() == 452
    assert staffing.part_time_staff().count() == 1166
    assert staffing.part_time_grid_workers().count() == 465
    posts = Post.objects.count()
    assert ensure_demo_staff() == 0
    assert ensure_demo_grids() == 0
    assert ensure_demo_accounts() == 0
    assert Post.objects.count() == posts
