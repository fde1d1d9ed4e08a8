"""The pages: scope (404 outside), forms with field errors, reveal, import, export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import GUANPO, Personas, unit
from shequ.orgs.models import Event
from shequ.people.crypto import cipher
from shequ.people.models import Category, Household, Resident
from shequ.people.tests.conftest import MakeResident, new_id_number
from shequ.people.tests.test_import import sheet

pytestmark = pytest.mark.django_db


def test_list_and_detail_are_scoped(personas: Personas, make_resident: MakeResident) -> None:
    r = make_resident(name="欧阳娜")
    c = personas.client(personas.clerk)
    page = c.get(reverse("people:residents"), {"q": "oyn"})
    assert page.status_code == 200
    assert "欧阳娜" in page.text and r.id_number_masked in page.text
    assert cipher().decrypt(r.id_number_enc) not in page.text
    other = personas.client(personas.lichuan_clerk)
    assert "欧阳娜" not in other.get(reverse("people:residents")).text
    assert other.get(r.get_absolute_url()).status_code == 404
    assert c.get(r.get_absolute_url()).status_code == 200


def test_search_by_exact_id_and_phone(personas: Personas, make_resident: MakeResident) -> None:
    number = new_id_number()
    make_resident(name="向阳", id_number=number, phone="13698765432")
    make_resident(name="别人")
    c = personas.client(personas.clerk)
    for q in (number, "136 9876 5432"):
        text = c.post(reverse("people:residents"), {"q": q}).text
        assert "向阳" in text and "别人" not in text


def test_register_form_with_a_token_creates_one(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    data = {
        "unit": personas.grid.pk,
        "name": "田小花",
        "id_number": new_id_number(male=False),
        "ethnicity": "土家族",
        "registration_type": "registered",
        "client_token": "form-token-1",
    }
    first = c.post(reverse("people:resident_create"), data)
    second = c.post(reverse("people:resident_create"), data)
    assert first.status_code == second.status_code == 302
    assert Resident.objects.filter(name="田小花").count() == 1


def test_register_form_shows_field_errors_in_chinese(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    response = c.post(
        reverse("people:resident_create"),
        {
            "unit": personas.grid.pk,
            "name": "某",
            "id_number": "422801199002300011",
            "gender": "female",
            "ethnicity": "汉族",
            "registration_type": "registered",
        },
    )
    assert response.status_code == 400
    assert "出生日期 1990-02-30 不存在" in response.text
    assert not Resident.objects.exists()


def test_a_duplicate_in_the_form_links_to_the_existing_record(
    personas: Personas, make_resident: MakeResident
) -> None:
    number = new_id_number()
    r = make_resident(id_number=number, name="已登记")
    response = personas.client(personas.clerk).post(
        reverse("people:resident_create"),
        {
            "unit": personas.grid.pk,
            "name": "已登记",
            "id_number": number,
            "ethnicity": "汉族",
            "registration_type": "registered",
        },
    )
    assert response.status_code == 400
    assert r.get_absolute_url() in response.text


def test_reveal_page_flow(personas: Personas, make_resident: MakeResident) -> None:
    r = make_resident()
    number = cipher().decrypt(r.id_number_enc)
    url = reverse("people:resident_reveal", args=[r.pk])
    clerk = personas.client(personas.clerk)
    assert "查看身份证号" not in clerk.get(r.get_absolute_url()).text
    assert clerk.post(url, {"field": "id_number", "reason": "核对材料"}).status_code == 403
    director = personas.client(personas.director)
    bad = director.post(url, {"field": "id_number", "reason": ""})
    assert bad.status_code == 400 and number not in bad.text
    ok = director.post(url, {"field": "id_number", "reason": "核对低保材料"})
    assert ok.status_code == 200 and number in ok.text
    assert Event.objects.filter(verb="resident.revealed", actor=personas.director).count() == 1
    assert (
        personas.client(personas.lichuan_clerk).post(url, {"field": "id_number"}).status_code == 404
    )


def test_edit_keeps_the_phone_when_untouched(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident(name="旧名")
    c = personas.client(personas.clerk)
    form = c.get(reverse("people:resident_edit", args=[r.pk]))
    assert form.status_code == 200
    response = c.post(
        reverse("people:resident_edit", args=[r.pk]),
        {
            "unit": personas.grid.pk,
            "name": "新名",
            "id_number": "",
            "phone": r.phone_masked,
            "ethnicity": "汉族",
            "registration_type": "registered",
        },
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.name == "新名" and cipher().decrypt(r.phone_enc) == "13812345678"
    assert (
        personas.client(personas.county)
        .get(reverse("people:resident_edit", args=[r.pk]))
        .status_code
        == 403
    )


def test_household_pages(personas: Personas, make_resident: MakeResident) -> None:
    head, child = make_resident(name="户主甲"), make_resident(name="孩子乙")
    c = personas.client(personas.clerk)
    c.post(
        reverse("people:household_create"), {"head": head.pk, "number": "A-1", "client_token": "t"}
    )
    household = Household.objects.get()
    response = c.post(
        reverse("people:household_add_member", args=[household.pk]),
        {"who": str(child.pk), "relation": "child"},
    )
    assert response.status_code == 302
    page = c.get(household.get_absolute_url())
    assert "户主甲" in page.text and "孩子乙" in page.text
    url = reverse("people:household_add_member", args=[household.pk])
    assert c.post(url, {"make_head": child.pk, "former_head_relation": "parent"}).status_code == 302
    assert household.members.get(relation="head").resident == child
    assert (
        personas.client(personas.lichuan_clerk).get(household.get_absolute_url()).status_code == 404
    )


def test_categories_page_and_grant(personas: Personas, make_resident: MakeResident) -> None:
    r = make_resident()
    c = personas.client(personas.clerk)
    low = Category.objects.get(code="minimum_living")
    response = c.post(
        reverse("people:resident_grant", args=[r.pk]),
        {"category": low.pk, "valid_from": "2025-01-01", "evidence": "批复2025-1号"},
    )
    assert response.status_code == 302
    page = c.get(reverse("people:categories"))
    assert "低保对象" in page.text
    assert c.post(reverse("people:categories"), {"code": "x", "name": "x"}).status_code == 403
    p = personas.client(personas.prefecture)
    assert (
        p.post(reverse("people:categories"), {"code": "veteran", "name": "退役军人"}).status_code
        == 302
    )


def test_import_pages(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    assert c.get(reverse("people:import_template")).status_code == 200
    upload = sheet(
        [
            ["甲", new_id_number(), "", "", "", "", "", "", ""],
            ["乙", "123", "", "", "", "", "", "", ""],
        ]
    )
    upload.name = "居民.xlsx"
    response = c.post(reverse("people:import"), {"unit": personas.grid.pk, "file": upload})
    assert response.status_code == 302
    result = c.get(response["Location"])
    assert "校验" in result.text or "18位" in result.text
    errors = c.get(response["Location"] + "errors.xlsx")
    assert errors.status_code == 200
    assert personas.client(personas.lichuan_clerk).get(response["Location"]).status_code == 404
    bad = io.BytesIO(b"not excel")
    bad.name = "x.xlsx"
    assert (
        c.post(reverse("people:import"), {"unit": personas.grid.pk, "file": bad}).status_code == 400
    )


def test_export_is_masked_unless_revealed_with_a_reason(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident()
    number = cipher().decrypt(r.id_number_enc)
    # Exports are for community leads and above (issue 11); a clerk's is refused.
    assert personas.client(personas.clerk).post(reverse("people:export")).status_code == 302
    c = personas.client(personas.county)
    masked = c.post(reverse("people:export"))
    assert masked.status_code == 200
    cells = repr(list(load_workbook(io.BytesIO(masked.content)).worksheets[0].values))
    assert r.id_number_masked in cells and number not in cells
    d = personas.client(personas.director)
    refused = d.post(reverse("people:export"), {"reveal": "on", "reason": "核对"})
    assert refused.status_code == 302
    full = d.post(reverse("people:export"), {"reveal": "on", "reason": "报送民政局"})
    assert number in repr(list(load_workbook(io.BytesIO(full.content)).worksheets[0].values))
    assert Event.objects.filter(verb="resident.exported", after__revealed=True).count() == 1


def test_initials_use_surname_readings() -> None:
    from shequ.people.cleaning import initials

    assert initials("覃春兰") == "qcl"
    assert initials("曾 国藩") == "zgf"
    assert initials("张三Tom") == "zst"


def test_a_community_filter_shows_quorum_counts(
    personas: Personas, make_resident: MakeResident
) -> None:
    make_resident()
    community = unit(GUANPO)
    c = personas.client(personas.clerk)
    page = c.get(reverse("people:residents"), {"unit": community.pk})
    assert "在册居民 1 人,0 户,18岁以上 1 人" in page.text
    assert "Excel 导入" in page.text
    assert (
        "Excel 导入" not in personas.client(personas.county).get(reverse("people:residents")).text
    )


def test_junk_ids_in_the_query_are_404(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    assert c.get(reverse("people:residents"), {"unit": "9" * 30}).status_code == 404
    assert c.get(reverse("people:residents"), {"unit": "abc"}).status_code == 404


def test_pages_and_messages_in_english(personas: Personas, make_resident: MakeResident) -> None:
    r = make_resident()
    c = personas.client(personas.clerk)
    page = c.get(r.get_absolute_url(), headers={"Accept-Language": "en"})
    assert "ID number" in page.text and "身份证号" not in page.text
    bad = c.post(
        reverse("people:resident_create"),
        {
            "unit": personas.grid.pk,
            "name": "x",
            "id_number": "123",
            "ethnicity": "汉族",
            "registration_type": "registered",
        },
        headers={"Accept-Language": "en"},
    )
    assert "An ID number has 18 digits" in bad.text
