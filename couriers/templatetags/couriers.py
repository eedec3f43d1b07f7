"""Courier panels for pages of other apps: `{% load couriers %}{% courier_panel seller_order %}`."""

from django import template

from couriers.forms import BookCourierForm
from couriers.models import PickupTime
from couriers.selectors import choice_of, courier_settings_of, pickup_slots, shipment_of, tracking_history
from couriers.services import can_book

register = template.Library()


@register.inclusion_tag("couriers/includes/courier_panel.html")
def courier_panel(seller_order):
    """The pesantren's view of a part's courier: the buyer's choice, booking, label and tracking."""
    shipment = shipment_of(seller_order)
    choice = choice_of(seller_order)
    bookable = can_book(seller_order)
    slots = pickup_slots(choice.courier_code) if bookable and choice is not None else []
    return {
        "seller_order": seller_order,
        "choice": choice,
        "shipment": shipment,
        "can_book": bookable,
        "form": BookCourierForm(slots=slots, preferred=_preferred(seller_order)),
        "events": tracking_history(shipment),
    }


def _preferred(seller_order) -> str:
    row = courier_settings_of(seller=seller_order.seller)
    return row.pickup_time if row is not None else PickupTime.EARLIEST


@register.inclusion_tag("couriers/includes/buyer_tracking.html")
def buyer_tracking(seller_order):
    """The buyer's view: courier service, airway bill and tracking history of one part."""
    shipment = shipment_of(seller_order)
    waybill = shipment.waybill_id if shipment is not None and shipment.waybill_id else seller_order.tracking_number
    return {
        "seller_order": seller_order,
        "choice": choice_of(seller_order),
        "waybill": waybill,
        "events": tracking_history(shipment),
    }
