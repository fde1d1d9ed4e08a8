"""Every demo login printed by `make run` signs in and lands on its own unit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from conftest import GUANPO, make_staff
from shequ.demo.accounts import DEMO_ACCOUNTS, ensure_demo_accounts
from shequ.demo.grids import ensure_demo_grids
from shequ.orgs.models import OrgUnit, Role

pytestmark = pytest.mark.django_db


def test_each_demo_login_works_and_sees_its_unit() -> None:
    ensure_demo_grids()
    ensure_demo_accounts()
    for spec in DEMO_ACCOUNTS:
        client = Client()
        response = client.post(
            "/accounts/login/",
            {"username": spec.username, "password": settings.SHEQU_DEMO_PASSWORD},
        )
        assert response.status_code == 302, spec
        home = client.get("/workbench/")
        assert home.status_code == 200
        if spec.role is not None:
            assert spec.full_name in home.content.decode()


def test_the_banner_lists_every_login(capsys: pytest.CaptureFixture[str]) -> None:
    ensure_demo_grids()
    ensure_demo_accounts()
    call_command("demo_logins", url="http://127.0.0.1:8123")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/" in out
    assert settings.SHEQU_DEMO_PASSWORD in out
    for spec in DEMO_ACCOUNTS:
        assert f"    {spec.username} " in out
    assert "官坡社区 第1网格" in out


def test_the_banner_lists_the_other_demos_logins_with_their_county(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ensure_demo_grids()
    ensure_demo_accounts()
    make_staff("village_director", (Role.DIRECTOR, OrgUnit.objects.get(code=GUANPO)))
    call_command("demo_logins", url="http://127.0.0.1:8123")
    out = capsys.readouterr().out
    assert "    village_director " in out and "恩施市 官坡社区" in out
