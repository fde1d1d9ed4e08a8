"""Partial indexes on the work in hand (open cases): the queue and overdue pages and the
prefecture-wide overdue count read a few thousand index entries, not the archive."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0012_item_certificate"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ["received", "accepted", "returned", "in_progress", "sent_up"])
                ),
                fields=["unit", "-received_at"],
                name="case_open_unit_received_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ["received", "accepted", "in_progress", "sent_up"])
                ),
                fields=["unit", "due_at"],
                name="case_running_unit_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ["received", "accepted", "in_progress", "sent_up"])
                ),
                fields=["due_at"],
                name="case_running_due_idx",
            ),
        ),
    ]
