"""Seed the statutory thresholds (``shequ.governance.law.seed_rows``)."""

from typing import Any

from django.db import migrations


def seed_rules(apps: Any, schema_editor: Any) -> None:
    from shequ.governance.law import seed_rows

    rule = apps.get_model("governance", "Rule")
    if not rule.objects.exists():
        rule.objects.bulk_create([rule(**row) for row in seed_rows()])


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
