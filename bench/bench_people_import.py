"""Resident import from Excel: rows per second and peak memory, against openpyxl alone.

Sets Django up itself on a throwaway SQLite database in a temporary data directory, so
it never touches real data. ``BENCH_PEOPLE_ROWS`` changes the size (default 100,000).
The baseline is openpyxl reading the same file in read-only mode, values only: the
import can never be faster than that, and the ratio shows what checking, encrypting and
inserting cost on top.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import tracemalloc
from pathlib import Path


def _setup(tmp: Path) -> None:
    os.environ["SHEQU_DATA_DIR"] = str(tmp)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _community() -> object:
    from shequ.orgs.models import CommunityType, OrgUnit, UnitKind

    root = OrgUnit.add_root(name="恩施州", kind=UnitKind.PREFECTURE, code="422800000000")
    county = root.add_child(name="恩施市", kind=UnitKind.COUNTY, code="422801000000")
    township = county.add_child(name="舞阳坝街道", kind=UnitKind.TOWNSHIP, code="422801001000")
    return township.add_child(
        name="官坡社区",
        kind=UnitKind.COMMUNITY,
        code="422801001001",
        community_type=CommunityType.URBAN,
    )


def _write_sheet(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from shequ.lib.idcard import make_id_number
    from shequ.people.importing import COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([h for h, _f, _r in COLUMNS])
    start = dt.date(1930, 1, 1)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    given = "明华红梅建国秀英志强晓燕春兰德明静小军文霞海涛玉兰丽娟"
    for i in range(rows):
        birth = start + dt.timedelta(days=i // 500)
        number = make_id_number("422801", birth, (i % 500) * 2 + 1)
        name = surnames[i % len(surnames)] + given[i % 17 : i % 17 + 2]
        ws.append([name, number, "男", birth, "土家族", f"139{i:08d}", "", "舞阳大街1号", "户籍"])
    wb.save(path)


def _openpyxl_only(path: Path) -> float:
    from openpyxl import load_workbook

    t = time.perf_counter()
    wb = load_workbook(path, read_only=True, data_only=True)
    for _row in wb.worksheets[0].iter_rows(values_only=True):
        pass
    wb.close()
    return time.perf_counter() - t


def _import(path: Path, unit: object) -> tuple[float, int]:
    from shequ.people.actions import do_import_residents

    t = time.perf_counter()
    with path.open("rb") as fh:
        batch = do_import_residents(None, unit=unit, handle=fh, file_name=path.name)  # type: ignore[arg-type]
    return time.perf_counter() - t, batch.created


def _clear() -> None:
    from shequ.people.models import ImportBatch, Resident

    Resident.objects.all().delete()
    ImportBatch.objects.all().delete()


def run() -> list[str]:
    rows = int(os.environ.get("BENCH_PEOPLE_ROWS", "100000"))
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        _setup(tmp)
        unit = _community()
        path = tmp / "residents.xlsx"
        _write_sheet(path, rows)
        size = path.stat().st_size
        baseline = min(_openpyxl_only(path) for _ in range(2))
        seconds, created = _import(path, unit)
        assert created == rows, (created, rows)
        _clear()
        tracemalloc.start()
        _import(path, unit)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        tracemalloc.start()
        _openpyxl_only(path)
        _current, peak_read = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return [
        f"{rows:,} rows, file {size / 1e6:.1f} MB",
        f"openpyxl read-only alone: {baseline:.2f} s ({rows / baseline:,.0f} rows/s)",
        f"import: {seconds:.2f} s ({rows / seconds:,.0f} rows/s), "
        f"{seconds / baseline:.1f}x the time openpyxl alone takes",
        f"peak memory (tracemalloc): import {peak / 1e6:.1f} MB, openpyxl alone {peak_read / 1e6:.1f} MB",
    ]
