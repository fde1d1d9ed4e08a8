"""Issue 11, item 1: from everything a role without the reveal right sees of a resident,
the ID number cannot be narrowed to fewer than 1,000 candidates.

Fails on the code before issue 11: the mask kept the last four characters and every
page, the API and the export showed the full birth date (1 candidate left).
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from conftest import Personas
from shequ.lib.idcard import make_id_number
from shequ.lib.masking import mask_id_number
from shequ.orgs.models import Role
from shequ.people import access
from shequ.people.actions import do_create_household
from shequ.people.crypto import cipher
from shequ.people.masking import (
    MIN_CANDIDATES,
    Seen,
    candidates_in_text,
    count_candidates,
    seen_by,
)
from shequ.people.models import HouseholdMember, Resident
from shequ.people.tests.conftest import MakeResident

pytestmark = pytest.mark.django_db

NON_REVEAL = ["clerk", "agent", "grid_worker", "mediator", "legal_advisor", "volunteer"]


def test_it_counts_one_candidate_for_the_old_view_and_thousands_for_the_new() -> None:
    number = make_id_number("422801", dt.date(1968, 7, 15), 185)
    old_mask = number[:4] + "*" * 10 + number[-4:]
    day = dt.date(1968, 7, 15)
    assert count_candidates(Seen(old_mask, day, day, "male"), "422801") == 1
    year = Seen(mask_id_number(number), dt.date(1968, 1, 1), dt.date(1968, 12, 31), "male")
    assert count_candidates(year, "422801") >= MIN_CANDIDATES
    # The birth year and the age together narrow the birthday to one side of today.
    assert (
        count_candidates(
            Seen(mask_id_number(number), dt.date(1968, 12, 3), dt.date(1968, 12, 31), "male"),
            "422801",
        )
        < MIN_CANDIDATES
    )


def test_it_reads_what_a_text_gives_away() -> None:
    number = make_id_number("422801", dt.date(1968, 7, 15), 185)
    r = Resident(birth_date=dt.date(1968, 7, 15), gender="male")
    today = dt.date(2026, 12, 2)
    leaky = f"{number[:4]}**********{number[-4:]} 1968-07-15"
    assert candidates_in_text(leaky, r, number, today=today) == 1
    assert candidates_in_text(f"{mask_id_number(number)} 1968", r, number, today=today) >= 3000
    # Born 20 December: on 2 December the age (57) and the year leave 29 days.
    late = Resident(birth_date=dt.date(1968, 12, 20), gender="male")
    december = make_id_number("422801", dt.date(1968, 12, 20), 185)
    text = f"{mask_id_number(december)} 1968 57岁"
    assert candidates_in_text(text, late, december, today=today) < MIN_CANDIDATES
    assert candidates_in_text(number, r, number, today=today) == 1


def _views(personas: Personas, role: str, r: Resident) -> dict[str, str]:
    """Everything ``role`` is shown of ``r``: pages, API, search, export, events."""
    user = getattr(personas, role)
    c = personas.client(user)
    out: dict[str, str] = {
        "list": c.get(reverse("people:residents"), {"q": r.name}).content.decode(),
        "detail": c.get(r.get_absolute_url()).content.decode(),
        "api list": c.get("/api/v1/people/residents", {"q": r.name}).content.decode(),
        "api detail": c.get(f"/api/v1/people/residents/{r.pk}").content.decode(),
        "events": c.get(reverse("orgs:events")).content.decode(),
    }
    household = HouseholdMember.objects.get(resident=r).household
    out["household"] = c.get(household.get_absolute_url()).content.decode()
    export = c.post(reverse("people:export"), {"q": r.name})
    if export.status_code == 200:
        cells = load_workbook(io.BytesIO(export.content)).worksheets[0].values
        out["export"] = json.dumps([list(map(str, row)) for row in cells], ensure_ascii=False)
    return out


@pytest.mark.parametrize("role", NON_REVEAL)
def test_no_role_without_the_reveal_right_narrows_the_number(
    personas: Personas, make_resident: MakeResident, role: str
) -> None:
    born = dt.date(1968, 7, 15)
    number = make_id_number("422801", born, 185)
    r = make_resident(name="邓德全", id_number=number, birth=born)
    do_create_household(None, head=r, number="GP-0001", address="官坡社区1号")
    today = timezone.localdate()
    for where, text in _views(personas, role, r).items():
        count = candidates_in_text(text, r, number, today=today)
        assert count >= MIN_CANDIDATES, f"{role} narrows the number to {count} on {where}"
    seen = seen_by(getattr(personas, role), r)
    if seen is not None:
        assert count_candidates(seen, number[:6]) >= MIN_CANDIDATES


def test_the_birth_date_shows_with_a_revealed_number_only(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident(birth=dt.date(1975, 2, 9))
    c = personas.client(personas.director)
    assert "1975-02-09" not in c.get(r.get_absolute_url()).content.decode()
    revealed = c.post(
        reverse("people:resident_reveal", args=[r.pk]),
        {"field": "id_number", "reason": "核对低保材料"},
    )
    assert cipher().decrypt(r.id_number_enc) in revealed.content.decode()
    assert revealed["Cache-Control"] == "no-store"


def test_the_whole_registry_keeps_a_thousand_candidates(
    personas: Personas, make_resident: MakeResident
) -> None:
    for i, born in enumerate([dt.date(1950, 1, 1), dt.date(2000, 2, 29), dt.date(2026, 1, 2)]):
        make_resident(name=f"居民{i}", birth=born)
    from shequ.people.masking import smallest_count

    for role in NON_REVEAL:
        user = getattr(personas, role)
        found = smallest_count(user)
        if not access.residents_for_user(user).exists():
            assert found is None
            continue
        assert found is not None and found[0] >= MIN_CANDIDATES, (role, found)
    assert Role.CLERK not in access.REVEAL_ROLES


def test_the_import_error_list_does_not_quote_the_numbers_birth_date(
    personas: Personas,
) -> None:
    """A row refused for its birth date, another for its check digit: the list is kept
    and read by every registry role in scope, beside the masked number (and, once the row
    is fixed and imported, the birth year on the resident's page)."""
    from shequ.people.actions import do_import_residents
    from shequ.people.importing import COLUMNS

    born = dt.date(1968, 7, 15)
    number = make_id_number("422801", born, 185)
    wrong_check = number[:17] + ("1" if number[17] != "1" else "2")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([h for h, _f, _r in COLUMNS])
    ws.append(["邓德全", number, "男", "1968-07-16", "土家族", "", "", "", "户籍"])
    ws.append(["邓德全", wrong_check, "男", "", "土家族", "", "", "", "户籍"])
    data = io.BytesIO()
    wb.save(data)
    data.seek(0)
    batch = do_import_residents(personas.clerk, unit=personas.grid, handle=data, file_name="x")
    assert len(batch.errors) == 2
    r = Resident(birth_date=born, gender="male")
    today = timezone.localdate()
    for role in ("clerk", "agent", "grid_worker"):
        c = personas.client(getattr(personas, role))
        page = c.get(reverse("people:import_result", args=[batch.pk]))
        sheet_ = c.get(reverse("people:import_errors", args=[batch.pk]))
        assert page.status_code == sheet_.status_code == 200
        cells = load_workbook(io.BytesIO(sheet_.content)).worksheets[0].values
        for where, text in {
            "page": page.content.decode(),
            "sheet": json.dumps([list(map(str, row)) for row in cells], ensure_ascii=False),
        }.items():
            assert "出生日期" in text and "校验位" in text  # the reasons are still there
            count = candidates_in_text(f"{text} {born.year}", r, number, today=today)
            assert count >= MIN_CANDIDATES, f"{role} narrows the number to {count} on the {where}"
            assert f"应为 {number[17]}" not in text


def test_editing_without_the_number_does_not_answer_whether_a_birth_date_is_right(
    personas: Personas, make_resident: MakeResident
) -> None:
    """A clerk edits a resident and leaves the number out (it is never shown): a typed
    birth date was checked against the stored number, and the refusal quoted it."""
    born = dt.date(1968, 7, 15)
    r = make_resident(name="邓德全", birth=born)
    c = personas.client(personas.clerk)
    form = {
        "unit": r.unit_id,
        "name": r.name,
        "id_number": "",
        "ethnicity": r.ethnicity,
        "address": "官坡社区1号",
        "registration_type": r.registration_type,
        "phone": r.phone_masked,
    }
    for typed in ("1900-01-01", born.isoformat()):  # wrong or right: the same answer
        page = c.post(reverse("people:resident_edit", args=[r.pk]), {**form, "birth_date": typed})
        assert page.status_code == 400
        text = page.content.decode().replace(typed, "")  # the clerk's own input echoed back
        assert (
            candidates_in_text(
                text, r, cipher().decrypt(r.id_number_enc), today=timezone.localdate()
            )
            >= MIN_CANDIDATES
        )
    api = c.put(
        f"/api/v1/people/residents/{r.pk}",
        json.dumps({"unit_id": r.unit_id, "name": r.name, "birth_date": "1900-01-01"}),
        content_type="application/json",
    )
    assert api.status_code == 422 and "birth_date" in api.json()["errors"]
    assert born.isoformat() not in api.content.decode()
    # Without a birth date the edit goes through; with a retyped number it is checked.
    assert c.post(reverse("people:resident_edit", args=[r.pk]), form).status_code == 302


def test_lists_kept_before_lose_the_dates_and_check_digits(personas: Personas) -> None:
    from django.apps import apps

    from shequ.people.models import ImportBatch

    migration = importlib.import_module(
        "shequ.people.migrations.0005_import_errors_without_birth_dates"
    )
    old = [
        [
            2,
            "邓德全",
            "4228************52",
            "出生日期:出生日期与身份证号不符:按身份证号应为 1968-07-15。",
        ],
        [
            3,
            "邓德全",
            "4228************51",
            "身份证号:身份证号校验位不正确,请逐位核对(最后一位应为 2)。",
        ],
    ]
    batch = ImportBatch.objects.create(
        unit=personas.grid, file_name="x", file_sha256="0", errors=old
    )
    migration.scrub_batches(apps, None)
    batch.refresh_from_db()
    assert "1968-07-15" not in str(batch.errors) and "应为 2" not in str(batch.errors)
    assert batch.errors[1][3] == "身份证号:身份证号校验位不正确,请逐位核对。"
