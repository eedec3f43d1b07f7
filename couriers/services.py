"""Writes for couriers: a pesantren's couriers, booking a courier order, and applying tracking updates.

Parts change status only through `fulfilment.services` (and so `core.transitions`). Locks follow
`core.locks`: the order, then the part (`lock_seller_order`); a part's shipment and tracking
events are written only while its part is locked, so they need no lock of their own. No call to
the aggregator is made inside a transaction: booking records its intent, commits, calls out with
the part's number as `reference_id` (the same reference books once), then books the answer in a
new short transaction.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core import outbox
from core.locks import lock_seller_order
from core.transitions import record_initial, transition
from couriers.models import (
    COURIER_NAMES,
    DELIVERED_RANK,
    SHIPPED_RANK,
    TRACKING_RANK,
    CollectionMethod,
    PickupTime,
    SellerCourierSettings,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from couriers.providers import aggregator
from couriers.providers.base import ProviderError, ProviderRejected, TrackingUpdate
from couriers.selectors import area_id_for, coordinates_of, courier_settings_of
from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.services import seller_order_deliver, seller_order_pack, seller_order_ship
from shipping.models import ShippingChoice

logger = logging.getLogger(__name__)
S = SellerOrderStatus
Line = get_model("order", "Line")
BOOKABLE_STATUSES = (S.ACCEPTED, S.PACKED)


class BookingFailed(Exception):
    """The courier order could not be booked; the message is safe to show the pesantren."""


class CancelFailed(Exception):
    """The courier order could not be cancelled; the message is safe to show the pesantren."""


_UNSET = object()


def seller_couriers_update(
    *, seller, couriers: list[str], latitude=_UNSET, longitude=_UNSET, pickup_time: str | None = None
) -> SellerCourierSettings:
    """Save the couriers a pesantren offers and, when given, its pin (both or neither; None clears it)."""
    unknown = set(couriers) - set(COURIER_NAMES)
    if unknown:
        raise ValueError(_("Unknown couriers: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    row, _created = SellerCourierSettings.objects.get_or_create(seller=seller)
    row.couriers = [code for code in COURIER_NAMES if code in couriers]
    if pickup_time is not None:
        if pickup_time not in PickupTime.values:
            raise ValueError(_("Choose a preferred pickup time."))
        row.pickup_time = pickup_time
    if latitude is not _UNSET or longitude is not _UNSET:
        latitude = None if latitude is _UNSET else latitude
        longitude = None if longitude is _UNSET else longitude
        if (latitude is None) != (longitude is None):
            raise ValueError(_("Enter both latitude and longitude, or neither."))
        row.latitude, row.longitude = latitude, longitude
        row.full_clean(exclude=["seller", "couriers"])
    row.save()
    return row


def _choice_of(seller_order: SellerOrder) -> ShippingChoice | None:
    return ShippingChoice.objects.filter(order_id=seller_order.order_id, seller_id=seller_order.seller_id).first()


def can_book(seller_order: SellerOrder) -> bool:
    """Whether the pesantren may book the aggregator's courier for this part (it chose one at checkout)."""
    choice = _choice_of(seller_order)
    return (
        aggregator() is not None
        and choice is not None
        and choice.provider == "biteship"
        and seller_order.status in BOOKABLE_STATUSES
        and not Shipment.objects.filter(seller_order=seller_order, status=ShipmentStatus.BOOKED).exists()
    )


def _order_payload(
    seller_order: SellerOrder,
    choice: ShippingChoice,
    collection_method: str,
    reference_id: str,
    slot=None,
    areas: dict | None = None,
) -> dict:
    seller = seller_order.seller
    address = seller_order.order.shipping_address
    lines = Line.objects.filter(order_id=seller_order.order_id, partner_id=seller.partner_id).select_related("product")
    weight_each = {}
    items = []
    for line in lines:
        grams = line.product.weight_grams if line.product_id and line.product.weight_grams else None
        weight_each[line.pk] = grams or 500
        items.append(
            {
                "name": line.title[:100],
                "value": int(line.unit_price_incl_tax or 0),
                "quantity": line.quantity,
                "weight": weight_each[line.pk],
            }
        )
    origin = ", ".join(
        part
        for part in (seller.address_line, getattr(seller.kecamatan, "name", ""), getattr(seller.kabupaten, "name", ""))
        if part
    )
    destination = ", ".join(
        str(part)
        for part in (
            address.line1,
            address.line2,
            getattr(address.desa, "name", "") if address.desa_id else "",
            getattr(address.kecamatan, "name", "") if address.kecamatan_id else "",
            address.line4,
            address.state,
        )
        if part
    )
    return {
        "shipper_contact_name": seller.name,
        "shipper_contact_phone": seller.whatsapp,
        "shipper_organization": seller.name,
        "origin_contact_name": seller.contact_name or seller.name,
        "origin_contact_phone": seller.whatsapp,
        "origin_address": origin,
        "origin_postal_code": int(seller.postal_code),
        "origin_collection_method": collection_method,
        "destination_contact_name": address.name or seller_order.order.email,
        "destination_contact_phone": str(address.phone_number or ""),
        "destination_address": destination,
        "destination_postal_code": int(address.postcode),
        "destination_note": address.notes or "",
        **(areas or {}),
        **_pins(seller, address),
        "courier_company": choice.courier_code,
        "courier_type": choice.service_code,
        **(
            {"delivery_type": "scheduled", "delivery_date": slot.date.isoformat(), "delivery_time": slot.start_time}
            if slot is not None
            else {"delivery_type": "now"}
        ),
        "reference_id": reference_id,
        "order_note": seller_order.number,
        "items": items,
    }


def _pins(seller, address) -> dict:
    """Both ends' coordinates for the booking, when both are known (instant couriers need them)."""
    origin = coordinates_of(courier_settings_of(seller=seller))
    destination = coordinates_of(address)
    if origin is None or destination is None:
        return {}
    return {
        "origin_coordinate": {"latitude": float(origin[0]), "longitude": float(origin[1])},
        "destination_coordinate": {"latitude": float(destination[0]), "longitude": float(destination[1])},
    }


def shipment_book(
    *, seller_order: SellerOrder, actor, collection_method: str = CollectionMethod.PICKUP, slot=None
) -> Shipment:
    """Book the courier the buyer chose for this part; returns the booked shipment with its airway bill.

    `slot` (a `PickupSlot` the courier offers) schedules a pickup in that window; without one the
    courier comes as soon as it can (Biteship's `delivery_type` now).

    The part must be accepted or packed (an accepted part is packed by booking). Booking twice
    returns the first booking. Raises BookingFailed with a message for the pesantren.
    """
    if collection_method not in CollectionMethod.values:
        raise BookingFailed(_("Choose pickup or drop-off."))
    if collection_method != CollectionMethod.PICKUP:
        slot = None
    pickup = {
        "pickup_date": slot.date if slot else None,
        "pickup_window": f"{slot.start_time}-{slot.end_time}" if slot else "",
    }
    provider = aggregator()
    choice = _choice_of(seller_order)
    if provider is None or choice is None or choice.provider != "biteship":
        raise BookingFailed(
            _("The buyer did not choose a courier service for this order: enter the airway bill by hand.")
        )
    if not (seller_order.order.shipping_address and (seller_order.order.shipping_address.postcode or "").isdigit()):
        raise BookingFailed(_("The buyer's address has no postal code: enter the airway bill by hand."))

    # The area ids (looked up, or cached, before any lock); without them the postal codes say where.
    origin_area = area_id_for(seller_order.seller.postal_code or "")
    destination_area = area_id_for(seller_order.order.shipping_address.postcode)
    areas = (
        {"origin_area_id": origin_area, "destination_area_id": destination_area}
        if origin_area and destination_area
        else {}
    )

    # 1. Record the intent (one shipment per part), with the part locked.
    with transaction.atomic():
        part = lock_seller_order(seller_order.pk)
        shipment = Shipment.objects.filter(seller_order=part).first()
        if shipment is not None and shipment.status == ShipmentStatus.BOOKED:
            return shipment
        if part.status not in BOOKABLE_STATUSES:
            raise BookingFailed(
                _("Order %(number)s is %(status)s: only accepted or packed orders can be booked.")
                % {"number": part.number, "status": S(part.status).label.lower()}
            )
        if shipment is None:
            shipment = Shipment.objects.create(
                seller_order=part,
                provider=choice.provider,
                courier_code=choice.courier_code,
                service_code=choice.service_code,
                collection_method=collection_method,
                **pickup,
            )
            record_initial([shipment], actor=actor)
        elif shipment.status == ShipmentStatus.REQUESTED:
            shipment.collection_method = collection_method
            for name, value in pickup.items():
                setattr(shipment, name, value)
            shipment.save(update_fields=["collection_method", *pickup])
        elif shipment.status == ShipmentStatus.CANCELLED:
            # Booked again after a cancellation: a new courier order, under a new reference.
            transition(
                shipment,
                ShipmentStatus.REQUESTED,
                actor=actor,
                note=_("Booked again"),
                attempt=shipment.attempt + 1,
                collection_method=collection_method,
                **pickup,
                courier_code=choice.courier_code,
                service_code=choice.service_code,
                provider_order_id=None,
                tracking_id="",
                waybill_id="",
                provider_status="",
                price=None,
                error="",
                booked_at=None,
                last_event_at=None,
                polled_at=None,
            )
        else:
            transition(shipment, ShipmentStatus.REQUESTED, actor=actor, collection_method=collection_method, **pickup)
        payload = _order_payload(part, choice, collection_method, shipment.reference_id, slot, areas)

    # 2. Call the aggregator, outside any transaction; the part number makes a retry book the same order.
    try:
        booking = provider.book(payload)
    except ProviderError as error:
        with transaction.atomic():
            lock_seller_order(seller_order.pk)
            shipment = Shipment.objects.get(pk=shipment.pk)
            if shipment.status == ShipmentStatus.REQUESTED:
                transition(shipment, ShipmentStatus.FAILED, actor=actor, note=str(error)[:500], error=str(error)[:500])
        raise BookingFailed(_("The courier could not be booked: %(error)s. Try again.") % {"error": error}) from error

    # 3. Book the answer: ids, the airway bill, the first tracking event; pack an accepted part.
    with transaction.atomic():
        part = lock_seller_order(seller_order.pk)
        shipment = Shipment.objects.get(pk=shipment.pk)
        if shipment.status != ShipmentStatus.BOOKED:
            # Whole seconds, as the aggregator's tracking times are: the booking sorts before them.
            now = timezone.now().replace(microsecond=0)
            transition(
                shipment,
                ShipmentStatus.BOOKED,
                actor=actor,
                note=booking.waybill_id,
                provider_order_id=booking.provider_order_id,
                tracking_id=booking.tracking_id,
                waybill_id=booking.waybill_id,
                provider_status=booking.status,
                price=booking.price,
                error="",
                booked_by=actor,
                booked_at=now,
                last_event_at=now,
            )
            _record_events(shipment, [TrackingUpdate(status=booking.status, note="", occurred_at=now)], "booking")
        if part.status == S.ACCEPTED:
            seller_order_pack(seller_order=part, actor=actor)
    return shipment


def _record_events(shipment: Shipment, updates: list[TrackingUpdate], source: str) -> int:
    """Insert the updates not seen before (same status at the same time is one event). Returns how many were new."""
    new = 0
    for update in updates:
        if not update.status:
            continue
        try:
            with transaction.atomic():
                TrackingEvent.objects.create(
                    shipment=shipment,
                    attempt=shipment.attempt,
                    status=update.status[:32],
                    note=(update.note or "")[:255],
                    occurred_at=update.occurred_at,
                    source=source,
                )
        except IntegrityError:
            continue  # delivered before: a replay
        new += 1
    return new


def _advance_part(part: SellerOrder, shipment: Shipment, rank: int) -> None:
    """Move a locked part as far as the courier's furthest status says, never back."""
    if rank >= SHIPPED_RANK and part.status in (S.ACCEPTED, S.PACKED):
        if part.status == S.ACCEPTED:
            seller_order_pack(seller_order=part, actor=None)
        seller_order_ship(
            seller_order=part,
            actor=None,
            courier=f"{shipment.courier_name} {shipment.service_code.upper()}",
            tracking_number=shipment.waybill_id,
        )
        part.refresh_from_db()
    if rank >= DELIVERED_RANK and part.status == S.SHIPPED:
        seller_order_deliver(seller_order=part, actor=None)


def shipment_apply_tracking(*, shipment_id: int, updates: list[TrackingUpdate], source: str) -> Shipment | None:
    """Record tracking updates of a shipment and move its part to shipped or delivered when they say so.

    Safe to repeat and to receive out of order: events are stored once, and the part follows the
    furthest status among all the shipment's events, so an older status arriving late changes
    nothing. A cancelled part keeps its events but does not move.
    """
    seller_order_id = Shipment.objects.filter(pk=shipment_id).values_list("seller_order_id", flat=True).first()
    if seller_order_id is None:
        return None
    with transaction.atomic():
        part = lock_seller_order(seller_order_id)
        shipment = Shipment.objects.get(pk=shipment_id)
        new = _record_events(shipment, updates, source)
        statuses = set(shipment.tracking_events.filter(attempt=shipment.attempt).values_list("status", flat=True))
        ranked = [TRACKING_RANK[status] for status in statuses if status in TRACKING_RANK]
        rank = max(ranked, default=-1)
        furthest = max((status for status in statuses if status in TRACKING_RANK), key=TRACKING_RANK.get, default="")
        final = next((s for s in statuses if s in ("cancelled", "rejected", "returned", "disposed")), "")
        fields = []
        if new:
            shipment.last_event_at = timezone.now()
            fields.append("last_event_at")
        status = furthest if furthest == "delivered" or not final else final
        if status and status != shipment.provider_status:
            shipment.provider_status = status
            fields.append("provider_status")
            if shipment.status == ShipmentStatus.BOOKED:
                from couriers.tasks import send_tracking_email

                # One email per change of the parcel's status, queued with it (a replay changes nothing).
                outbox.enqueue(send_tracking_email, shipment.pk, shipment.attempt, status)
        if fields:
            shipment.save(update_fields=fields)
        # A cancelled booking's late events are kept but move nothing.
        if part.status not in (S.CANCELLED, S.REFUNDED) and shipment.status == ShipmentStatus.BOOKED:
            _advance_part(part, shipment, rank)
    return shipment


def shipment_cancel(*, seller_order: SellerOrder, actor, reason: str = "") -> Shipment:
    """Cancel the part's courier order before the courier picks the parcel up.

    Afterwards the part can be booked again (a new courier order) or shipped with an airway bill
    typed by hand. Raises CancelFailed with a message for the pesantren: nothing booked, already
    picked up (here or at the aggregator), or the aggregator unreachable.
    """
    provider = aggregator()
    shipment = Shipment.objects.filter(seller_order=seller_order).first()
    if shipment is None or shipment.status != ShipmentStatus.BOOKED:
        raise CancelFailed(_("This order has no courier booking to cancel."))
    if not shipment.can_cancel or seller_order.status not in BOOKABLE_STATUSES:
        raise CancelFailed(_("The courier has already picked up the parcel: the booking can no longer be cancelled."))
    if provider is None:
        raise CancelFailed(_("The courier service is not available: try again later."))
    reason = (reason or "").strip()[:200] or _("Cancelled by the pesantren")
    try:
        provider.cancel(shipment.provider_order_id, reason)
    except ProviderRejected as error:
        # The aggregator knows better: most often the courier has just picked the parcel up.
        shipment_refresh_tracking(shipment_id=shipment.pk)
        raise CancelFailed(
            _("The courier order could not be cancelled: %(error)s.") % {"error": str(error).rstrip(".")}
        ) from error
    except ProviderError as error:
        raise CancelFailed(
            _("The courier service could not be reached: %(error)s. Try again.") % {"error": error}
        ) from error

    with transaction.atomic():
        lock_seller_order(seller_order.pk)
        shipment = Shipment.objects.get(pk=shipment.pk)
        if shipment.status == ShipmentStatus.BOOKED:
            now = timezone.now().replace(microsecond=0)
            transition(
                shipment,
                ShipmentStatus.CANCELLED,
                actor=actor,
                note=reason,
                data={"waybill_id": shipment.waybill_id, "provider_order_id": shipment.provider_order_id},
                provider_status="cancelled",
                last_event_at=now,
            )
            _record_events(shipment, [TrackingUpdate(status="cancelled", note=reason, occurred_at=now)], "cancel")
    return shipment


def shipment_for_webhook(*, provider_order_id: str = "", waybill_id: str = "") -> Shipment | None:
    if provider_order_id:
        shipment = Shipment.objects.filter(provider_order_id=provider_order_id).first()
        if shipment is not None:
            return shipment
    if waybill_id:
        return Shipment.objects.filter(waybill_id=waybill_id, status=ShipmentStatus.BOOKED).first()
    return None


def shipment_refresh_tracking(*, shipment_id: int) -> Shipment | None:
    """Fetch the shipment's tracking from the aggregator (no lock held) and apply it."""
    shipment = Shipment.objects.filter(pk=shipment_id, status=ShipmentStatus.BOOKED).first()
    provider = aggregator()
    if shipment is None or provider is None or not shipment.tracking_id:
        return None
    tracking = provider.tracking(shipment.tracking_id)
    Shipment.objects.filter(pk=shipment_id).update(polled_at=timezone.now())
    return shipment_apply_tracking(shipment_id=shipment_id, updates=tracking.history, source="poll")
