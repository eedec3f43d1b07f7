from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.bounds import whole_max
from invoices.models import InvoicePayment


class RecordPaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount (Rp)"), min_value=1, max_value=whole_max(InvoicePayment, "amount"))
    reference = forms.CharField(
        label=_("Bank reference"), max_length=255, help_text=_("As it appears on the bank statement.")
    )
    paid_on = forms.DateField(
        label=_("Received on"),
        # <input type="date"> takes only ISO dates; the Indonesian format would show an empty field.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
