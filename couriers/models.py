"""Courier shipments booked through the aggregator, their tracking history, and each pesantren's couriers."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed

# The couriers the marketplace offers through the aggregator, by Biteship courier code.
COURIER_NAMES = {
    "jne": "JNE",
    "jnt": "J&T Express",
    "sicepat": "SiCepat",
    "anteraja": "AnterAja",
    "gojek": "GoSend",
    "grab": "GrabExpress",
}
# Same-day and instant couriers: priced by the coordinates of both ends, offered only when both are known.
INSTANT_COURIERS = ("gojek", "grab")
LATITUDE_VALIDATORS = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE_VALIDATORS = [MinValueValidator(-180), MaxValueValidator(180)]


class PickupTime(models.TextChoices):
    EARLIEST = "earliest", _("The earliest window offered")
    MORNING = "morning", _("A morning window (before 12:00)")
    AFTERNOON = "afternoon", _("An afternoon window (from 12:00)")


class SellerCourierSettings(models.Model):
    """Which aggregator couriers a pesantren offers its buyers. No row: all of them.

    An empty list offers none: buyers then pay the pesantren's own rate table.
    """

    seller = models.OneToOneField(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.CASCADE, related_name="courier_settings"
    )
    couriers = models.JSONField(_("couriers offered"), default=list, blank=True)
    pickup_time = models.CharField(
        _("preferred pickup time"),
        max_length=10,
        choices=PickupTime.choices,
        default=PickupTime.EARLIEST,
        help_text=_("Which pickup window the booking form suggests first."),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE_VALIDATORS
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE_VALIDATORS
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pesantren courier settings")
        verbose_name_plural = _("pesantren courier settings")

    def __str__(self):
        return f"{self.seller}: {', '.join(self.couriers) or '-'}"

    @property
    def coordinates(self) -> tuple | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


class CollectionMethod(models.TextChoices):
    PICKUP = "pickup", _("Pickup by the courier")
    DROP_OFF = "drop_off", _("Drop-off at the courier's counter")


class ShipmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Booking")
    BOOKED = "booked", _("Booked")
    FAILED = "failed", _("Booking failed")
    CANCELLED = "cancelled", _("Cancelled")


# Biteship's tracking statuses along the way, in order; a later one never gives way to an earlier one.
TRACKING_RANK = {"confirmed": 0, "allocated": 1, "picking_up": 2, "picked": 3, "dropping_off": 4, "delivered": 5}
# How each tracking status reads for buyers and pesantren.
TRACKING_LABELS = {
    "confirmed": _("Courier booked"),
    "allocated": _("Courier assigned"),
    "picking_up": _("Courier on the way to pick up"),
    "picked": _("Picked up by the courier"),
    "dropping_off": _("On the way to the buyer"),
    "delivered": _("Delivered"),
    "on_hold": _("Delivery on hold"),
    "cancelled": _("Courier order cancelled"),
    "rejected": _("Rejected by the recipient"),
    "returned": _("Returned to the pesantren"),
    "courier_not_found": _("No courier found"),
}
# From this rank on the courier holds the parcel (the part is shipped); at the last, it is delivered.
SHIPPED_RANK, DELIVERED_RANK = TRACKING_RANK["picked"], TRACKING_RANK["delivered"]


class Shipment(models.Model):
    """The courier order booked for one pesantren's part: the aggregator's ids and the airway bill.

    Written only through `couriers.services`. One per part: booking twice returns the first.
    """

    seller_order = models.OneToOneField(
        "fulfilment.SellerOrder", verbose_name=_("pesantren order"), on_delete=models.PROTECT, related_name="shipment"
    )
    provider = models.CharField(_("provider"), max_length=20, default="biteship")
    courier_code = models.CharField(_("courier code"), max_length=32)
    service_code = models.CharField(_("service code"), max_length=32)
    collection_method = models.CharField(
        _("collection"), max_length=10, choices=CollectionMethod.choices, default=CollectionMethod.PICKUP
    )
    status = models.CharField(
        _("booking status"), max_length=10, choices=ShipmentStatus.choices, default=ShipmentStatus.REQUESTED
    )
    attempt = models.PositiveSmallIntegerField(
        _("booking number"),
        default=1,
        help_text=_("Counts up each time the part is booked again after a cancellation."),
    )
    provider_order_id = models.CharField(_("courier order id"), max_length=64, null=True, blank=True, unique=True)
    tracking_id = models.CharField(_("tracking id"), max_length=64, blank=True)
    waybill_id = models.CharField(_("airway bill"), max_length=64, blank=True)
    provider_status = models.CharField(
        _("tracking status"), max_length=32, blank=True, help_text=_("The aggregator's latest status, e.g. picked.")
    )
    pickup_date = models.DateField(_("pickup date"), null=True, blank=True)
    pickup_window = models.CharField(
        _("pickup time"), max_length=11, blank=True, help_text=_("The pickup window chosen, e.g. 09:00-12:00 (WIB).")
    )
    price = models.DecimalField(_("courier price"), max_digits=14, decimal_places=2, null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("last tracking update"), null=True, blank=True)
    polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("courier shipment")
        verbose_name_plural = _("courier shipments")
        indexes = [models.Index(fields=["status", "last_event_at"])]

    def __str__(self):
        return self.waybill_id or f"{self.seller_order_id}"

    @property
    def courier_name(self) -> str:
        return COURIER_NAMES.get(self.courier_code, self.courier_code.upper())

    @property
    def reference_id(self) -> str:
        """The reference the aggregator books once: the part's number, then numbered after a cancellation."""
        number = self.seller_order.number
        return number if self.attempt <= 1 else f"{number}-{self.attempt}"

    @property
    def can_cancel(self) -> bool:
        """Booked and not yet picked up: the courier order can still be cancelled."""
        return (
            self.status == ShipmentStatus.BOOKED
            and not self.is_final
            and TRACKING_RANK.get(self.provider_status, 0) < SHIPPED_RANK
        )

    @property
    def is_final(self) -> bool:
        return self.provider_status in ("delivered", "cancelled", "rejected", "returned", "disposed")


class ShipmentEvent(StatusEvent):
    """One change of a shipment's booking status (requested, booked, failed), with who did it."""

    shipment = models.ForeignKey(Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE, related_name="events")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("shipment event")
        verbose_name_plural = _("shipment events")


class ShipmentTransitionNotAllowed(TransitionNotAllowed):
    """A booking status change that the shipment's current status does not allow."""


SHIPMENT_MACHINE = StateMachine(
    model=Shipment,
    transitions={
        ShipmentStatus.REQUESTED: {ShipmentStatus.BOOKED, ShipmentStatus.FAILED},
        ShipmentStatus.FAILED: {ShipmentStatus.REQUESTED},
        ShipmentStatus.BOOKED: {ShipmentStatus.CANCELLED},
        ShipmentStatus.CANCELLED: {ShipmentStatus.REQUESTED},
    },
    event_model=ShipmentEvent,
    event_fk="shipment",
    error=ShipmentTransitionNotAllowed,
)


class TrackingEvent(models.Model):
    """One tracking update of a shipment, as the aggregator reported it (webhook or poll).

    The same status at the same time is one row, however often it is delivered.
    """

    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE, related_name="tracking_events"
    )
    attempt = models.PositiveSmallIntegerField(_("booking number"), default=1)
    status = models.CharField(_("status"), max_length=32)
    note = models.CharField(_("note"), max_length=255, blank=True)
    occurred_at = models.DateTimeField(_("time"))
    source = models.CharField(_("source"), max_length=10, default="webhook")
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "attempt", "status", "occurred_at"], name="tracking_event_once_per_booking"
            )
        ]

    def __str__(self):
        return f"{self.shipment}: {self.status} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        return str(TRACKING_LABELS.get(self.status, self.status.replace("_", " ")))
