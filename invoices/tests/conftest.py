from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from purchasing.ordering import PurchaseItem, submit_purchase
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
)

COMPANY_NPWP = "012345674901000"  # printed 01.234.567.4-901.000
PKP_NPWP = "998877666544000"  # printed 99.887.766.6-544.000


@pytest.fixture(autouse=True)
def english_messages():
    """Services' messages are asserted in English (the msgids); pages default to Indonesian."""
    with translation.override("en"):
        yield


def place_on_invoice(*, company, user, regions, items: list[tuple], po_number: str = ""):
    """An off-taker order on invoice through the real ordering service. `items`: (product, quantity)."""
    result = submit_purchase(
        company=company,
        user=user,
        items=[PurchaseItem(stockrecord=product.stockrecords.get(), quantity=quantity) for product, quantity in items],
        shipping_address=make_shipping_address(regions=regions),
        payment_method="invoice",
        po_number=po_number,
    )
    return result.order


@pytest.fixture
def world(db):
    """A verified company on net 30 with Rp 5.000.000 credit, a VAT-registered pesantren and one that is not.

    Both pesantren ship within the buyer's kabupaten, so each part costs Rp 10.000 shipping (one
    500 g parcel): a Rp 1.100.000 product makes a Rp 1.110.000 part, DPP 1.000.000 and PPN 110.000.
    """
    regions = make_region_tree()
    pkp = make_seller(regions=regions, name="Pondok Pesantren Al-Ikhlas", npwp=PKP_NPWP, is_vat_registered=True)
    plain = make_seller(regions=regions, name="Pondok Pesantren Darul Ulum")
    approver, buyer, outsider = make_user(), make_user(), make_user()
    company = make_company(
        legal_name="PT Katering Barokah",
        npwp=COMPANY_NPWP,
        credit_limit=5_000_000,
        payment_terms_days=30,
        contact_email="keuangan@katering.example.com",
        members=[(approver, "approver"), (buyer, "buyer")],
    )
    return {
        "regions": regions,
        "company": company,
        "approver": approver,
        "buyer": buyer,
        "outsider": outsider,
        "pkp": pkp,
        "plain": plain,
        "rendang": make_seller_product(pkp, title="Rendang Santri 1 kg", price="1100000", stock=50),
        "kopi": make_seller_product(plain, title="Kopi Arabika Pangalengan", price="140000", stock=50),
    }


@pytest.fixture
def invoice_order(world):
    """Rendang (PKP, Rp 1.110.000 with shipping) and coffee (not PKP, Rp 150.000): Rp 1.260.000 on invoice."""
    order = place_on_invoice(
        company=world["company"],
        user=world["approver"],
        regions=world["regions"],
        items=[(world["rendang"], 1), (world["kopi"], 1)],
        po_number="PO-2026-118",
    )
    assert order.total_incl_tax == Decimal("1260000")
    return order


@pytest.fixture
def finance_user(db):
    user = make_user(email="keuangan@pasarpesantren.example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="manage_invoices", content_type__app_label="invoices"))
    return user
