"""Every field of the portal's forms has a label; pages that only read write nothing."""

from __future__ import annotations

import re

from conftest import Personas
from shequ.orgs.models import Event
from shequ.people.models import Resident
from shequ.portal.tests.conftest import SignIn
from shequ.portal.tests.test_requests import MINE, submit

FIELD = re.compile(r"<(input|textarea|select)\b([^>]*)>")


def _unlabelled(page: str) -> list[str]:
    missing = []
    for _tag, attrs in FIELD.findall(page):
        if re.search(r'type="(hidden|submit)"', attrs):
            continue
        found = re.search(r'id="([^"]+)"', attrs)
        if found is None or f'for="{found.group(1)}"' not in page:
            missing.append(attrs)
    return missing


def test_every_field_has_a_label(sign_in: SignIn, resident: Resident) -> None:
    c = sign_in(MINE)
    case = submit(c)
    for path in ("/signin/", "/guide/", "/ask/SQ-001/", "/my/agency/", f"/my/{case.pk}/"):
        page = c.get(path).content.decode()
        assert not _unlabelled(page), (path, _unlabelled(page))


def test_reading_pages_write_nothing(
    sign_in: SignIn, resident: Resident, personas: Personas
) -> None:
    c = sign_in(MINE)
    case = submit(c)
    before = Event.objects.count()
    for path in (
        "/",
        "/guide/",
        "/guide/SQ-001/",
        "/my/",
        f"/my/{case.pk}/",
        f"/my/{case.pk}/receipt/",
        "/board/",
        "/privacy/",
    ):
        assert c.get(path).status_code == 200, path
    assert Event.objects.count() == before
