"""Reads for couriers: the services a buyer may choose per parcel, a part's shipment and tracking."""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from core.breaker import Breaker
from couriers.models import COURIER_NAMES, INSTANT_COURIERS, SellerCourierSettings, Shipment, TrackingEvent
from couriers.providers import aggregator
from couriers.providers.base import PickupSlot, ProviderError, ProviderRejected, Quote
from couriers.providers.rate_table import RateTableProvider
from shipping.models import ShippingChoice

logger = logging.getLogger(__name__)
# After the aggregator failed or was too slow, checkout skips it for a moment (per process).
_breaker = Breaker(pause_seconds=settings.MARKETPLACE_COURIER_PAUSE_AFTER_FAILURE_SECONDS)


def offered_couriers(*, seller) -> list[str]:
    """The aggregator couriers a pesantren offers, in the marketplace's order. No setting: all of them."""
    row = courier_settings_of(seller=seller)
    if row is None:
        return list(COURIER_NAMES)
    return [code for code in COURIER_NAMES if code in row.couriers]


def courier_settings_of(*, seller) -> SellerCourierSettings | None:
    return SellerCourierSettings.objects.filter(seller=seller).first()


def coordinates_of(obj) -> tuple | None:
    """(latitude, longitude) as Decimals of a courier settings row or an address, or None unless both are set."""
    lat, lng = getattr(obj, "latitude", None), getattr(obj, "longitude", None)
    if lat in (None, "") or lng in (None, ""):
        return None
    from decimal import Decimal, InvalidOperation

    try:
        lat, lng = Decimal(str(lat)), Decimal(str(lng))
    except InvalidOperation:
        return None
    return (lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


def _cache_key(*, origin: str, destination: str, grams: int, couriers: list[str]) -> str:
    digest = hashlib.sha1(f"{origin}|{destination}|{grams}|{','.join(couriers)}".encode()).hexdigest()
    return f"courier-quotes:v1:{digest}"


AREA_CACHE_SECONDS = 30 * 24 * 3600
AREA_MISS_CACHE_SECONDS = 3600


def area_id_for(postal_code: str) -> str:
    """The aggregator's area id of a postal code, cached for weeks; "" when unknown or unreachable.

    Callers fall back to the postal code itself. A failure is not cached (asked again next time);
    a postal code the aggregator does not know is, for an hour."""
    provider = aggregator()
    code = (postal_code or "").strip()
    if provider is None or not code.isdigit():
        return ""
    key = f"courier-area:v1:{code}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    if _breaker.is_open(provider.key):
        return ""
    try:
        area_id = provider.area_id(code)
    except ProviderError as error:
        logger.warning("Area id of %s unavailable, using the postal code: %s", code, error)
        if not isinstance(error, ProviderRejected):
            _breaker.trip(provider.key)  # down or slow: the rates call that follows need not wait too
        return ""
    cache.set(key, area_id, AREA_CACHE_SECONDS if area_id else AREA_MISS_CACHE_SECONDS)
    return area_id


def aggregator_quotes(
    *, seller, weight_grams: int, value: int, destination_postal_code: str, destination_coordinates=None
) -> list[Quote]:
    """The aggregator's services for one parcel, cached briefly. Raises ProviderError; [] when none apply.

    Same-day and instant couriers are asked for only when the pesantren's pin and the address's
    (`destination_coordinates`) are both known; otherwise they are not offered."""
    provider = aggregator()
    couriers = offered_couriers(seller=seller)
    origin = (seller.postal_code or "").strip()
    destination = (destination_postal_code or "").strip()
    origin_coordinates = coordinates_of(courier_settings_of(seller=seller))
    pins = {}
    if origin_coordinates is not None and destination_coordinates is not None:
        pins = {
            "origin_latitude": float(origin_coordinates[0]),
            "origin_longitude": float(origin_coordinates[1]),
            "destination_latitude": float(destination_coordinates[0]),
            "destination_longitude": float(destination_coordinates[1]),
        }
    else:
        couriers = [code for code in couriers if code not in INSTANT_COURIERS]
    if provider is None or not couriers or not (origin.isdigit() and destination.isdigit()):
        return []
    where = ",".join(str(value) for value in pins.values())
    key = _cache_key(origin=origin, destination=f"{destination}|{where}", grams=weight_grams, couriers=couriers)
    cached = cache.get(key)
    if cached is not None:
        return [Quote.from_dict(row) for row in cached]
    if _breaker.is_open(provider.key):
        raise ProviderError("The courier service failed a moment ago")
    try:
        quotes = provider.quotes(
            origin_postal_code=origin,
            destination_postal_code=destination,
            origin_area_id=area_id_for(origin),
            destination_area_id=area_id_for(destination),
            couriers=couriers,
            items=[{"name": "Paket", "value": max(int(value), 0), "weight": max(weight_grams, 1), "quantity": 1}],
            coordinates=pins,
        )
    except ProviderError:
        _breaker.trip(provider.key)
        raise
    cache.set(key, [quote.as_dict() for quote in quotes], settings.MARKETPLACE_COURIER_QUOTE_CACHE_SECONDS)
    return quotes


def shipping_options(*, seller, weight_grams: int, value: int, shipping_address) -> tuple[list[Quote], bool]:
    """The services a buyer may choose for one pesantren's parcel, cheapest first, and whether it fell back.

    The aggregator's couriers that the pesantren offers, from its postal code to the address's; when
    the aggregator fails, is slow, or offers nothing for this route, the pesantren's rate table
    (then the second value is True when that was a failure). Never raises for the provider.
    """
    fell_back = False
    try:
        quotes = aggregator_quotes(
            seller=seller,
            weight_grams=weight_grams,
            value=value,
            destination_postal_code=getattr(shipping_address, "postcode", "") or "",
            destination_coordinates=coordinates_of(shipping_address),
        )
    except ProviderError as error:
        logger.warning("Courier rates unavailable for %s, using its rate table: %s", seller.pk, error)
        quotes, fell_back = [], True
    if quotes:
        return quotes, False
    kabupaten = (
        getattr(shipping_address, "kabupaten", None) if getattr(shipping_address, "kabupaten_id", None) else None
    )
    return RateTableProvider().quotes(
        seller=seller, weight_grams=weight_grams, destination_kabupaten=kabupaten
    ), fell_back


def pickup_slots(courier_code: str) -> list[PickupSlot]:
    """The courier's pickup windows, cached a few minutes; [] when the aggregator cannot say."""
    provider = aggregator()
    if provider is None or not courier_code:
        return []
    key = f"courier-pickup-slots:v1:{courier_code}"
    cached = cache.get(key)
    if cached is None:
        try:
            slots = provider.pickup_slots(courier_code)
        except ProviderError as error:
            logger.warning("Pickup slots of %s unavailable: %s", courier_code, error)
            return []
        cached = [(slot.date.isoformat(), slot.start_time, slot.end_time) for slot in slots]
        cache.set(key, cached, settings.MARKETPLACE_COURIER_QUOTE_CACHE_SECONDS)
    return [PickupSlot(datetime.date.fromisoformat(day), start, end) for day, start, end in cached]


def shipment_of(seller_order) -> Shipment | None:
    return Shipment.objects.filter(seller_order=seller_order).first()


def tracking_history(shipment: Shipment | None) -> list[TrackingEvent]:
    if shipment is None:
        return []
    return list(shipment.tracking_events.filter(attempt=shipment.attempt).order_by("occurred_at", "pk"))


def quiet_shipment_ids(*, before) -> list[int]:
    """Booked shipments not yet final whose last tracking update (or booking) is older than `before`."""
    from django.db.models import Q

    return list(
        Shipment.objects.filter(status="booked")
        .exclude(provider_status__in=["delivered", "cancelled", "rejected", "returned", "disposed"])
        .filter(Q(last_event_at__lt=before) | Q(last_event_at__isnull=True, booked_at__lt=before))
        .filter(Q(polled_at__isnull=True) | Q(polled_at__lt=before))
        .values_list("pk", flat=True)[:500]
    )


@dataclass(frozen=True)
class Label:
    seller_order: object
    courier: str
    waybill: str
    collection: str
    lines: list


def labels_for(*, seller, ids) -> tuple[list[Label], list]:
    """Labels of the pesantren's own parts among `ids`: (labels, parts skipped for having no airway bill yet).

    A booked courier's airway bill, else the one typed by hand when the part was shipped. Another
    pesantren's parts are not found at all.
    """
    from fulfilment.selectors import packing_slips

    parts = packing_slips(seller=seller, ids=ids)
    shipments = {
        shipment.seller_order_id: shipment
        for shipment in Shipment.objects.filter(seller_order__in=parts, status="booked")
    }
    choices = {
        choice.order_id: choice
        for choice in ShippingChoice.objects.filter(order_id__in=[part.order_id for part in parts], seller=seller)
    }
    labels, skipped = [], []
    for part in parts:
        shipment = shipments.get(part.pk)
        choice = choices.get(part.order_id)
        if shipment is not None:
            courier = f"{shipment.courier_name} {choice.service_name if choice else shipment.service_code.upper()}"
            labels.append(
                Label(part, courier, shipment.waybill_id, shipment.get_collection_method_display(), part.slip_lines)
            )
        elif part.tracking_number:
            labels.append(Label(part, part.courier, part.tracking_number, "", part.slip_lines))
        else:
            skipped.append(part)
    return labels, skipped


def choice_of(seller_order) -> ShippingChoice | None:
    """The courier service (and price) the buyer chose for this part at checkout."""
    return ShippingChoice.objects.filter(order_id=seller_order.order_id, seller_id=seller_order.seller_id).first()
