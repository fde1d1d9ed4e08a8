"""Sign-in: Chinese pages, lockout after ten failures, password rules, expiring sessions."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import Personas

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def login(client: Client, username: str, password: str) -> object:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_the_login_page_is_in_chinese(personas: Personas) -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    assert 'lang="zh-hans"' in response.content.decode()


def test_a_good_login_lands_on_the_home_page_with_the_users_posts(personas: Personas) -> None:
    client = Client()
    response = login(client, "p_clerk", PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    home = client.get("/workbench/")
    text = home.content.decode()
    assert "窗口工作人员" in text and "官坡社区" in text


def test_a_bad_password_says_so_in_chinese(personas: Personas) -> None:
    response = login(Client(), "p_clerk", "wrong-password")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "用户名或密码不正确" in response.content.decode()  # type: ignore[attr-defined]


def test_ten_failed_logins_lock_the_account_from_that_address(personas: Personas) -> None:
    """Issue 11: by username and address together, so an outsider cannot lock a clerk out
    (failed before: ten POSTs from anywhere locked the account everywhere)."""
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "p_clerk", "wrong-password")
        assert response.status_code == 200  # type: ignore[attr-defined]
    locked = login(client, "p_clerk", "wrong-password")
    assert locked.status_code == 429  # type: ignore[attr-defined]
    assert "账号已暂时锁定" in locked.content.decode()  # type: ignore[attr-defined]
    # from that address even the right password is refused
    refused = login(Client(REMOTE_ADDR="10.1.1.1"), "p_clerk", PASSWORD)
    assert refused.status_code == 429  # type: ignore[attr-defined]
    # the clerk at the hall's own address still signs in
    hall = Client(REMOTE_ADDR="10.9.9.9")
    assert login(hall, "p_clerk", PASSWORD).status_code == 302  # type: ignore[attr-defined]
    assert "_auth_user_id" in hall.session
    # a colleague behind the guessing address is not affected either
    colleague = Client(REMOTE_ADDR="10.1.1.1")
    assert login(colleague, "p_director", PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_the_admin_shows_who_is_locked_and_why(personas: Personas) -> None:
    from conftest import make_staff

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(REMOTE_ADDR="10.1.1.1"), "p_clerk", "wrong-password")
    admin = make_staff("p_admin")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    c = Client()
    c.force_login(admin)
    page = c.get("/admin/axes/accessattempt/").content.decode()
    assert "p_clerk" in page and "10.1.1.1" in page
    assert "wrong-password" not in c.get("/admin/axes/accessfailurelog/").content.decode()
    assert "p_clerk" in c.get("/admin/axes/accessfailurelog/").content.decode()


def test_passwords_must_be_long_and_not_common() -> None:
    for weak in ["short1", "1234567890", "password123"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("enshi-433-community")


def test_a_session_expires_after_a_working_day(personas: Personas) -> None:
    client = Client()
    with time_machine.travel("2026-03-02 08:30 +0800", tick=False):
        login(client, "p_clerk", PASSWORD)
        assert client.get("/workbench/").status_code == 200
    with time_machine.travel("2026-03-02 16:00 +0800", tick=False):
        assert client.get("/workbench/").status_code == 200
    with time_machine.travel("2026-03-02 17:00 +0800", tick=False):
        response = client.get("/workbench/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_logging_out_ends_the_session(personas: Personas) -> None:
    client = Client()
    login(client, "p_clerk", PASSWORD)
    client.post("/accounts/logout/")
    assert client.get("/workbench/").status_code == 302
