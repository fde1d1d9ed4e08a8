"""Take what the ID number says out of the import error lists already kept (issue 11):
"出生日期与身份证号不符:按身份证号应为 1968-07-15" beside the masked number narrowed it to
a few candidates for every role that reads the list. New lists no longer quote it
(``clean_resident(quote_number=False)``)."""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_CHECK_DIGIT = re.compile(r"[((]\s*(最后一位应为|the last one should be)\s*[0-9Xx]\s*[))]")


def scrub(reason: str) -> str:
    return _CHECK_DIGIT.sub("", _DATE.sub("****-**-**", reason))


def scrub_batches(apps: Any, schema_editor: Any) -> None:
    ImportBatch = apps.get_model("people", "ImportBatch")
    for batch in ImportBatch.objects.only("pk", "errors").iterator():
        rows = batch.errors or []
        new_rows = [
            [*row[:3], scrub(str(row[3])), *row[4:]] if len(row) > 3 else row for row in rows
        ]
        if new_rows != rows:
            ImportBatch.objects.filter(pk=batch.pk).update(errors=new_rows)


class Migration(migrations.Migration):
    dependencies = [("people", "0004_cache_table")]

    operations = [migrations.RunPython(scrub_batches, migrations.RunPython.noop)]
