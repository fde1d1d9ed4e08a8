"""The clerk's pages: register, the queue with its countdown, steps, printable notices."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from conftest import WUYANGBA, Personas, ReceiveCase, unit
from shequ.orgs import calendar
from shequ.orgs.crypto import cipher
from shequ.people.models import Resident
from shequ.services.actions import (
    do_accept_case,
    do_return_case_for_correction,
    do_send_up_case,
)
from shequ.services.models import Case, CaseStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 10, 9, 14, 45, tzinfo=SHANGHAI)


def test_a_clerk_registers_a_case_once_even_if_submitted_twice(
    personas: Personas, catalogue: int, resident: Resident
) -> None:
    client = personas.client(personas.clerk)
    page = client.get(reverse("services:case_new"))
    assert page.status_code == 200
    token = page.context["form"].initial["client_token"]
    data = {
        "unit": page.context["form"].initial["unit"].pk,
        "item": "MZ-001",
        "channel": "window",
        "applicant_kind": "resident",
        "resident_id_number": "",
        "client_token": token,
    }
    response = client.post(reverse("services:case_new"), data)
    assert response.status_code == 200
    assert "请填写申请人的身份证号" in response.text
    assert not Case.objects.exists()
    data["resident_id_number"] = cipher().decrypt(resident.id_number_enc)
    first = client.post(reverse("services:case_new"), data)
    second = client.post(reverse("services:case_new"), data)
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == case.get_absolute_url()


def test_the_queue_shows_the_live_countdown(receive: ReceiveCase, personas: Personas) -> None:
    with time_machine.travel(NOW, tick=False):
        case = receive("LD-002")
        response = personas.client(personas.clerk).get(reverse("services:cases"))
    assert response.status_code == 200
    assert str(case.number) in response.text
    assert 'data-deadline="2025-10-09T15:00:00+08:00"' in response.text
    assert "services/countdown.js" in response.text
    assert (
        personas.client(personas.lichuan_clerk)
        .get(reverse("services:cases"))
        .context["page"]
        .paginator.count
        == 0
    )


def test_steps_from_the_case_page(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001")
    client = personas.client(personas.clerk)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    assert 'id="step-accept"' in page.text
    response = client.post(reverse("services:case_step", args=[case.pk, "refuse"]), {})
    assert response.status_code == 400
    assert "请填写不予受理的理由" in response.text
    response = client.post(reverse("services:case_step", args=[case.pk, "accept"]), {})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    # A second clerk's stale form loses with a message, not a 500.
    response = client.post(reverse("services:case_step", args=[case.pk, "accept"]), {})
    assert response.status_code == 400
    assert "已受理" in response.text


def test_out_of_scope_is_404(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001")
    client = personas.client(personas.lichuan_clerk)
    assert client.get(case.get_absolute_url()).status_code == 404
    response = client.post(reverse("services:case_step", args=[case.pk, "accept"]), {})
    assert response.status_code == 404
    assert client.get(reverse("services:case_notice", args=[case.pk, "receipt"])).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_printable_notices(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001")
    do_return_case_for_correction(personas.clerk, case, missing=["户口簿", "家庭财产申报表"])
    client = personas.client(personas.clerk)
    notice = client.get(reverse("services:case_notice", args=[case.pk, "returned"]))
    assert notice.status_code == 200
    assert "补正材料一次性告知书" in notice.text
    assert "<li>户口簿</li>" in notice.text
    assert "<li>家庭财产申报表</li>" in notice.text
    assert client.get(reverse("services:case_notice", args=[case.pk, "refused"])).status_code == 404
    do_accept_case(personas.clerk, case)
    accepted = client.get(reverse("services:case_notice", args=[case.pk, "accepted"]))
    assert "受理回执" in accepted.text
    assert "承诺于" in accepted.text


def test_an_extension_is_asked_for_and_approved_on_the_case_page(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = receive("MZ-001")
    do_accept_case(personas.clerk, case)
    clerk = personas.client(personas.clerk)
    response = clerk.post(
        reverse("services:case_step", args=[case.pk, "extend"]), {"days": "5", "reason": "需复核"}
    )
    assert response.status_code == 302
    extension = case.extensions.get()
    page = personas.client(personas.director).get(case.get_absolute_url())
    assert 'name="decision" value="approve"' in page.text
    url = reverse("services:case_extension_decide", args=[case.pk, extension.pk])
    clerk.post(url, {"decision": "approve"})  # a clerk cannot approve
    extension.refresh_from_db()
    assert extension.status == "pending"
    assert (
        personas.client(personas.lichuan_clerk).post(url, {"decision": "approve"}).status_code
        == 404
    )
    personas.client(personas.director).post(url, {"decision": "approve"})
    extension.refresh_from_db()
    assert extension.status == "approved"


def test_the_township_queue_holds_what_was_sent_up(
    receive: ReceiveCase, personas: Personas
) -> None:
    sent = receive("MZ-002")
    do_accept_case(personas.clerk, sent)
    do_send_up_case(personas.clerk, sent, to_unit=unit(WUYANGBA))
    receive("MZ-001")  # still the community's
    client = personas.client(personas.township)
    mine = client.get(reverse("services:cases"), {"view": "mine"}).context["page"]
    assert [c.pk for c in mine] == [sent.pk]
    everything = client.get(reverse("services:cases"), {"view": "open"}).context["page"]
    assert everything.paginator.count == 2


def test_officers_not_clerks_are_warned_when_the_calendar_runs_out(
    receive: ReceiveCase, personas: Personas
) -> None:
    known = calendar.known_until()
    assert known is not None
    for days_before, warned in ((30, True), (200, False)):
        day = known - dt.timedelta(days=days_before)
        with time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)):
            officer = personas.client(personas.county).get(reverse("services:cases"))
            clerk = personas.client(personas.clerk).get(reverse("services:cases"))
        assert ('id="calendar-warning"' in officer.text) is warned
        assert 'id="calendar-warning"' not in clerk.text  # a clerk cannot fix it
