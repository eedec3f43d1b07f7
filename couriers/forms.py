from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.coordinates import check_pin_complete, latitude_field, longitude_field
from couriers.models import COURIER_NAMES, CollectionMethod, PickupTime


class CourierSettingsForm(forms.Form):
    couriers = forms.MultipleChoiceField(
        label=_("Couriers you offer"),
        choices=list(COURIER_NAMES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Buyers choose among these couriers' services. With none, they pay your own shipping rates."),
    )
    pickup_time = forms.ChoiceField(
        label=_("Preferred pickup time"),
        choices=PickupTime.choices,
        initial=PickupTime.EARLIEST,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The booking form suggests this window first; you can always choose another."),
    )
    latitude = latitude_field(_("Your pickup point's pin, e.g. -6.914744. GoSend and GrabExpress need it."))
    longitude = longitude_field()

    def clean(self):
        data = super().clean()
        check_pin_complete(self, data)
        return data


def slot_label(slot) -> str:
    day = formats.date_format(slot.date, "l, j M")
    return f"{day} · {slot.start_time}–{slot.end_time}"


def suggested_slot(slots, preferred: str):
    """The first window matching the pesantren's preferred pickup time, else the earliest."""
    wanted = {
        PickupTime.MORNING: lambda slot: slot.start_time < "12:00",
        PickupTime.AFTERNOON: lambda slot: slot.start_time >= "12:00",
    }.get(preferred)
    return next((slot for slot in slots if wanted is not None and wanted(slot)), slots[0])


class BookCourierForm(forms.Form):
    """Pickup or drop-off, and for a pickup one of the courier's pickup windows (when it offers any)."""

    collection_method = forms.ChoiceField(
        label=_("How the courier gets the parcel"),
        choices=CollectionMethod.choices,
        initial=CollectionMethod.PICKUP,
        widget=forms.RadioSelect,
    )
    pickup_slot = forms.ChoiceField(
        label=_("Pickup time"),
        choices=[],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Have the parcel packed and ready by the start of the window."),
    )

    def __init__(self, *args, slots=(), preferred: str = PickupTime.EARLIEST, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {slot.key: slot for slot in slots}
        self.fields["pickup_slot"].choices = [(slot.key, slot_label(slot)) for slot in slots]
        if slots:
            self.fields["pickup_slot"].initial = suggested_slot(slots, preferred).key

    def clean(self):
        data = super().clean()
        if data.get("collection_method") == CollectionMethod.PICKUP and self.slots:
            if not data.get("pickup_slot"):
                self.add_error("pickup_slot", _("Choose a pickup time."))
        data["slot"] = (
            self.slots.get(data.get("pickup_slot") or "")
            if data.get("collection_method") == CollectionMethod.PICKUP
            else None
        )
        return data
