"""The site's root is the residents' home; staff keep their login and workbench."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from conftest import Personas


def test_the_root_is_the_residents_home_for_everyone_not_signed_in_as_staff(
    personas: Personas,
) -> None:
    r = Client().get("/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "手机号登录" in text and "办事指南" in text and "/accounts/login/" in text
    assert "<script" not in text  # it needs no JavaScript


def test_signed_in_staff_at_the_root_go_to_their_workbench(personas: Personas) -> None:
    r = personas.client(personas.clerk).get("/")
    assert r.status_code == 302 and r["Location"] == "/workbench/"
    home = personas.client(personas.clerk).get("/workbench/").content.decode()
    assert "窗口工作人员" in home


def test_staff_login_lands_on_the_workbench(personas: Personas) -> None:
    c = Client()
    r = c.post("/accounts/login/", {"username": "p_clerk", "password": "correct-horse-battery"})
    assert r.status_code == 302 and r["Location"] == "/workbench/"


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_the_english_pages_show_no_chinese_outside_the_data(
    personas: Personas, catalogue: int, settings: Any
) -> None:
    settings.SHEQU_PORTAL_PRIVACY_CONTACT = "0718-8222113"  # data, in whatever language
    c = Client()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for path in ("/", "/signin/", "/privacy/", "/board/"):
        text = c.get(path).content.decode()
        assert '<html lang="en"' in text, path
        # the language switch names Chinese in Chinese, on purpose
        assert not CHINESE.findall(text.replace("中文", "")), (path, CHINESE.findall(text)[:20])


def test_next_is_only_ever_a_local_path(personas: Personas) -> None:
    c = Client(raise_request_exception=False)
    for target, expected in (
        ("99999999999999999999", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/guide/", "/guide/"),
    ):
        r = c.post("/text-size/", {"large": "1", "next": target})
        assert r.status_code == 302 and r["Location"] == expected, target
