"""The seed's staffing figures, reproduced by the demo staff and counted from posts."""

from __future__ import annotations

import pytest

from shequ.orgs import staffing

pytestmark = pytest.mark.django_db


def test_a_secretary_directing_another_community_is_not_dual_role(personas: object) -> None:
    from conftest import GUANPO, WUYANG_STREET, make_staff, unit
    from shequ.orgs.models import Role

    make_staff("one", (Role.PARTY_SECRETARY, unit(GUANPO)), (Role.DIRECTOR, unit(WUYANG_STREET)))
    make_staff("both", (Role.PARTY_SECRETARY, unit(GUANPO)), (Role.DIRECTOR, unit(GUANPO)))
    assert [u.username for u in staffing.dual_role_people()] == ["both"]
    assert {u.username for u in staffing.full_time_multi_post()} == {"one", "both"}
