"""The worker reminds the committee before a due day and tells the township of an
overdue disclosure, once per due date; a published one is left alone."""

from __future__ import annotations

import datetime as dt

from conftest import make_staff
from shequ.governance import disclosure_actions as da
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.disclosure_helpers import finance_due, on_calendar, publish, supervision
from shequ.notify.models import Message
from shequ.orgs.models import Role


def test_it_reminds_before_the_due_day_and_tells_the_township_once(village: Village) -> None:
    township = village.unit.parent_unit()
    assert township is not None
    officer = make_staff("w_township", (Role.TOWNSHIP_OFFICER, township))
    on_calendar(village, adopted_on=dt.date(2026, 1, 1))
    q1 = finance_due(village, "2026Q1")
    assert q1.due_on == dt.date(2026, 4, 20)
    finance_q = {"body__contains": "村集体财务收支情况"}
    da.remind_disclosures(dt.date(2026, 4, 10))  # ten days ahead: too early (five)
    assert not Message.objects.filter(kind="governance.disclosure_due", **finance_q).exists()
    da.remind_disclosures(dt.date(2026, 4, 16))
    reminded = Message.objects.filter(
        kind="governance.disclosure_due", recipient=village.staff.username
    )
    finance = reminded.filter(body__contains="村集体财务收支情况")
    assert finance.count() == 1 and "2026-04-20" in finance.get().body
    da.remind_disclosures(dt.date(2026, 4, 17))
    assert reminded.filter(body__contains="村集体财务收支情况").count() == 1  # once
    # (the year's plans, due 2026-01-20, are overdue already; the finances are not)
    assert not Message.objects.filter(kind="governance.disclosure_overdue", **finance_q).exists()
    da.remind_disclosures(dt.date(2026, 4, 21))
    told = Message.objects.filter(kind="governance.disclosure_overdue", recipient=officer.username)
    assert told.filter(body__contains="村集体财务收支情况").count() == 1
    da.remind_disclosures(dt.date(2026, 4, 22))
    assert told.filter(body__contains="村集体财务收支情况").count() == 1  # once per due date


def test_a_published_disclosure_is_not_chased(village: Village) -> None:
    township = village.unit.parent_unit()
    assert township is not None
    make_staff("w_township2", (Role.TOWNSHIP_OFFICER, township))
    reviewer = supervision(village, elected_on=dt.date(2025, 12, 1))
    on_calendar(village, adopted_on=dt.date(2026, 1, 1))
    publish(finance_due(village, "2026Q1"), reviewer, dt.date(2026, 4, 15))
    da.remind_disclosures(dt.date(2026, 4, 16))
    da.remind_disclosures(dt.date(2026, 4, 25))
    assert not Message.objects.filter(body__contains="村集体财务收支情况").exists()
