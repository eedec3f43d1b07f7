"""Writes for shipping: a pesantren's own rate table."""

from django.db import transaction

from sellers.models import Seller
from shipping.calculator import ShippingZone
from shipping.models import SellerShippingRate


@transaction.atomic
def seller_shipping_rates_update(
    *, seller: Seller, rates: dict[str, tuple[int, int] | None]
) -> list[SellerShippingRate]:
    """Set the pesantren's rate per zone: (first kg, next kg) in rupiah, or None to use the default.

    Zones missing from `rates` are left as they are. Returns the pesantren's rows afterwards.
    """
    unknown = set(rates) - set(ShippingZone.values)
    if unknown:
        raise ValueError(f"Unknown shipping zones: {sorted(unknown)}")
    for zone, rate in rates.items():
        if rate is None:
            SellerShippingRate.objects.filter(seller=seller, zone=zone).delete()
            continue
        first_kg, next_kg = rate
        row = SellerShippingRate.objects.filter(seller=seller, zone=zone).first() or SellerShippingRate(
            seller=seller, zone=zone
        )
        row.first_kg, row.next_kg = first_kg, next_kg
        row.full_clean()
        row.save()
    return list(SellerShippingRate.objects.filter(seller=seller))


def indonesia():
    """Oscar's Country row for Indonesia, the only shipping country.

    A data migration creates it; getting or creating it here keeps checkout working on a
    database whose reference rows were flushed (as transactional tests do).
    """
    from oscar.core.loading import get_model

    Country = get_model("address", "Country")
    country, _created = Country._default_manager.get_or_create(
        iso_3166_1_a2="ID",
        defaults={
            "iso_3166_1_a3": "IDN",
            "iso_3166_1_numeric": "360",
            "name": "Indonesia",
            "printable_name": "Indonesia",
            "is_shipping_country": True,
        },
    )
    return country
