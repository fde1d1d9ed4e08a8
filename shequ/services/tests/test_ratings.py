"""Ratings (好差评): one per case, a bad one opens a rectification due in working days,
an upheld appeal drops the rating from the figures and stays on record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas, ReceiveCase
from shequ.services.models import Rating, Rectification, RectificationStatus
from shequ.services.ratings import (
    do_fix_rectification,
    do_follow_up_rectification,
    do_rate_case,
    do_reply_rectification,
    do_verify_rectification,
    escalate_overdue_rectifications,
)

TZ = dt.timezone(dt.timedelta(hours=8))


def completed(receive: ReceiveCase, personas: Personas) -> Any:
    from shequ.services.actions import do_complete_case

    return do_complete_case(personas.clerk, receive("LD-001"), result="已办理")


def test_it_refuses_a_second_rating_for_the_same_case(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = completed(receive, personas)
    do_rate_case(None, case, channel="pad", grade=5, criteria={"attitude": 5})
    with pytest.raises(ValidationError) as exc:
        do_rate_case(None, case, channel="link", grade=1)
    assert "只能评价一次" in str(exc.value)
    assert Rating.objects.filter(case=case).count() == 1
    # a retry of the first submission with its token returns the first rating
    other = completed(receive, personas)
    first = do_rate_case(None, other, channel="pad", grade=4, client_token="t-1")
    assert do_rate_case(None, other, channel="pad", grade=4, client_token="t-1") == first


def test_it_refuses_an_open_case_and_foreign_criteria(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = receive("LD-001")
    with pytest.raises(ValidationError):
        do_rate_case(None, case, channel="pad", grade=5)
    case = completed(receive, personas)
    with pytest.raises(ValidationError):
        do_rate_case(None, case, channel="pad", grade=5, criteria={"usability": 5})
    with pytest.raises(PermissionDenied):
        do_rate_case(None, case, channel="phone", grade=5)
    with pytest.raises(PermissionDenied):
        do_rate_case(personas.lichuan_clerk, case, channel="phone", grade=5)


def test_a_bad_rating_opens_a_rectification_due_in_five_working_days(
    receive: ReceiveCase, personas: Personas
) -> None:
    # Thursday 2026-09-24: the five working days skip the Mid-Autumn Festival (09-25),
    # the weekend and the National Day holiday (10-01..07): 09-28, 29, 30, 10-08, 09.
    with time_machine.travel(dt.datetime(2026, 9, 24, 10, 0, tzinfo=TZ), tick=False):
        case = completed(receive, personas)
        rating = do_rate_case(None, case, channel="pad", grade=2, comment="等了很久")
    rect = Rectification.objects.get(rating=rating)
    assert rect.unit == case.handling_unit
    assert rect.status == RectificationStatus.OPEN
    due = rect.due_at.astimezone(TZ)
    from shequ.orgs import calendar

    expected = calendar.due_at(dt.datetime(2026, 9, 24, 10, 0, tzinfo=TZ), 5)
    assert due == expected
    assert due.date() == dt.date(2026, 10, 9)
    assert due.time() == dt.time(23, 59, 59)
    # a good rating opens nothing
    good = do_rate_case(None, completed(receive, personas), channel="pad", grade=3)
    assert not Rectification.objects.filter(rating=good).exists()


def test_the_rectification_runs_to_the_return_visit_and_escalates_when_late(
    receive: ReceiveCase, personas: Personas
) -> None:
    rating = do_rate_case(None, completed(receive, personas), channel="pad", grade=1)
    rect = rating.rectification
    assert Rectification.objects.overdue().count() == 0
    later = rect.due_at + dt.timedelta(minutes=1)
    assert list(Rectification.objects.overdue(later)) == [rect]
    assert escalate_overdue_rectifications(later) == 1
    assert escalate_overdue_rectifications(later) == 0  # once per deadline
    with pytest.raises(ValidationError):
        do_fix_rectification(personas.clerk, rect, note="跳过核实")
    with pytest.raises(PermissionDenied):
        do_verify_rectification(personas.lichuan_clerk, rect, note="x")
    do_verify_rectification(personas.clerk, rect, note="核实属实")
    do_fix_rectification(personas.clerk, rect, note="增设取号引导")
    do_reply_rectification(personas.clerk, rect, note="已电话答复")
    with pytest.raises(ValidationError):
        do_follow_up_rectification(personas.clerk, rect, note="回访", second_grade=5)
    do_follow_up_rectification(personas.clerk, rect, note="回访满意", second_grade=4)
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.DONE and rect.second_grade == 4
    assert Rectification.objects.overdue(later).count() == 0


def test_the_completion_message_carries_a_link_to_rate_online(
    receive: ReceiveCase, personas: Personas, settings: Any
) -> None:
    from django.test import Client

    from shequ.notify.models import Message

    settings.SHEQU_PUBLIC_URL = "https://shequ.example.cn"
    case = completed(receive, personas)
    message = Message.objects.get(kind="case.rate_invite")
    link = message.payload["link"]
    assert link.startswith("https://shequ.example.cn/services/rate/")
    path = link.removeprefix("https://shequ.example.cn")
    anon = Client()
    page = anon.get(path)
    assert page.status_code == 200 and "平台易用性" in page.text  # the online criteria
    response = anon.post(path, {"grade": 4, "c_usability": 5, "client_token": "x1"})
    assert "谢谢您的评价" in response.text
    rating = Rating.objects.get(case=case)
    assert rating.channel == "link" and rating.criteria == {"usability": 5, "overall": 4}
    assert "已评价" in anon.get(path).text
    assert anon.get(path[:-3] + "xyz/").status_code == 404


def test_no_link_is_sent_without_a_public_url(receive: ReceiveCase, personas: Personas) -> None:
    from shequ.notify.models import Message

    completed(receive, personas)
    assert not Message.objects.filter(kind="case.rate_invite").exists()


def test_the_phone_rating_page_opens_from_the_case_page(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = completed(receive, personas)
    client = personas.client(personas.clerk)
    assert (
        f"/services/cases/{case.pk}/rate/"
        in client.get(f"/services/cases/{case.pk}/").content.decode()
    )
    assert client.get(f"/services/cases/{case.pk}/rate/").status_code == 200
