"""The portal's demo: the banner's resident signs in with the printed number and finds
the two online requests, one with its reply date, one completed and rated."""

from __future__ import annotations

import re
from typing import Any

from django.core.management import call_command
from django.test import Client

from conftest import GUANPO, new_resident, unit
from shequ.demo.accounts import ensure_demo_accounts
from shequ.demo.grids import ensure_demo_grids
from shequ.demo.portal import ensure_demo_portal
from shequ.people.actions import do_add_household_member, do_create_household
from shequ.portal.models import OnlineRequest
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import Rating


def test_the_demo_resident_signs_in_with_the_printed_number(
    db: None, settings: Any, tmp_path: Any, capsys: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.SHEQU_PORTAL_DEMO_CODES = True
    ensure_catalogue()
    ensure_demo_grids()
    ensure_demo_accounts()
    head = new_resident(unit(GUANPO), name="谭德文", phone="13972701234")
    wife = new_resident(unit(GUANPO), name="向春花", phone="")
    household = do_create_household(None, head=head)
    do_add_household_member(None, household, resident=wife, relation="spouse")
    assert ensure_demo_portal() == 2
    assert ensure_demo_portal() == 0
    assert Rating.objects.filter(case__online_request__isnull=False).count() == 1
    call_command("demo_logins", url="http://127.0.0.1:8123")
    banner = capsys.readouterr().out
    found = re.search(r"demo resident (\S+), mobile (\d{11})", banner)
    assert found and found.groups() == ("谭德文", "13972701234")
    c = Client()
    c.post("/signin/", {"phone": found.group(2)})
    c.post("/signin/code/", {"code": c.session["portal_demo_code"]})
    page = c.get("/my/").content.decode()  # consent was given in the demo
    assert "居住证申领" in page and "已受理" in page and "已办结" in page
    first = OnlineRequest.objects.get(client_token="demo-portal-1")
    assert 'id="reply-at"' in c.get(f"/my/{first.case_id}/").content.decode()
