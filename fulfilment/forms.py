from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import whole_max
from fulfilment.models import SellerOrder


class ShipForm(forms.Form):
    courier = forms.CharField(
        label=_("Courier"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "couriers", "autocomplete": "off", "placeholder": "JNE"}),
    )
    tracking_number = forms.CharField(
        label=_("Tracking number (resi)"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this order cancelled?"),
        help_text=_("The buyer reads this reason."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write the reason."))
        return reason


class RefundForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Amount to refund (Rp)"), min_value=1, max_value=whole_max(SellerOrder, "refunded_amount")
    )
    reason = forms.CharField(
        label=_("Why is this refunded?"),
        help_text=_("The buyer reads this reason."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
