"""Chained region selects (kabupaten/kota → kecamatan → desa/kelurahan) for any Django form.

They work without JavaScript: each select lists the children of the region chosen above it in
the submitted data, and an "Update choices" submit button re-renders the form with them.
`static/js/region-select.js` makes the same selects fetch their options as soon as a parent
changes, and hides that button.
"""

from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regions.models import Region, RegionLevel

REFRESH_BUTTON_NAME = "refresh_regions"


class RegionSelect(forms.Select):
    """A select whose options carry the region's postal code, for the script to fill it in."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        postal_code = getattr(getattr(value, "instance", None), "postal_code", "")
        if postal_code:
            option["attrs"]["data-postal-code"] = postal_code
        return option


class _OfferedChoiceIterator(ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        self.queryset = field.offered_queryset


class RegionChoiceField(forms.ModelChoiceField):
    """Accepts any region of its level in scope but offers only `offered_queryset`.

    Validating against the whole level lets the form say *why* a region does not fit ("not in
    the chosen kabupaten/kota") instead of Django's bare "Select a valid choice".
    """

    iterator = _OfferedChoiceIterator
    widget = RegionSelect

    def __init__(self, queryset, **kwargs):
        self.offered_queryset = Region.objects.none()
        super().__init__(queryset, **kwargs)

    def offer(self, queryset, *, empty_label):
        self.offered_queryset = queryset
        self.empty_label = empty_label
        self.widget.choices = self.choices

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.offered_queryset = self.offered_queryset.all()
        return result


class RegionChainMixin:
    """Adds chained `kabupaten`, `kecamatan` and `desa` fields (plus `province` when national).

    Put it before `forms.Form`/`forms.ModelForm` in the bases. In a ModelForm list the model's
    region fields in `Meta.fields` as usual; the mixin replaces their form fields. After
    validation `cleaned_data["province"]` holds the kabupaten's province, and a blank
    `postal_code` field is filled from the chosen desa.
    """

    #: Offer every province (adds a `province` select first) instead of one.
    region_all_provinces: bool = False
    #: The province offered when not national; None means settings.MARKETPLACE_PROGRAMME_PROVINCE_CODE.
    region_province_code: str | None = None
    #: Whether a desa/kelurahan must be chosen.
    region_desa_required: bool = False
    #: The form field filled from the desa's postal code when left blank ("" or None: none).
    region_postal_code_field: str | None = "postal_code"

    region_refresh_button_name = REFRESH_BUTTON_NAME

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._region_postal_code_required = False
        self._setup_region_fields()

    # Public API

    @property
    def region_field_names(self) -> list[str]:
        names = ["kabupaten", "kecamatan", "desa"]
        return ["province", *names] if self.region_all_provinces else names

    @property
    def region_fields(self) -> list[forms.BoundField]:
        """Bound region fields in chain order, for templates."""
        return [self[name] for name in self.region_field_names]

    @property
    def region_refresh_html_name(self) -> str:
        return self.add_prefix(self.region_refresh_button_name)

    def get_region_province_code(self) -> str:
        return self.region_province_code or settings.MARKETPLACE_PROGRAMME_PROVINCE_CODE

    def is_region_refresh(self) -> bool:
        """True when the "Update choices" button submitted the form: re-render it, don't save."""
        return bool(self.is_bound and self.region_refresh_html_name in self.data)

    def is_valid(self) -> bool:
        return not self.is_region_refresh() and super().is_valid()

    def full_clean(self):
        if self.is_region_refresh():
            # A refresh only asks for new choices: the user has not finished, so show no errors.
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    # Building the fields

    def _setup_region_fields(self) -> None:
        url = reverse("regions:children")
        province_code = None if self.region_all_provinces else self.get_region_province_code()
        scope = Region.objects.all()
        if province_code:
            scope = scope.filter(code__startswith=f"{province_code}.")
        specs = [
            ("kabupaten", RegionLevel.REGENCY, _("Kabupaten/kota"), True),
            ("kecamatan", RegionLevel.DISTRICT, _("Kecamatan"), True),
            ("desa", RegionLevel.VILLAGE, _("Desa/kelurahan"), self.region_desa_required),
        ]
        if self.region_all_provinces:
            specs.insert(0, ("province", RegionLevel.PROVINCE, _("Province"), True))
        elif "province" in self.fields:
            # A ModelForm listing the model's `province` gets it derived from the kabupaten instead.
            del self.fields["province"]

        new_fields = {}
        for index, (name, level, label, required) in enumerate(specs):
            if level == RegionLevel.PROVINCE:
                queryset = Region.objects.provinces()
            else:
                queryset = scope.filter(level=level)
            if level == RegionLevel.REGENCY:
                # cleaned_data["province"] is the kabupaten's parent: fetch it with it.
                queryset = queryset.select_related("parent")
            field = RegionChoiceField(queryset, label=label, required=required, to_field_name="code")
            old = self.fields.get(name)
            if old is not None and old.help_text:
                field.help_text = old.help_text
            field.widget.attrs.update({"data-region-level": str(int(level)), "data-region-url": url})
            if index + 1 < len(specs):
                field.widget.attrs["data-region-child"] = self.add_prefix(specs[index + 1][0])
            new_fields[name] = field

        postal_name = self.region_postal_code_field
        if postal_name and postal_name in self.fields:
            new_fields["desa"].widget.attrs["data-region-postal-target"] = self.add_prefix(postal_name)
            postal_field = self.fields[postal_name]
            # The desa can supply it, so "required" is checked in clean() once the desa is known.
            self._region_postal_code_required = postal_field.required
            postal_field.required = False

        self._place_region_fields(new_fields)
        self._offer_region_choices(province_code)

    def _place_region_fields(self, new_fields: dict) -> None:
        """Keep the region fields together, where the first of them was (or at the end)."""
        names = list(self.fields)
        anchor = next((position for position, name in enumerate(names) if name in new_fields), len(names))
        before = [(name, self.fields[name]) for name in names[:anchor] if name not in new_fields]
        after = [(name, self.fields[name]) for name in names[anchor:] if name not in new_fields]
        self.fields = dict(before + list(new_fields.items()) + after)

    def _region_value(self, name: str) -> str:
        """The code chosen for `name`: submitted data when bound, else initial or instance."""
        if self.is_bound:
            value = self.data.get(self.add_prefix(name))
        else:
            value = self.get_initial_for_field(self.fields[name], name)
        if isinstance(value, Region):
            return value.code
        return str(value).strip() if value not in (None, "") else ""

    def _offer_region_choices(self, province_code: str | None) -> None:
        # Each level is offered only under a parent that is itself consistent with the chain, so
        # a stale kecamatan left over from a previous kabupaten narrows nothing. Codes encode their
        # ancestry, so this needs no query.
        parent = province_code
        if self.region_all_provinces:
            provinces = Region.objects.provinces().order_by("name").only("code", "name")
            self.fields["province"].offer(provinces, empty_label=_("Choose a province"))
            chosen = self._region_value("province")
            parent = chosen if Region.level_of(chosen) == RegionLevel.PROVINCE and chosen.isdigit() else None

        waiting = {
            "kabupaten": _("Choose a province first"),
            "kecamatan": _("Choose a kabupaten/kota first"),
            "desa": _("Choose a kecamatan first"),
        }
        prompt = {
            "kabupaten": _("Choose a kabupaten/kota"),
            "kecamatan": _("Choose a kecamatan"),
            "desa": _("Choose a desa/kelurahan"),
        }
        for name in ("kabupaten", "kecamatan", "desa"):
            field = self.fields[name]
            field.widget.attrs["data-region-placeholder"] = str(prompt[name])
            field.widget.attrs["data-region-waiting"] = str(waiting[name])
            if parent:
                offered = Region.objects.filter(parent_id=parent).order_by("name")
                if name == "desa":
                    offered = offered.only("code", "name", "postal_code")
                else:
                    offered = offered.only("code", "name")
                field.offer(offered, empty_label=prompt[name])
            else:
                field.offer(Region.objects.none(), empty_label=waiting[name])
            chosen = self._region_value(name)
            parent = chosen if parent and Region.parent_code_of(chosen) == parent else None

    # Validation

    def clean(self):
        cleaned_data = super().clean()
        province = cleaned_data.get("province") if self.region_all_provinces else None
        kabupaten = cleaned_data.get("kabupaten")
        kecamatan = cleaned_data.get("kecamatan")
        desa = cleaned_data.get("desa")

        if kabupaten:
            if province and kabupaten.parent_id != province.code:
                self._region_error(
                    "kabupaten", _("This kabupaten/kota is not in the chosen province."), "not_in_province"
                )
                kabupaten = None
            else:
                cleaned_data["province"] = kabupaten.parent
        if kabupaten and kecamatan and kecamatan.parent_id != kabupaten.code:
            self._region_error(
                "kecamatan", _("This kecamatan is not in the chosen kabupaten/kota."), "not_in_kabupaten"
            )
            kecamatan = None
        if kecamatan and desa and desa.parent_id != kecamatan.code:
            self._region_error("desa", _("This desa/kelurahan is not in the chosen kecamatan."), "not_in_kecamatan")
            desa = None

        postal_name = self.region_postal_code_field
        if postal_name and postal_name in self.fields and postal_name not in self._errors:
            if not cleaned_data.get(postal_name):
                if desa and desa.postal_code:
                    cleaned_data[postal_name] = desa.postal_code
                elif self._region_postal_code_required:
                    self._region_error(postal_name, self.fields[postal_name].error_messages["required"], "required")
        return cleaned_data

    def _region_error(self, name: str, message, code: str) -> None:
        self.add_error(name, forms.ValidationError(message, code=code))

    def _post_clean(self):
        # A ModelForm's instance needs the derived province to pass model validation, even when
        # `province` is not a form field.
        instance = getattr(self, "instance", None)
        province = self.cleaned_data.get("province")
        if instance is not None and province is not None and hasattr(instance, "province_id"):
            instance.province = province
        super()._post_clean()
