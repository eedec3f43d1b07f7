"""The models now live in companies, wholesale and purchasing: forget them here, keep their tables.

Runs after those apps took the models over (same db_table) and after every foreign key elsewhere was
pointed at them, so nothing in the state refers to these any more.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('offtakers', '0003_company_events_invitations'),
        ('companies', '0001_moved_from_offtakers'),
        ('wholesale', '0001_moved_from_offtakers'),
        ('purchasing', '0001_moved_from_offtakers'),
        ('invoices', '0003_company_moved_from_offtakers'),
        ('quotes', '0002_company_moved_from_offtakers'),
        ('api', '0002_company_moved_from_offtakers'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='PurchaseRequestLine'),
                migrations.DeleteModel(name='PurchaseRequest'),
                migrations.DeleteModel(name='CompanyOrder'),
                migrations.DeleteModel(name='CompanyInvitation'),
                migrations.DeleteModel(name='CompanyEvent'),
                migrations.DeleteModel(name='CompanyMembership'),
                migrations.DeleteModel(name='PriceTier'),
                migrations.DeleteModel(name='WholesaleTerms'),
                migrations.DeleteModel(name='Company'),
            ],
        ),
    ]
