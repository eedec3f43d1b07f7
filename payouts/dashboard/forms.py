from django import forms
from django.utils.translation import gettext_lazy as _


class PayoutPaidForm(forms.Form):
    reference = forms.CharField(
        label=_("Bank reference"),
        max_length=120,
        required=False,
        help_text=_("Optional: the bank's transfer reference."),
    )


class PayoutFailedForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason why the payout failed."))
        return reason
