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

from conftest import MakeResident, Personas, new_resident
from shequ.agency.actions import do_register_authorization
from shequ.agency.models import AgencyStation, Authorization, StationKind
from shequ.orgs.models import Post, User
from shequ.people.models import Resident
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
def agent(personas: Personas) -> User:
    return personas.agent


@pytest.fixture
def station(personas: Personas, agent: User) -> AgencyStation:
    s = AgencyStation.objects.create(
        unit=personas.guanpo,
        kind=StationKind.CENTRAL,
        name="官坡社区全程代理中心站",
        hotline="0718-8221234",
    )
    s.agents.set(Post.objects.filter(user=agent))
    return s


@pytest.fixture
def make_resident(personas: Personas) -> MakeResident:
    """A resident of 官坡社区 in a help category (elderly living alone by default)."""

    def make(category: str | None = "elderly_alone", name: str = "向桂英") -> Resident:
        return new_resident(
            personas.grid,
            name=name,
            birth=dt.date(1942, 3, 8),
            category=category,
            phone="13972700019",
        )

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
