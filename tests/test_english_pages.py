"""Every page of the demo roles' journeys, in English, shows no Han characters outside data.

What counts as data: every string stored in the database (unit, resident and staff
names, addresses, the catalogue's item and material names, what people typed: summaries,
results, notes, the texts of messages sent to residents, which go out in Chinese). They are
removed from the page's text, longest first, before looking for Han characters; what is
left came from code or templates and must be translated. An element marked with
``lang="zh-…"`` is Chinese on purpose (the language switch's "中文") and is removed too.
The text looked at is the whole page (navbar included), the title, and the UI text hidden
in attributes: placeholder, aria-label, title, alt.

The demo is loaded as ``make run`` loads it, but without the 21,000 synthetic residents
(a handful stand in for them), so this runs in seconds.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from conftest import new_resident
from shequ.agency.models import AgencyCase, Authorization, RemoteMatter, VillagePoint
from shequ.demo.accounts import DEMO_COMMUNITY, ensure_demo_accounts
from shequ.demo.agency import ensure_demo_agency
from shequ.demo.cases import ensure_demo_cases
from shequ.demo.grids import ensure_demo_grids
from shequ.demo.mediation import ensure_demo_mediation
from shequ.mediation.models import Dispute
from shequ.orgs.models import OrgUnit, User
from shequ.people.models import Resident
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import Case

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
UI_ATTRIBUTES = re.compile(r'\b(?:placeholder|aria-label|title|alt)="([^"]*)"')
MARKED_CHINESE = re.compile(r"<(\w+)\b[^>]*\blang=\"zh[^\"]*\"[^>]*>.*?</\1>", re.S)
NOTICES = ("accepted", "returned", "refused", "completed")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def stored_strings() -> list[str]:
    """Every stored string with a Han character in it, longest first."""
    found: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                found.update(s for s in _strings(value) if HAN.search(s))
    # a value shown on a page one line at a time ("第1网格\n…", linebreaksbr)
    found |= {line.strip() for s in list(found) for line in s.splitlines() if line.strip()}
    return sorted(found, key=len, reverse=True)


def ui_text(page: str) -> str:
    page = MARKED_CHINESE.sub(" ", page)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = " ".join(UI_ATTRIBUTES.findall(page))
    text = re.sub(r"<[^>]+>", " ", page)
    return htmllib.unescape(f"{text} {attributes}")


def chinese_left(text: str, data: list[str]) -> list[str]:
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    return HAN.findall(text)


def load_demo_journeys() -> None:
    ensure_demo_grids()
    ensure_demo_accounts()
    ensure_catalogue()
    community = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    grid = community.children().filter(name="第1网格").first() or community
    for n, category in enumerate(("elderly_alone", "disabled", "extreme_hardship", None, None)):
        new_resident(
            grid,
            name=f"向{'一二三四五'[n]}妹",
            birth=dt.date(1940 + 8 * n, 3, 8),
            category=category,
            phone=f"1397270{n:04d}",
        )
    ensure_demo_cases()
    ensure_demo_agency()
    ensure_demo_mediation()


def journeys() -> dict[str, list[str]]:
    community = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    auth = Authorization.objects.filter(station__unit=community).order_by("pk").first()
    agency_case = AgencyCase.objects.filter(unit=community).order_by("pk").first()
    assert auth is not None and agency_case is not None
    operator = User.objects.get(username="village_operator")
    point = VillagePoint.objects.filter(unit__in=[p.unit for p in operator.posts.all()]).first()
    assert point is not None
    matter = RemoteMatter.objects.filter(point=point).select_related("case").first()
    resident = Resident.objects.filter(community=community).order_by("pk").first()
    dispute = Dispute.objects.filter(unit__path__startswith=community.path).order_by("-pk").first()
    assert resident is not None and dispute is not None
    cases = list(Case.objects.filter(unit=community).order_by("pk"))
    notices = []
    for verb in NOTICES:
        with_verb = next((c for c in cases if c.events.filter(verb=verb).exists()), None)
        if with_verb is not None:
            notices.append(f"/services/cases/{with_verb.pk}/notice/{verb}/")
    case_pages = [c.get_absolute_url() for c in cases]
    everyone = [
        reverse(n)
        for n in ("workbench:home", "orgs:units", "services:catalogue", "orgs:api_tokens")
    ]
    return {
        "clerk": [
            *everyone,
            "/services/cases/",
            "/services/cases/?view=all",
            "/services/cases/new/",
            *case_pages,
            f"/services/cases/{cases[0].pk}/notice/receipt/",
            *notices,
            "/services/halls/",
            "/people/",
            resident.get_absolute_url(),
            "/notify/inbox/",
        ],
        "agent": [
            *everyone,
            "/agency/",
            "/agency/authorizations/new/",
            auth.get_absolute_url(),
            f"/agency/cases/new/{auth.pk}/",
            agency_case.get_absolute_url(),
            *(
                c.get_absolute_url()
                for c in Case.objects.filter(agency_item__agency_case=agency_case)
            ),
            "/services/cases/",
            "/people/",
            "/notify/inbox/",
        ],
        "gridworker": [
            *everyone,
            "/mediation/",
            "/mediation/disputes/new/",
            dispute.get_absolute_url(),
            "/services/cases/",
            "/people/",
            "/notify/inbox/",
        ],
        "village_operator": [
            *everyone,
            "/agency/points/",
            point.get_absolute_url(),
            f"/agency/points/{point.pk}/matters/new/",
            *([matter.case.get_absolute_url()] if matter else []),
            "/notify/inbox/",
        ],
        "badong_township": [
            *everyone,
            "/services/cases/",
            *([matter.case.get_absolute_url()] if matter else []),
            "/agency/figures/",
        ],
        "township": [*everyone, "/services/cases/", "/insights/rates/"],
        "director": [
            *everyone,
            "/services/cases/",
            "/services/rectifications/",
            reverse("orgs:events"),
        ],
        "mediator": [*everyone, "/mediation/", dispute.get_absolute_url()],
    }


def test_every_page_of_the_demo_journeys_is_english_outside_the_data() -> None:
    load_demo_journeys()
    data = stored_strings()
    left_over: dict[str, list[str]] = {}
    for username, urls in journeys().items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        client.cookies["django_language"] = "en"
        for url in urls:
            response = client.get(url, headers={"accept-language": "en"})
            assert response.status_code == 200, (username, url, response.status_code)
            left = chinese_left(ui_text(response.content.decode()), data)
            if left:
                left_over[f"{username} {url}"] = sorted(set(left))[:12]
    assert not left_over, left_over

    # the words themselves: buttons are verbs, a kind is singular, 驻区单位 is no "resident unit"
    client = Client()
    client.force_login(User.objects.get(username="clerk"))
    client.cookies["django_language"] = "en"
    received = Case.objects.filter(unit__code=DEMO_COMMUNITY, status="received").first()
    assert received is not None
    page = client.get(received.get_absolute_url()).content.decode()
    assert ">Refuse</button>" in page and ">Accept</button>" in page
    facts = page.split('id="case-facts"', 1)[1].split("</dl>", 1)[0]
    if received.applicant_kind == "resident":
        assert "Resident " in ui_text(facts) and "Residents" not in facts
    page = client.get(reverse("services:case_new")).content.decode()
    assert "Organisation in the community" in page
    assert "esident unit" not in page


def test_it_finds_chinese_that_is_not_data() -> None:
    """The check itself: a translated page passes, an untranslated string is caught, and
    the language switch (marked lang="zh-hans") is allowed."""
    data = ["官坡社区"]
    page = '<h1>Cases</h1><p>官坡社区</p><button lang="zh-hans">中文</button>'
    assert chinese_left(ui_text(page), data) == []
    assert chinese_left(ui_text(page + '<input placeholder="办理结果">'), data) == ["办理结果"]
    assert chinese_left(ui_text(page + "<td>开始办理</td>"), data) == ["开始办理"]
