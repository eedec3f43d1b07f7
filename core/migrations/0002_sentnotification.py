from django.db import migrations, models


class Migration(migrations.Migration):
    """SentNotification moved here from fulfilment; the table fulfilment created is kept."""

    dependencies = [
        ("core", "0001_initial"),
        ("fulfilment", "0003_move_sentnotification_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SentNotification",
                    fields=[
                        ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=120, unique=True, verbose_name="key")),
                        ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="sent at")),
                    ],
                    options={
                        "verbose_name": "sent notification",
                        "verbose_name_plural": "sent notifications",
                        "db_table": "fulfilment_sentnotification",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
