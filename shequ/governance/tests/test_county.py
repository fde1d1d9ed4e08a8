"""The county view: every community of the county with its governance status, for county
officers (and the prefecture's), not for a township or a community."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from conftest import ENSHI_CITY, Personas, unit
from shequ.governance import actions
from shequ.governance.models import CommitteeKind, Matter, MemberPost
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.helpers import convene
from shequ.orgs.models import OrgUnit, UnitKind


def test_it_lists_every_community_with_its_status(village: Village, personas: Personas) -> None:
    meeting = convene(village.staff, village.unit, matters=(Matter.SUPERVISION, Matter.CHARTER))
    for person in village.adults[:12]:
        actions.do_sign_in(village.staff, meeting, person)
    supervision, charter = meeting.agenda.order_by("number")
    elected = actions.do_decide_resolution(village.staff, supervision, text="推选", votes_for=12)
    adopted = actions.do_decide_resolution(village.staff, charter, text="通过", votes_for=12)
    actions.do_close_meeting(village.staff, meeting, minutes="", chair="甲", recorder="乙")
    actions.do_elect_committee(
        village.staff,
        unit=village.unit,
        kind=CommitteeKind.SUPERVISION,
        elected_on=dt.date(2025, 6, 21),
        members=[actions.Candidate(village.adults[8], MemberPost.DIRECTOR, True)],
        resolution=elected,
    )
    version = actions.do_draft_charter(
        village.staff, unit=village.unit, kind="charter", title="自治章程", text="第一条"
    )
    actions.do_open_comment(
        village.staff, version, comment_from=dt.date(2025, 5, 1), comment_to=dt.date(2025, 5, 15)
    )
    for r in range(6, 12):
        actions.do_add_representative(
            None, unit=village.unit, resident=village.adults[r], term_from=dt.date(2021, 5, 1)
        )
    reps = convene(village.staff, village.unit, meeting_type="villagers_reps", open_=False)
    actions.do_mark_discussed(village.staff, version, reps)
    actions.do_adopt_charter(village.staff, version, adopted)

    c = personas.client(personas.county)
    page = c.get(reverse("governance:county"), {"year": 2025})
    assert page.status_code == 200
    body = page.content.decode()
    county = unit(ENSHI_CITY)
    communities = OrgUnit.objects.filter(path__startswith=county.path, kind=UnitKind.COMMUNITY)
    assert body.count("<tr data-unit=") == communities.count() > 1  # every one, records or not
    row = body.split(f'<tr data-unit="{village.unit.pk}">')[1].split("</tr>")[0]
    assert "2025-06-20" in row  # the last 村民会议
    assert "v1" in row and "会议已表决通过" in row  # the charter in force
    assert "✓" in row.split('class="supervision"')[1] and "2030-06-20" in row
    other = communities.exclude(pk=village.unit.pk).first()
    assert other is not None
    assert "未设立" in body.split(f'<tr data-unit="{other.pk}">')[1].split("</tr>")[0]
    xlsx = c.get(reverse("governance:county"), {"year": "2025", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_township_or_community_has_no_county_view(personas: Personas) -> None:
    url = reverse("governance:county")
    assert personas.client(personas.township).get(url).status_code == 404
    assert personas.client(personas.director).get(url).status_code == 404
    prefecture = personas.client(personas.prefecture)
    lichuan = OrgUnit.objects.filter(kind=UnitKind.COUNTY).exclude(path=unit(ENSHI_CITY).path)[0]
    assert prefecture.get(url, {"unit": lichuan.pk}).status_code == 200
    assert personas.client(personas.county).get(url, {"unit": lichuan.pk}).status_code == 404
