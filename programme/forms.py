from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.identifiers import compact_nspp
from dashboard.catalogue.forms import PhotosField
from programme.models import DEFAULT_STAGES, Cohort, MappedPesantren, ProgrammeTarget, RoleKind
from regions.forms import RegionChoiceField
from regions.models import Region, RegionLevel


class MappedPesantrenForm(forms.ModelForm):
    """A pesantren of one of the kabupaten's kecamatan (the kabupaten comes from the page)."""

    kecamatan = RegionChoiceField(
        queryset=Region.objects.filter(level=RegionLevel.DISTRICT), label=_("Kecamatan"), required=True
    )

    class Meta:
        model = MappedPesantren
        fields = ["name", "nspp", "kecamatan", "business_units", "products", "contact_name", "email"]
        widgets = {
            "business_units": forms.Textarea(attrs={"rows": 2}),
            "products": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, kabupaten: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.kabupaten = kabupaten
        self.fields["kecamatan"].offer(
            Region.objects.filter(parent=kabupaten, level=RegionLevel.DISTRICT).order_by("name"),
            empty_label=_("Choose a kecamatan"),
        )
        # People type the NSPP with spaces and dots; its length is checked after compacting.
        nspp = self.fields["nspp"]
        nspp.max_length = None
        nspp.validators = [v for v in nspp.validators if not isinstance(v, MaxLengthValidator)]
        nspp.widget.attrs.pop("maxlength", None)
        nspp.widget.attrs["inputmode"] = "numeric"

    def clean_nspp(self):
        return compact_nspp(self.cleaned_data["nspp"])

    def clean_kecamatan(self):
        kecamatan = self.cleaned_data["kecamatan"]
        if kecamatan.parent_id != self.kabupaten.code:
            raise forms.ValidationError(
                _("Kecamatan %(kecamatan)s is not in %(kabupaten)s.")
                % {"kecamatan": kecamatan.name, "kabupaten": self.kabupaten.name},
                code="kecamatan_outside",
            )
        return kecamatan

    def _post_clean(self):
        if self.cleaned_data.get("kecamatan"):
            self.instance.kabupaten_id = self.kabupaten.code
        super()._post_clean()

    def mapping_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MappingImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8 CSV, at most 500 rows and 512 KB."))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email of the pesantren"))


class NominationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this pesantren (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


def _default_stage_text() -> str:
    return "\n".join(str(label) for _code, label in DEFAULT_STAGES)


class CohortForm(forms.ModelForm):
    stages = forms.CharField(
        label=_("Stages, one per line, in order"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Pesantren move through these one at a time."),
    )

    class Meta:
        model = Cohort
        fields = ["year", "name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("stages"):
            self.initial["stages"] = _default_stage_text()

    def clean_stages(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["stages"].splitlines() if line.strip()]
        if len(names) < 2:
            raise forms.ValidationError(_("A cohort needs at least two stages."))
        if any(len(name) > 80 for name in names):
            raise forms.ValidationError(_("A stage name has at most 80 characters."))
        if len({name.lower() for name in names}) != len(names):
            raise forms.ValidationError(_("Each stage needs a different name."))
        return names


class StagesForm(forms.Form):
    stages = CohortForm.base_fields["stages"]

    clean_stages = CohortForm.clean_stages


class TargetForm(forms.ModelForm):
    class Meta:
        model = ProgrammeTarget
        fields = ["name", "target_count", "measure", "deadline"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}


class EnrolForm(forms.Form):
    pesantren = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class StageMoveForm(forms.Form):
    stage = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class MentorVisitForm(forms.Form):
    """A visit and up to three action items (each a description with its due date)."""

    ACTION_ROWS = 3

    visited_on = forms.DateField(label=_("Visit date"), widget=forms.DateInput(attrs={"type": "date"}))
    topics = forms.CharField(label=_("Topics"), max_length=255)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    # Checked like the seller centre's product photos (dashboard.catalogue.products.validate_product_photo).
    photos = PhotosField(
        label=_("Photos of the visit"),
        required=False,
        help_text=_("Take them with the camera or pick them from the gallery: JPEG, PNG or WebP, up to 5 MB each."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index in range(1, self.ACTION_ROWS + 1):
            self.fields[f"action_{index}"] = forms.CharField(
                label=_("Action item %(number)d") % {"number": index}, required=False, max_length=255
            )
            self.fields[f"due_{index}"] = forms.DateField(
                label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def clean(self):
        cleaned = super().clean()
        actions = []
        for index in range(1, self.ACTION_ROWS + 1):
            description, due_on = cleaned.get(f"action_{index}", ""), cleaned.get(f"due_{index}")
            if description and not due_on and f"due_{index}" not in self.errors:
                self.add_error(f"due_{index}", _("Give the action a due date."))
            elif due_on and not description:
                self.add_error(f"action_{index}", _("Describe the action, or clear its due date."))
            elif description and due_on:
                actions.append((description, due_on))
        cleaned["actions"] = actions
        return cleaned


class RoleGrantForm(forms.Form):
    """The provincial office gives a registered user a programme role, by email."""

    email = forms.EmailField(label=_("Email of the account"), max_length=254)
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    kabupaten = forms.ModelChoiceField(
        label=_("Kabupaten/kota"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Only for a district officer"),
        help_text=_("District officers only: the kabupaten/kota they work for."),
    )

    def __init__(self, *args, kabupaten_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kabupaten_queryset is not None:
            self.fields["kabupaten"].queryset = kabupaten_queryset.order_by("name")
        self.fields["kabupaten"].label_from_instance = lambda region: region.name


class MentorAssignForm(forms.Form):
    """An officer assigns a mentor (by the email of their account) to a pesantren of their area."""

    email = forms.EmailField(label=_("Mentor's email"), max_length=254)
    pesantren = forms.ModelChoiceField(
        label=_("Pesantren"), queryset=MappedPesantren.objects.none(), empty_label=_("Choose a pesantren")
    )

    def __init__(self, *args, pesantren_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pesantren_queryset is not None:
            self.fields["pesantren"].queryset = pesantren_queryset.select_related("kecamatan").order_by("name", "pk")
        self.fields["pesantren"].label_from_instance = lambda record: f"{record.name} — {record.kecamatan.name}"
