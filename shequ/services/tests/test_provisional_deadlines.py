"""A due date computed past the known calendar is flagged on the case; once the next
year's notice is loaded, the worker recomputes it across the new year's holidays."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from conftest import Personas, ReceiveCase
from shequ.orgs import calendar
from shequ.orgs.models import User
from shequ.orgs.tests.test_calendar_notice import NOTICE_2027
from shequ.services.actions import do_accept_case, refresh_provisional_deadlines
from shequ.services.models import Case, CaseEvent

TZ = dt.timezone(dt.timedelta(hours=8))


def test_a_2027_due_date_waits_for_the_notice_then_crosses_the_spring_festival(
    receive: ReceiveCase, personas: Personas
) -> None:
    with time_machine.travel(dt.datetime(2027, 1, 25, 10, tzinfo=TZ), tick=False) as clock:
        # 最低生活保障申请: promised 20, legal 30 working days
        case = do_accept_case(personas.clerk, receive("MZ-001"))
        assert case.deadline_provisional
        # only weekends known: 20 working days after Monday 25 January is Monday 22 February
        assert case.due_at is not None and case.due_at.astimezone(TZ).date() == dt.date(2027, 2, 22)
        page = personas.client(personas.clerk).get(reverse("services:case", args=[case.pk]))
        assert 'id="deadline-provisional"' in page.text
        assert refresh_provisional_deadlines() == 0  # the calendar still ends in 2026

        admin = User.objects.create_superuser("root", password="correct-horse-battery")
        clock.shift(dt.timedelta(minutes=30))  # the admin imports the notice later that day
        calendar.do_import_calendar_year(
            admin,
            year=2027,
            days=calendar.parse_notice(2027, NOTICE_2027),
            reference="国办发明电〔2026〕X号",
        )
        assert refresh_provisional_deadlines() == 1
        assert refresh_provisional_deadlines() == 0

    case = Case.objects.get(pk=case.pk)
    assert not case.deadline_provisional
    # 5–13 February off, Sunday 14 and Saturday 20 February worked: Friday 26 February
    assert case.due_at is not None and case.due_at.astimezone(TZ).date() == dt.date(2027, 2, 26)
    assert case.reply_due_at == case.due_at
    entry = CaseEvent.objects.get(case=case, verb="deadline_recomputed")
    assert entry.data["calendar_until"] == "2027-12-31"


def test_finished_cases_are_recomputed_and_paused_ones_left_to_resume(
    receive: ReceiveCase, personas: Personas
) -> None:
    from shequ.services.actions import do_complete_case, do_return_case_for_correction

    with time_machine.travel(dt.datetime(2027, 1, 25, 10, tzinfo=TZ), tick=False) as clock:
        done = do_complete_case(
            personas.clerk, do_accept_case(personas.clerk, receive("MZ-001")), result="已办结"
        )
        paused = do_return_case_for_correction(
            personas.clerk, do_accept_case(personas.clerk, receive("MZ-001")), missing=["户口簿"]
        )
        assert done.deadline_provisional and paused.deadline_provisional
        clock.shift(dt.timedelta(days=1))
        assert refresh_provisional_deadlines() == 0  # nothing loaded since: no daily churn
        admin = User.objects.create_superuser("root", password="correct-horse-battery")
        calendar.do_import_calendar_year(
            admin, year=2027, days=calendar.parse_notice(2027, NOTICE_2027), reference="通知"
        )
        clock.shift(dt.timedelta(minutes=1))
        assert refresh_provisional_deadlines() == 1  # the finished one; the paused one waits
    done.refresh_from_db()
    paused.refresh_from_db()
    assert not done.deadline_provisional
    assert done.due_at is not None and done.due_at.astimezone(TZ).date() == dt.date(2027, 2, 26)
    assert paused.deadline_provisional  # resuming recomputes it


def test_extend_is_not_offered_while_a_request_waits(
    receive: ReceiveCase, personas: Personas
) -> None:
    from shequ.services import lifecycle
    from shequ.services.actions import do_request_case_extension

    case = do_accept_case(personas.clerk, receive("MZ-001"))
    assert "extend" in lifecycle.allowed_steps(case, personas.clerk)
    do_request_case_extension(personas.clerk, case, days=3, reason="入户调查需时")
    assert "extend" not in lifecycle.allowed_steps(case, personas.clerk)
    listed = personas.client(personas.clerk).get("/api/v1/services/cases/").json()["items"]
    assert "extend" not in next(c for c in listed if c["id"] == case.pk)["steps"]
