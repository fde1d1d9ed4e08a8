"""A staff notice about a case opens the case from the inbox."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from conftest import Personas, ReceiveCase
from shequ.notify.delivery import deliver_outbox
from shequ.services.actions import mark_quarter_hour_breaches


def test_an_inbox_message_links_to_its_case(personas: Personas, receive: ReceiveCase) -> None:
    case = receive("MZ-001")
    mark_quarter_hour_breaches(now=timezone.now() + dt.timedelta(hours=1))
    deliver_outbox()
    page = personas.client(personas.director).get("/notify/inbox/").text
    assert f'<a href="/services/cases/{case.pk}/">' in page
    assert case.number and case.number in page
    # the clerk is not told of the breach, and sees no link to it
    assert (
        f"/services/cases/{case.pk}/"
        not in personas.client(personas.clerk).get("/notify/inbox/").text
    )
