"""What other apps read: a resolution's label and URL, the authorising resolution, the
meetings per month, the portal's notices."""

from __future__ import annotations

import datetime as dt

from shequ.governance import actions, figures
from shequ.governance.models import Matter
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.helpers import convene


def test_resolution_refs_for_building_and_mediation(village: Village) -> None:
    meeting = convene(village.staff, village.unit, matters=(Matter.ART24_WELFARE, Matter.MEDIATION))
    for person in village.adults[:12]:
        actions.do_sign_in(village.staff, meeting, person)
    welfare, mediation = meeting.agenda.order_by("number")
    r1 = actions.do_decide_resolution(village.staff, welfare, text="修路", votes_for=12)
    r2 = actions.do_decide_resolution(village.staff, mediation, text="推选", votes_for=12)
    actions.do_close_meeting(village.staff, meeting, minutes="", chair="甲", recorder="乙")
    ref = figures.resolution_ref(r1.pk)
    assert ref is not None and ref.passed and ref.url == r1.get_absolute_url()
    assert "村民会议" in ref.label
    assert figures.authorising_resolution(r1.pk, village.unit) == ref
    assert figures.authorising_resolution(r2.pk, village.unit) is None  # not a project matter
    assert figures.authorising_resolution(r2.pk, village.unit, figures.MEDIATION_MATTERS)
    assert [r.id for r in figures.resolutions_for(village.unit)] == [r1.pk]
    months = figures.meetings_by_month([village.unit], 2025)
    assert months[(village.unit.pk, 6)] == {"held": 1, "quorate": 1}


def test_portal_notices(village: Village) -> None:
    convene(village.staff, village.unit, held_on=dt.date(2025, 6, 20), open_=False)
    notices = figures.upcoming_notices(village.unit, dt.date(2025, 6, 15))
    assert len(notices) == 1 and notices[0].agenda == ["议题1"]
    assert figures.upcoming_notices(village.unit, dt.date(2025, 6, 21)) == []
