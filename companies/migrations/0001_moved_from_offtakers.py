"""The companies models, moved from the offtakers app: state only, their tables (offtakers_*) stay as they are."""

import core.identifiers
import core.invitations
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MOVED = ('company', 'companymembership', 'companyevent', 'companyinvitation')


def move_content_types(apps, schema_editor):
    """The content types (and so the permissions and their grants) follow the models to this app."""
    _relabel(apps, schema_editor, source="offtakers", target="companies")


def restore_content_types(apps, schema_editor):
    _relabel(apps, schema_editor, source="companies", target="offtakers")


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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Company',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('legal_name', models.CharField(max_length=200, verbose_name='legal name')),
                        ('npwp', models.CharField(help_text='Tax number: 15 digits (e.g. 01.234.567.8-901.000) or the 16-digit NIK-based format.', max_length=16, unique=True, validators=[core.identifiers.validate_npwp], verbose_name='NPWP')),
                        ('business_type', models.CharField(choices=[('retailer', 'Retailer'), ('wholesaler', 'Wholesaler'), ('caterer', 'Caterer'), ('brand', 'Brand'), ('other', 'Other')], max_length=20, verbose_name='business type')),
                        ('address', models.TextField(verbose_name='address')),
                        ('contact_name', models.CharField(max_length=128, verbose_name='contact name')),
                        ('contact_phone', models.CharField(max_length=20, verbose_name='contact phone')),
                        ('contact_email', models.EmailField(max_length=254, verbose_name='contact email')),
                        ('status', models.CharField(choices=[('applied', 'Applied'), ('verified', 'Verified'), ('rejected', 'Rejected')], db_index=True, default='applied', max_length=20, verbose_name='status')),
                        ('credit_limit', models.PositiveBigIntegerField(default=0, help_text='0 means the company cannot pay by invoice.', verbose_name='credit limit (Rp)')),
                        ('payment_terms_days', models.PositiveSmallIntegerField(choices=[(14, 'Net 14 days'), (30, 'Net 30 days')], default=30, verbose_name='payment terms')),
                        ('approval_threshold', models.PositiveBigIntegerField(blank=True, help_text="Orders by buyers above this total need an approver's approval. Empty: no approval needed.", null=True, verbose_name='approval threshold (Rp)')),
                        ('status_reason', models.TextField(blank=True, verbose_name='status reason')),
                        ('status_changed_at', models.DateTimeField(blank=True, null=True, verbose_name='status changed at')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('status_changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='status changed by')),
                    ],
                    options={
                        'verbose_name': 'company',
                        'verbose_name_plural': 'companies',
                        'db_table': 'offtakers_company',
                        'ordering': ['legal_name'],
                        'permissions': [('verify_company', 'Can verify off-taker companies')],
                    },
                ),
                migrations.CreateModel(
                    name='CompanyEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('verified', 'Verified'), ('rejected', 'Rejected'), ('credit_terms_set', 'Credit terms changed'), ('approval_threshold_set', 'Approval threshold changed'), ('member_invited', 'Member invited'), ('member_added', 'Member added'), ('member_role_changed', 'Member role changed'), ('member_removed', 'Member removed')], max_length=32, verbose_name='kind')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('data', models.JSONField(blank=True, default=dict, verbose_name='data')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at')),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='companies.company', verbose_name='company')),
                    ],
                    options={
                        'verbose_name': 'company event',
                        'verbose_name_plural': 'company events',
                        'db_table': 'offtakers_companyevent',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CompanyInvitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='email')),
                        ('token', models.CharField(default=core.invitations.new_invitation_token, editable=False, max_length=64, unique=True, verbose_name='token')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='invited')),
                        ('expires_at', models.DateTimeField(verbose_name='expires')),
                        ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted')),
                        ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                        ('role', models.CharField(choices=[('buyer', 'Buyer'), ('approver', 'Approver')], default='buyer', max_length=20, verbose_name='role')),
                        ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='accepted by')),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='companies.company', verbose_name='company')),
                        ('invited_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
                    ],
                    options={
                        'verbose_name': 'company invitation',
                        'verbose_name_plural': 'company invitations',
                        'db_table': 'offtakers_companyinvitation',
                        'ordering': ['-created_at', '-pk'],
                        'abstract': False,
                        'constraints': [models.UniqueConstraint(condition=models.Q(('accepted_at__isnull', True), ('revoked_at__isnull', True)), fields=('company', 'email'), name='offtakers_invitation_one_open_per_email')],
                    },
                ),
                migrations.CreateModel(
                    name='CompanyMembership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('buyer', 'Buyer'), ('approver', 'Approver')], default='buyer', max_length=20, verbose_name='role')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='companies.company', verbose_name='company')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='company_memberships', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'company membership',
                        'verbose_name_plural': 'company memberships',
                        'db_table': 'offtakers_companymembership',
                        'constraints': [models.UniqueConstraint(fields=('company', 'user'), name='offtakers_unique_member')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
