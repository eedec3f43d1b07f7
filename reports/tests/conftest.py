"""A programme world with known figures: Kabupaten Sukabumi (the district officer's) and Kabupaten
Bandung (another kabupaten, which must never count for Sukabumi's officer).

Sukabumi (3 kecamatan):
- kecamatan 1: "Pesantren Lele" verified, mapped, nominated, champion of the cohort (last of its
  three stages), one public product in stock and one hidden, paid orders of Rp 300.000 in the
  period and Rp 150.000 a year before, one unpaid order; a mentor visit in the period and one before;
- kecamatan 2: "Pesantren Baru", an application (registered, not verified);
- kecamatan 3: "Pondok Belum Daftar", mapped and nominated, not registered.
Bandung (2 kecamatan): "Pesantren Kopi Bandung" verified, mapped, nominated, at the cohort's first
stage, one product with two variants, a paid order of Rp 90.000 in the period.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_product, create_stockrecord

from fulfilment.models import SellerOrder
from fulfilment.services import order_payment_succeeded
from programme import access, services
from programme.models import ProgrammeTarget, RoleKind
from programme.tests.helpers import make_areas, make_district_officer, make_mapped, make_provincial_officer, make_role
from reports.selectors import Period
from sellers.models import Sector, SellerStatus
from tests.factories import make_seller, make_seller_product, make_shipping_address, place_order

Product = get_model("catalogue", "Product")

TODAY = timezone.localdate()
PERIOD = Period(start=TODAY - datetime.timedelta(days=60), end=TODAY)


def in_kecamatan(tree: dict, index: int) -> dict:
    return {**tree, "kecamatan": [tree["kecamatan"][index]], "desa": [tree["desa"][index]]}


def add_variants(seller, *, title: str, count: int, price: str = "45000"):
    """A parent product with `count` public variants in stock: one listed product."""
    parent = create_product(title=title, product_class="Kopi", structure="parent")
    for index in range(count):
        child = Product.objects.create(title=f"{title} {index}", parent=parent, structure="child")
        create_stockrecord(child, price=Decimal(price), partner_name=None, num_in_stock=5, partner_sku=None)
        record = child.stockrecords.get()
        record.partner = seller.partner
        record.save()
    return parent, list(parent.children.all())


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    areas = make_areas()
    sukabumi, bandung = areas["sukabumi"], areas["bandung"]
    provincial = make_provincial_officer()
    province = access.scope_for(provincial)

    lele = make_seller(
        name="Pesantren Lele",
        sector=Sector.FOOD,
        regions=in_kecamatan(sukabumi, 0),
        email="rahasia.lele@example.com",
        bank_name="Bank Rahasia",
        bank_account_number="9876543210",
        bank_account_holder="Pemilik Rahasia",
    )
    pending = make_seller(name="Pesantren Baru", status=SellerStatus.APPLIED, regions=in_kecamatan(sukabumi, 1))
    kopi = make_seller(name="Pesantren Kopi Bandung", sector=Sector.DRINKS, regions=in_kecamatan(bandung, 0))

    lele_product = make_seller_product(lele, title="Lele Asap", price="150000", stock=10)
    make_seller_product(lele, title="Lele Rahasia", price="10000", stock=10, is_public=False)
    _parent, variants = add_variants(kopi, title="Kopi Bandung", count=2, price="45000")

    address = make_shipping_address(regions=sukabumi)
    in_period = place_order(items=[(lele_product, 2)], shipping_address=address)
    last_year = place_order(items=[(lele_product, 1)], shipping_address=address)
    place_order(items=[(lele_product, 1)], shipping_address=address)  # never paid
    bandung_order = place_order(items=[(variants[0], 1), (variants[1], 1)], shipping_address=address)
    for order in (in_period, last_year, bandung_order):
        order_payment_succeeded(order_id=order.pk)
    # Lele's second sale was paid more than a year ago: outside the period.
    SellerOrder.objects.filter(order=last_year).update(paid_at=timezone.now() - datetime.timedelta(days=400))

    lele_record = make_mapped(sukabumi, index=0, name="Pesantren Lele", nspp=lele.nspp, seller=lele)
    unregistered = make_mapped(sukabumi, index=2, name="Pondok Belum Daftar", nspp="510032020999")
    kopi_record = make_mapped(bandung, index=0, name="Pesantren Kopi Bandung", nspp=kopi.nspp, seller=kopi)
    for record in (lele_record, unregistered, kopi_record):
        services.nominate(scope=province, pesantren=record, nominated_by=provincial)

    cohort = services.cohort_create(
        scope=province, year=2027, name="Angkatan 2027", stage_names=["Daftar", "Cek", "Juara"]
    )
    stages = list(cohort.stages.order_by("position"))
    lele_participant = services.participant_enrol(scope=province, cohort=cohort, pesantren=lele_record, actor=None)
    for stage in stages[1:]:
        services.participant_move(scope=province, participant=lele_participant, to_stage=stage, actor=None)
    services.participant_enrol(scope=province, cohort=cohort, pesantren=kopi_record, actor=None)

    mentor = make_role(RoleKind.MENTOR, email="mentor.rahasia@example.com")
    assignment = services.mentor_assign(scope=province, mentor=mentor, pesantren=lele_record, assigned_by=provincial)
    for visited_on in (TODAY - datetime.timedelta(days=5), PERIOD.start - datetime.timedelta(days=30)):
        services.mentor_visit_log(
            scope=access.scope_for(mentor),
            assignment=assignment,
            visited_on=visited_on,
            topics="Kemasan",
            notes="",
            actions=[],
        )

    target = ProgrammeTarget.objects.create(
        cohort=cohort, name="Pesantren terverifikasi 2027", target_count=10, measure="verified", deadline="2027-12-31"
    )
    officer = make_district_officer(sukabumi["kabupaten"], email="dinas.rahasia@example.com")
    return {
        "sukabumi": sukabumi,
        "bandung": bandung,
        "provincial": provincial,
        "officer": officer,
        "mentor": mentor,
        "lele": lele,
        "pending": pending,
        "kopi": kopi,
        "cohort": cohort,
        "target": target,
    }
