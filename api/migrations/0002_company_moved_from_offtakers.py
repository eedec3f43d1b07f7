"""The company (and purchase request) these rows point at moved out of offtakers; same tables, so state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_api_tokens_and_idempotent_requests'),
        ('companies', '0001_moved_from_offtakers'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='apitoken',
                    name='company',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to='companies.company', verbose_name='company'),
                ),
                migrations.AlterField(
                    model_name='idempotentrequest',
                    name='company',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='companies.company', verbose_name='company'),
                ),
            ],
        ),
    ]
