"""The working-day calendar moves to the kernel (orgs) and the three-rates rollup to
insights. Only Django's idea of the models moves here; the tables stay and are taken
over (and renamed) by orgs 0004 and insights 0001."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("services", "0008_hall_ratings_rates")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CalendarDay"),
                migrations.RemoveConstraint(
                    model_name="raterollup", name="raterollup_unique_month_unit"
                ),
                migrations.DeleteModel(name="RollupCursor"),
                migrations.DeleteModel(name="RateRollup"),
            ]
        )
    ]
