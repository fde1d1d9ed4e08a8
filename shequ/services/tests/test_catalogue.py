"""The seeded catalogue: ten window types, about forty items, consistent limits."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from shequ.services.catalogue import ensure_catalogue
from shequ.services.catalogue_data import ITEMS, WINDOW_TYPES
from shequ.services.models import (
    ItemKind,
    Requirement,
    ServiceItem,
    ServiceMaterial,
    WindowType,
)


def test_it_seeds_the_ten_windows_and_about_forty_items(catalogue: int) -> None:
    assert catalogue == len(ITEMS)
    assert 38 <= catalogue <= 50
    names = list(WindowType.objects.values_list("name", flat=True))
    assert len(names) == 10
    for seed_window in (
        "劳动就业",
        "信访接待",
        "计生",
        "民政",
        "民事调解",
        "维权咨询",
        "社区事务",
        "综合服务",
    ):
        assert seed_window in names
    assert all(w.unit.kind == "prefecture" for w in WindowType.objects.select_related("unit"))
    assert len({code for code, _, _ in WINDOW_TYPES}) == 10


def test_loading_again_creates_nothing_and_keeps_edits(catalogue: int) -> None:
    ServiceItem.objects.filter(code="MZ-001").update(promised_limit_days=15)
    assert ensure_catalogue() == 0
    assert ServiceItem.objects.count() == len(ITEMS)
    assert ServiceItem.objects.get(code="MZ-001").promised_limit_days == 15


def test_every_window_has_items_and_every_kind_is_used(catalogue: int) -> None:
    for window in WindowType.objects.all():
        assert window.items.exists(), window
    assert set(ServiceItem.objects.values_list("kind", flat=True)) == set(ItemKind.values)
    assert ServiceMaterial.objects.filter(requirement=Requirement.DEFERRABLE).exists()


def test_the_items_the_issue_names_are_there(catalogue: int) -> None:
    names = " ".join(ServiceItem.objects.values_list("name", flat=True))
    for word in (
        "最低生活保障",
        "临时救助",
        "残疾人证",
        "高龄津贴",
        "居住证",
        "就业登记",
        "失业登记",
        "医疗保险",
        "养老保险",
        "计划生育情况证明",
        "老年人优待证",
        "来访接待",
        "求助",
    ):
        assert word in names, word


def test_the_database_refuses_inconsistent_limits(catalogue: int) -> None:
    item = ServiceItem.objects.get(code="MZ-001")
    for change in (
        {"promised_limit_days": 31},  # beyond the legal limit
        {"kind": ItemKind.IMMEDIATE},  # an immediate item has no limit
        {"kind": ItemKind.COMMITMENT, "legal_limit_days": 0, "promised_limit_days": 0},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            ServiceItem.objects.filter(pk=item.pk).update(**change)


def test_the_guide_tells_where_and_how_long(catalogue: int) -> None:
    guide = ServiceItem.objects.get(code="MZ-001").guide
    assert "民政" in guide
    assert "县市民政局" in guide
    assert "法定 30 个工作日,承诺 20 个工作日" in guide
    assert "一刻钟内办结" in ServiceItem.objects.get(code="LD-001").guide
