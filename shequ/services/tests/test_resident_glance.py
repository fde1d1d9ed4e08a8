"""The resident at a glance: their cases on their page (open first) with a 登记办件 button
prefilled with them; an ID number not in the registry registered on the spot, the draft
kept; a second open case of one item for one resident confirmed before it is saved."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from conftest import Personas, ReceiveCase, new_id_number
from shequ.orgs.crypto import cipher
from shequ.people.models import Resident
from shequ.services.actions import do_accept_case, do_complete_case
from shequ.services.models import Case


def _form(client: object, path: str) -> dict[str, object]:
    page = client.get(path)  # type: ignore[attr-defined]
    assert page.status_code == 200
    form = page.context["form"]
    return {"unit": form.initial["unit"].pk, "client_token": form.initial["client_token"]}


def test_it_shows_the_residents_cases_open_first_with_a_prefilled_register_button(
    receive: ReceiveCase, personas: Personas, resident: Resident
) -> None:
    done = receive("LD-001")
    do_accept_case(personas.clerk, done)
    do_complete_case(personas.clerk, done, result="已办结")
    open_case = receive("MZ-001")
    client = personas.client(personas.clerk)
    page = client.get(resident.get_absolute_url())
    assert reverse("services:resident_cases", args=[resident.pk]) in page.text
    assert reverse("agency:resident_authorizations", args=[resident.pk]) in page.text
    panel = client.get(
        reverse("services:resident_cases", args=[resident.pk]), headers={"HX-Request": "true"}
    )
    assert panel.status_code == 200
    assert "<html" not in panel.text  # the fragment only
    numbers = re.findall(r">(\d{15})</a>", panel.text)
    assert numbers == [open_case.number, done.number]
    button = f"{reverse('services:case_new')}?resident={resident.pk}"
    assert button in panel.text
    # the button's form names the resident and asks no ID number
    form = client.get(button)
    assert form.status_code == 200
    assert 'id="chosen-resident"' in form.text and resident.name in form.text
    assert 'name="resident_id_number"' not in form.text
    data = {**_form(client, button), "item": "SQ-003", "channel": "window"}
    response = client.post(
        reverse("services:case_new"),
        {**data, "applicant_kind": "resident", "resident": resident.pk},
    )
    assert response.status_code == 302
    assert Case.objects.filter(resident=resident, item__code="SQ-003").count() == 1


def test_another_communitys_resident_is_not_found(
    personas: Personas, resident: Resident, catalogue: int
) -> None:
    client = personas.client(personas.lichuan_clerk)
    assert client.get(reverse("services:resident_cases", args=[resident.pk])).status_code == 404
    assert client.get(f"{reverse('services:case_new')}?resident={resident.pk}").status_code == 404
    clerk = personas.client(personas.clerk)
    data = {**_form(clerk, reverse("services:case_new")), "item": "SQ-003", "channel": "window"}
    response = personas.client(personas.lichuan_clerk).post(
        reverse("services:case_new"),
        {**data, "applicant_kind": "resident", "resident": resident.pk},
    )
    assert response.status_code in (200, 403)
    assert "未找到该居民" in response.text or response.status_code == 403
    assert not Case.objects.exists()


def test_an_unknown_id_number_is_registered_on_the_spot_without_losing_the_draft(
    personas: Personas, catalogue: int
) -> None:
    client = personas.client(personas.clerk)
    number = new_id_number(dt.date(1988, 2, 29))
    draft = {
        **_form(client, reverse("services:case_new")),
        "item": "SQ-003",
        "channel": "window",
        "applicant_kind": "resident",
        "resident_id_number": number,
        "contact_name": "覃小燕",
        "contact_phone": "13972700088",
        "summary": "开具居住证明,用于子女入学。",
    }
    first = client.post(reverse("services:case_new"), draft)
    assert first.status_code == 200
    assert 'id="new-resident"' in first.text
    # what was typed is all still there, and prefills the registry's form
    assert "开具居住证明,用于子女入学。" in first.text
    assert f'name="new-id_number" value="{number}"' in first.text
    assert 'name="new-name" value="覃小燕"' in first.text
    assert not Resident.objects.exists() and not Case.objects.exists()
    new = first.context["resident_form"]
    second = client.post(
        reverse("services:case_new"),
        {
            **draft,
            "op": "register_resident",
            "new-client_token": new.initial["client_token"],
            "new-unit": personas.guanpo.pk,
            "new-name": "覃小燕",
            "new-id_number": number,
            "new-ethnicity": "土家族",
            "new-phone": "13972700088",
            "new-registration_type": "registered",
        },
    )
    assert second.status_code == 302
    resident = Resident.objects.get()
    assert resident.name == "覃小燕" and cipher().decrypt(resident.id_number_enc) == number
    case = Case.objects.get()
    assert case.resident == resident
    assert case.summary == "开具居住证明,用于子女入学。"


def test_a_second_open_case_of_one_item_warns_links_the_first_and_waits_for_confirmation(
    receive: ReceiveCase, personas: Personas, resident: Resident
) -> None:
    first = receive("MZ-001")
    client = personas.client(personas.clerk)
    data = {
        **_form(client, reverse("services:case_new")),
        "item": "MZ-001",
        "channel": "window",
        "applicant_kind": "resident",
        "resident_id_number": cipher().decrypt(resident.id_number_enc),
    }
    warned = client.post(reverse("services:case_new"), data)
    assert warned.status_code == 200
    assert 'id="duplicates"' in warned.text
    assert first.get_absolute_url() in warned.text
    assert Case.objects.count() == 1
    # the confirm step carries the resident found, not the number looked up again
    assert f'name="resident" value="{resident.pk}"' in warned.text
    confirmed = client.post(
        reverse("services:case_new"), {**data, "resident": resident.pk, "confirm_duplicate": "1"}
    )
    assert confirmed.status_code == 302
    assert Case.objects.filter(item__code="MZ-001", resident=resident).count() == 2


def test_a_closed_case_of_the_item_does_not_warn(
    receive: ReceiveCase, personas: Personas, resident: Resident
) -> None:
    done = receive("LD-001")
    do_accept_case(personas.clerk, done)
    do_complete_case(personas.clerk, done, result="已办结")
    client = personas.client(personas.clerk)
    data = {
        **_form(client, reverse("services:case_new")),
        "item": "LD-001",
        "channel": "window",
        "applicant_kind": "resident",
        "resident": resident.pk,
    }
    assert client.post(reverse("services:case_new"), data).status_code == 302
