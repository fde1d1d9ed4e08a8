"""Insights takes over the three-rates rollup from services (services 0009): the tables
are adopted as they are, then renamed."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("orgs", "0004_calendar_and_worker"),
        ("services", "0009_models_move_to_kernel_and_insights"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RollupCursor",
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
                        ("name", models.CharField(max_length=32, unique=True)),
                        ("last_event_id", models.BigIntegerField(default=0)),
                    ],
                    options={"db_table": "services_rollupcursor"},
                ),
                migrations.CreateModel(
                    name="RateRollup",
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
                        ("month", models.DateField(verbose_name="月份")),
                        ("cases", models.PositiveIntegerField(default=0, verbose_name="办件数")),
                        (
                            "responded",
                            models.PositiveIntegerField(default=0, verbose_name="及时响应数"),
                        ),
                        (
                            "resolvable",
                            models.PositiveIntegerField(default=0, verbose_name="应办结数"),
                        ),
                        (
                            "resolved",
                            models.PositiveIntegerField(default=0, verbose_name="按时办结数"),
                        ),
                        ("ratings", models.PositiveIntegerField(default=0, verbose_name="评价数")),
                        (
                            "good_ratings",
                            models.PositiveIntegerField(default=0, verbose_name="好评数"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="更新时间"
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="orgs.orgunit",
                                verbose_name="社区",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "三率月度汇总",
                        "verbose_name_plural": "三率月度汇总",
                        "db_table": "services_raterollup",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("month", "unit"), name="raterollup_unique_month_unit"
                            )
                        ],
                    },
                ),
            ]
        ),
        migrations.AlterModelTable(name="rollupcursor", table=None),
        migrations.AlterModelTable(name="raterollup", table=None),
    ]
