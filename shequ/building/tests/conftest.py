"""Fixtures for building: a rural community of 恩施市 with its township officer, a photo,
and a county bureau officer who enters funds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import Personas, make_staff
from shequ.orgs.models import CommunityType, OrgUnit, Role, UnitKind, User

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def photo(name: str = "photo.png") -> Any:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rural(personas: Personas) -> OrgUnit:
    """The first rural community of 恩施市 (one village, "一村一社区")."""
    county = OrgUnit.objects.get(code="422801000000")
    return (
        OrgUnit.objects.filter(
            path__startswith=county.path,
            kind=UnitKind.COMMUNITY,
            community_type=CommunityType.RURAL,
        )
        .order_by("path")
        .first()
    )


@pytest.fixture
def rural_township(rural: OrgUnit) -> User:
    parent = rural.parent_unit()
    assert parent is not None
    return make_staff("p_rural_township", (Role.TOWNSHIP_OFFICER, parent))


@pytest.fixture
def rural_secretary(rural: OrgUnit) -> User:
    return make_staff("p_rural_secretary", (Role.PARTY_SECRETARY, rural))
