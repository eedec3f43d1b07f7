"""The company (and purchase request) these rows point at moved out of offtakers; same tables, so state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0001_moved_from_offtakers'),
        ('purchasing', '0001_moved_from_offtakers'),
        ('quotes', '0001_rfq_quotes_messages'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='quote',
                    name='purchase_request',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='purchasing.purchaserequest', verbose_name='purchase request'),
                ),
                migrations.AlterField(
                    model_name='requestforquotation',
                    name='company',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rfqs', to='companies.company', verbose_name='company'),
                ),
            ],
        ),
    ]
