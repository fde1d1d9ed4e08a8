"""The rule in force, the province's categories of 就业困难人员 and the kinds of service
for the floating population: starting data an administrator may change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

RULE = {
    "source": "《就业促进法》第五十六条;《就业服务与就业管理规定》第四十至四十四条;"
    "充分就业社区考核实践(当季认定当季安置)",
    "effective_from": dt.date(2008, 1, 1),
    "pledge_days": 30,
    "place_within_quarter": True,
    "max_refusals": 3,
    "no_contact_months": 3,
    "note": "承诺天数、拒绝次数和失联月数为各地实践做法,未经上位法确认,可按本省规定修改。",
}

CATEGORIES = [
    ("older", "大龄失业人员", "女性40周岁以上、男性50周岁以上"),
    ("disabled", "残疾人", "持有残疾人证"),
    ("low_income", "城乡低保家庭成员", "享受最低生活保障"),
    ("long_unemployed", "连续失业一年以上人员", "登记失业连续满一年"),
    ("land_lost", "失地农民", "因征地失去全部或大部分土地"),
    ("zero_household", "零就业家庭成员", "家庭法定劳动年龄内成员均处于失业状态"),
    ("poverty_relief", "脱贫人口", "纳入防返贫监测或脱贫人口"),
    ("veteran", "退役军人(随军家属)", "未就业的退役军人、随军家属"),
]

ACTIVITY_TYPES = [("tech", "科技"), ("medicine", "药品"), ("policy", "政策"), ("health", "健康")]


def seed(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("jobs", "AssistanceRule")
    if not rule.objects.exists():
        rule.objects.create(**RULE)
    category = apps.get_model("jobs", "DifficultyCategory")
    for n, (code, name, description) in enumerate(CATEGORIES):
        category.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "sort": 10 * (n + 1)}
        )
    kind = apps.get_model("jobs", "ActivityType")
    for n, (code, name) in enumerate(ACTIVITY_TYPES):
        kind.objects.get_or_create(code=code, defaults={"name": name, "sort": 10 * (n + 1)})


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
