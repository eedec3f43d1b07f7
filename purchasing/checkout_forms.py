from django import forms
from django.utils.translation import gettext_lazy as _

from payments.stripe_api import card_payments_enabled
from purchasing.models import PurchasePaymentMethod


class PurchaseTermsForm(forms.Form):
    """How the company pays, and the buyer's own purchase order number for its books."""

    payment_method = forms.ChoiceField(
        label=_("How will your company pay?"),
        choices=PurchasePaymentMethod.choices,
        widget=forms.RadioSelect(attrs={"class": "custom-control-input"}),
    )
    po_number = forms.CharField(
        label=_("Your purchase order number"),
        max_length=64,
        required=False,
        help_text=_("Printed on the invoice so your finance team can match it."),
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        unavailable = set()
        if company.credit_limit <= 0:
            unavailable.add(PurchasePaymentMethod.INVOICE)
        if not card_payments_enabled():
            unavailable.add(PurchasePaymentMethod.CARD)
        self.fields["payment_method"].choices = [
            choice for choice in PurchasePaymentMethod.choices if choice[0] not in unavailable
        ]
        self.fields["payment_method"].initial = self.fields["payment_method"].choices[0][0]


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
