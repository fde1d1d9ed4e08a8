from __future__ import annotations

from django.test import Client
from django.urls import reverse

from conftest import Personas
from shequ.orgs.models import OrgUnit, UnitKind
from shequ.services.models import ServiceItem, WindowType


def test_anyone_can_read_the_catalogue(catalogue: int) -> None:
    response = Client().get(reverse("services:catalogue"))
    assert response.status_code == 200
    assert "最低生活保障申请" in response.text
    assert "服务事项目录" in response.text
    assert response.text.count('href="/services/catalogue/') == catalogue


def test_the_catalogue_filters(catalogue: int) -> None:
    client = Client()
    response = client.get(reverse("services:catalogue"), {"window": "disability"})
    assert "残疾人证办理(新办)" in response.text
    assert "最低生活保障申请" not in response.text
    response = client.get(reverse("services:catalogue"), {"kind": "on_site"})
    assert "群众求助" in response.text
    assert "居住证申领" not in response.text
    response = client.get(reverse("services:catalogue"), {"q": "低保"})
    assert "最低生活保障申请" in response.text
    # A bad filter value is ignored with a message, never a 500.
    response = client.get(reverse("services:catalogue"), {"kind": "nonsense", "window": "x"})
    assert response.status_code == 200


def test_the_guide_page_lists_materials_and_limits(catalogue: int) -> None:
    response = Client().get(reverse("services:item", args=["MZ-001"]))
    assert response.status_code == 200
    text = response.text
    assert "最低生活保障申请" in text
    assert "办事指南" in text
    assert "家庭经济状况核对授权书" in text
    assert "容缺" in text
    assert "法定 30 个工作日,承诺 20 个工作日" in text
    assert "社会救助暂行办法" in text


def test_an_unknown_or_inactive_item_is_404(catalogue: int) -> None:
    assert Client().get(reverse("services:item", args=["XX-999"])).status_code == 404
    ServiceItem.objects.filter(code="ZH-002").update(active=False)
    assert Client().get(reverse("services:item", args=["ZH-002"])).status_code == 404


def test_a_county_item_is_seen_only_in_that_county(catalogue: int, personas: Personas) -> None:
    enshi = OrgUnit.objects.get(code="422801000000")
    ServiceItem.objects.create(
        unit=enshi,
        code="ES-001",
        name="恩施市城区公租房申请",
        category="residence",
        window_type=WindowType.objects.get(code="community_affairs"),
        handling_level="county",
        kind="commitment",
        legal_limit_days=20,
        promised_limit_days=15,
    )
    url = reverse("services:item", args=["ES-001"])
    assert personas.client(personas.clerk).get(url).status_code == 200  # below 恩施市
    assert personas.client(personas.county).get(url).status_code == 200
    assert personas.client(personas.prefecture).get(url).status_code == 200
    assert personas.client(personas.lichuan_clerk).get(url).status_code == 404
    assert personas.client(personas.outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    assert OrgUnit.objects.get(kind=UnitKind.PREFECTURE).path == enshi.path[:4]


def test_the_catalogue_speaks_english_too(catalogue: int) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get(reverse("services:catalogue"), headers={"accept-language": "en"})
    assert "Service catalogue" in response.text
    assert "Commitment" in response.text
    guide = client.get(reverse("services:item", args=["MZ-001"]), headers={"accept-language": "en"})
    assert "legal 30 working days, promised 20 working days" in guide.text
