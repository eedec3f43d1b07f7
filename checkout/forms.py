"""Checkout forms for Indonesian addresses.

Oscar loads `checkout.forms.ShippingAddressForm` through get_class, so this module replaces its
shipping address form while keeping Oscar's other checkout forms.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.forms import *  # noqa: F403
from oscar.apps.checkout.forms import ShippingAddressForm as OscarShippingAddressForm
from oscar.core.loading import get_model

from checkout.payment_methods import available_payment_methods
from core.coordinates import check_pin_complete, latitude_field, longitude_field
from regions.forms import RegionChainMixin
from regions.models import Region
from shipping.services import indonesia

Country = get_model("address", "Country")

INDONESIA = "ID"
POSTCODE_RE = re.compile(r"^[0-9]{5}$")


class ShippingAddressForm(RegionChainMixin, OscarShippingAddressForm):
    """An Indonesian shipping address: full name, phone, street, chained regions and postal code.

    Any province may be chosen. The kabupaten/kota becomes the address's city (`line4`) and its
    province the `state`; the postal code is taken from the desa/kelurahan when left blank; the
    country is always Indonesia. Shipping is charged by the kabupaten, stored with the kecamatan
    and desa on the order's ShippingAddress.

    Pressing the "Update choices" button (no JavaScript) makes `is_valid()` False with no errors,
    so a FormView simply re-renders the form with the next level's choices.
    """

    region_all_provinces = True
    region_desa_required = False
    region_postal_code_field = "postcode"

    # The address's pin, optional: same-day and instant couriers (GoSend, GrabExpress) need both.
    latitude = latitude_field(_("Optional, for same-day couriers: from the map pin, e.g. -6.914744."))
    longitude = longitude_field()

    class Meta(OscarShippingAddressForm.Meta):
        fields = [
            "first_name",
            "phone_number",
            "line1",
            "line2",
            "kabupaten",
            "kecamatan",
            "desa",
            "postcode",
            "notes",
            "latitude",
            "longitude",
        ]
        labels = {
            "first_name": _("Full name"),
            "line1": _("Street address"),
            "line2": _("Address details"),
            "postcode": _("Postal code"),
            "notes": _("Notes for the courier"),
        }
        help_texts = {
            "line1": _("Street, house number, RT/RW."),
            "line2": _("Optional: building, floor, landmark."),
            "postcode": _("Filled in from the desa/kelurahan when left blank."),
        }

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = self._initial_from_session(kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        phone = self.fields["phone_number"]
        phone.required = True
        phone.label = _("Phone number")
        phone.help_text = _("For the courier, e.g. 0812 3456 7890.")
        phone.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})
        self.fields["line2"].required = False
        self.fields["first_name"].widget.attrs["autocomplete"] = "name"
        self.fields["line1"].widget.attrs["autocomplete"] = "street-address"
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "maxlength": "5"})

    @staticmethod
    def _initial_from_session(initial: dict) -> dict:
        """Oscar's view passes back the fields it stored in the session: `kabupaten_id` and so on."""
        initial = dict(initial)
        for name in ("kabupaten", "kecamatan", "desa"):
            code = initial.pop(f"{name}_id", None)
            if code and name not in initial:
                initial[name] = code
        kabupaten = initial.get("kabupaten")
        if kabupaten and "province" not in initial:
            initial["province"] = Region.parent_code_of(getattr(kabupaten, "code", kabupaten))
        return initial

    def adjust_country_field(self):
        # Shipping is only within Indonesia: no country choice.
        self.fields.pop("country", None)
        self.instance.country = indonesia()

    def clean(self):
        data = super().clean()
        check_pin_complete(self, data)
        return data

    def clean_postcode(self):
        postcode = (self.cleaned_data.get("postcode") or "").strip()
        if postcode and not POSTCODE_RE.match(postcode):
            raise forms.ValidationError(_("Enter the 5-digit postal code."), code="invalid_postcode")
        return postcode

    def _post_clean(self):
        # City and province come from the chosen regions, so they always match the kabupaten.
        kabupaten = self.cleaned_data.get("kabupaten")
        if kabupaten is not None and "kabupaten" not in self.errors:
            self.instance.line4 = kabupaten.name
            province = self.cleaned_data.get("province") or kabupaten.parent
            self.instance.state = province.name if province else ""
        super()._post_clean()
        # Oscar keeps a new address's fields in the session as JSON: the pin goes there as text.
        for name in ("latitude", "longitude"):
            value = getattr(self.instance, name, None)
            if value is not None:
                setattr(self.instance, name, str(value))


class PaymentMethodForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How do you want to pay?"),
        # A callable: read when the form is built, so a deployment without card payments never offers them.
        choices=lambda: [(method.code, method.label) for method in available_payment_methods()],
        widget=forms.RadioSelect,
    )
