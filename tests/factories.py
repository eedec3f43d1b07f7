"""Factories shared by the test suite. Oscar's own factories work with our forked models."""

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from oscar.test.factories import create_product, create_stockrecord
from stdnum import luhn

from regions.models import Region, RegionLevel
from sellers.models import Sector, Seller, SellerStatus
from sellers.services import seller_approve

_sequence = itertools.count(1)


def make_npwp(serial: int) -> str:
    """A made-up 15-digit NPWP, unique per serial, whose check digit holds (company_register checks it)."""
    taxpayer = f"{serial:08d}"
    return f"{taxpayer}{luhn.calc_check_digit(taxpayer)}000000"


def make_region_tree(
    kabupaten_code: str = "32.04", kabupaten_name: str = "Kabupaten Bandung", kecamatan: int = 2
) -> dict:
    """A province, one kabupaten, its kecamatan and one desa each: enough for forms and filters."""
    province, _ = Region.objects.get_or_create(
        code="32", defaults={"name": "Jawa Barat", "level": RegionLevel.PROVINCE}
    )
    kabupaten, _ = Region.objects.get_or_create(
        code=kabupaten_code, defaults={"name": kabupaten_name, "level": RegionLevel.REGENCY, "parent": province}
    )
    districts, villages = [], []
    for index in range(1, kecamatan + 1):
        district, _ = Region.objects.get_or_create(
            code=f"{kabupaten_code}.{index:02d}",
            defaults={
                "name": f"Kecamatan {kabupaten_name[-6:]} {index}",
                "level": RegionLevel.DISTRICT,
                "parent": kabupaten,
            },
        )
        village, _ = Region.objects.get_or_create(
            code=f"{district.code}.2001",
            defaults={
                "name": f"Desa {index}",
                "level": RegionLevel.VILLAGE,
                "parent": district,
                "postal_code": "40377",
            },
        )
        districts.append(district)
        villages.append(village)
    return {"province": province, "kabupaten": kabupaten, "kecamatan": districts, "desa": villages}


def make_user(email: str | None = None, password: str = "rahasia-123", **extra):
    number = next(_sequence)
    email = email or f"user{number}@example.com"
    return get_user_model().objects.create_user(username=email[:30], email=email, password=password, **extra)


def make_seller(*, status: str = SellerStatus.VERIFIED, name: str | None = None, regions: dict | None = None, **fields):
    """A pesantren; verified ones are approved through the real service, so they own a Partner."""
    number = next(_sequence)
    regions = regions or make_region_tree()
    owner = fields.pop("owner", None) or make_user()
    seller = Seller.objects.create(
        owner=owner,
        name=name or f"Pondok Pesantren Uji {number}",
        slug=fields.pop("slug", f"pp-uji-{number}"),
        nspp=fields.pop("nspp", f"51003204{number:04d}"),
        sector=fields.pop("sector", Sector.FOOD),
        address_line="Jl. Pesantren No. 1",
        province=regions["province"],
        kabupaten=regions["kabupaten"],
        kecamatan=regions["kecamatan"][0],
        desa=regions["desa"][0],
        postal_code="40377",
        contact_name="Ustadz Ahmad",
        whatsapp="6281234567890",
        **fields,
    )
    if status == SellerStatus.VERIFIED:
        seller = seller_approve(seller=seller, approved_by=None)
    elif status != SellerStatus.APPLIED:
        Seller.objects.filter(pk=seller.pk).update(status=status)
        seller.refresh_from_db()
    return seller


def make_seller_product(seller: Seller, *, title: str | None = None, price: str = "25000", stock: int = 10, **fields):
    product = create_product(title=title or f"Produk {next(_sequence)}", **fields)
    create_stockrecord(product, price=Decimal(price), partner_name=None, num_in_stock=stock, partner_sku=None)
    record = product.stockrecords.get()
    record.partner = seller.partner
    record.save()
    return product


def make_shipping_address(*, regions: dict, name: str = "Siti Aminah"):
    """A saved order shipping address in the tree's first kecamatan, as checkout would make it."""
    from oscar.core.loading import get_model

    Country = get_model("address", "Country")
    ShippingAddress = get_model("order", "ShippingAddress")
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="ID", defaults={"name": "Indonesia", "printable_name": "Indonesia", "is_shipping_country": True}
    )
    return ShippingAddress.objects.create(
        first_name=name,
        line1="Jl. Merdeka No. 5",
        line4=regions["kabupaten"].name,
        state=regions["province"].name,
        postcode="40111",
        country=country,
        phone_number="+6281234567890",
        kabupaten=regions["kabupaten"],
        kecamatan=regions["kecamatan"][0],
        desa=regions["desa"][0],
    )


def shipping_address_data(*, regions: dict, **overrides) -> dict:
    """What a buyer types into the shipping address form (consumer and business checkout, bulk orders)."""
    return {
        "first_name": "Siti Aminah",
        "phone_number": "081234567890",
        "line1": "Jl. Asia Afrika 1",
        "province": regions["province"].code,
        "kabupaten": regions["kabupaten"].code,
        "kecamatan": regions["kecamatan"][0].code,
        "desa": regions["desa"][0].code,
        "postcode": "40111",
        **overrides,
    }


def place_order(*, items: list[tuple], shipping_address, user=None, email: str = "pembeli@example.com"):
    """Place an order through Oscar's OrderCreator (ours: stock-guarded), as checkout does.

    `items` is a list of (product, quantity). Shipping is charged per pesantren, like checkout.
    """
    from oscar.apps.partner.strategy import Selector
    from oscar.apps.shipping.methods import FixedPrice
    from oscar.core.loading import get_class

    from basket.models import Basket
    from fulfilment.services import shipping_breakdown

    OrderCreator = get_class("order.utils", "OrderCreator")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    breakdown = shipping_breakdown(lines=basket.all_lines(), destination_kabupaten=shipping_address.kabupaten)
    shipping_total = sum((charge for _grams, charge in breakdown.values()), Decimal(0))
    method = FixedPrice(charge_excl_tax=shipping_total, charge_incl_tax=shipping_total)
    shipping_charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, shipping_charge)
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=shipping_charge,
        user=user,
        shipping_address=shipping_address,
        **({"guest_email": email} if user is None else {}),
    )
    basket.submit()
    return order


def make_company(*, status: str = "verified", members: list[tuple] = (), **fields):
    """An off-taker company; `members` are (user, role) pairs, role "buyer" or "approver"."""
    from companies.models import Company, CompanyMembership

    defaults = {
        "legal_name": f"PT Mitra Niaga {next(_sequence)}",
        "business_type": "wholesaler",
        "address": "Jl. Asia Afrika 8, Bandung",
        "contact_name": "Rina",
        "contact_phone": "0812000111",
        "contact_email": "pengadaan@example.com",
    }
    defaults.update(fields)
    defaults.setdefault("npwp", make_npwp(next(_sequence)))
    company = Company.objects.create(status=status, **defaults)
    for user, role in members:
        CompanyMembership.objects.create(company=company, user=user, role=role)
    return company
