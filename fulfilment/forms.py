from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import whole_max
from fulfilment.models import SellerOrderStatus
from payments.models import CardRefund


class ShipForm(forms.Form):
    courier = forms.CharField(label=_("Courier"), max_length=64, widget=forms.TextInput(attrs={"list": "couriers"}))
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RefundForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount (Rp)"), min_value=1, max_value=whole_max(CardRefund, "amount"))


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", _("All")), *SellerOrderStatus.choices])
