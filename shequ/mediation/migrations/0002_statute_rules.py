"""The statutory numbers of mediation, with their articles (see rules-wave2.md).

Values marked unconfirmed were not read in a primary text: admins check and correct them
in the admin site (a new row with its effective date, never an edit of the old one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations

RULES = [
    # key, minimum, value, kind, article, confirmed, note
    (
        "committee_size",
        3,
        9,
        "persons",
        "《人民调解法》第八条",
        True,
        "三至九人,应有妇女成员,多民族地区应有少数民族成员",
    ),
    (
        "member_term",
        None,
        3,
        "years",
        "《人民调解法》第九条",
        False,
        "任期三年,可连选连任(任期年限未核对原文)",
    ),
    (
        "confirmation_window",
        None,
        30,
        "calendar",
        "《人民调解法》第三十三条;《民事诉讼法》第二百零五条(2023年修正,原第二百零一条);期间计算第八十五条",
        True,
        "自调解协议生效之日起三十日内共同申请;期满日为法定休假日的顺延至其后第一个工作日",
    ),
    (
        "court_accept",
        None,
        3,
        "working",
        "《最高人民法院关于人民调解协议司法确认程序的若干规定》",
        False,
        "收到申请后三日内决定是否受理(二手资料)",
    ),
    (
        "court_decide",
        None,
        15,
        "working",
        "《最高人民法院关于人民调解协议司法确认程序的若干规定》",
        False,
        "受理后十五日内作出确认决定(二手资料)",
    ),
]


def seed_rules(apps: Any, schema_editor: Any) -> None:
    StatuteRule = apps.get_model("mediation", "StatuteRule")
    for key, minimum, value, kind, article, confirmed, note in RULES:
        StatuteRule.objects.get_or_create(
            key=key,
            effective_from=dt.date(2011, 1, 1),
            defaults={
                "minimum": minimum,
                "value": value,
                "kind": kind,
                "article": article,
                "confirmed": confirmed,
                "note": note,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
