"""The split of `offtakers` into companies, wholesale and purchasing keeps every row and every grant.

A database migrated before the split holds the rows under the `offtakers` app label; migrating it
forward moves the models (state only: the tables stay), points the other apps' foreign keys at the
new models and relabels the content types, so `offtakers.verify_company` granted to a user or a group
is `companies.verify_company` afterwards. Runs on the suite's PostgreSQL database, with real
migrations (backwards to just before the split, then forwards).
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import (
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)

BEFORE_SPLIT = [
    ("offtakers", "0003_company_events_invitations"),
    ("companies", None),
    ("wholesale", None),
    ("purchasing", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    state = executor.migrate(targets)
    ContentType.objects.clear_cache()
    return state.apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_migrating_across_the_split_keeps_every_row_and_the_verify_permission():
    assert connection.vendor == "postgresql"
    # given rows of the apps the split does not move: a pesantren's product, an order, a user
    regions = make_region_tree()
    product = make_seller_product(make_seller(regions=regions), price="20000", stock=50)
    stockrecord = product.stockrecords.get()
    address = make_shipping_address(regions=regions)
    buyer = make_user("pembeli@mitra.id")
    order = place_order(items=[(product, 2)], shipping_address=address, user=buyer)
    verifier = make_user("verifikator@program.id")

    # and, on the database as it was before the split, the off-taker rows and a verify_company grant
    old = _migrate(BEFORE_SPLIT)
    Company = old.get_model("offtakers", "Company")
    company = Company.objects.create(
        legal_name="PT Mitra Pangan",
        npwp="012345678901000",
        business_type="caterer",
        address="Jl. Braga 1, Bandung",
        contact_name="Rina",
        contact_phone="0812000111",
        contact_email="rina@mitra.id",
        status="verified",
        credit_limit=5_000_000,
    )
    old.get_model("offtakers", "CompanyMembership").objects.create(company=company, user_id=buyer.pk, role="approver")
    old.get_model("offtakers", "PriceTier").objects.create(
        stockrecord_id=stockrecord.pk, min_quantity=10, unit_price=18000
    )
    old.get_model("offtakers", "WholesaleTerms").objects.create(stockrecord_id=stockrecord.pk, moq=5)
    old.get_model("offtakers", "CompanyOrder").objects.create(
        order_id=order.pk, company=company, placed_by_id=buyer.pk, payment_method="invoice", po_number="PO-7"
    )
    request = old.get_model("offtakers", "PurchaseRequest").objects.create(
        company=company,
        requested_by_id=buyer.pk,
        payment_method="invoice",
        shipping_address_id=address.pk,
        estimated_total=Decimal("360000.00"),
    )
    old.get_model("offtakers", "PurchaseRequestLine").objects.create(
        request=request, stockrecord_id=stockrecord.pk, quantity=20, unit_price=Decimal("18000.00")
    )
    Permission = old.get_model("auth", "Permission")
    verify = Permission.objects.get(codename="verify_company", content_type__app_label="offtakers")
    old.get_model("auth", "User").objects.get(pk=verifier.pk).user_permissions.add(verify)
    group = old.get_model("auth", "Group").objects.create(name="Verifikator")
    group.permissions.add(verify)

    # when the database is migrated forward across the split
    _migrate(_latest())

    # then every row is there through the new models
    from companies.models import Company as NewCompany
    from purchasing.models import CompanyOrder, PurchaseRequest
    from wholesale.models import PriceTier, WholesaleTerms

    moved = NewCompany.objects.get(pk=company.pk)
    assert (moved.legal_name, moved.credit_limit, moved.is_verified) == ("PT Mitra Pangan", 5_000_000, True)
    assert list(moved.memberships.values_list("user__email", "role")) == [("pembeli@mitra.id", "approver")]
    assert list(PriceTier.objects.filter(stockrecord=stockrecord).values_list("min_quantity", "unit_price")) == [
        (10, 18000)
    ]
    assert WholesaleTerms.objects.get(stockrecord=stockrecord).moq == 5
    assert CompanyOrder.objects.get(order=order).company == moved
    assert order.company_order.po_number == "PO-7"
    moved_request = PurchaseRequest.objects.get(pk=request.pk)
    assert moved_request.company == moved
    assert list(moved_request.lines.values_list("stockrecord_id", "quantity")) == [(stockrecord.pk, 20)]

    # and the grants follow the content type: the permission is the same row, now under companies
    assert not ContentType.objects.filter(app_label="offtakers").exists()
    user = get_user_model().objects.get(pk=verifier.pk)
    assert user.has_perm("companies.verify_company")
    member_of_group = make_user("anggota@program.id")
    member_of_group.groups.add(group.pk)
    assert get_user_model().objects.get(pk=member_of_group.pk).has_perm("companies.verify_company")
    assert get_user_model().objects.get(pk=buyer.pk).has_perm("companies.verify_company") is False
