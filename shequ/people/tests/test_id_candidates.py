"""Issue 11, item 1: from everything a role without the reveal right sees of a resident,
the ID number cannot be narrowed to fewer than 1,000 candidates.

Fails on the code before issue 11: the mask kept the last four characters and every
page, the API and the export showed the full birth date (1 candidate left).
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

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
