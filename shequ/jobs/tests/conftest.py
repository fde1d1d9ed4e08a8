"""Fixtures for jobs: a resident unit of 官坡社区, a household builder, job seekers."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from conftest import WUYANG_STREET, Personas, new_resident, unit
from shequ.jobs.actions import do_register_seeker, do_report_vacancies
from shequ.jobs.models import JobSeeker, SeekerKind, Vacancy
from shequ.lib.creditcode import make_credit_code
from shequ.people.actions import (
    do_add_household_member,
    do_create_household,
    do_register_resident_unit,
)
from shequ.people.models import Household, Resident, ResidentUnit

_serial = itertools.count(500)
DAY = dt.date(2026, 3, 2)


def credit_code() -> str:
    return make_credit_code("422801", next(_serial))


@pytest.fixture
def company(personas: Personas) -> ResidentUnit:
    return do_register_resident_unit(
        None,
        unit=personas.guanpo,
        name="恩施市硒都茶业有限公司",
        credit_code=credit_code(),
        trade="C",
        size="small",
        contact_name="田经理",
        contact_phone="13972700031",
        co_building=True,
    )


def post(**fields: Any) -> dict[str, Any]:
    row = {
        "post": "制茶工",
        "headcount": 2,
        "trade": "C",
        "skills": "制茶",
        "pay_min": "2800",
        "pay_max": "3500",
        "valid_until": dt.date(2026, 12, 31),
    }
    row.update(fields)
    return row


MakeVacancy = Callable[..., Vacancy]
_months = itertools.count(0)


@pytest.fixture
def make_vacancy(personas: Personas, company: ResidentUnit) -> MakeVacancy:
    def make(**fields: Any) -> Vacancy:
        # each call a report of its own: one report per unit and month, so a new unit
        month = fields.pop("month", dt.date(2026, 4, 1))
        if "resident_unit" not in fields and Vacancy.objects.filter(resident_unit=company).exists():
            fields["resident_unit"] = do_register_resident_unit(
                None,
                unit=company.unit,
                name=f"恩施市第{next(_months)}建筑公司",
                credit_code=credit_code(),
                trade="E",
                size="small",
            )
        report = do_report_vacancies(
            personas.clerk,
            resident_unit=fields.pop("resident_unit", company),
            month=month,
            reported_on=fields.pop("reported_on", dt.date(2026, 3, 25)),
            vacancies=[post(**fields)],
        )
        return report.vacancies.get()

    return make


MakeSeeker = Callable[..., JobSeeker]


@pytest.fixture
def make_seeker(personas: Personas) -> MakeSeeker:
    def make(where: Any = None, **fields: Any) -> JobSeeker:
        resident = fields.pop("resident", None) or new_resident(
            where or personas.grid,
            name=fields.pop("name", "张三"),
            birth=fields.pop("birth", dt.date(1985, 5, 17)),
        )
        fields.setdefault("kind", SeekerKind.UNEMPLOYED)
        fields.setdefault("registered_on", DAY)
        return do_register_seeker(None, resident=resident, **fields)

    return make


@pytest.fixture
def other_community(db: None) -> Any:
    return unit(WUYANG_STREET)


MakeHousehold = Callable[..., tuple[Household, list[Resident]]]


@pytest.fixture
def make_household(personas: Personas) -> MakeHousehold:
    """A household of 官坡社区: ``specs`` are (name, birth) pairs; the first is the head."""

    def make(*specs: tuple[str, dt.date]) -> tuple[Household, list[Resident]]:
        people = [new_resident(personas.grid, name=n, birth=b) for n, b in specs]
        household = do_create_household(None, head=people[0], address="金桂大道1号")
        for person in people[1:]:
            do_add_household_member(None, household, resident=person, relation="spouse")
        return household, people

    return make
