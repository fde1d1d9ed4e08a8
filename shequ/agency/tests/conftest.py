"""Fixtures for agency: 官坡社区's central station with its agent, an elderly resident
living alone (with a family contact), and a scan of a signed form."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import GUANPO, Personas, make_staff, unit
from shequ.agency.actions import do_register_authorization
from shequ.agency.models import AgencyStation, Authorization, StationKind
from shequ.lib.idcard import make_id_number
from shequ.orgs.models import Post, Role, User
from shequ.people.actions import do_grant_category, do_register_resident
from shequ.people.models import Category, Resident
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import ServiceItem

_sequence = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FAMILY_PHONE = "13907181234"


def scan(name: str = "form.pdf", content: bytes = PDF, kind: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=kind)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(db: None) -> int:
    return ensure_catalogue()


@pytest.fixture
def agent(personas: Personas) -> User:
    return make_staff("p_agent", (Role.AGENT, unit(GUANPO)))


@pytest.fixture
def station(personas: Personas, agent: User) -> AgencyStation:
    s = AgencyStation.objects.create(
        unit=unit(GUANPO),
        kind=StationKind.CENTRAL,
        name="官坡社区全程代理中心站",
        hotline="0718-8221234",
    )
    s.agents.set(Post.objects.filter(user=agent))
    return s


MakeResident = Callable[..., Resident]


@pytest.fixture
def make_resident(personas: Personas) -> MakeResident:
    def make(category: str | None = "elderly_alone", name: str = "向桂英") -> Resident:
        number = make_id_number("422801", dt.date(1942, 3, 8), 2 * next(_sequence) % 1000)
        r = do_register_resident(
            None, unit=personas.grid, name=name, id_number=number, phone="13972700019"
        )
        if category:
            do_grant_category(
                personas.clerk,
                r,
                category=Category.objects.get(code=category),
                valid_from=dt.date(2020, 1, 1),
                evidence="州民政局认定批复",
                level="2" if category == "disabled" else "",
            )
        return r

    return make


@pytest.fixture
def elderly(make_resident: MakeResident) -> Resident:
    return make_resident()


Authorize = Callable[..., Authorization]


@pytest.fixture
def authorize(
    personas: Personas, catalogue: int, station: AgencyStation, agent: User, elderly: Resident
) -> Authorize:
    def make(**fields: Any) -> Authorization:
        fields.setdefault("resident", elderly)
        fields.setdefault("channel", "hotline")
        fields.setdefault("all_items", True)
        fields.setdefault("valid_until", timezone.localdate() + dt.timedelta(days=365))
        fields.setdefault("form_scan", scan())
        fields.setdefault("family_name", "向明(儿子)")
        fields.setdefault("family_phone", FAMILY_PHONE)
        actor = fields.pop("actor", agent)
        return do_register_authorization(actor, station=station, agent=agent, **fields)

    return make


def item(code: str) -> ServiceItem:
    return ServiceItem.objects.get(code=code)
