"""The ledger is append-only in the database too (triggers on SQLite and PostgreSQL), and
the standards' catalogue, area rule and 一事一议 subsidy rule are seeded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import migrations

TABLE = "building_ledgerentry"
MESSAGE = "building_ledgerentry is append-only: record a reversing entry instead"

SQLITE_UP = [
    f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]
POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
]


def _run(schema_editor: Any, statements: dict[str, list[str]]) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def triggers_up(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP})


def triggers_down(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN})


ASSUMED = "报告原文未列出,按湖北省城镇社区规范化建设常见口径补充,可在后台调整"
# The "13个一": the seed names the first four; the rest are an assumption (docs/building.md).
THIRTEEN_ONES = [
    ("party_centre", "一个党员群众服务中心", True),
    ("service_hall", "一个一站式服务大厅", True),
    ("charity_supermarket", "一个爱心超市", True),
    ("health_room", "一个社区卫生室", True),
    ("police_room", "一个社区警务室", False),
    ("mediation_room", "一个人民调解室", False),
    ("library", "一个图书阅览室", False),
    ("activity_venue", "一个文体活动场所", False),
    ("elderly_station", "一个居家养老服务站", False),
    ("citizen_school", "一个市民学校", False),
    ("disclosure_board", "一个居务公开栏", False),
    ("volunteer_team", "一支志愿服务队伍", False),
    ("rules", "一套规范的管理制度", False),
]
RURAL = [
    ("committee_office", "村级组织办公室"),
    ("health_room", "社区卫生计生室"),
    ("police_room", "社区警务室"),
    ("library", "社区图书室"),
    ("villager_school", "村民学校"),
    ("sports_ground", "社区体育场"),
    ("supermarket", "社区超市"),
    ("service_hall", "为民服务大厅(有条件的设立)"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    item = apps.get_model("building", "FacilityItem")
    for sort, (code, name, from_seed) in enumerate(THIRTEEN_ONES, start=1):
        item.objects.get_or_create(
            group="thirteen_ones",
            code=code,
            defaults={
                "name": name,
                "sort": sort,
                "from_seed": from_seed,
                "note": "" if from_seed else ASSUMED,
            },
        )
    for sort, (code, name) in enumerate(RURAL, start=1):
        item.objects.get_or_create(
            group="rural", code=code, defaults={"name": name, "sort": sort, "from_seed": True}
        )
    apps.get_model("building", "AreaStandard").objects.get_or_create(
        effective_from=dt.date(2011, 1, 1),
        defaults={
            "min_area_m2": Decimal("300"),
            "basis": "恩施州“433”社区建设模式:城市、集镇社区服务中心面积达到300平方米以上",
        },
    )
    apps.get_model("building", "SubsidyRule").objects.get_or_create(
        effective_from=dt.date(2008, 1, 1),
        defaults={
            "name": "村级公益事业一事一议财政奖补(默认)",
            "basis": "先批后建、先筹后补;村民自筹不低于50%(各地比例不一,未核实原文,请按本地文件设置)",
            "villagers_share_min": Decimal("0.500"),
            "subsidy_share_max": Decimal("0.500"),
            "confirmed": False,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("building", "0001_initial")]

    operations = [
        migrations.RunPython(triggers_up, triggers_down),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
