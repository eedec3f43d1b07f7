from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.identifiers import compact_nspp
from regions.forms import RegionChainMixin
from regions.models import Region
from sellers.models import DocumentKind, Sector, Seller
from sellers.validators import normalise_whatsapp, validate_document


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Name"))
    kabupaten = forms.ModelChoiceField(
        queryset=Region.objects.none(), required=False, label=_("Kabupaten/kota"), empty_label=_("All regions")
    )
    sector = forms.ChoiceField(required=False, label=_("Sector"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten"].queryset = Region.objects.filter(
            parent_id=settings.MARKETPLACE_PROGRAMME_PROVINCE_CODE
        ).order_by("name")
        self.fields["sector"].choices = [("", _("All sectors")), *Sector.choices]

    def filters(self) -> dict:
        """Validated filters for `sellers_directory`; invalid values are ignored, not fatal."""
        if not self.is_valid():
            return {}
        kabupaten = self.cleaned_data.get("kabupaten")
        return {
            "query": self.cleaned_data.get("q", "").strip(),
            "kabupaten_code": kabupaten.code if kabupaten else "",
            "sector": self.cleaned_data.get("sector", ""),
        }


class ApplicantAccountForm(forms.Form):
    """The account an applicant signs in with; skipped when they are already signed in."""

    account_email = forms.EmailField(label=_("Email for signing in"))
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Repeat password"), widget=forms.PasswordInput, strip=False)

    def clean_account_email(self):
        email = self.cleaned_data["account_email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this email already exists. Sign in first, then apply."), code="duplicate_email"
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            try:
                password_validation.validate_password(password1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SellerApplicationForm(RegionChainMixin, forms.ModelForm):
    """Pesantren details and documents. Also used to answer a request for changes."""

    nspp_certificate = forms.FileField(
        label=_("NSPP certificate"), help_text=_("PDF, JPEG or PNG, at most 5 MB."), required=True
    )
    operating_permit = forms.FileField(
        label=_("Operating permit (optional)"), help_text=_("PDF, JPEG or PNG, at most 5 MB."), required=False
    )

    class Meta:
        model = Seller
        fields = [
            "name",
            "nspp",
            "sector",
            "tagline",
            "story",
            "logo",
            "banner",
            "address_line",
            "kabupaten",
            "kecamatan",
            "desa",
            "postal_code",
            "contact_name",
            "whatsapp",
            "email",
            "bank_name",
            "bank_account_number",
            "bank_account_holder",
        ]
        widgets = {"story": forms.Textarea(attrs={"rows": 5})}

    DOCUMENT_FIELDS = {
        "nspp_certificate": DocumentKind.NSPP_CERTIFICATE,
        "operating_permit": DocumentKind.OPERATING_PERMIT,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("nspp", "whatsapp"):
            # People type these with spaces and dashes; the length is checked after normalising.
            field = self.fields[name]
            field.max_length = None
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.widget.attrs.pop("maxlength", None)
        if self.instance.pk:
            # Documents already on file need not be uploaded again when correcting an application.
            self.fields["nspp_certificate"].required = False

    def clean_nspp(self):
        return compact_nspp(self.cleaned_data["nspp"])

    def clean_whatsapp(self):
        return normalise_whatsapp(self.cleaned_data["whatsapp"])

    def _clean_document(self, field):
        uploaded = self.cleaned_data.get(field)
        if uploaded:
            uploaded.content_type = validate_document(uploaded)
        return uploaded

    def clean_nspp_certificate(self):
        return self._clean_document("nspp_certificate")

    def clean_operating_permit(self):
        return self._clean_document("operating_permit")

    def _post_clean(self):
        # The region mixin derives the province from the kabupaten; the model needs it to validate.
        if self.cleaned_data.get("province"):
            self.instance.province = self.cleaned_data["province"]
        super()._post_clean()

    def seller_data(self) -> dict:
        data = {field: self.cleaned_data[field] for field in self.Meta.fields if field in self.cleaned_data}
        data["province"] = self.cleaned_data["province"]
        return data

    def documents(self) -> list[tuple[str, object]]:
        return [
            (kind, self.cleaned_data[field])
            for field, kind in self.DOCUMENT_FIELDS.items()
            if self.cleaned_data.get(field)
        ]


class ReviewDecisionForm(forms.Form):
    """Programme staff's decision on an application; a reason is required unless approving."""

    APPROVE, REJECT, REQUEST_CHANGES = "approve", "reject", "request_changes"
    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject")), (REQUEST_CHANGES, _("Ask for changes"))]
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") in (self.REJECT, self.REQUEST_CHANGES) and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Tell the applicant why."))
        return cleaned


class SuspensionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
