"""A page that is not there, or not the user's, answers in the site's language with a way
home, not Django's bare English page; a refusal says why."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import Personas

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_chinese_with_a_way_home(personas: Personas) -> None:
    got = Client().get("/no-such-page/")
    text = got.content.decode()
    assert got.status_code == 404
    assert "页面不存在" in text and 'href="/"' in text and "Not Found" not in text


def test_a_refusal_gives_its_reason(personas: Personas) -> None:
    got = personas.client(personas.county).get("/services/cases/new/")
    assert got.status_code == 403
    assert "您的岗位无权登记办件" in got.content.decode()
