"""Who sees which disputes: out of scope is a 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from conftest import Personas, make_staff
from shequ.mediation import access, actions
from shequ.mediation.tests.conftest import MakeDispute
from shequ.orgs.models import OrgUnit, Role, UnitKind

pytestmark = pytest.mark.django_db


def test_scope(personas: Personas, make_dispute: MakeDispute) -> None:
    d = make_dispute()
    for who in (
        personas.mediator,
        personas.director,
        personas.township,
        personas.county,
        personas.grid_worker,
    ):
        assert access.get_dispute_for_user(who, d.pk) == d
    for who in (personas.lichuan_clerk, personas.outsider, personas.clerk, personas.agent):
        with pytest.raises(Http404):
            access.get_dispute_for_user(who, d.pk)
    for junk in ("x", -1, 2**70):
        with pytest.raises(Http404):
            access.get_dispute_for_user(personas.mediator, junk)


def test_a_grid_worker_sees_only_what_they_reported(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    theirs = make_dispute()
    other = make_dispute(actor=personas.mediator)
    seen = set(access.disputes_for_user(personas.grid_worker).values_list("pk", flat=True))
    assert seen == {theirs.pk} and other.pk not in seen


def test_a_legal_advisor_sees_the_disputes_of_their_village(
    personas: Personas, make_dispute: MakeDispute
) -> None:
    village = OrgUnit.objects.filter(kind=UnitKind.VILLAGE).order_by("path").first()
    assert village is not None
    advisor = make_staff("v_advisor", (Role.LEGAL_ADVISOR, village))
    d = make_dispute()
    with pytest.raises(Http404):
        access.get_dispute_for_user(advisor, d.pk)
    assignment = actions.do_assign_advisor(
        None,
        unit=personas.guanpo,
        name="陈律师",
        firm="湖北施南律师事务所",
        started_on=d.received_at.date(),
        user=advisor,
    )
    actions.do_accept_dispute(personas.mediator, d)
    type(d).objects.filter(pk=d.pk).update(advisor=assignment)
    assert access.get_dispute_for_user(advisor, d.pk) == d
