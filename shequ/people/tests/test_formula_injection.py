"""Issue 11, item 5: a resident named like a formula exports as text. (Already true on
main when issue 11 started: every sheet goes through shequ.lib.xlsx, which defuses
=, +, -, @, tab and carriage return; this pins it for the resident export.)"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import Personas
from shequ.people.tests.conftest import MakeResident

pytestmark = pytest.mark.django_db


def test_a_formula_name_exports_as_text(personas: Personas, make_resident: MakeResident) -> None:
    make_resident(name='=HYPERLINK("http://example.org","x")')
    sheet = personas.client(personas.director).post(reverse("people:export"))
    ws = load_workbook(io.BytesIO(sheet.content)).worksheets[0]
    names = [row[1].value for row in ws.iter_rows(min_row=2)]
    assert names == ['\'=HYPERLINK("http://example.org","x")']
    assert all(row[1].data_type == "s" for row in ws.iter_rows(min_row=2))
