"""Cut the stored ID masks to the shorter form (issue 11): the last four characters and
the birth date together gave the whole number away. Import error lists keep masks too."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from shequ.lib.masking import mask_id_number


def remask(apps: Any, schema_editor: Any) -> None:
    Resident = apps.get_model("people", "Resident")
    ImportBatch = apps.get_model("people", "ImportBatch")
    changed = []
    for r in Resident.objects.only("pk", "id_number_masked").iterator(chunk_size=2000):
        short = mask_id_number(r.id_number_masked)
        if short != r.id_number_masked:
            r.id_number_masked = short
            changed.append(r)
        if len(changed) >= 2000:
            Resident.objects.bulk_update(changed, ["id_number_masked"])
            changed = []
    if changed:
        Resident.objects.bulk_update(changed, ["id_number_masked"])
    for batch in ImportBatch.objects.only("pk", "errors").iterator():
        rows = batch.errors or []
        new_rows = [
            [*row[:2], mask_id_number(str(row[2])), *row[3:]] if len(row) > 2 else row
            for row in rows
        ]
        if new_rows != rows:
            batch.errors = new_rows
            batch.save(update_fields=["errors"])


class Migration(migrations.Migration):
    dependencies = [("people", "0002_resident_unit")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
