"""Fixtures for the people app: a resident factory on the personas' units."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from conftest import Personas
from shequ.lib.idcard import make_id_number
from shequ.orgs.models import OrgUnit
from shequ.people.actions import do_register_resident
from shequ.people.models import Resident

_sequence = itertools.count(1)


def new_id_number(
    birth: dt.date = dt.date(1980, 5, 17), *, male: bool = True, region: str = "422801"
) -> str:
    n = next(_sequence)
    return make_id_number(region, birth, (2 * n + (1 if male else 0)) % 1000)


MakeResident = Callable[..., Resident]


@pytest.fixture
def make_resident(personas: Personas) -> MakeResident:
    def make(unit: OrgUnit | None = None, **fields: Any) -> Resident:
        fields.setdefault("name", "张三")
        fields.setdefault("id_number", new_id_number())
        fields.setdefault("phone", "13812345678")
        return do_register_resident(None, unit=unit or personas.grid, **fields)

    return make
