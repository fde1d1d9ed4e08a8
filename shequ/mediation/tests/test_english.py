"""An English page shows no Chinese outside the data."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from conftest import Personas
from shequ.mediation.models import Committee, Dispute
from shequ.mediation.tests.conftest import agree

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u4e00-\u9fff]+")


def visible(html: str) -> str:
    # the site's navigation belongs to every app; this checks mediation's own pages
    html = re.sub(r"<(script|style|svg|nav)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return html


def test_english_pages(personas: Personas, mediating: Dispute, committee: Committee) -> None:
    agree(personas.mediator, mediating)
    c = personas.client(personas.director)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    data = {
        mediating.summary,
        committee.name,
        committee.unit.name,
        personas.grid.name,
        personas.guanpo.name,
        personas.mediator.full_name,
        personas.director.full_name,
        "汉族",
        "土家族",
        "苗族",
        "中文",  # the language switch
    }
    data |= set(mediating.parties.values_list("name", flat=True))
    data |= set(committee.members.values_list("name", flat=True))
    a = mediating.agreement
    assert a is not None
    data |= {a.facts, a.liability, a.terms, a.performance_manner}
    if a.confirmation_rule is not None:
        data.add(a.confirmation_rule.article)  # the statute's own words
    data |= set(mediating.sessions.values_list("place", flat=True))
    data |= set(mediating.sessions.values_list("participants", flat=True))
    data |= set(mediating.sessions.values_list("record", flat=True))
    data |= {"恩施市人民法院", "恩施市", "官坡居民会议〔2024〕2号"}
    urls = [
        reverse("mediation:overview"),
        mediating.get_absolute_url(),
        reverse("mediation:committees"),
        committee.get_absolute_url(),
        reverse("mediation:advisors"),
        reverse("mediation:third_parties"),
        reverse("mediation:figures"),
        reverse("mediation:dispute_new"),
    ] + [
        reverse("mediation:paper", args=[mediating.pk, k])
        for k in ("agreement", "application", "archive")
    ]
    for url in urls:
        text = visible(c.get(url).content.decode())
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, " ")
        left = HAN.findall(text)
        assert not left, (url, left)
