from django import forms
from django.utils.translation import gettext_lazy as _

from competitions.models import MAX_POINTS_LIMIT, MAX_WEIGHT
from sellers.models import Sector

DEFAULT_CRITERIA = _(
    "Taste and quality | 10 | 30\nPackaging and label | 10 | 20\nLicences (halal, P-IRT, BPOM) | 10 | 20\n"
    "Market potential | 10 | 30"
)
DEFAULT_ROUNDS = _("Administrative selection | 10\nJudging | 5\nFinal")


def _lines(text: str) -> list[list[str]]:
    return [[part.strip() for part in line.split("|")] for line in text.splitlines() if line.strip()]


def _whole(value: str, *, low: int, high: int, line: int) -> int:
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise forms.ValidationError(
            _("Line %(line)d: “%(value)s” must be a whole number from %(low)d to %(high)d.")
            % {"line": line, "value": value, "low": low, "high": high}
        )
    return number


class CompetitionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=128, initial=_("Lomba Produk Unggulan OPOP"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", _("Every sector")), *Sector.choices], required=False)
    opens_on = forms.DateField(label=_("Entries open"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Entries close"), widget=forms.DateInput(attrs={"type": "date"}))
    blind = forms.BooleanField(
        label=_("Blind judging"),
        required=False,
        initial=True,
        help_text=_("Judges do not see the pesantren's name or storefront."),
    )
    harapan_count = forms.IntegerField(label=_("Honourable mentions"), min_value=0, max_value=10, initial=1)
    criteria = forms.CharField(
        label=_("Rubric"),
        max_length=2000,
        initial=DEFAULT_CRITERIA,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One criterion per line: name | maximum points | weight."),
    )
    rounds = forms.CharField(
        label=_("Rounds"),
        max_length=1000,
        initial=DEFAULT_ROUNDS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One round per line, in order: name | how many advance. The last line is the final."),
    )

    def clean_criteria(self):
        parsed = []
        for number, parts in enumerate(_lines(self.cleaned_data["criteria"]), start=1):
            if len(parts) != 3 or not parts[0]:
                raise forms.ValidationError(
                    _("Line %(line)d: write name | maximum points | weight.") % {"line": number}
                )
            if len(parts[0]) > 128:
                raise forms.ValidationError(_("Line %(line)d: the name is too long.") % {"line": number})
            parsed.append(
                (
                    parts[0],
                    _whole(parts[1], low=1, high=MAX_POINTS_LIMIT, line=number),
                    _whole(parts[2], low=1, high=MAX_WEIGHT, line=number),
                )
            )
        if not parsed:
            raise forms.ValidationError(_("Give the rubric at least one criterion."))
        return parsed

    def clean_rounds(self):
        lines = _lines(self.cleaned_data["rounds"])
        parsed = []
        for number, parts in enumerate(lines, start=1):
            if not parts[0] or len(parts) > 2 or len(parts[0]) > 64:
                raise forms.ValidationError(_("Line %(line)d: write name | how many advance.") % {"line": number})
            last = number == len(lines)
            if last:
                parsed.append((parts[0], None))
            elif len(parts) != 2:
                raise forms.ValidationError(
                    _("Line %(line)d: say how many entries advance; only the final has none.") % {"line": number}
                )
            else:
                parsed.append((parts[0], _whole(parts[1], low=1, high=1000, line=number)))
        if not parsed:
            raise forms.ValidationError(_("Give the competition at least one round."))
        return parsed

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("Entries must close on or after the day they open."))
        return data


class JudgeAssignForm(forms.Form):
    email = forms.EmailField(label=_("Judge's email"), max_length=254)


class ConflictForm(forms.Form):
    judge = forms.TypedChoiceField(label=_("Judge"), coerce=int)
    seller = forms.TypedChoiceField(label=_("Pesantren"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args, judges=(), sellers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].choices = [(user.pk, user.get_full_name() or user.email) for user in judges]
        self.fields["seller"].choices = [(seller.pk, seller.name) for seller in sellers]


class ScoreForm(forms.Form):
    """A field per criterion. Its bounds are the rubric's; the service checks them again."""

    comment = forms.CharField(
        label=_("Comment for the office"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = {}
        for criterion in self.criteria:
            scores[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=min(criterion.max_points, MAX_POINTS_LIMIT),
                help_text=_("0 to %(max)d points, weight %(weight)d.")
                % {"max": criterion.max_points, "weight": criterion.weight},
                error_messages={
                    "max_value": _("“%(criterion)s” takes a score from 0 to %(max)d.")
                    % {"criterion": criterion.name, "max": criterion.max_points},
                    "min_value": _("“%(criterion)s” takes a score from 0 to %(max)d.")
                    % {"criterion": criterion.name, "max": criterion.max_points},
                },
            )
        self.fields = {**scores, **self.fields}

    def points(self) -> dict[int, int]:
        return {criterion.pk: self.cleaned_data[f"criterion_{criterion.pk}"] for criterion in self.criteria}


class EntryForm(forms.Form):
    competition = forms.TypedChoiceField(label=_("Competition"), coerce=int)
    product = forms.TypedChoiceField(label=_("Product"), coerce=int)

    def __init__(self, *args, competitions=(), products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competition"].choices = [(c.pk, str(c)) for c in competitions]
        self.fields["product"].choices = [(p.pk, p.get_title()) for p in products]
