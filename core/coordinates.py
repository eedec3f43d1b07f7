"""A map pin typed into a form: latitude and longitude within the globe, given together or not at all.

The pesantren's pickup point (courier settings) and the buyer's address (checkout) both take one;
same-day and instant couriers need both pins.
"""

from django import forms
from django.utils.translation import gettext_lazy as _


def latitude_field(help_text) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        help_text=help_text,
    )


def longitude_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        help_text=_("E.g. 107.609810."),
    )


def check_pin_complete(form: forms.BaseForm, data: dict) -> None:
    """Half a pin places nothing: refuse a latitude without a longitude, and the other way round."""
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        form.add_error("longitude", _("Enter both latitude and longitude, or neither."))
