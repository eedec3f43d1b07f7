from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from sellers.models import Seller
from sellers.validators import normalise_whatsapp

MAX_IMAGE_BYTES = 2 * 1024 * 1024
PROFILE_FIELDS = [
    "name",
    "tagline",
    "story",
    "logo",
    "banner",
    "contact_name",
    "whatsapp",
    "email",
]


class StorefrontProfileForm(forms.ModelForm):
    """What a pesantren may change about its own storefront; its NSPP, region and status are not here."""

    class Meta:
        model = Seller
        fields = PROFILE_FIELDS
        widgets = {"story": forms.Textarea(attrs={"rows": 6})}

    def clean_whatsapp(self):
        return normalise_whatsapp(self.cleaned_data["whatsapp"])

    def _clean_image(self, name):
        image = self.cleaned_data.get(name)
        if image and getattr(image, "size", 0) > MAX_IMAGE_BYTES:
            raise forms.ValidationError(_("The image is larger than 2 MB."))
        return image

    def clean_logo(self):
        return self._clean_image("logo")

    def clean_banner(self):
        return self._clean_image("banner")


class BankAccountForm(forms.Form):
    """The account the pesantren's payouts are transferred to; only its owners change it."""

    bank_name = forms.CharField(label=capfirst(Seller._meta.get_field("bank_name").verbose_name), max_length=64)
    bank_account_number = forms.CharField(
        label=capfirst(Seller._meta.get_field("bank_account_number").verbose_name), max_length=32
    )
    bank_account_holder = forms.CharField(
        label=capfirst(Seller._meta.get_field("bank_account_holder").verbose_name), max_length=128
    )

    def clean_bank_account_number(self):
        number = self.cleaned_data["bank_account_number"].replace(" ", "").replace("-", "")
        if not number.isdigit():
            raise forms.ValidationError(_("Enter the account number in digits only."))
        return number
