from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import EVENT_FIELDS, Event, EventKind, Meeting, Registration
from regions.forms import RegionChoiceField
from regions.models import Region, RegionLevel
from sellers.models import Seller, SellerStatus

MAX_SEATS = 10_000
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    """An event of a kabupaten in the officer's scope (`kabupaten_choices`)."""

    kabupaten = RegionChoiceField(
        queryset=Region.objects.filter(level=RegionLevel.REGENCY), label=_("Kabupaten/kota"), required=True
    )
    host_seller = forms.ModelChoiceField(
        queryset=Seller.objects.filter(status=SellerStatus.VERIFIED).order_by("name"),
        label=_("Host pesantren"),
        required=False,
        help_text=_("For an apprenticeship: the established pesantren that hosts it."),
    )
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=MAX_SEATS)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=_DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=_DATETIME)
    registration_closes_at = forms.DateTimeField(label=_("Registration closes at"), widget=_DATETIME)

    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, kabupaten_choices, host_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kabupaten"].offer(kabupaten_choices.order_by("name"), empty_label=_("Choose a kabupaten/kota"))
        self.fields["host_seller"].queryset = host_choices.filter(status=SellerStatus.VERIFIED).order_by("name")

    def event_data(self) -> dict:
        return dict(self.cleaned_data)


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *EventKind.choices], required=False)
    kabupaten = forms.CharField(label=_("Kabupaten/kota"), max_length=13, required=False)


class CheckInForm(forms.Form):
    token = forms.CharField(
        label=_("Registration code"),
        max_length=40,
        help_text=_("Scan the participant's QR code, or type the code printed under it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class CertificateLookupForm(forms.Form):
    code = forms.CharField(label=_("Certificate code"), max_length=16)


class MeetingForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=_DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=_DATETIME)

    class Meta:
        model = Meeting
        fields = ["company_registration", "seller_registration", "starts_at", "ends_at", "table"]

    def __init__(self, *args, registrations: list[Registration], **kwargs):
        super().__init__(*args, **kwargs)
        company = self.fields["company_registration"]
        seller = self.fields["seller_registration"]
        company.queryset = Registration.objects.filter(pk__in=[r.pk for r in registrations if r.company_id])
        seller.queryset = Registration.objects.filter(pk__in=[r.pk for r in registrations if r.seller_id])
        company.label_from_instance = seller.label_from_instance = lambda registration: registration.party_name
        company.queryset = company.queryset.select_related("company")
        seller.queryset = seller.queryset.select_related("seller")

    def meeting_data(self) -> dict:
        return dict(self.cleaned_data)


class ShowcaseForm(forms.Form):
    products = forms.TypedMultipleChoiceField(
        label=_("Products on the showcase"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, products: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].choices = [
            (product.pk, f"{product.get_title()} · {product.showcase_seller.name}") for product in products
        ]
