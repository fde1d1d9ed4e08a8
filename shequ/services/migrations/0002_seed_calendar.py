"""Seed the working-day calendar from the chinese-calendar package (holidays and 调休)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    from shequ.services.calendar import seed_calendar

    seed_calendar(apps.get_model("services", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
