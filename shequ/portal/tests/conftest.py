from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import Personas
from shequ.portal.models import Account

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def png(name: str = "hukou.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def photo_file(name: str = "id.png") -> io.BytesIO:
    f = io.BytesIO(PNG)
    f.name = name
    return f


@pytest.fixture(autouse=True)
def _portal_settings(settings: Any, tmp_path: Any) -> None:
    settings.SHEQU_PORTAL_DEMO_CODES = True
    settings.MEDIA_ROOT = tmp_path / "media"


SignIn = Callable[..., Client]


def sign_in_client(phone: str, *, consent: bool = True, client: Client | None = None) -> Client:
    c = client or Client(REMOTE_ADDR="10.1.2.3")
    r = c.post("/signin/", {"phone": phone})
    assert r.status_code == 302, r.content.decode()[:2000]
    code = c.session["portal_demo_code"]
    r = c.post("/signin/code/", {"code": code})
    assert r.status_code == 302, r.content.decode()[:2000]
    if consent:
        r = c.post("/privacy/", {"agree": "on"})
        assert r.status_code == 302
    return c


@pytest.fixture
def sign_in(personas: Personas, catalogue: int) -> SignIn:
    return sign_in_client


def account_of(phone: str) -> Account:
    from shequ.portal.actions import phone_index

    return Account.objects.get(phone_index=phone_index(phone))
