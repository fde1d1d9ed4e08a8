"""Spreadsheet import: valid rows saved, bad rows reported by line, re-import adds nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from conftest import GUANPO, Personas, unit
from shequ.lib.idcard import make_id_number
from shequ.orgs.models import Event
from shequ.people.actions import do_import_residents
from shequ.people.crypto import cipher
from shequ.people.importing import COLUMNS, error_workbook, template_workbook
from shequ.people.models import Resident
from shequ.people.search import search_residents

pytestmark = pytest.mark.django_db

HEADERS = [h for h, _f, _r in COLUMNS]


def sheet(rows: list[list[Any]], headers: list[str] = HEADERS) -> io.BytesIO:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def synthetic_rows(n: int, bad_every: int = 0) -> tuple[list[list[Any]], set[int]]:
    """``n`` rows; every ``bad_every``-th is broken in one of several ways. Returns bad lines."""
    rows, bad = [], set()
    start = dt.date(1940, 1, 1)
    for i in range(n):
        birth = start + dt.timedelta(days=i // 400)
        number = make_id_number("422801", birth, (i % 400) * 2 + 1)
        row: list[Any] = [f"居民{i}", number, "男", birth, "土家族", f"139{i:08d}", "", "", "户籍"]
        if bad_every and i % bad_every == bad_every - 1:
            kind = (i // bad_every) % 5
            if kind == 0:
                row[1] = number[:17] + ("1" if number[17] != "1" else "2")  # check digit
            elif kind == 1:
                row[2] = "女"  # gender contradicts the number
            elif kind == 2:
                row[1] = number[:-1]  # 17 digits
            elif kind == 3:
                row[5] = "12345"  # not a mobile
            else:
                row[0] = ""  # no name
            bad.add(i + 2)
        rows.append(row)
    return rows, bad


def test_ten_thousand_rows_with_a_hundred_bad_ones(personas: Personas) -> None:
    rows, bad = synthetic_rows(10_000, bad_every=100)
    assert len(bad) == 100
    data = sheet(rows).getvalue()
    batch = do_import_residents(
        personas.clerk, unit=personas.grid, handle=io.BytesIO(data), file_name="居民.xlsx"
    )
    assert (batch.rows, batch.created, batch.skipped, len(batch.errors)) == (10_000, 9_900, 0, 100)
    assert {line for line, *_rest in batch.errors} == bad
    reasons = " ".join(e[3] for e in batch.errors)
    for word in ("校验位", "性别与身份证号不符", "应为18位", "手机号", "请填写姓名"):
        assert word in reasons
    assert Resident.objects.filter(unit=personas.grid).count() == 9_900
    again = do_import_residents(
        personas.clerk, unit=personas.grid, handle=io.BytesIO(data), file_name="居民.xlsx"
    )
    assert (again.created, again.skipped, len(again.errors)) == (0, 9_900, 100)
    assert Resident.objects.count() == 9_900
    assert Event.objects.filter(verb="resident.imported").count() == 2
    # The error sheet lists line and reason, with the number masked.
    ws = load_workbook(io.BytesIO(error_workbook(batch.errors)), read_only=True).worksheets[0]
    listed = list(ws.iter_rows(values_only=True))
    assert listed[0][0] == "行号" and len(listed) == 101
    for row in rows:
        assert row[1] not in repr(listed)


def test_rows_go_to_grids_by_name_and_duplicates_in_the_file_are_reported(
    personas: Personas,
) -> None:
    guanpo = unit(GUANPO)
    n1 = make_id_number("422801", dt.date(1970, 1, 1), 1)
    n2 = make_id_number("422801", dt.date(1970, 1, 1), 3)
    data = sheet(
        [
            ["甲", n1, "", "", "", "", personas.grid.name, "", ""],
            ["乙", n2, "", "", "", 13912345678, "", "", "流动"],
            ["丙", n1, "", "", "", "", "", "", ""],
            [
                "丁",
                make_id_number("422801", dt.date(1970, 1, 1), 5),
                "",
                "",
                "",
                "",
                "第99网格",
                "",
                "",
            ],
            ["戊", 422801197001010071.0, "", "", "", "", "", "", ""],
        ]
    )
    batch = do_import_residents(personas.director, unit=guanpo, handle=data, file_name="a.xlsx")
    assert batch.created == 2
    first = Resident.objects.get(name="甲")
    assert first.unit == personas.grid
    # Rows inserted by the importer read back like rows made by the actions.
    assert cipher().decrypt(first.id_number_enc) == n1
    assert (first.status, first.created_by, first.registered_on) == (
        "living",
        personas.director,
        timezone.localdate(),
    )
    assert abs((timezone.now() - first.created_at).total_seconds()) < 60
    assert (first.gender, first.birth_date, first.name_initials) == (
        "male",
        dt.date(1970, 1, 1),
        "j",
    )
    assert search_residents(personas.director, q=n1).get() == first
    second = Resident.objects.get(name="乙")
    assert (second.unit, second.registration_type, second.phone_masked) == (
        guanpo,
        "floating",
        "139****5678",
    )
    errors = {e[0]: e[3] for e in batch.errors}
    assert "第2行重复" in errors[4]
    assert "第99网格" in errors[5]
    assert "文本" in errors[6]


def test_a_file_without_the_headers_or_not_excel_is_refused(personas: Personas) -> None:
    with pytest.raises(ValidationError, match="缺少必填列"):
        do_import_residents(
            personas.clerk, unit=personas.grid, handle=sheet([], ["名字"]), file_name="x.xlsx"
        )
    with pytest.raises(ValidationError, match="Excel"):
        do_import_residents(
            personas.clerk, unit=personas.grid, handle=io.BytesIO(b"a,b\n"), file_name="x.csv"
        )


def test_outsiders_cannot_import_here(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        do_import_residents(
            personas.lichuan_clerk, unit=personas.grid, handle=sheet([]), file_name="x.xlsx"
        )


def test_the_template_has_the_columns() -> None:
    wb = load_workbook(io.BytesIO(template_workbook()))
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS


def test_a_concurrent_import_of_the_same_numbers_is_refused_cleanly(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shequ.people import importing
    from shequ.people.actions import do_register_resident

    number = make_id_number("422801", dt.date(1970, 1, 1), 7)
    data = sheet([["甲", number, "", "", "", "", "", "", ""]]).getvalue()
    do_register_resident(None, unit=personas.grid, name="甲", id_number=number)

    class NotYetCommitted:
        """Another clerk's import saves the number after this one has checked."""

        _meta = Resident._meta

        class objects:
            @staticmethod
            def filter(**kwargs: object) -> QuerySet[Resident]:
                return Resident.objects.none()

    monkeypatch.setattr(importing, "Resident", NotYetCommitted)
    with pytest.raises(ValidationError, match="重新导入"):
        do_import_residents(
            personas.clerk, unit=personas.grid, handle=io.BytesIO(data), file_name="a.xlsx"
        )
    assert Resident.objects.count() == 1
