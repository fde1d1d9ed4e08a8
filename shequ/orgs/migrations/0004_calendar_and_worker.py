"""The kernel takes over the working-day calendar (from services) and the worker's
heartbeat (from notify): their tables are adopted as they are, then renamed. It adds the
known years, and seeds the calendar from the chinese-calendar package on a new database
(what services 0002 once did), without importing the app's code."""

from typing import Any

import django.utils.timezone
from django.db import migrations, models

SOURCES = [
    ("package", "国务院节假日安排(chinese-calendar)"),
    ("notice", "国务院通知(管理员导入)"),
    ("admin", "管理员维护"),
]


def seed(apps: Any, schema_editor: Any) -> None:
    import chinese_calendar

    day_model = apps.get_model("orgs", "CalendarDay")
    year_model = apps.get_model("orgs", "CalendarYear")

    def chinese(name: str) -> str:
        try:
            return str(chinese_calendar.Holiday(name).chinese)
        except ValueError:
            return name

    days = [(day, False, chinese(name)) for day, name in chinese_calendar.holidays.items()]
    days += [(d, True, f"{chinese(n)}调休上班") for d, n in chinese_calendar.workdays.items()]
    known = set(day_model.objects.values_list("date", flat=True))
    day_model.objects.bulk_create(
        [
            day_model(date=day, is_working_day=working, note=note[:100], source="package")
            for day, working, note in sorted(days)
            if day not in known
        ],
        batch_size=500,
    )
    years = sorted({day.year for day in chinese_calendar.holidays})
    have = set(year_model.objects.values_list("year", flat=True))
    year_model.objects.bulk_create(
        year_model(year=y, source="package", reference="chinese-calendar")
        for y in years
        if y not in have
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_api_token"),
        ("services", "0009_models_move_to_kernel_and_insights"),
        ("notify", "0004_heartbeat_moves_to_orgs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarDay",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField(unique=True, verbose_name="日期")),
                        ("is_working_day", models.BooleanField(verbose_name="是否工作日")),
                        ("note", models.CharField(blank=True, max_length=100, verbose_name="说明")),
                        (
                            "source",
                            models.CharField(
                                choices=SOURCES, default="admin", max_length=8, verbose_name="来源"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "工作日历",
                        "verbose_name_plural": "工作日历",
                        "ordering": ["date"],
                        "db_table": "services_calendarday",
                    },
                ),
                migrations.CreateModel(
                    name="WorkerHeartbeat",
                    fields=[
                        (
                            "name",
                            models.CharField(
                                max_length=100,
                                primary_key=True,
                                serialize=False,
                                verbose_name="进程",
                            ),
                        ),
                        ("started_at", models.DateTimeField(verbose_name="启动时间")),
                        ("beat_at", models.DateTimeField(db_index=True, verbose_name="最近心跳")),
                        ("loops", models.BigIntegerField(default=0, verbose_name="循环次数")),
                    ],
                    options={
                        "verbose_name": "后台进程心跳",
                        "verbose_name_plural": "后台进程心跳",
                        "db_table": "notify_workerheartbeat",
                    },
                ),
            ]
        ),
        migrations.AlterModelTable(name="calendarday", table=None),
        migrations.AlterModelTable(name="workerheartbeat", table=None),
        migrations.CreateModel(
            name="CalendarYear",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="年份")),
                ("source", models.CharField(choices=SOURCES, max_length=8, verbose_name="来源")),
                (
                    "reference",
                    models.CharField(
                        blank=True,
                        help_text="如:国办发明电〔2026〕X号",
                        max_length=200,
                        verbose_name="依据",
                    ),
                ),
                (
                    "loaded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="导入时间"
                    ),
                ),
            ],
            options={
                "verbose_name": "已知年度日历",
                "verbose_name_plural": "已知年度日历",
                "ordering": ["year"],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
