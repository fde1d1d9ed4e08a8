"""The worker loop and its heartbeat move to the kernel (orgs); the table stays and is
taken over by orgs 0004."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("notify", "0003_message_recipient_enc")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="WorkerHeartbeat")]
        )
    ]
