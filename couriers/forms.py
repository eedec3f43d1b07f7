from django import forms
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


class BookCourierForm(forms.Form):
    collection_method = forms.ChoiceField(
        label=_("How the courier gets the parcel"),
        choices=CollectionMethod.choices,
        initial=CollectionMethod.PICKUP,
        widget=forms.RadioSelect,
    )
