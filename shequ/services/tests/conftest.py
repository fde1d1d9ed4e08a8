from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from conftest import GUANPO, Personas, unit
from shequ.lib.idcard import make_id_number
from shequ.orgs.models import OrgUnit
from shequ.people.actions import do_register_resident
from shequ.people.models import Resident
from shequ.services.actions import do_receive_case
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import Case, ServiceItem

_sequence = itertools.count(1)


@pytest.fixture
def catalogue(db: None) -> int:
    return ensure_catalogue()


@pytest.fixture
def guanpo(db: None) -> OrgUnit:
    return unit(GUANPO)


@pytest.fixture
def resident(personas: Personas) -> Resident:
    number = make_id_number("422801", dt.date(1950, 3, 8), 2 * next(_sequence) % 1000)
    return do_register_resident(
        None, unit=personas.grid, name="向桂英", id_number=number, phone="13972700019"
    )


ReceiveCase = Callable[..., Case]


@pytest.fixture
def receive(personas: Personas, catalogue: int, guanpo: OrgUnit, resident: Resident) -> ReceiveCase:
    """Register a case at 官坡社区 by its clerk; ``code`` picks the catalogue item."""

    def make(code: str = "MZ-001", **fields: Any) -> Case:
        fields.setdefault("channel", "window")
        fields.setdefault("applicant_kind", "resident")
        if fields["applicant_kind"] == "resident":
            fields.setdefault("resident", resident)
        actor = fields.pop("actor", personas.clerk)
        return do_receive_case(
            actor, unit=guanpo, item=ServiceItem.objects.get(code=code), **fields
        )

    return make
