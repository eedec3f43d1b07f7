"""The purchasing models, moved from the offtakers app: state only, their tables (offtakers_*) stay as they are."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ('companyorder', 'purchaserequest', 'purchaserequestline')


def move_content_types(apps, schema_editor):
    """The content types (and so the permissions and their grants) follow the models to this app."""
    _relabel(apps, schema_editor, source="offtakers", target="purchasing")


def restore_content_types(apps, schema_editor):
    _relabel(apps, schema_editor, source="purchasing", target="offtakers")


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
        ('companies', '0001_moved_from_offtakers'),
        ('order', '0022_shippingaddress_desa_shippingaddress_kabupaten_and_more'),
        ('partner', '0007_partneraddress_code'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CompanyOrder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('payment_method', models.CharField(choices=[('invoice', 'Invoice (pay later with terms)'), ('card', 'Credit or debit card'), ('bank_transfer', 'Bank transfer')], max_length=20, verbose_name='payment method')),
                        ('po_number', models.CharField(blank=True, max_length=64, verbose_name='purchase order number')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='orders', to='companies.company', verbose_name='company')),
                        ('order', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='company_order', to='order.order', verbose_name='order')),
                        ('placed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='placed by')),
                    ],
                    options={
                        'verbose_name': 'company order',
                        'verbose_name_plural': 'company orders',
                        'db_table': 'offtakers_companyorder',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='PurchaseRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('pending', 'Waiting for approval'), ('placed', 'Approved and placed'), ('rejected', 'Rejected'), ('cancelled', 'Withdrawn')], db_index=True, default='pending', max_length=20, verbose_name='status')),
                        ('payment_method', models.CharField(choices=[('invoice', 'Invoice (pay later with terms)'), ('card', 'Credit or debit card'), ('bank_transfer', 'Bank transfer')], max_length=20, verbose_name='payment method')),
                        ('po_number', models.CharField(blank=True, max_length=64, verbose_name='purchase order number')),
                        ('estimated_total', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='estimated total')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('decision_note', models.TextField(blank=True, verbose_name='decision note')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='purchase_requests', to='companies.company', verbose_name='company')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('order', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='purchase_request', to='order.order', verbose_name='order')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                        ('shipping_address', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='order.shippingaddress', verbose_name='shipping address')),
                    ],
                    options={
                        'verbose_name': 'purchase request',
                        'verbose_name_plural': 'purchase requests',
                        'db_table': 'offtakers_purchaserequest',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='PurchaseRequestLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quantity', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='quantity')),
                        ('unit_price', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='unit price')),
                        ('is_price_fixed', models.BooleanField(default=False, verbose_name='fixed price')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='purchasing.purchaserequest', verbose_name='purchase request')),
                        ('stockrecord', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='partner.stockrecord', verbose_name='stock record')),
                    ],
                    options={
                        'verbose_name': 'purchase request line',
                        'verbose_name_plural': 'purchase request lines',
                        'db_table': 'offtakers_purchaserequestline',
                        'ordering': ['pk'],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
