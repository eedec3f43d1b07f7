"""Shipping charges per pesantren: by parcel weight and by where it goes relative to the pesantren."""

import math
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _


class ShippingZone(models.TextChoices):
    SAME_KABUPATEN = "same_kabupaten", _("Same kabupaten/kota")
    SAME_PROVINCE = "same_province", _("Same province")
    ELSEWHERE = "elsewhere", _("Elsewhere in Indonesia")


def zone_for(*, seller, destination_kabupaten) -> str:
    if destination_kabupaten is None:
        return ShippingZone.ELSEWHERE
    if destination_kabupaten.code == seller.kabupaten_id:
        return ShippingZone.SAME_KABUPATEN
    if destination_kabupaten.parent_id == seller.province_id:
        return ShippingZone.SAME_PROVINCE
    return ShippingZone.ELSEWHERE


def default_rate(zone: str) -> tuple[int, int]:
    default = settings.MARKETPLACE_DEFAULT_SHIPPING_RATES[zone]
    return default["first_kg"], default["next_kg"]


def prefetch_shipping_rates(sellers: Iterable) -> None:
    """Load the rate tables of many pesantren in one query, so `rate_for` on each needs none."""
    prefetch_related_objects([seller for seller in sellers if seller is not None], "shipping_rates")


def rate_for(*, seller, zone: str) -> tuple[int, int]:
    """(first kilogram, each further kilogram) in rupiah: the pesantren's own rate, else the default.

    Reads `seller.shipping_rates`, so it costs no query when the rates were prefetched (see
    `prefetch_shipping_rates`) and one query otherwise.
    """
    for rate in seller.shipping_rates.all():
        if rate.zone == zone:
            return rate.first_kg, rate.next_kg
    return default_rate(zone)


def seller_shipping_charge(*, seller, weight_grams: int, destination_kabupaten) -> Decimal:
    """The charge for one pesantren's parcel: first kilogram plus each started further kilogram."""
    zone = zone_for(seller=seller, destination_kabupaten=destination_kabupaten)
    first_kg, next_kg = rate_for(seller=seller, zone=zone)
    kilograms = max(1, math.ceil(max(weight_grams, 1) / 1000))
    return Decimal(first_kg + (kilograms - 1) * next_kg)


def seller_shipping_charges(*, weights: dict, destination_kabupaten) -> dict:
    """`seller_shipping_charge` for many pesantren at once ({seller: grams} → {seller: charge}), in one query."""
    prefetch_shipping_rates(weights)
    return {
        seller: seller_shipping_charge(seller=seller, weight_grams=grams, destination_kabupaten=destination_kabupaten)
        for seller, grams in weights.items()
    }


def line_weight_grams(product, quantity: int) -> int:
    weight = product.weight_grams or settings.MARKETPLACE_DEFAULT_PRODUCT_WEIGHT_GRAMS
    return weight * quantity
