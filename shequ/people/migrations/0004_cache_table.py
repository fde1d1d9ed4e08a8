"""The database cache table the rate limits count in (issue 11: counters shared by every
web process). Created by ``migrate`` so no deployment can forget ``createcachetable``;
the command is idempotent and does nothing when the cache is Redis or memory."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_shorter_id_mask")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
