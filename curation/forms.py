from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from curation.models import MAX_CRITERION_POINTS, MAX_VALIDITY_MONTHS, Curation
from programme.models import ProgrammeRole, RoleKind

NOTE_MAX_LENGTH = 2000


class CurationRequestForm(forms.Form):
    """Put a product up for curation; the products offered are those of the officer's scope."""

    product = forms.ModelChoiceField(queryset=None, label=_("Product"), empty_label=_("Choose a product"))
    curator = forms.ModelChoiceField(
        queryset=None,
        label=_("Curator"),
        required=False,
        empty_label=_("Any curator (leave it in the queue)"),
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda product: product.get_title()
        curator_ids = ProgrammeRole.objects.filter(kind=RoleKind.CURATOR).values("user_id")
        self.fields["curator"].queryset = get_user_model().objects.filter(pk__in=curator_ids, is_active=True)
        self.fields["curator"].label_from_instance = lambda user: user.get_full_name() or user.email


class ScoreForm(forms.Form):
    """One whole-number field per criterion of the curation's rubric, bounded by its maximum, and a note."""

    note = forms.CharField(
        label=_("Curator's note"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the pesantren does well and what to improve; the pesantren may read it."),
    )

    def __init__(self, *args, curation: Curation, **kwargs):
        super().__init__(*args, **kwargs)
        self.curation = curation
        self.criterion_fields = []
        note = self.fields.pop("note")
        for criterion in curation.rubric.criteria.all():
            name = f"criterion_{criterion.pk}"
            self.fields[name] = forms.IntegerField(
                # Oscar's form_field.html prints labels with |safe: escape the office's text here.
                label=escape(criterion.name),
                min_value=0,
                max_value=criterion.max_points,
                help_text=_("0 to %(max)s points") % {"max": criterion.max_points},
            )
            self.criterion_fields.append((criterion, name))
        self.fields["note"] = note

    def sections(self):
        """(section, [bound field, ...]) in the rubric's order, for the template."""
        grouped: dict[str, list] = {}
        for criterion, name in self.criterion_fields:
            grouped.setdefault(criterion.section, []).append(self[name])
        return list(grouped.items())

    def points(self) -> dict[int, int]:
        return {criterion.pk: self.cleaned_data[name] for criterion, name in self.criterion_fields}


_SMALL = {"class": "form-control form-control-sm"}


class CriterionForm(forms.Form):
    section = forms.CharField(label=_("Section"), max_length=80, required=False, widget=forms.TextInput(attrs=_SMALL))
    name = forms.CharField(label=_("Criterion"), max_length=160, required=False, widget=forms.TextInput(attrs=_SMALL))
    max_points = forms.IntegerField(
        label=_("Maximum points"),
        min_value=1,
        max_value=MAX_CRITERION_POINTS,
        required=False,
        widget=forms.NumberInput(attrs=_SMALL),
    )

    def clean(self):
        cleaned = super().clean()
        filled = [cleaned.get("section"), cleaned.get("name"), cleaned.get("max_points")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Fill in the section, the criterion and its points, or leave the row empty."))
        return cleaned


CriterionFormSet = forms.formset_factory(CriterionForm, extra=3, max_num=40, validate_max=True)


class RubricForm(forms.Form):
    validity_months = forms.IntegerField(
        label=_("Stars valid for (months)"),
        min_value=1,
        max_value=MAX_VALIDITY_MONTHS,
        help_text=_("How long the stars of a curation stay valid."),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=NOTE_MAX_LENGTH, required=False)
