from django.db import migrations


class Migration(migrations.Migration):
    """SentNotification moved to core (every app's tasks use it); its table stays as it is."""

    dependencies = [
        ("fulfilment", "0002_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SentNotification")],
            database_operations=[],
        ),
    ]
