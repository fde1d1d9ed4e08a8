"""Spreadsheets in and out: the import template, row-by-row import, error sheet, export.

The import streams the file (openpyxl read-only) in batches: each row is checked with
the same rules as the form, valid rows are encrypted and bulk-inserted, invalid rows
are reported with their line number and a Chinese reason. A number that is already
registered where the user can see it is skipped, so importing a file twice adds
nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from shequ.lib.masking import mask_id_number
from shequ.lib.xlsx import safe_row
from shequ.orgs import access as org_access
from shequ.orgs.models import OrgUnit, UnitKind, User
from shequ.people.cleaning import clean_resident
from shequ.people.crypto import cipher, protect_id_number, protect_phone
from shequ.people.masking import birth_year
from shequ.people.models import (
    CategoryMembership,
    Gender,
    RegistrationType,
    Resident,
    ResidentStatus,
)

# (header, field, required)
COLUMNS: list[tuple[str, str, bool]] = [
    ("姓名", "name", True),
    ("身份证号", "id_number", True),
    ("性别", "gender", False),
    ("出生日期", "birth_date", False),
    ("民族", "ethnicity", False),
    ("手机号", "phone", False),
    ("网格", "grid", False),
    ("住址", "address", False),
    ("户籍类型", "registration_type", False),
]
FIELD_LABELS = {
    "name": "姓名",
    "id_number": "身份证号",
    "gender": "性别",
    "birth_date": "出生日期",
    "ethnicity": "民族",
    "phone": "手机号",
    "grid": "网格",
    "address": "住址",
    "registration_type": "户籍类型",
}
BATCH_SIZE = 1000
MAX_ROWS = 200_000


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    skipped: int = 0
    errors: list[list[Any]] = field(default_factory=list)  # [line, name, masked id, reason]
    sha256: str = ""


def template_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active or wb.create_sheet()
    ws.title = "居民"
    ws.append([h for h, _f, _r in COLUMNS])
    for col in ("B", "F"):  # numbers as text, or Excel rounds 18 digits
        for row in range(2, 2001):
            ws[f"{col}{row}"].number_format = "@"
    notes = wb.create_sheet("填写说明")
    for line in [
        "必须填写:姓名、身份证号。第1行是列名,请勿改动。",
        "身份证号、手机号请设为“文本”格式,否则 Excel 会把18位号码改成科学计数法。",
        "性别、出生日期可不填,按身份证号计算;填写时须与身份证号一致。",
        "户籍类型填写“户籍”“常住”或“流动”,不填为“户籍”。",
        "网格填写本社区网格名称(如“第1网格”),不填则登记在社区。",
        "已登记的身份证号会被跳过,同一文件重复导入不会重复登记。",
    ]:
        notes.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell_text(value: Any, *, digits: bool = False) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and digits:
        if value.is_integer() and value < 1e15:
            return f"{value:.0f}"
        return None  # 18 digits stored as a number have lost their last digits
    if isinstance(value, str):
        return value.strip().lstrip("'")
    return value


def _rows(handle: IO[bytes]) -> tuple[dict[str, int], Iterator[tuple[Any, ...]]]:
    try:
        wb = load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, TypeError) as error:
        raise ValidationError({"file": _("无法读取该文件,请上传 Excel(.xlsx)文件。")}) from error
    except Exception as error:  # zipfile.BadZipFile and friends from a damaged upload
        raise ValidationError({"file": _("无法读取该文件,请上传 Excel(.xlsx)文件。")}) from error
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions: dict[str, int] = {}
    labels = {h: f for h, f, _r in COLUMNS}
    for i, cell in enumerate(header):
        name = str(cell or "").strip().lstrip("*").strip()
        if name in labels:
            positions[labels[name]] = i
    missing = [h for h, f, required in COLUMNS if required and f not in positions]
    if missing:
        raise ValidationError(
            {
                "file": _("第1行缺少必填列:%(columns)s。请使用导入模板。")
                % {"columns": "、".join(missing)}
            }
        )
    return positions, rows


def _reason(error: ValidationError) -> str:
    parts = []
    for name, messages in error.message_dict.items():
        label = FIELD_LABELS.get(name, "")
        text = ";".join(messages)
        parts.append(f"{label}:{text}" if label else text)
    return ";".join(parts)


INSERT_COLUMNS = [
    "unit_id", "community_id", "name", "name_initials", "gender", "birth_date", "ethnicity",
    "id_number_enc", "id_number_index", "id_number_masked", "phone_enc", "phone_index",
    "phone_masked", "key_id", "address", "registration_type", "registered_on", "status",
    "created_by_id", "created_at", "updated_at",
]  # fmt: skip


def _insert_sql() -> str:
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in INSERT_COLUMNS)
    marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
    return f"INSERT INTO {qn(Resident._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608


def import_rows(
    actor: User | None, unit: OrgUnit, community: OrgUnit, handle: IO[bytes]
) -> ImportResult:
    """Import every row of the first sheet into ``unit``; the caller holds the transaction."""
    data = handle.read()
    result = ImportResult(sha256=hashlib.sha256(data).hexdigest())
    positions, rows = _rows(io.BytesIO(data))
    grids: dict[str, OrgUnit] = {}
    if unit.kind == UnitKind.COMMUNITY:
        grids = {
            g.name: g
            for g in OrgUnit.objects.filter(
                path__startswith=community.path, kind__in=[UnitKind.GRID, UnitKind.VILLAGE]
            )
        }
    c = cipher()
    today = timezone.localdate()
    seen: dict[str, int] = {}
    batch: list[tuple[int, str, str, str, tuple[Any, ...]]] = []
    creator_id = actor.pk if actor is not None and actor.is_authenticated else None
    # Rows go in with one prepared INSERT per batch: the ORM's per-value preparation
    # costs as much as everything else together at 100,000 rows. The test suite checks
    # that imported rows read back like those made by the actions.
    ops = connection.ops
    today_db = ops.adapt_datefield_value(today)
    now_db = ops.adapt_datetimefield_value(timezone.now())
    insert_sql = _insert_sql()
    scope = org_access.scope_paths(actor) if actor is not None else None

    def flush() -> None:
        if not batch:
            return
        existing = dict(
            Resident.objects.filter(id_number_index__in=[row[1] for row in batch]).values_list(
                "id_number_index", "unit__path"
            )
        )
        fresh = []
        for line, index, name, masked, values in batch:
            path = existing.get(index)
            if path is None:
                fresh.append(values)
            elif scope is None or any(path.startswith(p) for p in scope):
                result.skipped += 1
            else:
                result.errors.append(
                    [line, name, masked,
                     _("身份证号:该身份证号已在您管辖范围以外的社区登记,请联系上级民政部门核实。")]
                )  # fmt: skip
        if fresh:
            with connection.cursor() as cursor:
                cursor.executemany(insert_sql, fresh)
        result.created += len(fresh)
        batch.clear()

    for line, row in enumerate(rows, start=2):
        values = {f: (row[i] if i < len(row) else None) for f, i in positions.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        result.rows += 1
        if result.rows > MAX_ROWS:
            raise ValidationError({"file": _("一次最多导入20万行,请拆分文件。")})
        name = str(values.get("name") or "").strip()
        raw_id = _cell_text(values.get("id_number"), digits=True)
        if raw_id is None:
            result.errors.append(
                [
                    line,
                    name,
                    "",
                    _("身份证号:被 Excel 存成了数字,后几位已丢失;请把该列设为文本后重新填写。"),
                ]
            )
            continue
        grid_name = str(values.get("grid") or "").strip()
        target = unit
        if grid_name and grids:
            found = grids.get(grid_name)
            if found is None:
                result.errors.append(
                    [line, name, mask_id_number(str(raw_id)),
                     _("网格:本社区没有名为“%(grid)s”的网格。") % {"grid": grid_name}]
                )  # fmt: skip
                continue
            target = found
        try:
            clean = clean_resident(
                name=name,
                id_number=raw_id,
                gender=values.get("gender"),
                birth_date=values.get("birth_date"),
                ethnicity=values.get("ethnicity"),
                phone=_cell_text(values.get("phone"), digits=True) or "",
                address=values.get("address"),
                registration_type=values.get("registration_type"),
                today=today,
                quote_number=False,  # the list is kept, and read by roles without reveal
            )
        except ValidationError as error:
            result.errors.append([line, name, mask_id_number(str(raw_id)), _reason(error)])
            continue
        pid = protect_id_number(clean.id_number, c)
        if pid.index in seen:
            result.errors.append(
                [line, clean.name, pid.masked,
                 _("身份证号:与本文件第%(line)d行重复。") % {"line": seen[pid.index]}]
            )  # fmt: skip
            continue
        seen[pid.index] = line
        phone = protect_phone(clean.phone, c)
        batch.append(
            (
                line,
                pid.index,
                clean.name,
                pid.masked,
                (
                    target.pk,
                    community.pk,
                    clean.name,
                    clean.name_initials,
                    clean.gender,
                    ops.adapt_datefield_value(clean.birth_date),
                    clean.ethnicity,
                    pid.enc,
                    pid.index,
                    pid.masked,
                    phone.enc,
                    phone.index,
                    phone.masked,
                    c.current_key_id,
                    clean.address,
                    clean.registration_type,
                    today_db,
                    ResidentStatus.LIVING.value,
                    creator_id,
                    now_db,
                    now_db,
                ),
            )
        )
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    return result


def error_workbook(errors: Iterable[list[Any]]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误行")
    ws.append([_("行号"), _("姓名"), _("身份证号(已隐去)"), _("错误原因")])
    for row in errors:
        ws.append(safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


EXPORT_HEADERS = [
    "居民编号", "姓名", "性别", "出生日期", "民族", "身份证号", "手机号", "社区", "网格",
    "住址", "户籍类型", "状态", "帮扶类别",
]  # fmt: skip


def export_workbook(residents: QuerySet[Resident], *, reveal: bool) -> bytes:
    """The residents as a sheet; full numbers only when ``reveal`` (the caller logs it)."""
    c = cipher()
    today: dt.date = timezone.localdate()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民")
    # Without the full numbers, the birth year only: the masked number and the birth date
    # together would narrow the number down (people.masking).
    headers = [_(h) for h in EXPORT_HEADERS]
    if not reveal:
        headers[EXPORT_HEADERS.index("出生日期")] = _("出生年份")
    ws.append(headers)
    # Labels translated once: get_FOO_display() per cell costs as much as writing the sheet.
    genders = {k: str(v) for k, v in Gender.choices}
    registrations = {k: str(v) for k, v in RegistrationType.choices}
    statuses = {k: str(v) for k, v in ResidentStatus.choices}
    qs = residents.select_related("unit", "community").order_by("pk")
    for chunk_start in range(0, qs.count(), 2000):
        chunk = list(qs[chunk_start : chunk_start + 2000])
        cats: dict[int, list[str]] = {}
        for rid, name in (
            CategoryMembership.objects.valid_on(today)
            .filter(resident_id__in=[r.pk for r in chunk])
            .values_list("resident_id", "category__name")
        ):
            cats.setdefault(rid, []).append(name)
        for r in chunk:
            ws.append(
                safe_row(
                    [
                        r.pk,
                        r.name,
                        genders.get(r.gender, r.gender),
                        r.birth_date if reveal else birth_year(r, today),
                        r.ethnicity,
                        c.decrypt(r.id_number_enc) if reveal else r.id_number_masked,
                        (c.decrypt(r.phone_enc) if r.phone_enc else "")
                        if reveal
                        else r.phone_masked,
                        r.community.name,
                        r.grid.name if r.grid else "",
                        r.address,
                        registrations.get(r.registration_type, r.registration_type),
                        statuses.get(r.status, r.status),
                        "、".join(cats.get(r.pk, [])),
                    ]
                )
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
