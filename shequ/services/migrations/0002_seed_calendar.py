"""Once seeded the calendar; the calendar now belongs to the kernel (``orgs``), whose
migration 0004 takes over this table and seeds it. Kept so the history stays linear."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
