from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from sellers.validators import validate_document


class ProofUploadForm(forms.Form):
    proof = forms.FileField(label=_("Proof of transfer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proof"].help_text = _gettext(
            "A photo or screenshot of the transfer receipt (JPEG or PNG), or a PDF; at most %(limit)s."
        ) % {"limit": filesizeformat(settings.MARKETPLACE_APPLICATION_DOCUMENT_MAX_BYTES)}

    def clean_proof(self):
        uploaded = self.cleaned_data["proof"]
        validate_document(uploaded)
        return uploaded


class RejectProofForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Sent to the customer, e.g. “The amount does not match” or “The receipt is unreadable”."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the customer a reason for the rejection."))
        return reason
