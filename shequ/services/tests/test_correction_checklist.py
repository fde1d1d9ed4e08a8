"""一次性告知: the correction step is a checklist of the item's materials, and the notice
lists every missing item exactly once; the deferrable materials are a checkbox list."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from conftest import Personas, ReceiveCase
from shequ.services.models import CaseStatus


def test_it_offers_each_material_of_the_item_as_a_checkbox(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = receive("MZ-001")
    page = personas.client(personas.clerk).get(case.get_absolute_url())
    form = re.search(r'<form[^>]*id="step-return".*?</form>', page.text, re.S)
    assert form is not None
    boxes = re.findall(r'<input type="checkbox" name="missing" value="([^"]+)"', form.group(0))
    assert boxes == [m.name for m in case.item.materials.all()]
    assert "家庭财产申报表" in boxes
    assert 'name="missing_other"' in form.group(0)


def test_the_notice_lists_every_missing_item_exactly_once(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = receive("MZ-001")
    client = personas.client(personas.clerk)
    response = client.post(
        reverse("services:case_step", args=[case.pk, "return"]),
        {
            "missing": ["家庭财产申报表", "家庭成员收入情况声明"],
            # typed again by hand, and something not on the list
            "missing_other": "家庭财产申报表\n\n近三个月银行流水\n近三个月银行流水",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    notice = client.get(reverse("services:case_notice", args=[case.pk, "returned"])).text
    listed = re.findall(r"<li>([^<]+)</li>", notice)
    assert listed == ["家庭财产申报表", "家庭成员收入情况声明", "近三个月银行流水"]


def test_a_material_not_on_the_items_list_cannot_be_ticked(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = receive("MZ-001")
    response = personas.client(personas.clerk).post(
        reverse("services:case_step", args=[case.pk, "return"]), {"missing": ["营业执照"]}
    )
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert not case.pauses.exists()


def test_nothing_ticked_and_nothing_written_is_refused(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = receive("MZ-001")
    response = personas.client(personas.clerk).post(
        reverse("services:case_step", args=[case.pk, "return"]), {"missing_other": "  \n"}
    )
    assert response.status_code == 400
    assert "请列出需要补正的全部材料" in response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_the_deferrable_materials_are_a_checkbox_list(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = receive("MZ-001")
    client = personas.client(personas.clerk)
    page = client.get(case.get_absolute_url()).text
    form = re.search(r'<form[^>]*id="step-accept".*?</form>', page, re.S)
    assert form is not None
    box = re.search(r'<input type="checkbox" name="deferred_materials"[^>]*>', form.group(0))
    assert box is not None and 'class="form-check-input"' in box.group(0)
    assert "残疾证、病历等致贫原因证明" in form.group(0)
    # only the deferrable ones are offered
    assert 'name="deferred_materials" value="家庭财产申报表"' not in form.group(0)
    soon = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("services:case_step", args=[case.pk, "accept"]),
        {"deferred_materials": ["残疾证、病历等致贫原因证明"], "materials_due_on": soon},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.deferred_materials == ["残疾证、病历等致贫原因证明"]
