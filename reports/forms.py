"""The reporting period picked on the report pages (GET parameters `start` and `end`)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reports.selectors import Period

# Reports reach back at most this far: enough for every programme year, and a bounded query.
EARLIEST = datetime.date(2020, 1, 1)
MAX_DAYS = 366 * 5
DATE = forms.DateInput(attrs={"type": "date"})


class PeriodForm(forms.Form):
    start = forms.DateField(label=pgettext_lazy("report period", "From"), required=False, widget=DATE)
    end = forms.DateField(label=pgettext_lazy("report period", "To"), required=False, widget=DATE)

    def clean(self):
        cleaned = super().clean()
        default = Period.year_to_date()
        start = cleaned.get("start") or default.start
        end = cleaned.get("end") or default.end
        if start < EARLIEST or end > timezone.localdate() + datetime.timedelta(days=366):
            raise forms.ValidationError(_("Pick dates between 2020 and next year."))
        if start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("A report covers at most five years."))
        cleaned["period"] = Period(start=start, end=end)
        return cleaned


def period_from(params) -> tuple[PeriodForm, Period]:
    """The form bound to the request's GET parameters and the period it gives (this year by default)."""
    form = PeriodForm(params or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"]
    return form, Period.year_to_date()
