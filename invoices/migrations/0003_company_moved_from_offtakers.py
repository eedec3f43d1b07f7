"""The company (and purchase request) these rows point at moved out of offtakers; same tables, so state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0001_moved_from_offtakers'),
        ('invoices', '0002_invoice_credits'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='invoice',
                    name='company',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invoices', to='companies.company', verbose_name='company'),
                ),
            ],
        ),
    ]
