"""Reads for shipping: the basket grouped by pesantren, and a pesantren's rate table."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from sellers.models import Seller
from shipping.calculator import (
    ShippingZone,
    default_rate,
    line_weight_grams,
    prefetch_shipping_rates,
    seller_shipping_charge,
)
from shipping.models import SellerShippingRate


@dataclass
class BasketGroup:
    """One pesantren's part of a basket: its lines, their subtotal, parcel weight and shipping.

    `shipping_charge` is None while the destination is unknown (the basket page, before checkout
    has an address).
    """

    seller: Seller | None
    name: str
    lines: list = field(default_factory=list)
    subtotal: Decimal = Decimal("0")
    weight_grams: int = 0
    shipping_charge: Decimal | None = None
    # The courier service the buyer chose for this parcel (shipping.choices.Choice), if any still holds.
    choice: object | None = None

    @property
    def total(self) -> Decimal | None:
        if self.shipping_charge is None:
            return None
        return self.subtotal + self.shipping_charge


def _line_subtotal(line) -> Decimal:
    # After discounts, like the order line's price that becomes the SellerOrder subtotal.
    if line.is_tax_known:
        price = line.line_price_incl_tax_incl_discounts
    else:
        price = line.line_price_excl_tax_incl_discounts
    return price or Decimal("0")


def basket_groups(
    *,
    basket,
    destination_kabupaten=None,
    with_shipping: bool | None = None,
    choices: dict | None = None,
    destination: str = "",
) -> list[BasketGroup]:
    """The basket's lines grouped by pesantren, ordered by pesantren name.

    Shipping is charged when a destination kabupaten is given, or when `with_shipping` is True
    (an address without a kabupaten is charged the "elsewhere" rate, as `zone_for` does). A
    pesantren's parcel is charged the price of the courier service chosen for it (`choices`,
    {seller id: shipping.choices.Choice}) when that choice was quoted for this very parcel (same
    weight, same `destination`); otherwise its rate table.

    Uses the basket's cached, priced lines (`basket.all_lines()`), then two queries whatever the
    number of pesantren: their Seller rows and their rate tables. Lines of a partner without a
    pesantren (none in normal operation) form one last group with no shipping charge.
    """
    lines = list(basket.all_lines())
    if not lines:
        return []
    partner_ids = {line.stockrecord.partner_id for line in lines if line.stockrecord_id}
    sellers = {seller.partner_id: seller for seller in Seller.objects.filter(partner_id__in=partner_ids)}
    prefetch_shipping_rates(sellers.values())

    groups: dict = {}
    for line in lines:
        seller = sellers.get(line.stockrecord.partner_id) if line.stockrecord_id else None
        group = groups.get(seller)
        if group is None:
            group = groups[seller] = BasketGroup(seller=seller, name=seller.name if seller else _("Other sellers"))
        group.lines.append(line)
        group.subtotal += _line_subtotal(line)
        group.weight_grams += line_weight_grams(line.product, line.quantity)

    if with_shipping is None:
        with_shipping = destination_kabupaten is not None
    from shipping.choices import fingerprint

    for seller, group in groups.items():
        choice = (choices or {}).get(seller.pk) if seller is not None else None
        if choice is not None and with_shipping:
            key = fingerprint(seller_id=seller.pk, weight_grams=group.weight_grams, destination=destination)
            if choice.fingerprint == key:
                group.choice = choice
                group.shipping_charge = choice.charge
                continue
        if seller is not None and with_shipping:
            group.shipping_charge = seller_shipping_charge(
                seller=seller, weight_grams=group.weight_grams, destination_kabupaten=destination_kabupaten
            )
        elif seller is None:
            group.shipping_charge = Decimal("0")
    return sorted(groups.values(), key=lambda group: (group.seller is None, group.name.casefold()))


@dataclass(frozen=True)
class ZoneRate:
    zone: str
    label: str
    first_kg: int | None
    next_kg: int | None
    default_first_kg: int
    default_next_kg: int

    @property
    def is_default(self) -> bool:
        return self.first_kg is None


def seller_rate_table(*, seller: Seller) -> list[ZoneRate]:
    """Every zone with the pesantren's own rate (None where it uses the default) and the default."""
    own = {rate.zone: rate for rate in SellerShippingRate.objects.filter(seller=seller)}
    table = []
    for zone in ShippingZone:
        default_first, default_next = default_rate(zone)
        rate = own.get(zone)
        table.append(
            ZoneRate(
                zone=zone.value,
                label=str(zone.label),
                first_kg=rate.first_kg if rate else None,
                next_kg=rate.next_kg if rate else None,
                default_first_kg=default_first,
                default_next_kg=default_next,
            )
        )
    return table
