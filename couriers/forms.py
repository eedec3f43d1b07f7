from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from couriers.models import COURIER_NAMES, CollectionMethod


class CourierSettingsForm(forms.Form):
    couriers = forms.MultipleChoiceField(
        label=_("Couriers you offer"),
        choices=list(COURIER_NAMES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Buyers choose among these couriers' services. With none, they pay your own shipping rates."),
    )


def slot_label(slot) -> str:
    day = formats.date_format(slot.date, "l, j M")
    return f"{day} · {slot.start_time}–{slot.end_time}"


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

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = {slot.key: slot for slot in slots}
        self.fields["pickup_slot"].choices = [(slot.key, slot_label(slot)) for slot in slots]
        if slots:
            self.fields["pickup_slot"].initial = slots[0].key

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
