"""Vacancy reports: the month-end cadence, one report per unit and month, idempotent,
every bad field at once, the worker's reminders to units that have not reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas
from shequ.jobs.actions import (
    do_report_vacancies,
    remind_unreported_units,
    report_due,
    reporting_month,
)
from shequ.jobs.models import ReportReminder, VacancyReport
from shequ.jobs.tests.conftest import post
from shequ.notify.models import Message
from shequ.orgs.models import Event
from shequ.people.models import ResidentUnit

pytestmark = pytest.mark.django_db


def test_the_month_end_cadence(settings: Any) -> None:
    assert report_due(dt.date(2026, 4, 1)) == dt.date(2026, 3, 31)
    assert reporting_month(dt.date(2026, 3, 31)) == dt.date(2026, 4, 1)
    assert reporting_month(dt.date(2026, 4, 1)) == dt.date(2026, 5, 1)
    settings.SHEQU_JOBS_REPORT_DAY = 25
    assert report_due(dt.date(2026, 4, 1)) == dt.date(2026, 3, 25)
    assert reporting_month(dt.date(2026, 3, 26)) == dt.date(2026, 5, 1)


@time_machine.travel(dt.datetime(2026, 3, 28, 2, tzinfo=dt.UTC))
def test_it_records_a_report_once(personas: Personas, company: ResidentUnit) -> None:
    report = do_report_vacancies(
        personas.clerk,
        resident_unit=company,
        month=dt.date(2026, 4, 15),
        vacancies=[post(target_groups=["disabled"]), post(post="包装工", headcount=1)],
        client_token="t-1",
    )
    assert report.month == dt.date(2026, 4, 1) and report.vacancies.count() == 2
    assert report.community == personas.guanpo
    v = report.vacancies.get(post="制茶工")
    assert [g.code for g in v.target_groups.all()] == ["disabled"]
    assert v.opened_on == dt.date(2026, 3, 28)  # referrals may start at once
    again = do_report_vacancies(
        personas.clerk, resident_unit=company, month=dt.date(2026, 4, 1), vacancies=[],
        client_token="t-1",
    )  # fmt: skip
    assert again == report and VacancyReport.objects.count() == 1
    assert Event.objects.filter(verb="jobs.vacancies_reported").count() == 1
    with pytest.raises(ValidationError) as error:
        do_report_vacancies(
            personas.clerk, resident_unit=company, month=dt.date(2026, 4, 1), vacancies=[]
        )
    assert "month" in error.value.message_dict


@time_machine.travel(dt.datetime(2026, 3, 28, 2, tzinfo=dt.UTC))
def test_a_nil_report_is_a_report(personas: Personas, company: ResidentUnit) -> None:
    report = do_report_vacancies(
        personas.clerk, resident_unit=company, month=dt.date(2026, 4, 1), vacancies=[]
    )
    assert report.vacancies.count() == 0


@time_machine.travel(dt.datetime(2026, 3, 28, 2, tzinfo=dt.UTC))
def test_every_bad_field_at_once_and_nothing_saved(
    personas: Personas, company: ResidentUnit
) -> None:
    with pytest.raises(ValidationError) as error:
        do_report_vacancies(
            personas.clerk,
            resident_unit=company,
            month=dt.date(2026, 4, 1),
            vacancies=[
                post(),
                post(
                    post="",
                    headcount=0,
                    trade="X",
                    pay_min="5000",
                    pay_max="3000",
                    valid_until=dt.date(2026, 1, 1),
                    target_groups=["nope"],
                ),
            ],
        )
    fields = set(error.value.message_dict)
    assert fields == {
        "vacancies.1.post",
        "vacancies.1.headcount",
        "vacancies.1.trade",
        "vacancies.1.pay_max",
        "vacancies.1.valid_until",
        "vacancies.1.target_groups",
    }
    assert VacancyReport.objects.count() == 0


def test_only_staff_of_the_units_community(personas: Personas, company: ResidentUnit) -> None:
    for user in (personas.lichuan_clerk, personas.outsider, personas.county):
        with pytest.raises(PermissionDenied):
            do_report_vacancies(user, resident_unit=company, month=dt.date(2026, 4, 1),
                                vacancies=[])  # fmt: skip


def test_the_worker_reminds_units_that_have_not_reported_once(
    personas: Personas, company: ResidentUnit
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 20, 2, tzinfo=dt.UTC)):
        assert remind_unreported_units() == 0  # too early: 11 days before the month's end
    with time_machine.travel(dt.datetime(2026, 3, 27, 2, tzinfo=dt.UTC)):
        assert remind_unreported_units() == 1
        assert remind_unreported_units() == 0
    message = Message.objects.get(kind="jobs.remind_report")
    assert "2026年04月" in message.body and company.name in message.body
    assert ReportReminder.objects.get().month == dt.date(2026, 4, 1)
    with time_machine.travel(dt.datetime(2026, 3, 28, 2, tzinfo=dt.UTC)):
        do_report_vacancies(
            personas.clerk, resident_unit=company, month=dt.date(2026, 5, 1), vacancies=[]
        )
    with time_machine.travel(dt.datetime(2026, 4, 27, 2, tzinfo=dt.UTC)):
        assert remind_unreported_units() == 0  # May is reported
    with time_machine.travel(dt.datetime(2026, 5, 28, 2, tzinfo=dt.UTC)):
        assert remind_unreported_units() == 1  # June is not
