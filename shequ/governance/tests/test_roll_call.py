"""Roll-call on the meeting page: tick the members present, the quorum follows; one
attendee who cannot sign in leaves the attendance as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from conftest import Personas
from shequ.governance import actions
from shequ.governance.models import Attendance
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.helpers import convene


def _reps_meeting(village: Village):
    for r in range(6, 12):
        actions.do_add_representative(
            None, unit=village.unit, resident=village.adults[r], term_from=dt.date(2021, 5, 1)
        )
    return convene(village.staff, village.unit, meeting_type="villagers_reps")


def test_ticking_the_members_present_signs_them_in_and_the_quorum_follows(
    village: Village, personas: Personas
) -> None:
    meeting = _reps_meeting(village)  # 6 representatives + 3 committee members = 9
    c = personas.client(village.staff)
    page = meeting.get_absolute_url()
    body = c.get(page).content.decode()
    assert 'id="roll-call-form"' in body and "未达到法定人数" in body
    assert village.adults[1].name not in body.split('id="roll-call-form"')[1].split("</form>")[0]
    present = [village.adults[r].pk for r in (0, 2, 6, 7, 8, 9)]  # 6 of 9: two thirds
    r = c.post(page, {"action": "roll_call", "roll-present": present})
    assert r.status_code == 302
    assert Attendance.objects.filter(meeting=meeting).count() == 6
    body = c.get(page).content.decode()
    assert "已达到法定人数" in body and "点名完成" in body


def test_one_refusal_signs_nobody_in(village: Village, personas: Personas) -> None:
    meeting = _reps_meeting(village)
    actions.do_sign_in(village.staff, meeting, village.adults[6])
    c = personas.client(village.staff)
    # 村民1-1 is no member, 村民3-0 signed in already: neither is offered, the post refused
    r = c.post(
        meeting.get_absolute_url(),
        {"action": "roll_call", "roll-present": [village.adults[7].pk, village.adults[3].pk]},
    )
    assert r.status_code == 400
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    # The action itself is all or none (a sign-in raced in between, say).
    with pytest.raises(ValidationError, match="已签到"):
        actions.do_roll_call(village.staff, meeting, [village.adults[7], village.adults[6]])
    assert Attendance.objects.filter(meeting=meeting).count() == 1


def test_nobody_ticked_is_an_error_on_the_form(village: Village, personas: Personas) -> None:
    meeting = _reps_meeting(village)
    r = personas.client(village.staff).post(meeting.get_absolute_url(), {"action": "roll_call"})
    assert r.status_code == 400 and not Attendance.objects.filter(meeting=meeting).exists()
