"""The wholesale models, moved from the offtakers app: state only, their tables (offtakers_*) stay as they are."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


MOVED = ('pricetier', 'wholesaleterms')


def move_content_types(apps, schema_editor):
    """The content types (and so the permissions and their grants) follow the models to this app."""
    _relabel(apps, schema_editor, source="offtakers", target="wholesale")


def restore_content_types(apps, schema_editor):
    _relabel(apps, schema_editor, source="wholesale", target="offtakers")


def _relabel(apps, schema_editor, *, source, target):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    for model in MOVED:
        if not content_types.filter(app_label=target, model=model).exists():
            content_types.filter(app_label=source, model=model).update(app_label=target)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('offtakers', '0003_company_events_invitations'),
        ('partner', '0007_partneraddress_code'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WholesaleTerms',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('moq', models.PositiveIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name='minimum order quantity')),
                        ('stockrecord', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='wholesale_terms', to='partner.stockrecord', verbose_name='stock record')),
                    ],
                    options={
                        'verbose_name': 'wholesale terms',
                        'verbose_name_plural': 'wholesale terms',
                        'db_table': 'offtakers_wholesaleterms',
                    },
                ),
                migrations.CreateModel(
                    name='PriceTier',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('min_quantity', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(2)], verbose_name='minimum quantity')),
                        ('unit_price', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='unit price (Rp)')),
                        ('stockrecord', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='price_tiers', to='partner.stockrecord', verbose_name='stock record')),
                    ],
                    options={
                        'verbose_name': 'price tier',
                        'verbose_name_plural': 'price tiers',
                        'db_table': 'offtakers_pricetier',
                        'ordering': ['stockrecord', 'min_quantity'],
                        'constraints': [models.UniqueConstraint(fields=('stockrecord', 'min_quantity'), name='offtakers_unique_tier_quantity')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
