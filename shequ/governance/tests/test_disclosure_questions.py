"""A resident questions a disclosure on the portal; the committee answers within the
community's answer days (10 by default); a question unanswered past them is overdue and
the township sees it, and may record a complaint (第三十一条) and close it."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from conftest import Personas, make_staff
from shequ.governance import disclosure_actions as da
from shequ.governance.models import ComplaintStatus, DisclosureComplaint
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.disclosure_helpers import (
    at,
    finance_due,
    on_calendar,
    publish,
    supervision,
)
from shequ.orgs.models import Role, User

ASKED = dt.date(2025, 4, 22)


def _officer(village: Village) -> User:
    township = village.unit.parent_unit()
    assert township is not None
    found = User.objects.filter(username="q_township").first()
    return found or make_staff("q_township", (Role.TOWNSHIP_OFFICER, township))


def _township_page(personas: Personas, village: Village, day: dt.date) -> str:
    township = village.unit.parent_unit()
    assert township is not None
    c = personas.client(_officer(village))
    url = reverse("governance:disclosure_township")
    return c.get(url, {"unit": township.pk, "year": 2025, "at": day.isoformat()}).content.decode()


def test_an_unanswered_question_is_overdue_to_the_township_after_ten_days(
    village: Village, personas: Personas
) -> None:
    on_calendar(village)
    d = publish(finance_due(village, "2025Q1"), supervision(village), dt.date(2025, 4, 18))
    q = da.do_ask_question(
        None, d, asker="村民甲", text="支出8000元用在哪里?", asker_ref="portal:1", at=at(ASKED)
    )
    assert q.answer_due_on == ASKED + dt.timedelta(days=10)
    with time_machine.travel(at(ASKED + dt.timedelta(days=10), 12), tick=False):
        page = _township_page(personas, village, ASKED + dt.timedelta(days=10))
    assert "支出8000元用在哪里" not in page.split('id="overdue-questions"')[1].split("</ul>")[0]
    day11 = ASKED + dt.timedelta(days=11)
    page = _township_page(personas, village, day11)
    overdue = page.split('id="overdue-questions"')[1].split("</ul>")[0]
    assert "支出8000元用在哪里" in overdue and village.unit.name in overdue
    # The township records the complaint (第三十一条) and closes it.
    township = village.unit.parent_unit()
    assert township is not None
    c = personas.client(_officer(village))
    r = c.post(
        reverse("governance:disclosure_complaint_new", args=[village.unit.pk]),
        {"question": q.pk, "complainant": "村民甲", "text": "质询十天未答复", "received_on": day11},
    )
    assert r.status_code == 302
    complaint = DisclosureComplaint.objects.get()
    assert complaint.township == township and complaint.question == q
    # The community's own staff cannot record a complaint against itself.
    staff = personas.client(village.staff)
    staff.post(
        reverse("governance:disclosure_complaint_new", args=[village.unit.pk]),
        {"complainant": "x", "text": "y", "received_on": day11},
    )
    assert DisclosureComplaint.objects.count() == 1
    c.post(
        reverse("governance:disclosure_complaint_close", args=[complaint.pk]),
        {"outcome": "已责令答复并公开明细", "closed_on": day11},
    )
    assert DisclosureComplaint.objects.get().status == ComplaintStatus.CLOSED


def test_an_answer_in_time_is_not_overdue_and_the_resident_sees_it(
    village: Village, personas: Personas
) -> None:
    on_calendar(village)
    d = publish(finance_due(village, "2025Q1"), supervision(village), dt.date(2025, 4, 18))
    q = da.do_ask_question(None, d, asker="村民乙", text="收入来源?", at=at(ASKED))
    da.do_answer_question(village.staff, q, "集体林地租金。", at=at(ASKED + dt.timedelta(days=3)))
    page = _township_page(personas, village, ASKED + dt.timedelta(days=30))
    assert "收入来源" not in page.split('id="overdue-questions"')[1].split("</ul>")[0]
    assert "1/1" in page.split('id="rates"')[1]  # questions answered on time / asked
    portal = personas.client(village.staff).get(
        reverse("portal:disclosure", args=[village.unit.pk, d.pk])
    )
    assert "集体林地租金" in portal.content.decode()
